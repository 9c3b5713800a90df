"""Private conversations: who takes part, what was written, who blocks whom, what was reported.

An organisation takes part as a whole (ConversationOrganisation): whoever is a *verified*
member of it when they read is a participant, so a member who joins and is verified later
sees the whole conversation, and one who leaves the organisation (or loses the verification)
no longer does. A member's own state in a conversation (read up to, left) is a Participant
row, made for a named member when the conversation starts and for an organisation's member
the first time they read, reply or leave.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def _taking_part(user: User | AnonymousUser) -> Q:
    """The conversations a member takes part in now (the one rule of who may see one)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    named = Exists(
        Participant.objects.filter(
            conversation=OuterRef("pk"), user=user, is_named=True, left_at__isnull=True
        )
    )
    if not user.organisation_is_verified:
        return Q(named)
    through_organisation = Exists(
        ConversationOrganisation.objects.filter(
            conversation=OuterRef("pk"), organisation_id=user.organisation_id
        )
    )
    has_left = Exists(
        Participant.objects.filter(conversation=OuterRef("pk"), user=user, left_at__isnull=False)
    )
    return Q(named) | (Q(through_organisation) & ~Q(has_left))


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def visible_to(self, user: User | AnonymousUser) -> ConversationQuerySet:
        return self.filter(_taking_part(user))


class Conversation(models.Model):
    subject = models.CharField(_("emne"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startet av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("startet"), db_default=models.functions.Now())
    last_message_at = models.DateTimeField(_("siste melding"), db_default=models.functions.Now())
    message_count = models.PositiveIntegerField(_("antall meldinger"), default=0)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["-last_message_at", "-id"], name="conversation_recent")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("conversations:conversation", kwargs={"pk": self.pk})


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("samtale"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="conversation_participations",
    )
    is_named = models.BooleanField(
        _("navngitt deltaker"),
        default=True,
        help_text=_("Usann for et medlem som er med fordi organisasjonen deltar."),
    )
    joined_at = models.DateTimeField(_("med fra"), db_default=models.functions.Now())
    left_at = models.DateTimeField(_("forlot samtalen"), null=True, blank=True)
    last_read_at = models.DateTimeField(_("lest til"), null=True, blank=True)

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conversation_participant_once"
            )
        ]
        indexes = [
            models.Index(fields=["user", "conversation"], name="participant_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} i {self.conversation}"


class ConversationOrganisation(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("samtale"),
        on_delete=models.CASCADE,
        related_name="organisation_links",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisasjon"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deltakende organisasjon")
        verbose_name_plural = _("deltakende organisasjoner")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "organisation"], name="conversation_organisation_once"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "conversation"], name="conversation_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.conversation}"


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: User | AnonymousUser) -> MessageQuerySet:
        return self.filter(conversation__in=Conversation.objects.visible_to(user))

    def for_display(self) -> MessageQuerySet:
        return self.select_related("author__organisation").prefetch_related("attachments")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, verbose_name=_("samtale"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("tekst (Markdown)"))
    html = models.TextField(_("tekst (HTML)"))
    created_at = models.DateTimeField(_("skrevet"), db_default=models.functions.Now())
    edited_at = models.DateTimeField(_("endret"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_in_order")]

    def __str__(self) -> str:
        return f"{self.conversation}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.conversation.get_absolute_url()}#melding-{self.pk}"


def attachment_path(instance: MessageAttachment, filename: str) -> str:
    key = uuid.uuid4().hex
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"samtaler/{key[:2]}/{key}{suffix}"


class MessageAttachmentQuerySet(models.QuerySet["MessageAttachment"]):
    def visible_to(self, user: User | AnonymousUser) -> MessageAttachmentQuerySet:
        return self.filter(message__in=Message.objects.visible_to(user))


class MessageAttachment(models.Model):
    """A file sent with a message; served by conversations.views.attachment to participants."""

    message = models.ForeignKey(
        Message, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("filnavn"), max_length=150)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(_("innholdstype"), max_length=100)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = MessageAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vedlegg i samtale")
        verbose_name_plural = _("vedlegg i samtaler")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("conversations:attachment", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class Block(models.Model):
    """`blocker` takes no new conversations from `blocked`."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blokkert av"),
        on_delete=models.CASCADE,
        related_name="conversation_blocks",
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blokkert medlem"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blokkert"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("blokkering")
        verbose_name_plural = _("blokkeringer")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="block_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"


class ConversationReportQuerySet(models.QuerySet["ConversationReport"]):
    def open(self) -> ConversationReportQuerySet:
        return self.filter(resolved_at__isnull=True)


class ConversationReport(models.Model):
    """A participant shows one message to the moderators: they see that message, no more."""

    message = models.ForeignKey(
        Message, verbose_name=_("melding"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapportert av"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("begrunnelse"), max_length=1000)
    created_at = models.DateTimeField(_("rapportert"), db_default=models.functions.Now())
    resolved_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConversationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport om melding")
        verbose_name_plural = _("rapporter om meldinger")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="conversation_report_once")
        ]
        indexes = [models.Index(fields=["resolved_at", "-created_at"], name="conv_report_open")]

    def __str__(self) -> str:
        return f"{self.reporter}: {self.message_id}"
