"""Sign-in with the member's organisation over OpenID Connect (allauth.socialaccount).

allauth's generic OpenID Connect provider, made strict where a forum that verifies
organisations needs it to be: a nonce in every request, checked in the ID token; the ID
token's signature always checked against the provider's published keys (allauth skips it
when the token came straight from the token endpoint); Microsoft Entra ID's multi-tenant
issuer (`https://login.microsoftonline.com/{tenantid}/v2.0`); and the claims that name the
organisation (Entra's `tid`, ID-porten/Ansattporten's organisation number) read and checked
before anything is stored. A refusal is a message on the sign-in page, never a 500.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.deferred import jwt
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.base import AuthError, ProviderException
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _
from requests import RequestException

from accounts.models import Organisation, OrganisationTenant
from accounts.orgnumber import is_valid_org_number, normalise_org_number

logger = logging.getLogger(__name__)
TENANT_PLACEHOLDER = "{tenantid}"
# Ansattporten names the organisations a person acts for as ISO 6523 identifiers.
ISO6523_NORWEGIAN_ORG_NUMBER = "0192:"


class SignInRefused(ProviderException):
    """The provider answered, but with something the forum will not accept: `message` says
    what, in words for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OrganisationClaim:
    """What a sign-in says about the member's organisation: a tenant id or an organisation
    number, or nothing (`value` empty)."""

    kind: str  # "tenant" or "org_number"
    value: str

    def organisation(self) -> Organisation | None:
        if not self.value:
            return None
        if self.kind == "tenant":
            tenant = (
                OrganisationTenant.objects.select_related("organisation")
                .filter(tenant_id=self.value, organisation__valid_to__isnull=True)
                .first()
            )
            return tenant.organisation if tenant else None
        return Organisation.objects.current().filter(org_number=self.value).first()


