"""The part of a member's data that topics holds: the topics they started and their posts."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from accounts import privacy
from accounts.models import User
from topics.models import (
    Attachment,
    Bookmark,
    Draft,
    Mute,
    PollVote,
    Post,
    PostRevision,
    Topic,
    TopicReadState,
    UsefulMark,
)
from topics.models.moderation import Report


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
        "markert_nyttig": [
            {"innlegg": m.post_id, "markert": m.created_at}
            for m in UsefulMark.objects.filter(user=user).order_by("created_at")
        ],
        "stemmer": [
            {
                "tråd": v.poll.topic_id,
                "avstemning": v.poll.question,
                "valg": v.option.text,
                "stemt": v.created_at,
            }
            for v in PollVote.objects.filter(member=user)
            .select_related("poll", "option")
            .order_by("created_at", "pk")
        ],
        "lest_til": [
            {"tråd": r.topic_id, "innlegg_nr": r.position, "sist_lest": r.updated_at}
            for r in TopicReadState.objects.filter(user=user).order_by("topic_id")
        ],
        "rapporter": [
            {
                "innlegg": r.post_id,
                "grunn": r.reason,
                "forklaring": r.text,
                "rapportert": r.created_at,
                "status": r.status,
            }
            for r in Report.objects.filter(reporter=user).order_by("created_at")
        ],
        "utkast": [
            {"sted": d.place, "tittel": d.title, "tekst": d.body, "lagret": d.updated_at}
            for d in Draft.objects.filter(member=user).order_by("updated_at")
        ],
        "bokmerker": [
            {
                "tråd": b.topic_id,
                "innlegg": b.post_id,
                "notat": b.note,
                "påminnelse": b.remind_at,
                "påminnet": b.reminded_at,
                "opprettet": b.created_at,
            }
            for b in Bookmark.objects.filter(member=user).order_by("created_at")
        ],
        "dempet": [
            {
                "tråd": m.topic_id,
                "kategori": m.category_id,
                "sektor": m.sector_id,
                "medlem": m.muted_member_id,
                "siden": m.created_at,
            }
            for m in Mute.objects.filter(member=user).order_by("created_at")
        ],
    }


def erase(user: User) -> None:
    # Posts, «nyttig» marks, votes and reports stay (under «Slettet bruker»): others depend
    # on them.
    # What only the member had use for goes.
    TopicReadState.objects.filter(user=user).delete()
    Draft.objects.filter(member=user).delete()
    Bookmark.objects.filter(member=user).delete()
    Mute.objects.filter(member=user).delete()
    # Files pasted into texts never sent were only ever the member's.
    drafts = list(Attachment.objects.drafts_of(user).values_list("pk", "file"))
    Attachment.objects.filter(pk__in=[pk for pk, _ in drafts]).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for _, name in drafts])


def register() -> None:
    privacy.register("forum", export=export, erase=erase)
