"""The part of a member's data that topics holds: the topics they started and their posts."""

from __future__ import annotations

from accounts import privacy
from accounts.models import User
from topics.models import Post, PostRevision, Topic


def export(user: User) -> dict[str, object]:
    return {
        "tråder": [
            {
                "id": t.pk,
                "tittel": t.title,
                "opprettet": t.created_at,
                "adresse": t.get_absolute_url(),
            }
            for t in Topic.objects.filter(author=user).order_by("created_at")
        ],
        "innlegg": [
            {
                "id": p.pk,
                "tråd": {"id": p.topic_id, "tittel": p.topic.title},
                "nummer": p.position,
                "tekst": p.body,
                "skrevet": p.created_at,
                "endret": p.edited_at,
                "skjult": p.is_hidden,
                "adresse": p.get_absolute_url(),
            }
            for p in Post.objects.filter(author=user).select_related("topic").order_by("created_at")
        ],
        "tidligere_versjoner_av_egne_innlegg": [
            {"innlegg": r.post_id, "tekst": r.body, "endret": r.created_at}
            for r in PostRevision.objects.filter(post__author=user).order_by("created_at")
        ],
    }


def register() -> None:
    # Posts stay when an account is deleted (they show «Slettet bruker»): nothing to erase.
    privacy.register("forum", export=export)
