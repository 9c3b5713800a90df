"""Who may change the system directory. Pure functions, used by views, actions and templates.

Reading the directory needs no permission: everyone, signed out too, can read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Organisation
from accounts.permissions import can_post, is_moderator, may_share_member_pages

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


# ---- Pages that members share (forum/member_cache.py) --------------------------------------
# A reader key says what a member's page depends on but for their own parts (the header's
# account part and the watch button are holes); members with the same key get the same
# stored page. Moderators (who may edit and approve) never share pages.


def county_matrix_reader_key(user: AnyUser, **_view_kwargs: object) -> str | None:
    """The county matrix is the same for every member (but for the header)."""
    return "directory" if may_share_member_pages(user) else None


def merger_reader_key(user: AnyUser, slug: str, **_view_kwargs: object) -> str | None:
    """A merger's page offers «Registrer et valg» to those who speak for the municipality."""
    if not may_share_member_pages(user):
        return None
    own = user.organisation
    return (
        f"directory;edits={own is not None and own.slug == slug and can_edit_usages(user, own):d}"
    )


def system_page_reader_key(user: AnyUser, **_view_kwargs: object) -> str | None:
    """A system's page lists the topics about it that the member may read (so it depends on
    what a topic list does), and a system not yet approved shows only to its vendor's
    verified staff: pages are shared within one verified organisation, or among members
    with none."""
    from topics.permissions import topic_list_reader_key

    lists = topic_list_reader_key(user)
    return None if lists is None else f"{lists};{systems_reader_key(user)}"


def systems_reader_key(user: AnyUser) -> str:
    """Which systems a member sees (`System.objects.visible_to`): the approved ones, and
    those their verified organisation proposed."""
    return f"organisation={user.organisation_id if user.organisation_is_verified else 0}"
