"""The header's unread count, cached per member, and the version of their notifications.

The count is a query over the member's notifications joined with what they may read, and
the header shows it on every page. It is kept in the cache together with the version of
`site` (`forum.page_cache`), which every write that can change what a member may read
moves on (visibility, groups, hidden or moved topics), so those make the count stale too. A new notification and marking notifications read do not move it, so
they drop the member's count themselves (`forget`).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from forum import page_cache

TIMEOUT = 600
VERSION_TIMEOUT = 24 * 3600


def _key(user_id: int) -> str:
    return f"unread-notifications:{user_id}"


def count(user) -> int:
    from notifications.models import Notification

    key = _key(user.pk)
    current = page_cache.version(page_cache.SITE)
    stored = cache.get(key)
    if stored is not None and stored[0] == current:
        return stored[1]
    value = Notification.objects.for_recipient(user).unread().count()
    cache.set(key, (current, value), TIMEOUT)
    return value


def _version_key(user_id: int) -> str:
    return f"notifications-version:{user_id}"


def version(user) -> int:
    """A mark that changes whenever the member's notifications do (a new one, one read):
    their notifications page is stored under it (notifications.permissions)."""
    key = _version_key(user.pk)
    found = cache.get(key)
    if found is None:
        cache.add(key, time.time_ns(), VERSION_TIMEOUT)
        found = cache.get(key)
    return found


def forget(user_id: int) -> None:
    """Drop the member's cached count and version now and again once the current
    transaction commits (a request that counted in between, before the commit, cached the
    old figure)."""
    keys = [_key(user_id), _version_key(user_id)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
