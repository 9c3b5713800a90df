"""Sign-in with the organisation over OpenID Connect, against a real provider on loopback
(tests/oidc_server.py): discovery, authorisation code with PKCE, the token, the claims, and
what the forum makes of them. The browser walk of the same flow is in test_browser_sso.py."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages import get_messages

from accounts import actions
from accounts.models import OrganisationTenant, User
from tests import factories
from tests.oidc_server import OidcProvider, running_provider

DRAMMEN_TENANT = "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21"
OTHER_TENANT = "7d2e9f10-1a2b-4c3d-9e8f-112233445566"


@pytest.fixture(scope="module")
def provider() -> OidcProvider:
    with running_provider() as running:
        yield running


@pytest.fixture
def sso_settings(settings, provider, db):
    apps = [
        provider.app_config("entra", "Microsoft", organisation_from="tenant"),
        provider.app_config(
            "idporten", "ID-porten", organisation_from="org_number", org_number_claim="orgno"
        ),
    ]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "provider_class": "accounts.sso.OrganisationOIDCProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": apps,
        }
    }
    provider.guard.resign_id_token_with_foreign_key = False
    return settings


@pytest.fixture
def drammen(kommune):
    kommune.org_number = "939214895"
    kommune.save(update_fields=["org_number"])
    OrganisationTenant.objects.create(organisation=kommune, tenant_id=DRAMMEN_TENANT)
    return kommune


def _start(client, provider_id: str, process: str = "login") -> str:
    response = client.post(f"/konto/oidc/{provider_id}/login/?process={process}")
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _authorise(url: str, sub: str) -> str:
    """What the member's click on the provider's page does: the provider answers with a
    redirect to the forum's callback, carrying the code and the state."""
    response = requests.post(url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def _callback(client, location: str):
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, provider: OidcProvider, provider_id: str, sub: str, **claims: object):
    provider.set_user(sub, **claims)
    return _callback(client, _authorise(_start(client, provider_id), sub))


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _refused(response) -> str:
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/"
    return _messages(response)


def entra_claims(tenant: str = DRAMMEN_TENANT, email: str = "per@drammen.kommune.no") -> dict:
    return {"email": email, "email_verified": True, "name": "Per Hansen", "tid": tenant}


# --- The flow ----------------------------------------------------------------------------


def test_entra_sign_in_through_a_known_tenant_creates_a_verified_member(
    client, sso_settings, provider, drammen
):
    response = sign_in(client, provider, "entra", "entra-per", **entra_claims())
    assert response.status_code == 302
    member = User.objects.get(email="per@drammen.kommune.no")
    assert member.display_name == "Per Hansen"
    assert member.organisation == drammen
    assert member.organisation_verification == User.Verification.SSO
    assert member.organisation_verified_through == "entra"
    assert EmailAddress.objects.filter(user=member, verified=True).exists()
    assert SocialAccount.objects.get(user=member).uid == "entra-per"
    assert "verifisert som medlem av Drammen" in _messages(response)
    assert client.get("/").wsgi_request.user == member
    # Discovery, then the authorisation code with PKCE (S256) and a nonce.
    request = provider.log.authorisation_requests[-1]
    assert provider.log.discovery_requests > 0
    assert request["code_challenge_method"] == "S256" and len(request["nonce"]) == 32
    assert "code_verifier" in provider.log.token_requests[-1]


def test_entra_sign_in_through_an_unknown_tenant_signs_in_unverified(
    client, sso_settings, provider, drammen
):
    response = sign_in(
        client, provider, "entra", "entra-eva", **entra_claims(OTHER_TENANT, "eva@example.org")
    )
    member = User.objects.get(email="eva@example.org")
    assert member.organisation is None
    assert member.organisation_verification == User.Verification.NONE
    assert f"tenant {OTHER_TENANT}" in _messages(response)
    assert "ikke verifisert" in _messages(response)
    assert client.get("/").wsgi_request.user == member


def test_idporten_org_number_verifies_the_member_for_that_organisation(
    client, sso_settings, provider, drammen
):
    sign_in(
        client,
        provider,
        "idporten",
        "pid-1",
        email="siri@example.org",
        email_verified=True,
        name="Siri",
        orgno="939214895",
    )
    member = User.objects.get(email="siri@example.org")
    assert (member.organisation, member.organisation_verification) == (
        drammen,
        User.Verification.SSO,
    )


