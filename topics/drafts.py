"""Drafts: what a member is writing, kept on the server per member and place.

A place is a string, "<kind>:<id>" or "<kind>:new": "reply:12" (a reply in topic 12),
"topic:new" (a new topic). Each kind is registered here with what it needs: whether the
member may write there, and, for the list of drafts, where to go back to. An app built on
topics (conversations) registers its own kind with `register_place`, so this module never
imports it.

Kept text across sign-in (forum/kept_text.py) is for a browser whose session ended; a draft
is for the member, on any device, until they send it or delete it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from forum import page_cache
from topics import permissions
from topics.models import Draft, Topic
from topics.models.personal import validate_place_spelling


@dataclass(frozen=True)
class PlaceLink:
    url: str
    label: str


@dataclass(frozen=True)
class PlaceKind:
    # May `user` save a draft for this target ("12" or "new")?
    may_write: Callable[[object, str], bool]
    # For the drafts page: {target: PlaceLink} for those of `targets` the user may still reach,
    # in a fixed number of queries however many there are.
    links: Callable[[object, list[str]], dict[str, PlaceLink]]


_KINDS: dict[str, PlaceKind] = {}


def register_place(kind: str, place_kind: PlaceKind) -> None:
    _KINDS[kind] = place_kind


def reply_place(topic: Topic | int) -> str:
    return f"reply:{getattr(topic, 'pk', topic)}"


NEW_TOPIC_PLACE = "topic:new"


def _may_reply(user, target: str) -> bool:
    if not target.isdecimal():
        return False
    topic = Topic.objects.visible_to(user).select_related("category").filter(pk=target).first()
    return topic is not None and permissions.can_reply(user, topic)


def _reply_links(user, targets: list[str]) -> dict[str, PlaceLink]:
    ids = [int(t) for t in targets if t.isdecimal()]
    topics = Topic.objects.visible_to(user).filter(pk__in=ids).only("pk", "title")
    return {
        str(topic.pk): PlaceLink(
            url=reverse("topics:reply", args=[topic.pk]),
            label=_("Svaret ditt i «%(title)s»") % {"title": topic.title},
        )
        for topic in topics
    }


def _new_topic_links(user, targets: list[str]) -> dict[str, PlaceLink]:
    return {"new": PlaceLink(url=reverse("topics:new"), label=_("Ny tråd"))}


register_place("reply", PlaceKind(may_write=_may_reply, links=_reply_links))
register_place(
    "topic",
    PlaceKind(
        may_write=lambda user, target: target == "new" and permissions.can_start_topic(user),
        links=_new_topic_links,
    ),
)


def validate_place(place: str) -> PlaceKind:
    validate_place_spelling(place)
    kind = _KINDS.get(place.partition(":")[0])
    if kind is None:
        raise ValidationError(_("Ukjent sted for et utkast."), code="invalid_place")
    return kind


def validate_text(*, title: str, body: str) -> None:
    """Too long is said plainly, with the limit: nothing is stored, not even a part of it."""
    errors = {}
    if len(body) > settings.POST_MAX_LENGTH:
        errors["body"] = ValidationError(
            _(
                "Utkastet er for langt til å lagres: %(length)s tegn, og grensen er "
                "%(limit)s. Korte ned teksten."
            )
            % {"length": len(body), "limit": settings.POST_MAX_LENGTH},
            code="too_long",
        )
    if len(title) > settings.TITLE_MAX_LENGTH:
        errors["title"] = ValidationError(
            _("Tittelen kan ha høyst %(limit)s tegn.") % {"limit": settings.TITLE_MAX_LENGTH},
            code="too_long",
        )
    if errors:
        raise ValidationError(errors)


def save_draft(*, member, place: str, title: str = "", body: str) -> Draft | None:
    """Keep what `member` is writing at `place`; an empty text deletes the draft (None).
    Only the member sees a draft: no public page changes."""
    page_cache.changed()
    kind = validate_place(place)
    validate_text(title=title, body=body)
    if not kind.may_write(member, place.partition(":")[2]):
        raise PermissionDenied(_("Du kan ikke skrive her."))
    with transaction.atomic():
        if not title.strip() and not body.strip():
            Draft.objects.filter(member=member, place=place).delete()
            return None
        draft, _created = Draft.objects.update_or_create(
            member=member, place=place, defaults={"title": title, "body": body}
        )
    return draft


def discard_draft(*, member, place: str) -> None:
    """The text was sent (or the member threw it away): its draft goes. Called inside the
    action that published it, so a rolled-back post keeps its draft."""
    if member.is_authenticated:
        Draft.objects.filter(member=member, place=place).delete()


def delete_draft(*, member, pk: int) -> bool:
    page_cache.changed()
    deleted, _details = Draft.objects.filter(member=member, pk=pk).delete()
    return bool(deleted)


def draft_for(member, place: str) -> Draft | None:
    if not member.is_authenticated:
        return None
    return Draft.objects.filter(member=member, place=place).first()


@dataclass
class ListedDraft:
    draft: Draft
    link: PlaceLink | None  # None: the place is gone, or no longer the member's to write in


def my_drafts(member, drafts: Iterable[Draft]) -> list[ListedDraft]:
    """Each draft with the way back to its place: one query per kind of place on the page."""
    drafts = list(drafts)
    by_kind: dict[str, list[str]] = {}
    for draft in drafts:
        by_kind.setdefault(draft.kind, []).append(draft.target)
    links = {
        kind: _KINDS[kind].links(member, targets) if kind in _KINDS else {}
        for kind, targets in by_kind.items()
    }
    return [ListedDraft(draft=d, link=links[d.kind].get(d.target)) for d in drafts]
