"""Background work: who is told about a post, and the e-mails.

Each task re-checks, at the moment it runs, that the recipient may still read the topic
(notifications.visibility.may_read, built on Topic/Post.objects.visible_to).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation

from accounts.models import User
from directory.models import Sector
from notifications import digest, emails, unread
from notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Notification,
    NotificationPreference,
    Watch,
)
from notifications.visibility import may_read
from topics import bookmarks, muting
from topics.models import Bookmark, Post, Topic

logger = logging.getLogger(__name__)

DIGEST_PERIODS = {Delivery.DAILY: timedelta(days=1), Delivery.WEEKLY: timedelta(days=7)}
DIGEST_MAX_ITEMS = 50

# When one event gives a member several reasons, the most personal one is the notification.
_PRIORITY = [
    Notification.Kind.MENTION,
    Notification.Kind.ANSWER,
    Notification.Kind.REPLY,
    Notification.Kind.NEW_TOPIC,
]


def _deliver(*, reasons: dict[int, str], topic: Topic, post: Post, actor: User | None) -> int:
    """Write the notifications (re-checking each recipient) and queue immediate e-mails."""
    if actor is not None:
        reasons.pop(actor.pk, None)
    if not reasons:
        return 0
    preferences = {
        user_id: (delivery, mentions_when_muted)
        for user_id, delivery, mentions_when_muted in NotificationPreference.objects.filter(
            user_id__in=reasons
        ).values_list("user_id", "delivery", "mentions_when_muted")
    }
    deliveries = {user_id: delivery for user_id, (delivery, _m) in preferences.items()}
    # Those who muted the topic (its category, a sector, the author) hear nothing of it, but
    # an @mention, if they chose so (the default).
    for user_id in muting.muted_among(reasons, topic=topic, author_id=post.author_id):
        mentions_come_through = preferences.get(user_id, (None, True))[1]
        if not (reasons[user_id] == Notification.Kind.MENTION and mentions_come_through):
            del reasons[user_id]
    if not reasons:
        return 0
    written = 0
    for user in User.objects.filter(pk__in=reasons, is_active=True).order_by("pk"):
        delivery = deliveries.get(user.pk, DEFAULT_DELIVERY)
        if delivery == Delivery.NONE or not may_read(user, topic, post):
            continue
        notification, created = Notification.objects.get_or_create(
            recipient=user,
            post=post,
            kind=reasons[user.pk],
            defaults={"topic": topic, "actor": actor},
        )
        if created:
            written += 1
            unread.forget(user.pk)
            if delivery == Delivery.EMAIL:
                send_notification_email.enqueue(notification.pk)
    return written


def _merge(reasons: dict[int, str], user_ids: object, kind: str) -> None:
    for user_id in user_ids:
        current = reasons.get(user_id)
        if current is None or _PRIORITY.index(kind) < _PRIORITY.index(current):
            reasons[user_id] = kind


@task()
def notify_new_post(post_id: int, mentioned_ids: list[int]) -> int:
    post = Post.objects.select_related("topic", "author").filter(pk=post_id).first()
    if post is None:
        return 0
    topic = post.topic
    reasons: dict[int, str] = {}
    if post.is_first:
        sectors = Sector.objects.filter(tagged_topics__content_object=topic)
        watchers = Watch.objects.filter(
            Q(category_id=topic.category_id)
            | Q(sector__in=sectors)
            | Q(system__in=topic.systems.values("pk"))
        )
        _merge(reasons, watchers.values_list("user_id", flat=True), Notification.Kind.NEW_TOPIC)
    else:
        watchers = Watch.objects.filter(topic=topic)
        _merge(reasons, watchers.values_list("user_id", flat=True), Notification.Kind.REPLY)
    _merge(reasons, mentioned_ids, Notification.Kind.MENTION)
    return _deliver(reasons=reasons, topic=topic, post=post, actor=post.author)


@task()
def notify_mentions(post_id: int, mentioned_ids: list[int]) -> int:
    """Members newly mentioned when a post was edited."""
    post = Post.objects.select_related("topic", "author").filter(pk=post_id).first()
    if post is None:
        return 0
    reasons: dict[int, str] = {}
    _merge(reasons, mentioned_ids, Notification.Kind.MENTION)
    return _deliver(reasons=reasons, topic=post.topic, post=post, actor=post.author)


@task()
def notify_answer_accepted(post_id: int, by_id: int) -> int:
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    by = User.objects.filter(pk=by_id).first()
    if post is None or post.topic.solved_post_id != post.pk:
        return 0
    reasons = {post.author_id: Notification.Kind.ANSWER}
    return _deliver(reasons=reasons, topic=post.topic, post=post, actor=by)


def schedule_bookmark_reminder(bookmark_id: int, remind_at) -> None:
    """Queue the reminder to run at `remind_at` (the task itself checks that it is due: a
    backend that cannot wait, as the tests' immediate one, runs it at once, and it does
    nothing until then)."""
    reminder = send_bookmark_reminder
    if reminder.get_backend().supports_defer:
        reminder = reminder.using(run_after=remind_at)
    reminder.enqueue(bookmark_id)


@task()
def send_bookmark_reminder(bookmark_id: int) -> bool:
    """Tell the member of a bookmark whose reminder time has come, once."""
    bookmark = (
        Bookmark.objects.select_related("member", "topic", "post__topic")
        .filter(pk=bookmark_id)
        .first()
    )
    now = timezone.now()
    if bookmark is None or bookmark.remind_at is None or bookmark.reminded_at is not None:
        return False
    if bookmark.remind_at > now:  # moved later: the task queued for that time sends it
        return False
    user, topic, post = bookmark.member, bookmark.shown_topic, bookmark.post
    if not may_read(user, topic, post):
        return False
    with transaction.atomic():
        if not bookmarks.claim_reminder(bookmark, now=now):
            return False
        notification, _created = Notification.objects.update_or_create(
            recipient=user,
            post=post,
            topic=topic,
            kind=Notification.Kind.REMINDER,
            defaults={"actor": None, "created_at": now, "read_at": None, "emailed_at": None},
        )
        unread.forget(user.pk)
        preference = NotificationPreference.objects.filter(user=user).first()
        if (preference.delivery if preference else DEFAULT_DELIVERY) == Delivery.EMAIL:
            notification_id = notification.pk
            transaction.on_commit(lambda: send_notification_email.enqueue(notification_id))
    return True


@task()
def send_notification_email(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("recipient", "topic", "post", "actor")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at or notification.read_at:
        return False
    recipient = notification.recipient
    preference = NotificationPreference.objects.filter(user=recipient).first()
    if (preference.delivery if preference else DEFAULT_DELIVERY) != Delivery.EMAIL:
        return False
    if not may_read(recipient, notification.topic, notification.post):
        return False
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        # A failed send raises, the claim rolls back, and the worker may try again.
        emails.send_notification(notification)
    return True


@task()
def send_digests(period: str) -> int:
    """Fan out: one digest task per member who chose this period."""
    if period not in DIGEST_PERIODS:
        raise ValueError(f"Unknown digest period: {period!r}")
    user_ids = list(
        NotificationPreference.objects.filter(delivery=period, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    for user_id in user_ids:
        send_digest.enqueue(user_id, period)
    return len(user_ids)


@task()
def send_digest(user_id: int, period: str) -> int:
    preference = (
        NotificationPreference.objects.select_related("user").filter(user_id=user_id).first()
    )
    if preference is None or preference.delivery != period or not preference.user.is_active:
        return 0
    user = preference.user
    pending = list(
        Notification.objects.for_recipient(user)
        .unread()
        .filter(emailed_at__isnull=True)
        .for_display()[:DIGEST_MAX_ITEMS]
    )
    items = [n for n in pending if n.post is None or may_read(user, n.topic, n.post)]
    # What other apps add (conversations: those with new messages since the last digest).
    with translation.override(settings.LANGUAGE_CODE):
        lines = digest.lines_for(user, since=preference.last_digest_at)
    now = timezone.now()
    with transaction.atomic():
        NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
        if not items and not lines:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
        emails.send_digest(user, items, period=period, lines=lines)
    return len(items) + len(lines)