def test_ansattporten_reportees_name_the_organisation(client, sso_settings, provider, drammen):
    details = [{"type": "ansattporten:altinn:service", "reportees": [{"ID": "0192:939214895"}]}]
    sign_in(
        client,
        provider,
        "idporten",
        "pid-2",
        email="tor@example.org",
        email_verified=True,
        authorization_details=details,
    )
    assert User.objects.get(email="tor@example.org").organisation == drammen


def test_withdrawal_a_later_sign_in_through_another_tenant_closes_municipal_spaces(
    client, sso_settings, provider, drammen, closed_topic
):
    sign_in(client, provider, "entra", "entra-lise", **entra_claims(email="lise@example.org"))
    member = User.objects.get(email="lise@example.org")
    assert client.get(closed_topic.get_absolute_url()).status_code == 200
    client.logout()
    response = sign_in(
        client,
        provider,
        "entra",
        "entra-lise",
        **entra_claims(OTHER_TENANT, email="lise@example.org"),
    )
    member.refresh_from_db()
    assert member.organisation_verification == User.Verification.NONE
    assert "trukket tilbake" in _messages(response)
    assert client.get(closed_topic.get_absolute_url()).status_code == 404


def test_a_sign_in_elsewhere_does_not_take_a_moderators_verification(
    client, sso_settings, provider, drammen, moderator
):
    outcome = actions.refresh_sso_verification(user=moderator, through="entra", organisation=None)
    assert outcome == actions.SsoOutcome.UNKNOWN
    moderator.refresh_from_db()
    assert moderator.organisation_verification == User.Verification.DOMAIN


def test_an_email_with_an_account_is_never_taken_over(
    client, sso_settings, provider, drammen, municipal_member, mailoutbox
):
    response = sign_in(
        client, provider, "entra", "entra-kari", **entra_claims(email=municipal_member.email)
    )
    # allauth neither signs the stranger in to Kari's account nor says that it exists (no
    # account enumeration): it answers as if it had sent a confirmation, and tells Kari by
    # e-mail; she links the identity from her profile after signing in.
    assert response.status_code == 302 and response["Location"] == "/konto/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email=municipal_member.email).count() == 1
    assert [m.to for m in mailoutbox] == [[municipal_member.email]]


def test_a_password_member_links_the_identity_from_the_profile(
    client, sso_settings, provider, drammen
):
    member = factories.member(email="kjell@example.org")
    client.force_login(member)
    assert "Koble til Microsoft" in client.get("/konto/3rdparty/").content.decode()
    provider.set_user("entra-kjell", **entra_claims(email="kjell.annen@drammen.kommune.no"))
    response = _callback(client, _authorise(_start(client, "entra", "connect"), "entra-kjell"))
    assert response.status_code == 302
    assert SocialAccount.objects.get(uid="entra-kjell").user == member
    member.refresh_from_db()
    assert member.email == "kjell@example.org"  # the provider's address is not taken over
    assert (member.organisation, member.organisation_verification) == (
        drammen,
        User.Verification.SSO,
    )
    page = client.get("/konto/3rdparty/").content.decode()
    assert "Microsoft" in page and "Koble fra" in page


# --- Bad input: a clear message on the sign-in page, nothing stored, never a 500 ----------


def _nothing_stored():
    assert not SocialAccount.objects.exists()
    assert not User.objects.filter(email__endswith="@angrep.example").exists()


def test_a_forged_state_is_refused(client, sso_settings, provider, drammen):
    provider.set_user("x1", **entra_claims(email="a@angrep.example"))
    location = _with_params(_authorise(_start(client, "entra"), "x1"), state="forfalsket")
    assert "ukjent «state»" in _refused(_callback(client, location))
    _nothing_stored()


def test_an_expired_state_is_refused(client, sso_settings, provider, drammen, monkeypatch):
    from allauth.socialaccount.internal import statekit

    provider.set_user("x2", **entra_claims(email="b@angrep.example"))
    location = _authorise(_start(client, "entra"), "x2")
    monkeypatch.setattr(statekit, "STATE_TTL", -1)
    assert "utløpt" in _refused(_callback(client, location))
    _nothing_stored()


def test_a_wrong_nonce_is_refused(client, sso_settings, provider, drammen):
    provider.set_user("x3", **entra_claims(email="c@angrep.example"))
    url = _with_params(_start(client, "entra"), nonce="en-annen-engangskode")
    assert "feil engangskode" in _refused(_callback(client, _authorise(url, "x3")))
    _nothing_stored()


