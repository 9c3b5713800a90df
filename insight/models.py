"""Counts kept for the status and activity pages, refreshed by insight.actions.refresh_figures.

Every count here is of what a signed-out visitor may read: public topics and posts
(`visible_to(AnonymousUser())`) and usages of approved systems. A page that shows them to
anyone shows nothing that viewer could not find by reading; what depends on the viewer
(recent topics, action items) is read live from `visible_to(viewer)`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class MunicipalityFigures(models.Model):
    """One current municipality's counts."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="insight_figures",
    )
    sectors_registered = models.PositiveSmallIntegerField(
        _("sektorer registrert"), default=0, help_text=_("Sektorer med et system i katalogen.")
    )
    sectors_decided = models.PositiveSmallIntegerField(
        _("sektorer med valgt system"), default=0, help_text=_("Et system i bruk eller valgt.")
    )
    usages = models.PositiveIntegerField(_("systembruk"), default=0)
    public_topics = models.PositiveIntegerField(_("offentlige tråder"), default=0)
    open_action_items = models.PositiveIntegerField(_("åpne oppfølgingspunkter"), default=0)
    last_change_at = models.DateTimeField(_("siste endring i katalogen"), null=True, blank=True)

    class Meta:
        verbose_name = _("tall for kommune")
        verbose_name_plural = _("tall for kommuner")

    def __str__(self) -> str:
        return str(self.organisation)


class WeeklyActivity(models.Model):
    """A week's public activity, in all sectors (sector empty) or in one."""

    week = models.DateField(_("uke (mandag)"))
    sector = models.ForeignKey(
        "directory.Sector",
        verbose_name=_("sektor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    topics = models.PositiveIntegerField(_("nye tråder"), default=0)
    replies = models.PositiveIntegerField(_("svar"), default=0)
    questions = models.PositiveIntegerField(_("nye spørsmål"), default=0)
    answered = models.PositiveIntegerField(
        _("spørsmål besvart"), default=0, help_text=_("Av ukens spørsmål: fått svar fra en annen.")
    )
    median_first_answer_hours = models.FloatField(
        _("median tid til første svar (timer)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("ukens aktivitet")
        verbose_name_plural = _("ukenes aktivitet")
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "sector"],
                condition=models.Q(sector__isnull=False),
                name="weekly_activity_unique_per_sector",
            ),
            models.UniqueConstraint(
                fields=["week"],
                condition=models.Q(sector__isnull=True),
                name="weekly_activity_unique_all_sectors",
            ),
        ]
        indexes = [models.Index(fields=["sector", "week"], name="weekly_activity_sector")]

    def __str__(self) -> str:
        return f"{self.week} {self.sector or '*'}"


class FiguresRefresh(models.Model):
    """When the counts were last worked out (one row)."""

    finished_at = models.DateTimeField(_("oppdatert"))
    last_week = models.DateField(
        _("siste uke"), help_text=_("Mandagen i den siste uken som er talt.")
    )
    seconds = models.FloatField(_("varighet (sekunder)"))

    class Meta:
        verbose_name = _("oppdatering av tall")
        verbose_name_plural = _("oppdateringer av tall")

    def __str__(self) -> str:
        return str(self.finished_at)
