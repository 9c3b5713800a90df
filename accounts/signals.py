"""Adapters from allauth's signals to our actions; no logic lives here."""

from allauth.account.signals import email_changed, email_confirmed, user_signed_up
from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.contrib import messages
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts import actions, sso


@receiver(email_confirmed)
def verify_organisation_on_confirmation(sender, request, email_address, **kwargs) -> None:
    if email_address.primary or email_address.email == email_address.user.email:
        actions.refresh_domain_verification(user=email_address.user, email=email_address.email)


@receiver(email_changed)
def verify_organisation_on_change(
    sender, request, user, from_email_address, to_email_address, **kwargs
) -> None:
    if to_email_address.verified:
        actions.refresh_domain_verification(user=user, email=to_email_address.email)


@receiver(user_signed_up)
def verify_organisation_on_sso_signup(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is not None:
        _verify_from_sign_in(request, sociallogin)


@receiver(social_account_added)
@receiver(social_account_updated)
def verify_organisation_on_sso_sign_in(sender, request, sociallogin, **kwargs) -> None:
    if sociallogin.user is not None and sociallogin.user.pk is not None:
        _verify_from_sign_in(request, sociallogin)


def _verify_from_sign_in(request, sociallogin) -> None:
    provider = sociallogin.provider
    claim = sso.organisation_claim(
        provider.app.settings, sociallogin.account.extra_data["id_token"]
    )
    organisation = claim.organisation()
    outcome = actions.refresh_sso_verification(
        user=sociallogin.user, through=provider.app.provider_id, organisation=organisation
    )
    if request is None:
        return
    if outcome == actions.SsoOutcome.VERIFIED:
        messages.success(
            request,
            _("Du er verifisert som medlem av %(organisation)s gjennom %(provider)s.")
            % {"organisation": organisation.name, "provider": provider.name},
        )
        return
    if outcome == actions.SsoOutcome.WITHDRAWN:
        messages.warning(
            request,
            _(
                "Innloggingen fra %(provider)s sier ikke lenger at du hører til organisasjonen "
                "din, så verifiseringen er trukket tilbake. Det som bare verifiserte medlemmer "
                "ser, er stengt for deg til du er verifisert igjen."
            )
            % {"provider": provider.name},
        )
    if claim.kind == "tenant" and claim.value:
        messages.info(
            request,
            _(
                "Du er logget inn, men organisasjonen din i Microsoft (tenant %(tenant)s) er ikke "
                "kjent for Reformforum ennå, så du er ikke verifisert. Be en moderator legge "
                "tenanten til organisasjonen din."
            )
            % {"tenant": claim.value},
        )
    elif claim.kind == "org_number" and claim.value:
        messages.info(
            request,
            _(
                "Du er logget inn, men organisasjonsnummeret %(number)s er ikke kjent for "
                "Reformforum, så du er ikke verifisert."
            )
            % {"number": claim.value},
        )
