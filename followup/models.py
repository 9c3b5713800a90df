"""Follow-up: the agreed next steps of a topic, who is responsible, and how far they got."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def visible_to(self, user: User | AnonymousUser) -> ActionItemQuerySet:
        from topics.models import Topic

        return self.filter(topic__in=Topic.objects.visible_to(user))

    def for_overview(self) -> ActionItemQuerySet:
        return self.select_related("topic", "responsible_organisation")

    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=timezone.localdate())


class ActionItem(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "ikke_startet", _("Ikke startet")
        IN_PROGRESS = "pagar", _("Pågår")
        DONE = "ferdig", _("Ferdig")
        RESOLVED = "avklart", _("Avklart")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("tråd"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    text = models.TextField(_("neste steg"), max_length=2000)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("oppfølgingsansvarlig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        help_text=_("Tom betyr «Uavklart»."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    due_date = models.DateField(_("frist"), null=True, blank=True)
    workshop_step = models.PositiveSmallIntegerField(
        _("neste steg nr. i workshop-rapporten"), null=True, blank=True, editable=False
    )
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())
    updated_at = models.DateTimeField(_("sist endret"), db_default=models.functions.Now())

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        db_table = "topics_actionitem"  # made by the topics app; moved here without moving data
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        ordering = ["topic", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "workshop_step"],
                condition=Q(workshop_step__isnull=False),
                name="one_action_item_per_workshop_step",
            )
        ]
        indexes = [
            models.Index(
                fields=["responsible_organisation", "status"], name="actionitem_org_status"
            ),
            models.Index(fields=["status", "due_date"], name="actionitem_status_due"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


class ActionItemUpdate(models.Model):
    """One step in an action item's history: a status change and/or a note, maybe with a post."""

    item = models.ForeignKey(
        ActionItem,
        verbose_name=_("oppfølgingspunkt"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_before = models.CharField(
        _("status før"), max_length=20, choices=ActionItem.Status.choices
    )
    status_after = models.CharField(
        _("status etter"), max_length=20, choices=ActionItem.Status.choices
    )
    text = models.TextField(_("oppdatering"), max_length=2000, blank=True)
    post = models.ForeignKey(
        "topics.Post",
        verbose_name=_("innlegg"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_item_updates",
    )
    created_at = models.DateTimeField(_("tidspunkt"), db_default=models.functions.Now())

    class Meta:
        db_table = "topics_actionitemupdate"
        verbose_name = _("oppdatering av oppfølgingspunkt")
        verbose_name_plural = _("oppdateringer av oppfølgingspunkter")
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.status_before} → {self.status_after}"