def test_an_id_token_signed_with_another_key_is_refused(client, sso_settings, provider, drammen):
    provider.set_user("x4", **entra_claims(email="d@angrep.example"))
    provider.guard.resign_id_token_with_foreign_key = True
    response = _callback(client, _authorise(_start(client, "entra"), "x4"))
    assert "kunne ikke bekreftes" in _refused(response)
    _nothing_stored()


def test_a_token_request_without_the_right_pkce_verifier_is_refused(
    client, sso_settings, provider, drammen
):
    provider.set_user("x5", **entra_claims(email="e@angrep.example"))
    before = provider.log.pkce_failures
    url = _with_params(_start(client, "entra"), code_challenge="A" * 43)
    response = _callback(client, _authorise(url, "x5"))
    assert provider.log.pkce_failures == before + 1
    assert "PKCE-kontrollen ble avvist" in _refused(response)
    _nothing_stored()


def test_claims_without_an_email_are_refused(client, sso_settings, provider, drammen):
    response = sign_in(client, provider, "idporten", "x6", name="Uten E-post", orgno="939214895")
    assert "ingen e-postadresse" in _refused(response)
    _nothing_stored()


def test_an_org_number_failing_the_check_is_refused(client, sso_settings, provider, drammen):
    response = sign_in(
        client,
        provider,
        "idporten",
        "x7",
        email="f@angrep.example",
        email_verified=True,
        orgno="939214894",
    )
    assert "«939214894», som ikke er gyldig" in _refused(response)
    _nothing_stored()


def test_a_tenant_id_that_is_not_a_uuid_is_refused(client, sso_settings, provider, drammen):
    response = sign_in(
        client, provider, "entra", "x8", **entra_claims("ikke-en-uuid", "g@angrep.example")
    )
    assert "ikke er en gyldig UUID" in _refused(response)
    _nothing_stored()


def test_a_provider_error_or_cancel_is_a_message_on_the_sign_in_page(
    client, sso_settings, provider
):
    location = _start(client, "entra")
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get(f"/konto/oidc/entra/login/callback/?error=access_denied&state={state}")
    assert "avbrøt" in _refused(response)


def test_an_unknown_provider_is_a_404(client, sso_settings):
    assert client.get("/konto/oidc/finnes-ikke/login/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_both_providers_when_configured(client, sso_settings):
    page = client.get("/konto/login/").content.decode()
    assert "Logg inn med Microsoft" in page and "Logg inn med ID-porten" in page


def test_the_sign_in_page_offers_none_when_none_is_configured(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert "Logg inn med" not in client.get("/konto/login/").content.decode()


# --- Moderators record tenants -----------------------------------------------------------


def test_a_moderator_adds_a_tenant_to_an_organisation(client, moderator, kommune):
    client.force_login(moderator)
    url = kommune.get_absolute_url()
    response = client.post(f"{url}tenanter/", {"tenant_id": DRAMMEN_TENANT.upper()})
    assert response.status_code == 302
    assert kommune.tenants.get().tenant_id == uuid.UUID(DRAMMEN_TENANT)
    assert DRAMMEN_TENANT in client.get(url).content.decode()


def test_a_tenant_that_is_not_a_uuid_is_an_error_by_the_field(client, moderator, kommune):
    client.force_login(moderator)
    response = client.post(
        f"{kommune.get_absolute_url()}tenanter/", {"tenant_id": "drammen-tenant"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "UUID" in page and 'value="drammen-tenant"' in page
    assert not OrganisationTenant.objects.exists()


def test_a_tenant_cannot_belong_to_two_organisations(client, moderator, kommune, vendor_org):
    OrganisationTenant.objects.create(organisation=vendor_org, tenant_id=DRAMMEN_TENANT)
    client.force_login(moderator)
    response = client.post(f"{kommune.get_absolute_url()}tenanter/", {"tenant_id": DRAMMEN_TENANT})
    assert response.status_code == 400
    assert "hører allerede til" in response.content.decode()


def test_members_cannot_add_tenants(client, municipal_member, kommune):
    client.force_login(municipal_member)
    response = client.post(f"{kommune.get_absolute_url()}tenanter/", {"tenant_id": DRAMMEN_TENANT})
    assert response.status_code in (403, 404, 405)
    assert not OrganisationTenant.objects.exists()
    assert "tenant_id" not in client.get(kommune.get_absolute_url()).content.decode()
