"""Read tracking: how far each member has read each topic."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum import page_cache
from topics import signals
from topics.models import Topic, TopicReadState


@transaction.atomic
def mark_read(*, user: User, topic: Topic, position: int, first_time: bool | None = None) -> None:
    """Remember that the member has seen the topic up to `position` (never moves backwards).

    `first_time`, when the caller knows it (the topic page does), saves the query that would
    find out whether to insert or update.
    """
    if not user.is_authenticated:
        return
    page_cache.changed()  # a member's own mark: no signed-out page shows it
    now = timezone.now()
    updated = 0
    if not first_time:
        updated = TopicReadState.objects.filter(
            user=user, topic=topic, position__lt=position
        ).update(position=position, updated_at=now)
    if not updated and first_time is not False:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, position=position, updated_at=now)],
            ignore_conflicts=True,
        )
    signals.topic_read.send(sender=Topic, user=user, topic=topic, position=position)
