"""Muting: a member no longer sees a topic, category, sector or member's topics in their lists,
and is not notified about them (unless @mentioned, by their choice in notifications)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from forum import page_cache
from topics import permissions
from topics.models import Mute


def mute(*, member, **target: object) -> Mute:
    """`mute(member=m, category=c)`: one of topic, category, sector or muted_member."""
    (field, value), *rest = target.items()
    if rest or field not in Mute.TARGETS or value is None:
        raise ValueError("Mute exactly one of topic, category, sector or muted_member.")
    if not permissions.can_mute(member, value if field == "muted_member" else None):
        raise PermissionDenied(_("Du kan ikke dempe dette."))
    page_cache.changed()  # only the member's own lists change; those are never shared
    with transaction.atomic():
        found, _created = Mute.objects.get_or_create(member=member, **{field: value})
    return found


def unmute(*, member, **target: object) -> bool:
    (field, value), *rest = target.items()
    if rest or field not in Mute.TARGETS:
        raise ValueError("Unmute exactly one of topic, category, sector or muted_member.")
    page_cache.changed()
    deleted, _details = Mute.objects.filter(member=member, **{field: value}).delete()
    return bool(deleted)


def muted_among(user_ids, *, topic, author_id: int | None) -> set[int]:
    """Which of `user_ids` muted `topic`, its category or sectors, or the author: one query."""
    return set(
        Mute.objects.affecting(topic, author_id=author_id)
        .filter(member_id__in=list(user_ids))
        .values_list("member_id", flat=True)
    )
