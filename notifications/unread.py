"""The header's unread counts, cached per member, and the version of their notifications.

The notification count is a query over the member's notifications joined with what they may
read, and the header shows it on every page. Other apps add a count of their own to the
header (`register_count`: conversations adds the unread conversations); all of them are
counted in one query on a miss and kept as one cache entry, so a member's page pays one
query for the header whatever shows in it (issue 8: no page runs more than 12). It is kept in the cache together with the version of
`site` (`forum.page_cache`), which every write that can change what a member may read
moves on (visibility, groups, hidden or moved topics), so those make the count stale too. A new notification and marking notifications read do not move it, so
they drop the member's count themselves (`forget`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Func, Subquery

from forum import page_cache

TIMEOUT = 600
VERSION_TIMEOUT = 24 * 3600


def _key(user_id: int) -> str:
    return f"unread-notifications:{user_id}"


# name -> the member's unread things of another app (a QuerySet), for the header's counts.
_COUNTED: dict[str, Callable[[object], models.QuerySet]] = {}


def register_count(name: str, unread_for: Callable[[object], models.QuerySet]) -> None:
    """Count `unread_for(member)` in the header's query (an app's `ready()` calls this)."""
    _COUNTED[name] = unread_for


def _number_of(queryset: models.QuerySet) -> Subquery:
    """`SELECT COUNT(*)` of the rows of `queryset`, as a subquery (joins may repeat a row,
    so the rows are taken by key)."""
    rows = queryset.model._base_manager.filter(pk__in=queryset.values("pk")).order_by()
    number = Func(F("pk"), function="COUNT", output_field=models.IntegerField())
    return Subquery(rows.annotate(number=number).values("number"))


def counts(user) -> dict[str, int]:
    """`{"notifications": n, <each registered name>: n}` for the member: from the cache, or
    one query."""
    from accounts.models import User
    from notifications.models import Notification

    key = _key(user.pk)
    current = page_cache.version(page_cache.SITE)
    stored = cache.get(key)
    if (
        stored is not None
        and stored[0] == current
        and set(stored[1]) == {*_COUNTED, "notifications"}
    ):
        return stored[1]
    counted = {
        "notifications": Notification.objects.for_recipient(user).unread(),
        **{name: unread_for(user) for name, unread_for in _COUNTED.items()},
    }
    row = (
        User._base_manager.filter(pk=user.pk)
        .annotate(**{f"n_{name}": _number_of(queryset) for name, queryset in counted.items()})
        .values(*(f"n_{name}" for name in counted))
        .first()
    ) or {}
    value = {name: row.get(f"n_{name}") or 0 for name in counted}
    cache.set(key, (current, value), TIMEOUT)
    return value


def count(user) -> int:
    return counts(user)["notifications"]


def _drop(keys: list[str]) -> None:
    """Now and again once the current transaction commits (a request that counted in
    between, before the commit, cached the old figure)."""
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_counts(user_ids: Iterable[int]) -> None:
    """Drop these members' cached header counts."""
    _drop([_key(pk) for pk in user_ids])


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
    """Drop the member's cached counts and the version of their notifications."""
    _drop([_key(user_id), _version_key(user_id)])
