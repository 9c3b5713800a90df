"""Bookmarks: a member keeps a topic or a post, with a note and perhaps a reminder.

The reminder is sent by notifications (it listens to `signals.bookmark_reminder_set`), so
this module does not know how a member is told.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import page_cache
from topics import permissions, signals
from topics.models import Bookmark, Post, Topic


def validate_reminder(remind_at: datetime | None) -> None:
    if remind_at is not None and remind_at <= timezone.now():
        raise ValidationError(
            {"remind_at": _("Påminnelsen må være fram i tid.")}, code="reminder_in_the_past"
        )


def bookmark(*, member, topic: Topic | None = None, post: Post | None = None) -> Bookmark:
    """Bookmark a topic or a post the member may read (fetched through visible_to); a second
    bookmark of the same thing is the first one."""
    if (topic is None) == (post is None):
        raise ValueError("Bookmark exactly one of a topic or a post.")
    if not permissions.can_bookmark(member):
        raise PermissionDenied(_("Logg inn for å bokmerke."))
    page_cache.changed()  # a member's own: no public page shows it
    with transaction.atomic():
        found, _created = Bookmark.objects.get_or_create(member=member, topic=topic, post=post)
    return found


def update_bookmark(*, bookmark: Bookmark, note: str, remind_at: datetime | None) -> Bookmark:
    """A new note and reminder time. A reminder moved to another time is sent again then; one
    left as it was (the form shows it to the minute) may be in the past by now."""
    moved = not _same_minute(remind_at, bookmark.remind_at)
    if moved:
        validate_reminder(remind_at)
    else:
        remind_at = bookmark.remind_at
    page_cache.changed()
    if len(note) > 500:
        raise ValidationError({"note": _("Notatet kan ha høyst 500 tegn.")}, code="too_long")
    with transaction.atomic():
        bookmark.note = note
        bookmark.remind_at = remind_at
        if moved:
            bookmark.reminded_at = None
        bookmark.save(update_fields=["note", "remind_at", "reminded_at"])
        if moved and remind_at is not None:
            signals.bookmark_reminder_set.send(sender=Bookmark, bookmark=bookmark)
    return bookmark


def _same_minute(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def remove_bookmark(*, member, pk: int) -> bool:
    page_cache.changed()
    deleted, _details = Bookmark.objects.filter(member=member, pk=pk).delete()
    return bool(deleted)


def claim_reminder(bookmark: Bookmark, *, now: datetime | None = None) -> bool:
    """Mark a due reminder as sent, once: True for the one caller that may send it."""
    now = now or timezone.now()
    return bool(
        Bookmark.objects.filter(
            pk=bookmark.pk, remind_at=bookmark.remind_at, remind_at__lte=now, reminded_at=None
        ).update(reminded_at=now)
    )
