"""Who may do what with watches and notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from notifications.models import Notification


def can_watch(user: User | AnonymousUser) -> bool:
    """Any active member; what they may watch is decided by the visibility querysets."""
    return bool(user.is_authenticated and user.is_active)


def can_open_notification(user: User | AnonymousUser, notification: Notification) -> bool:
    return bool(user.is_authenticated and notification.recipient_id == user.pk)
