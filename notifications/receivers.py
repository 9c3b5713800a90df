"""Notifications listens to topics (topics does not know about notifications)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from notifications import actions, tasks
from topics import signals


@receiver(signals.post_published, dispatch_uid="notifications_post_published")
def post_published(sender: object, *, post, mentioned_ids: list[int], **kwargs: object) -> None:
    actions.watch_automatically(user=post.author, topic=post.topic)
    post_id, mentioned = post.pk, list(mentioned_ids)
    transaction.on_commit(lambda: tasks.notify_new_post.enqueue(post_id, mentioned))


@receiver(signals.post_edited, dispatch_uid="notifications_post_edited")
def post_edited(sender: object, *, post, mentioned_ids: list[int], **kwargs: object) -> None:
    if mentioned_ids:
        post_id, mentioned = post.pk, list(mentioned_ids)
        transaction.on_commit(lambda: tasks.notify_mentions.enqueue(post_id, mentioned))


@receiver(signals.answer_accepted, dispatch_uid="notifications_answer_accepted")
def answer_accepted(sender: object, *, topic, post, by, **kwargs: object) -> None:
    post_id, by_id = post.pk, by.pk
    transaction.on_commit(lambda: tasks.notify_answer_accepted.enqueue(post_id, by_id))


@receiver(signals.topic_read, dispatch_uid="notifications_topic_read")
def topic_read(sender: object, *, user, topic, position: int, **kwargs: object) -> None:
    actions.mark_read_in_topic(user=user, topic=topic, position=position)


@receiver(signals.bookmark_reminder_set, dispatch_uid="notifications_bookmark_reminder_set")
def bookmark_reminder_set(sender: object, *, bookmark, **kwargs: object) -> None:
    bookmark_id, remind_at = bookmark.pk, bookmark.remind_at
    transaction.on_commit(lambda: tasks.schedule_bookmark_reminder(bookmark_id, remind_at))
