"""Reports, the moderation log and the redirects left behind by merged topics."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """The moderation log is a record: its entries are never changed or removed."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError(_("Moderasjonsloggen kan ikke endres eller slettes."))


class ModerationLogQuerySet(models.QuerySet["ModerationLogEntry"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse

    def for_log_page(self) -> ModerationLogQuerySet:
        return self.select_related("actor", "member")

    def public_notices_for(self, topic_id: int) -> ModerationLogQuerySet:
        """Entries that the topic page announces to everyone: moved, merged, closed, split."""
        return self.filter(
            Q(topic_id=topic_id) | Q(other_topic_id=topic_id),
            action__in=ModerationLogEntry.PUBLIC_NOTICE_ACTIONS,
        ).order_by("created_at", "pk")


class ModerationLogEntry(models.Model):
    class Action(models.TextChoices):
        TOPIC_PINNED = "topic_pinned", _("Festet på forsiden")
        TOPIC_UNPINNED = "topic_unpinned", _("Løsnet fra forsiden")
        TOPIC_PINNED_IN_CATEGORY = "topic_pinned_in_category", _("Festet i kategorien")
        TOPIC_UNPINNED_IN_CATEGORY = "topic_unpinned_in_category", _("Løsnet i kategorien")
        TOPIC_LOCKED = "topic_locked", _("Låste tråden")
        TOPIC_UNLOCKED = "topic_unlocked", _("Låste opp tråden")
        TOPIC_CLOSED = "topic_closed", _("Lukket tråden")
        TOPIC_REOPENED = "topic_reopened", _("Åpnet tråden igjen")
        TOPIC_MOVED = "topic_moved", _("Flyttet tråden")
        TOPIC_MERGED = "topic_merged", _("Slo sammen tråder")
        TOPIC_SPLIT = "topic_split", _("Skilte ut innlegg til ny tråd")
        TOPIC_EDITED = "topic_edited", _("Endret tittel eller sektorer")
        TOPIC_CURATED = "topic_curated", _("Merket som anbefalt")
        TOPIC_UNCURATED = "topic_uncurated", _("Fjernet anbefaling")
        TOPIC_DELETED = "topic_deleted", _("Slettet tråden")
        TOPIC_RESTORED = "topic_restored", _("Gjenopprettet tråden")
        TOPIC_APPROVED = "topic_approved", _("Godkjente tråden")
        POST_HIDDEN = "post_hidden", _("Skjulte innlegg")
        POST_UNHIDDEN = "post_unhidden", _("Viste innlegg igjen")
        POST_EDITED = "post_edited", _("Endret innlegg")
        POST_APPROVED = "post_approved", _("Godkjente innlegg")
        POST_REJECTED = "post_rejected", _("Avviste innlegg")
        POST_AUTO_HIDDEN = "post_auto_hidden", _("Innlegg skjult etter tre rapporter")
        REPORT_UPHELD = "report_upheld", _("Behandlet rapport: skjulte innlegget")
        REPORT_DISMISSED = "report_dismissed", _("Behandlet rapport: avvist")
        MEMBER_SILENCED = "member_silenced", _("Satte medlem i skrivepause")
        MEMBER_UNSILENCED = "member_unsilenced", _("Opphevet skrivepause")
        MEMBER_SUSPENDED = "member_suspended", _("Utestengte medlem")
        MEMBER_UNSUSPENDED = "member_unsuspended", _("Opphevet utestenging")
        MEMBER_VERIFIED = "member_verified", _("Verifiserte medlem og organisasjon")
        MODERATOR_GRANTED = "moderator_granted", _("Ga moderatorrollen")
        MODERATOR_REVOKED = "moderator_revoked", _("Fjernet moderatorrollen")
        ACTION_ITEM_CREATED = "action_item_created", _("Opprettet oppfølgingspunkt")
        ACTION_ITEM_UPDATED = "action_item_updated", _("Oppdaterte oppfølgingspunkt")

    PUBLIC_NOTICE_ACTIONS = (
        Action.TOPIC_MOVED,
        Action.TOPIC_MERGED,
        Action.TOPIC_CLOSED,
        Action.TOPIC_SPLIT,
    )

    # The targets are kept as plain references (no database constraint, nothing done on
    # delete): the log must outlive a merged-away topic and may never be rewritten.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tom når forumet selv gjorde det (f.eks. etter tre rapporter)."),
    )
    action = models.CharField(_("handling"), max_length=40, choices=Action.choices)
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("tråd"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    other_topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("annen tråd"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text=_("Tråden som ble slått sammen inn, eller den nye tråden ved utskilling."),
    )
    post = models.ForeignKey(
        "topics.Post",
        verbose_name=_("innlegg"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target = models.CharField(_("gjelder"), max_length=400)
    reason = models.TextField(_("grunn"), blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), db_default=models.functions.Now())

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderasjonslogg")
        verbose_name_plural = _("moderasjonslogg")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="modlog_recent"),
            models.Index(fields=["action", "-created_at"], name="modlog_action_recent"),
            models.Index(fields=["actor", "-created_at"], name="modlog_actor_recent"),
            models.Index(fields=["topic", "action"], name="modlog_topic_action"),
            models.Index(fields=["other_topic", "action"], name="modlog_other_topic_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class Report(models.Model):
    """A member's report of a post to the moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam eller reklame")
        OFF_TOPIC = "off_topic", _("Utenfor tema")
        PERSONAL_DATA = "personal_data", _("Personopplysninger")
        RUDE = "rude", _("Uhøflig eller krenkende")
        OTHER = "other", _("Annet")

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        UPHELD = "upheld", _("Innlegget ble skjult")
        DISMISSED = "dismissed", _("Avvist")

    post = models.ForeignKey(
        "topics.Post", verbose_name=_("innlegg"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapportert av"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reason = models.CharField(_("grunn"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("forklaring"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("rapportert"), db_default=models.functions.Now())
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("behandlet"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="one_open_report_per_member_and_post",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class TopicRedirect(models.Model):
    """The address of a topic merged into another: /t/<old id>/ answers 301 to the new one."""

    old_topic_id = models.PositiveBigIntegerField(_("gammel trådnummer"), unique=True)
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("tråd"),
        on_delete=models.CASCADE,
        related_name="redirects_here",
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("videresending av tråd")
        verbose_name_plural = _("videresendinger av tråder")

    def __str__(self) -> str:
        return f"/t/{self.old_topic_id}/ → {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("topics:topic_short", kwargs={"pk": self.old_topic_id})