def _as_tenant_id(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise SignInRefused(
            _(
                "Microsoft oppga en organisasjon (tenant) som ikke er en gyldig UUID. "
                "Ingenting er lagret; kontakt IT-avdelingen din."
            )
        ) from None


def _org_numbers_in_authorization_details(claims: dict) -> list[str]:
    details = claims.get("authorization_details")
    if not isinstance(details, list):
        return []
    found = []
    for detail in details:
        for reportee in (detail or {}).get("reportees", []) if isinstance(detail, dict) else []:
            identifier = str((reportee or {}).get("ID", "")) if isinstance(reportee, dict) else ""
            if identifier.startswith(ISO6523_NORWEGIAN_ORG_NUMBER):
                found.append(identifier.removeprefix(ISO6523_NORWEGIAN_ORG_NUMBER))
    return found


def organisation_claim(app_settings: dict, claims: dict) -> OrganisationClaim:
    """Read the organisation out of verified ID token claims; refuse a malformed one."""
    if app_settings.get("organisation_from") == "tenant":
        tid = claims.get("tid")
        return OrganisationClaim("tenant", _as_tenant_id(tid) if tid else "")
    claim = app_settings.get("org_number_claim", "orgno")
    raw = claims.get(claim)
    candidates = [str(raw)] if raw else _org_numbers_in_authorization_details(claims)
    if not candidates:
        return OrganisationClaim("org_number", "")
    number = normalise_org_number(candidates[0].removeprefix(ISO6523_NORWEGIAN_ORG_NUMBER))
    if not is_valid_org_number(number):
        raise SignInRefused(
            _(
                "Innloggingen oppga organisasjonsnummeret «%(number)s», som ikke er gyldig "
                "(kontrollsifferet stemmer ikke). Ingenting er lagret."
            )
            % {"number": candidates[0][:20]}
        )
    return OrganisationClaim("org_number", number)


class OrganisationOIDCAdapter(OpenIDConnectOAuth2Adapter):
    expected_nonce: str | None = None
    process: str | None = None

    def _decode_id_token(self, app: Any, id_token: str) -> dict:
        issuer = self.openid_config["issuer"]
        try:
            unverified = jwt.decode(id_token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise OAuth2Error("Invalid id_token") from exc
        if TENANT_PLACEHOLDER in issuer:
            issuer = issuer.replace(TENANT_PLACEHOLDER, _as_tenant_id(unverified.get("tid")))
        claims = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=issuer,
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        nonce = claims.get("nonce")
        if not self.expected_nonce or not isinstance(nonce, str):
            raise SignInRefused(_("Innloggingen manglet en engangskode (nonce). Prøv igjen."))
        if not constant_time_compare(nonce, self.expected_nonce):
            raise SignInRefused(
                _(
                    "Innloggingen hørte ikke til denne økten (feil engangskode). "
                    "Ingenting er lagret; prøv igjen."
                )
            )
        return claims

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any):
        if not kwargs["response"].get("id_token"):
            raise SignInRefused(_("Innloggingen kom uten ID-token. Prøv igjen."))
        login = super().complete_login(request, app, token, **kwargs)
        claims = login.account.extra_data.get("id_token", {})
        if not claims.get("sub"):
            raise SignInRefused(_("Innloggingen sa ikke hvem du er (mangler «sub»)."))
        organisation_claim(app.settings, claims)  # refuses a malformed one before lookup
        if not login.email_addresses and self.process != "connect":
            known = SocialAccount.objects.filter(
                provider=login.account.provider, uid=login.account.uid
            ).exists()
            if not known:
                raise SignInRefused(
                    _(
                        "Innloggingen oppga ingen e-postadresse, så vi kan ikke lage en konto "
                        "for deg. Logg inn med e-post og passord, og koble til denne "
                        "innloggingen fra profilen din."
                    )
                )
        return login


class OrganisationOIDCProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce and the strict adapter above."""

    oauth2_adapter_class = OrganisationOIDCAdapter
    # allauth finds a provider's URLs in its package; these are the OpenID Connect ones (the
    # callback among them is replaced in forum/urls.py by `callback` below).
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def extract_common_fields(self, data: dict) -> dict:
        fields = super().extract_common_fields(data)
        if not fields.get("name"):
            given = " ".join(filter(None, [fields.get("first_name"), fields.get("last_name")]))
            fields["name"] = given
        return fields


class OrganisationOIDCCallbackView(OAuth2CallbackView):
    """allauth's callback, with the state's nonce and process handed to the adapter."""

    def _get_state(self, request: HttpRequest, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
            self.adapter.process = state.get("process")
        return state, response


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    from allauth.socialaccount.models import SocialApp

    try:
        view = OrganisationOIDCCallbackView.adapter_view(
            OrganisationOIDCAdapter(request, provider_id)
        )
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def refusal_message(provider: Any, error: str | None, exception: Exception | None, state) -> str:
    name = getattr(provider, "name", "") or _("innloggingen")
    if isinstance(exception, SignInRefused):
        return exception.message
    if error == AuthError.CANCELLED:
        return _("Du avbrøt innloggingen hos %(provider)s.") % {"provider": name}
    if isinstance(exception, OAuth2Error) and str(exception).startswith("Error retrieving"):
        return _(
            "%(provider)s godtok ikke innloggingskoden (koden eller PKCE-kontrollen ble avvist). "
            "Ingenting er lagret; prøv igjen."
        ) % {"provider": name}
    if isinstance(exception, OAuth2Error):
        return _(
            "Svaret fra %(provider)s kunne ikke bekreftes (signatur, utsteder, mottaker eller "
            "utløpstid stemte ikke). Ingenting er lagret; prøv igjen."
        ) % {"provider": name}
    if isinstance(exception, RequestException):
        return _("Vi fikk ikke kontakt med %(provider)s. Prøv igjen om litt.") % {"provider": name}
    if exception is None and state is None:
        return _(
            "Innloggingen var utløpt eller hørte ikke til denne nettleseren (ukjent «state»). "
            "Ingenting er lagret; start innloggingen på nytt."
        )
    return _("Innloggingen hos %(provider)s mislyktes. Ingenting er lagret; prøv igjen.") % {
        "provider": name
    }


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        state = (extra_context or {}).get("state")
        cause = exception.__cause__ if exception is not None else None
        logger.warning(
            "Sign-in through %s refused: %r (%r)", getattr(provider, "id", "?"), exception, cause
        )
        messages.error(request, refusal_message(provider, error, exception, state))
        target = "socialaccount_connections" if request.user.is_authenticated else "account_login"
        raise ImmediateHttpResponse(redirect(target))

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        email = data.get("email") or ""
        user.display_name = (data.get("name") or email.split("@")[0] or "").strip()[:100]
        return user
