"""The part of a member's data that notifications holds (see accounts.privacy)."""

from __future__ import annotations

from accounts import privacy
from accounts.models import User
from notifications import unread
from notifications.models import Notification, NotificationPreference, Watch


def export(user: User) -> dict[str, object]:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "innstilling": preference.get_delivery_display() if preference else None,
        "nevnt_i_det_jeg_har_dempet": preference.mentions_when_muted if preference else True,
        "følger": [
            {"gjelder": str(w.target), "siden": w.created_at}
            for w in Watch.objects.filter(user=user).select_related("topic", "category", "sector")
        ],
        "varsler": [
            {
                "type": n.get_kind_display(),
                "tråd": n.topic_id,
                "innlegg": n.post_id,
                "opprettet": n.created_at,
                "lest": n.read_at,
                "sendt_på_e_post": n.emailed_at,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
    }


def erase(user: User) -> None:
    Watch.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    unread.forget(user.pk)
    NotificationPreference.objects.filter(user=user).delete()


def register() -> None:
    privacy.register("varsler", export=export, erase=erase)
