"""Adapters from allauth's signals to our actions; no logic lives here."""

from allauth.account.signals import email_changed, email_confirmed
from django.dispatch import receiver

from accounts import actions


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
