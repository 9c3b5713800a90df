"""Everything that changes watches, notifications and a member's delivery choice.

None of it shows on a page for signed-out visitors: each write says so (`page_cache.changed()`
with no tags), so no stored public page goes stale for it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from directory.models import Sector, System
from forum import page_cache
from notifications import permissions, unread
from notifications.models import Delivery, Notification, NotificationPreference, Watch
from notifications.tokens import Unsubscribe
from topics.models import Category, Topic


def _target(
    topic: Topic | None,
    category: Category | None,
    sector: Sector | None,
    system: System | None = None,
) -> dict[str, object]:
    targets = {"topic": topic, "category": category, "sector": sector, "system": system}
    given = {k: v for k, v in targets.items() if v is not None}
    if len(given) != 1:
        raise ValueError("Watch exactly one topic, category, sector or system.")
    return given


def _check_visible(user: User, target: dict[str, object]) -> None:
    if not permissions.can_watch(user):
        raise PermissionDenied
    if (
        "topic" in target
        and not Topic.objects.visible_to(user).filter(pk=target["topic"].pk).exists()
    ):
        raise PermissionDenied
    if "category" in target and not (
        Category.objects.visible_to(user).filter(pk=target["category"].pk).exists()
    ):
        raise PermissionDenied
    if "system" in target and not (
        System.objects.visible_to(user).filter(pk=target["system"].pk).exists()
    ):
        raise PermissionDenied


@transaction.atomic
def watch(
    *,
    user: User,
    topic: Topic | None = None,
    category: Category | None = None,
    sector: Sector | None = None,
    system: System | None = None,
) -> Watch:
    page_cache.changed()
    target = _target(topic, category, sector, system)
    _check_visible(user, target)
    found, _created = Watch.objects.get_or_create(user=user, **target)
    return found


@transaction.atomic
def unwatch(
    *,
    user: User,
    topic: Topic | None = None,
    category: Category | None = None,
    sector: Sector | None = None,
    system: System | None = None,
) -> bool:
    page_cache.changed()
    target = _target(topic, category, sector, system)
    deleted, _rows = Watch.objects.filter(user=user, **target).delete()
    return bool(deleted)


def watch_automatically(*, user: User, topic: Topic) -> None:
    """Members follow the topics they start or reply to. Runs inside the posting action."""
    Watch.objects.get_or_create(user=user, topic=topic)


@transaction.atomic
def set_delivery(
    *, user: User, delivery: str, mentions_when_muted: bool | None = None
) -> NotificationPreference:
    page_cache.changed()
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Velg hvordan du vil bli varslet.")})
    chosen = {"delivery": delivery}
    if mentions_when_muted is not None:
        chosen["mentions_when_muted"] = mentions_when_muted
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults=chosen
    )
    return preference


def mark_read_in_topic(*, user: User, topic: Topic, position: int) -> int:
    """The member has read `topic` up to `position`: its notifications about those posts
    (and about the topic itself) are read. Runs inside the read-marking action."""
    page_cache.changed()
    updated = (
        Notification.objects.filter(recipient=user, topic=topic, read_at__isnull=True)
        .filter(Q(post__isnull=True) | Q(post__position__lte=position))
        .update(read_at=timezone.now())
    )
    if updated:
        unread.forget(user.pk)
    return updated


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    page_cache.changed()
    unread.forget(user.pk)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def unsubscribe(*, request: Unsubscribe, everything: bool) -> str:
    """Act on a verified unsubscribe token. Returns what was done: "topic" or "email".

    Without sign-in, so it reveals nothing: it never says which topic the token named.
    """
    page_cache.changed()
    user = User.objects.filter(pk=request.user_id, is_active=True).first()
    if user is None:
        raise PermissionDenied
    if request.topic_id is not None and not everything:
        Watch.objects.filter(user=user, topic_id=request.topic_id).delete()
        return "topic"
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    if preference.delivery in {Delivery.EMAIL, Delivery.DAILY, Delivery.WEEKLY}:
        preference.delivery = Delivery.FORUM
        preference.save(update_fields=["delivery"])
    return "email"
