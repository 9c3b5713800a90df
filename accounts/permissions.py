"""Who may do what with members and organisations. Pure functions, used by views and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress

from accounts.models import MUNICIPAL_KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_moderator)


def has_verified_email(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
        user._has_verified_email = cached
    return cached


def can_post(user: User | AnonymousUser) -> bool:
    """Posting needs an active account with a verified e-mail address and no sanction."""
    return has_verified_email(user) and not is_sanctioned(user)


def is_sanctioned(user: User | AnonymousUser) -> bool:
    """Silenced (read-only for a while) or suspended by a moderator."""
    return bool(user.is_authenticated and (user.is_silenced or user.is_suspended))


def can_sanction_member(user: User | AnonymousUser, member: User) -> bool:
    """Moderators silence or suspend members, but not themselves or other moderators."""
    if not is_moderator(user) or user.pk == member.pk:
        return False
    return user.is_superuser or not member.is_moderator


def can_change_moderator_role(user: User | AnonymousUser, member: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def can_verify_member(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def can_edit_profile(user: User | AnonymousUser, member: User) -> bool:
    return bool(user.is_authenticated and user.pk == member.pk)


def is_verified_municipal(user: User | AnonymousUser) -> bool:
    """A member whose organisation is verified and is a municipality, county authority or
    inter-municipal IT unit: the people who may read the «kommuner» spaces."""
    if not user.is_authenticated or not user.is_active or not user.organisation_is_verified:
        return False
    return user.organisation.kind in MUNICIPAL_KINDS


def can_manage_groups(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def can_manage_tenants(user: User | AnonymousUser) -> bool:
    """Moderators record which Entra ID tenants belong to which organisation."""
    return is_moderator(user)


def needs_two_factor(user: User | AnonymousUser) -> bool:
    """Moderators and staff sign in with a second factor before their tools open."""
    return bool(user.is_authenticated and (user.is_staff or user.is_moderator))


def has_two_factor(user: User | AnonymousUser) -> bool:
    """An app code or a security key (recovery codes alone are no second factor)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_two_factor", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = (
            Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists()
        )
        user._has_two_factor = cached
    return cached
