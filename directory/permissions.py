"""Who may change the system directory. Pure functions, used by views, actions and templates.

Reading the directory needs no permission: everyone, signed out too, can read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Organisation
from accounts.permissions import can_post, is_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from directory.models import System, Usage

    AnyUser = User | AnonymousUser


def _speaks_for(user: AnyUser, organisation: Organisation) -> bool:
    """A verified member of the organisation, with an account that may post."""
    return bool(
        can_post(user) and user.organisation_is_verified and user.organisation_id == organisation.pk
    )


def can_edit_usages(user: AnyUser, organisation: Organisation) -> bool:
    """Add, change, confirm or delete the organisation's usages."""
    return is_moderator(user) or _speaks_for(user, organisation)


def can_edit_usage(user: AnyUser, usage: Usage) -> bool:
    return can_edit_usages(user, usage.organisation)


def can_propose_system(user: AnyUser, vendor: Organisation | None = None) -> bool:
    """Moderators add systems; a vendor's verified staff propose their own vendor's systems."""
    if is_moderator(user):
        return True
    if vendor is None:
        vendor = getattr(user, "organisation", None) if user.is_authenticated else None
    return bool(
        vendor is not None
        and vendor.kind == Organisation.Kind.LEVERANDOR
        and _speaks_for(user, vendor)
    )


def can_approve_system(user: AnyUser, system: System | None = None) -> bool:
    return is_moderator(user)


def can_edit_system(user: AnyUser, system: System) -> bool:
    return is_moderator(user)


def can_import_usages(user: AnyUser) -> bool:
    return is_moderator(user)
