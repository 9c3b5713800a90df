"""Every write to conversations: start, reply, read, leave, block, report.

One transaction each; the e-mail to the other participants is queued with on_commit, so a
write that rolls back tells nobody. Each action checks its own permission. What changes a
member's count of unread conversations (a message, reading, leaving) drops that count for
every member it changes (conversations.unread)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from conversations import drafts, permissions, unread
from conversations.models import (
    Block,
    Conversation,
    ConversationOrganisation,
    ConversationReport,
    Message,
    MessageAttachment,
    Participant,
)
from conversations.tasks import notify_new_message, participants
from topics import drafts as topic_drafts
from topics.attachments.files import InspectedFile
from topics.markdown import render_markdown
from topics.mentions import find_mentions, link_mentions


def verified_members_of(organisations: Sequence[Organisation]):
    """The members who take part for organisations: active and verified in one of them."""
    return User.objects.filter(
        organisation__in=[o.pk for o in organisations], is_active=True
    ).exclude(organisation_verification="")


@dataclass(frozen=True)
class Recipients:
    members: Sequence[User]
    organisations: Sequence[Organisation]


def _check_recipients(*, by: User, recipients: Recipients) -> None:
    if not recipients.members and not recipients.organisations:
        raise ValidationError({"members": _("Velg minst én mottaker.")})
    for member in recipients.members:
        if member.pk == by.pk:
            raise ValidationError({"members": _("Du kan ikke sende en melding til deg selv.")})
        if not member.is_active:
            raise ValidationError(
                {"members": _("%(name)s kan ikke motta meldinger.") % {"name": member}}
            )
    named = [m.pk for m in recipients.members]
    blocked_by = Block.objects.filter(blocker__in=named, blocked=by).select_related("blocker")
    if found := blocked_by.first():
        raise ValidationError(
            {"members": _("%(name)s tar ikke imot meldinger fra deg.") % {"name": found.blocker}}
        )
    blocking = Block.objects.filter(blocker=by, blocked__in=named).select_related("blocked")
    if found := blocking.first():
        raise ValidationError(
            {
                "members": _(
                    "Du har blokkert %(name)s. Opphev blokkeringen først om du vil skrive."
                )
                % {"name": found.blocked}
            }
        )
    for organisation in recipients.organisations:
        others = verified_members_of([organisation]).exclude(pk=by.pk).exclude(pk__in=_blockers(by))
        if not others.exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "%(name)s har ingen andre verifiserte medlemmer som kan svare."
                    )
                    % {"name": organisation.name}
                }
            )


def _blockers(member: User):
    return Block.objects.filter(blocked=member).values("blocker_id")


def _render(body: str) -> str:
    return link_mentions(render_markdown(body), find_mentions(body))


def _store_files(message: Message, files: Sequence[InspectedFile]) -> None:
    stored: list[MessageAttachment] = []
    try:
        for inspected in files:
            inspected.upload.seek(0)
            attachment = MessageAttachment(
                message=message,
                name=inspected.name,
                kind=inspected.kind,
                content_type=inspected.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
            )
            attachment.file.save(inspected.name, File(inspected.upload), save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _add_message(
    *, conversation: Conversation, author: User, body: str, files: Sequence[InspectedFile]
) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Skriv en melding før du sender.")})
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, author=author, body=body, html=_render(body), created_at=now
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now, message_count=F("message_count") + 1
    )
    Participant.objects.update_or_create(
        conversation=conversation,
        user=author,
        defaults={"last_read_at": now},
        create_defaults={"last_read_at": now, "is_named": False},
    )
    _store_files(message, files)
    unread.forget(participants(conversation).values_list("pk", flat=True))
    transaction.on_commit(lambda: notify_new_message.enqueue(message.pk))
    return message


@transaction.atomic
def start_conversation(
    *,
    by: User,
    recipients: Recipients,
    subject: str,
    body: str,
    files: Sequence[InspectedFile] = (),
) -> Conversation:
    if not permissions.can_start_conversation(by):
        raise PermissionDenied(_("Du kan ikke starte samtaler."))
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Samtalen må ha et emne.")})
    _check_recipients(by=by, recipients=recipients)
    conversation = Conversation.objects.create(subject=subject, created_by=by)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=by)]
        + [
            Participant(conversation=conversation, user=member)
            for member in {m.pk: m for m in recipients.members}.values()
        ]
    )
    ConversationOrganisation.objects.bulk_create(
        [
            ConversationOrganisation(conversation=conversation, organisation=organisation)
            for organisation in {o.pk: o for o in recipients.organisations}.values()
        ]
    )
    # A member who blocked the writer is not in it through their organisation either: they
    # start out as having left it.
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user_id=pk, is_named=False, left_at=now)
            for pk in verified_members_of(recipients.organisations)
            .filter(pk__in=_blockers(by))
            .exclude(pk__in=[m.pk for m in recipients.members])
            .values_list("pk", flat=True)
        ]
    )
    _add_message(conversation=conversation, author=by, body=body, files=files)
    return conversation


def _visible(user: User, conversation: Conversation) -> Conversation:
    """The conversation, locked, if the user takes part; the same answer as a missing one."""
    found = (
        Conversation.objects.visible_to(user)
        .select_for_update(of=("self",))
        .filter(pk=conversation.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("Fant ikke samtalen."))
    return found


@transaction.atomic
def reply(
    *, author: User, conversation: Conversation, body: str, files: Sequence[InspectedFile] = ()
) -> Message:
    conversation = _visible(author, conversation)
    if not permissions.can_reply(author, conversation):
        raise PermissionDenied(_("Du kan ikke skrive i samtalen."))
    message = _add_message(conversation=conversation, author=author, body=body, files=files)
    topic_drafts.discard_draft(member=author, place=drafts.place(conversation))
    return message


@transaction.atomic
def mark_read(*, user: User, conversation: Conversation) -> None:
    """The member has seen the conversation as it is now (never moves backwards)."""
    conversation = _visible(user, conversation)
    seen = conversation.last_message_at
    unread.forget([user.pk])
    updated = Participant.objects.filter(conversation=conversation, user=user).exclude(
        last_read_at__gte=seen
    )
    if not updated.update(last_read_at=seen):
        Participant.objects.get_or_create(
            conversation=conversation,
            user=user,
            defaults={"last_read_at": seen, "is_named": False},
        )


@transaction.atomic
def leave(*, user: User, conversation: Conversation) -> None:
    """The member no longer sees the conversation nor hears of it, and their draft of a
    reply in it goes; the others go on."""
    conversation = _visible(user, conversation)
    now = timezone.now()
    unread.forget([user.pk])
    topic_drafts.discard_draft(member=user, place=drafts.place(conversation))
    Participant.objects.update_or_create(
        conversation=conversation,
        user=user,
        defaults={"left_at": now},
        create_defaults={"left_at": now, "is_named": False},
    )


@transaction.atomic
def block(*, blocker: User, blocked: User) -> Block:
    if not permissions.can_block(blocker, blocked):
        raise ValidationError(_("Du kan ikke blokkere deg selv."))
    found, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return found


@transaction.atomic
def unblock(*, blocker: User, blocked: User) -> int:
    deleted, _kinds = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted


@transaction.atomic
def report(*, message: Message, reporter: User, reason: str) -> ConversationReport:
    if not Message.objects.visible_to(reporter).filter(pk=message.pk).exists():
        raise PermissionDenied(_("Fant ikke meldingen."))
    if not permissions.can_report_message(reporter, message):
        raise ValidationError({"reason": _("Du kan ikke rapportere din egen melding.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Si kort hva som er galt.")})
    found, created = ConversationReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason[:1000]}
    )
    if not created:
        raise ValidationError({"reason": _("Du har allerede rapportert denne meldingen.")})
    return found


@transaction.atomic
def resolve_report(*, report: ConversationReport, by: User) -> None:
    if not permissions.can_resolve_report(by, report):
        raise PermissionDenied
    ConversationReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )
