"""The e-mails: one per notification, or a digest. Every one links to the post and to a
signed unsubscribe page."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.digest import DigestLine
from notifications.models import Notification
from notifications.tokens import make_token


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user: User, topic_id: int | None = None) -> str:
    token = make_token(user_id=user.pk, topic_id=topic_id)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def notification_url(notification: Notification) -> str:
    target = notification.post or notification.topic
    return absolute(target.get_absolute_url())


def _send(*, user: User, subject: str, template: str, context: dict, unsubscribe: str) -> None:
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "SITE_NAME": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


def send_notification(notification: Notification) -> None:
    user = notification.recipient
    with translation.override(settings.LANGUAGE_CODE):
        text = summary(notification)
        _send(
            user=user,
            subject=text,
            template="notification",
            context={
                "notification": notification,
                "text": text,
                "url": notification_url(notification),
            },
            unsubscribe=unsubscribe_url(user, notification.topic_id),
        )


def send_digest(
    user: User,
    notifications: Sequence[Notification],
    *,
    period: str,
    lines: Sequence[DigestLine] = (),
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        items = [(n, summary(n), notification_url(n)) for n in notifications]
        items += [(None, line.text, line.url) for line in lines]
        subject = (
            _("Ditt daglige sammendrag") if period == "daglig" else _("Ditt ukentlige sammendrag")
        )
        _send(
            user=user,
            subject=subject,
            template="digest",
            context={"items": items, "all_url": absolute(reverse("notifications:list"))},
            unsubscribe=unsubscribe_url(user),
        )


def summary(notification: Notification) -> str:
    """One line saying what happened (used in the list, the subject and the digest)."""
    actor = notification.actor.display_name if notification.actor else _("Noen")
    title = notification.topic.title
    match notification.kind:
        case Notification.Kind.REPLY:
            return _("%(actor)s svarte i «%(title)s»") % {"actor": actor, "title": title}
        case Notification.Kind.NEW_TOPIC:
            return _("%(actor)s startet «%(title)s»") % {"actor": actor, "title": title}
        case Notification.Kind.MENTION:
            return _("%(actor)s nevnte deg i «%(title)s»") % {"actor": actor, "title": title}
        case Notification.Kind.ANSWER:
            return _("%(actor)s markerte svaret ditt i «%(title)s» som løsningen") % {
                "actor": actor,
                "title": title,
            }
        case Notification.Kind.REMINDER:
            return _("Påminnelse om bokmerket ditt: «%(title)s»") % {"title": title}
    return title
