"""«Nyttig»: a member marks a post as useful; the post keeps an exact count."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from topics import permissions
from topics.actions import changed_topic
from topics.models import Post, UsefulMark


@transaction.atomic
def set_useful(*, post: Post, user: User, useful: bool) -> bool:
    """Mark or unmark a post as useful. Returns whether anything changed.

    The unique constraint decides a race between two clicks; the counter moves with F()
    only when a mark was really added or removed, so it stays exact.
    """
    if not permissions.can_mark_useful(user, post):
        raise PermissionDenied(_("Du kan ikke markere dette innlegget som nyttig."))
    changed_topic(post.topic_id)
    if useful:
        try:
            with transaction.atomic():
                UsefulMark.objects.create(post=post, user=user)
        except IntegrityError:
            return False
        Post.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
        return True
    deleted, _rows = UsefulMark.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, useful_count__gt=0).update(
            useful_count=F("useful_count") - 1
        )
    return bool(deleted)
