"""Who may do what with API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import has_verified_email, is_moderator
from api.models import Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from api.models import ApiToken, WebhookEndpoint


def can_create_api_token(user: User | AnonymousUser) -> bool:
    """A member with a confirmed e-mail address (suspended members are signed out anyway)."""
    return has_verified_email(user) and not user.is_suspended


def can_revoke_api_token(user: User | AnonymousUser, token: ApiToken) -> bool:
    return bool(user.is_authenticated and token.user_id == user.pk)


def can_grant_scope(user: User | AnonymousUser, scope: str) -> bool:
    """Moderating through the API is for moderators; the other scopes grant nothing by
    themselves: every write is still checked against what the member may do."""
    if scope == Scope.MODERATE:
        return is_moderator(user)
    return scope in Scope.values


def can_register_webhook(user: User | AnonymousUser) -> bool:
    """A verified member of an organisation (for the organisation) or a moderator, with a
    confirmed e-mail address: the notices about a failing endpoint go there."""
    if not has_verified_email(user) or user.is_suspended:
        return False
    return bool(user.organisation_is_verified or is_moderator(user))


def can_register_webhook_for(user: User | AnonymousUser, organisation) -> bool:
    """For an organisation: its verified members; for the moderators (None): moderators."""
    if not can_register_webhook(user):
        return False
    if organisation is None:
        return is_moderator(user)
    return bool(user.organisation_is_verified and user.organisation_id == organisation.pk)


def can_manage_webhook(user: User | AnonymousUser, endpoint: WebhookEndpoint) -> bool:
    """The organisation's verified members manage its endpoints; a moderator's own are theirs."""
    if not user.is_authenticated or not user.is_active:
        return False
    if endpoint.organisation_id is not None:
        return bool(
            user.organisation_is_verified and user.organisation_id == endpoint.organisation_id
        )
    # A moderators' endpoint is its registrant's (it sends only while they moderate).
    return endpoint.created_by_id == user.pk
