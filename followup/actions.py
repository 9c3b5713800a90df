"""Follow-up of agreed next steps: creating action items and moving them along."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.permissions import is_moderator
from followup import permissions
from followup.models import ActionItem, ActionItemUpdate
from topics.models import ModerationLogEntry, Post, Topic
from topics.moderation.log import log_moderation

NO_STEPS_TEXT = "Følge opp temaet (rapporten nevner ingen konkrete neste steg)."


@transaction.atomic
def create_action_item(
    *,
    topic: Topic,
    by: User,
    text: str,
    responsible_organisation: Organisation | None = None,
    due_date: date | None = None,
) -> ActionItem:
    if not permissions.can_manage_action_items(by, topic):
        raise PermissionDenied(_("Bare moderatorer kan legge til oppfølgingspunkter."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Beskriv hva som skal gjøres.")})
    position = (topic.action_items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = ActionItem.objects.create(
        topic=topic,
        text=text,
        responsible_organisation=responsible_organisation,
        due_date=due_date,
        position=position,
    )
    log_moderation(
        actor=by,
        action=ModerationLogEntry.Action.ACTION_ITEM_CREATED,
        target=f"{topic.title}: {text}",
        topic=topic,
        details={
            "item": item.pk,
            "responsible": responsible_organisation.name if responsible_organisation else "",
        },
    )
    return item


@transaction.atomic
def update_action_item(
    *,
    item: ActionItem,
    by: User,
    status: str,
    text: str = "",
    post_number: int | None = None,
) -> ActionItemUpdate:
    """A status change and/or a note, optionally pointing at a post in the topic."""
    item = ActionItem.objects.select_for_update().select_related("topic").get(pk=item.pk)
    if not Topic.objects.visible_to(by).filter(pk=item.topic_id).exists():
        raise PermissionDenied(_("Fant ikke oppfølgingspunktet."))
    if not permissions.can_update_action_item(by, item):
        raise PermissionDenied(
            _(
                "Bare moderatorer og verifiserte medlemmer av den ansvarlige organisasjonen kan endre status."
            )
        )
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Velg en status.")})
    text = text.strip()
    if status == item.status and not text:
        raise ValidationError({"text": _("Endre status eller skriv en oppdatering.")})
    post = None
    if post_number is not None:
        post = (
            Post.objects.visible_to(by)
            .filter(topic=item.topic, position=post_number, is_hidden=False)
            .first()
        )
        if post is None:
            raise ValidationError(
                {"post_number": _("Tråden har ikke noe synlig innlegg med dette nummeret.")}
            )
    update = ActionItemUpdate.objects.create(
        item=item,
        author=by,
        status_before=item.status,
        status_after=status,
        text=text[:2000],
        post=post,
    )
    item.status = status
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "updated_at"])
    if is_moderator(by):
        log_moderation(
            actor=by,
            action=ModerationLogEntry.Action.ACTION_ITEM_UPDATED,
            target=f"{item.topic.title}: {item.text}",
            topic=item.topic,
            post=post,
            reason=text,
            details={
                "item": item.pk,
                "from": str(ActionItem.Status(update.status_before).label),
                "to": str(ActionItem.Status(status).label),
            },
        )
    return update


def create_workshop_action_items(
    *, topic: Topic, next_steps: list[str], responsible: Organisation | None
) -> int:
    """One action item per next step of a workshop topic; steps that have one are skipped.

    A topic whose report names a follow-up party but no concrete step gets one item, so
    every workshop topic shows on the follow-up page.
    """
    next_steps = next_steps or [NO_STEPS_TEXT]
    existing = set(
        ActionItem.objects.filter(topic=topic, workshop_step__isnull=False).values_list(
            "workshop_step", flat=True
        )
    )
    missing = [
        ActionItem(
            topic=topic,
            text=step,
            responsible_organisation=responsible,
            workshop_step=number,
            position=number,
        )
        for number, step in enumerate(next_steps, start=1)
        if number not in existing
    ]
    ActionItem.objects.bulk_create(missing)
    return len(missing)


def follow_merged_topic(*, source: Topic, target: Topic) -> int:
    """A merged topic's action items follow its posts into the topic it was merged into.

    Called inside the merge's transaction (topics.signals.topics_merged); the merge checked
    the moderator's permission. Returns how many items moved."""
    return ActionItem.objects.filter(topic=source).update(topic=target)
