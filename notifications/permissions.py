"""Who may do what with watches and notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import may_share_member_pages
from notifications import unread

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from notifications.models import Notification


def can_watch(user: User | AnonymousUser) -> bool:
    """Any active member; what they may watch is decided by the visibility querysets."""
    return bool(user.is_authenticated and user.is_active)


def can_open_notification(user: User | AnonymousUser, notification: Notification) -> bool:
    return bool(user.is_authenticated and notification.recipient_id == user.pk)


def notifications_page_reader_key(user: User | AnonymousUser, **_view_kwargs: object) -> str | None:
    """A member's notifications page is their own: it is stored for them alone
    (forum/member_cache.py), under the version of their notifications, which a new
    notification and reading one change (notifications.unread); a write that changes what
    they may read makes it stale like every stored page."""
    if not may_share_member_pages(user):
        return None
    return f"member={user.pk};notifications={unread.version(user)}"
