"""E-mail about a new message, to the participants who chose e-mail at once.

Who takes part is decided again when the task runs (visible_to), so a member who left, or
left the organisation, in between hears nothing. Members who chose the forum, a digest or
nothing see the message marked unread in «Samtaler» and counted in the header's «Samtaler,
1 ulest» (conversations.unread); a daily or weekly digest names each conversation with new
messages since the last one, by its subject and address, never the text
(conversations.unread.digest_lines)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User
from conversations.models import Conversation, Message
from notifications.emails import absolute, unsubscribe_url
from notifications.models import DEFAULT_DELIVERY, Delivery, NotificationPreference


def participants(conversation: Conversation):
    """Everyone who takes part now: named and not left, or verified in a taking-part
    organisation and not left."""
    organisations = conversation.organisation_links.values("organisation_id")
    left = conversation.participants.filter(left_at__isnull=False).values("user_id")
    named = conversation.participants.filter(is_named=True, left_at__isnull=True).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=named)
            | (Q(organisation_id__in=organisations) & ~Q(organisation_verification=""))
        )
        .exclude(pk__in=left)
    )


@task()
def notify_new_message(message_id: int) -> int:
    message = Message.objects.select_related("conversation", "author").filter(pk=message_id).first()
    if message is None:
        return 0
    recipients = participants(message.conversation).exclude(pk=message.author_id)
    deliveries = dict(
        NotificationPreference.objects.filter(user__in=recipients).values_list(
            "user_id", "delivery"
        )
    )
    sent = 0
    for user in recipients.order_by("pk"):
        if deliveries.get(user.pk, DEFAULT_DELIVERY) != Delivery.EMAIL:
            continue
        send_message_email.enqueue(message.pk, user.pk)
        sent += 1
    return sent


@task()
def send_message_email(message_id: int, user_id: int) -> bool:
    message = Message.objects.select_related("conversation", "author").filter(pk=message_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if message is None or user is None:
        return False
    if not Conversation.objects.visible_to(user).filter(pk=message.conversation_id).exists():
        return False
    preference = NotificationPreference.objects.filter(user=user).first()
    if (preference.delivery if preference else DEFAULT_DELIVERY) != Delivery.EMAIL:
        return False
    unsubscribe = unsubscribe_url(user)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "message": message,
            "author": message.author.display_name if message.author else "",
            "subject": message.conversation.subject,
            "url": absolute(message.get_absolute_url()),
            "unsubscribe_url": unsubscribe,
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("conversations/email/subject.txt", context).strip()
        email = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] {subject}",
            body=render_to_string("conversations/email/message.txt", context),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        email.send()
    return True
