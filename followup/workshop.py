"""Import the 18 topics of Kartverket's workshop report of 4 December 2018 as threads.

Idempotent: a topic is keyed by its number; running the import again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from directory.models import Sector
from followup.actions import create_workshop_action_items
from topics import actions
from topics.markdown import render_markdown
from topics.models import Category, Topic, WorkshopTopic

WORKSHOP_FILE = Path(__file__).resolve().parent / "data" / "workshop_2018-12-04.json"
WORKSHOP_CATEGORY_SLUG = "workshop-2018"
WORKSHOP_AUTHOR_EMAIL = "workshop@kartverket.no"


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    action_items: int = 0


def _organisation(slug: str) -> Organisation | None:
    if slug.startswith("kommune-"):
        return Organisation.objects.current().filter(municipality_number=slug[8:]).first()
    return Organisation.objects.filter(slug=slug).first()


def _workshop_author() -> User:
    kartverket = Organisation.objects.get(slug=settings.HOST_ORGANISATION_SLUG)
    user, created = User.objects.get_or_create(
        email=WORKSHOP_AUTHOR_EMAIL,
        defaults={
            "display_name": "Kartverket (workshop)",
            "job_title": _("Fasilitator"),
            "organisation": kartverket,
            "organisation_verification": User.Verification.MODERATOR,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _opening_post(entry: dict) -> str:
    return _(
        "Dette er tema {number} fra Kartverkets workshop om IKT-status i nye kommuner "
        "4. desember 2018. Sammendraget, neste steg og hvem som følger opp, står i "
        "boksen over.\n\nHvordan står det til hos dere nå? Del erfaringer, gode og "
        "dårlige, og si fra hvis noe av dette er løst."
    ).format(number=entry["number"])


@transaction.atomic
def import_workshop(path: Path = WORKSHOP_FILE) -> ImportResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    result = ImportResult()
    for extra in data.get("extra_organisations", []):
        Organisation.objects.get_or_create(
            slug=extra["slug"], defaults={"name": extra["name"], "kind": extra["kind"]}
        )
    category = Category.objects.get(slug=WORKSHOP_CATEGORY_SLUG)
    author = _workshop_author()
    sectors = {s.name: s for s in Sector.objects.all()}
    for entry in data["topics"]:
        organisations = [_organisation(slug) for slug in entry["follow_up_organisations"]]
        organisations = [o for o in organisations if o is not None]
        existing = WorkshopTopic.objects.filter(number=entry["number"]).first()
        if existing is not None:
            # Re-running the import fills in what later versions added (the action items).
            result.action_items += create_workshop_action_items(
                topic=existing.topic,
                next_steps=existing.next_steps,
                responsible=organisations[0] if organisations else None,
            )
            result.unchanged += 1
            continue
        topic = actions.create_topic(
            author=author,
            category=category,
            title=entry["title"],
            body=_opening_post(entry),
            kind=Topic.Kind.WORKSHOP,
            sectors=[sectors[name] for name in entry["sectors"]],
            check_permission=False,
        )
        workshop = WorkshopTopic.objects.create(
            topic=topic,
            number=entry["number"],
            initiator=entry["initiator"] or "",
            participants=entry["participants"],
            summary=entry["summary"] or "",
            summary_html=render_markdown(entry["summary"] or ""),
            next_steps=entry["next_steps"],
            follow_up=entry["follow_up"] or "",
        )
        workshop.follow_up_organisations.set(organisations)
        result.action_items += create_workshop_action_items(
            topic=topic,
            next_steps=entry["next_steps"],
            responsible=organisations[0] if organisations else None,
        )
        result.created += 1
    return result
