from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from accounts.models import Organisation
from forum.text import localized_name, norwegian_slugify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# The starting vocabulary from the workshop; moderators can add more sectors.
SECTOR_VOCABULARY = [
    "Sak/arkiv",
    "HR og lønn",
    "Økonomi",
    "Helse og omsorg",
    "Oppvekst og skole",
    "Barnevern",
    "Plan, bygg og geodata",
    "Teknisk",
    "Drift og infrastruktur",
    "Anskaffelser og avtaler",
    "Informasjonssikkerhet og personvern",
    "Innbyggertjenester og selvbetjening",
]


class Sector(TagBase):
    """A sector (sektor): the tag vocabulary shared by threads and the system directory."""

    name_en = models.CharField(
        _("navn på engelsk"), max_length=100, blank=True, help_text=_("Vises på engelsk.")
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    class Meta:
        verbose_name = _("sektor")
        verbose_name_plural = _("sektorer")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("topics:sector", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name in the current language (English when there is one)."""
        return localized_name(self.name, self.name_en)

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = norwegian_slugify(tag)
        if i is not None:
            slug += f"-{i}"
        return slug


class Standard(TagBase):
    """A standard a system supports, such as Noark 5 (a tag vocabulary of its own)."""

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standarder")
        ordering = ["name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = norwegian_slugify(tag)
        if i is not None:
            slug += f"-{i}"
        return slug


class TaggedSystem(TaggedItemBase):
    content_object = models.ForeignKey("System", on_delete=models.CASCADE)
    tag = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="tagged_systems")

    class Meta:
        verbose_name = _("standard for system")
        verbose_name_plural = _("standarder for systemer")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="system_standard_unique")
        ]


class SystemQuerySet(models.QuerySet["System"]):
    def approved(self) -> SystemQuerySet:
        return self.filter(is_approved=True)

    def visible_to(self, user: User | AnonymousUser) -> SystemQuerySet:
        """Approved systems for everyone; proposals also for moderators and the vendor's staff."""
        if user.is_authenticated and user.is_moderator:
            return self.all()
        if user.is_authenticated and user.organisation_is_verified:
            return self.filter(Q(is_approved=True) | Q(vendor_id=user.organisation_id))
        return self.approved()


class System(models.Model):
    """A line-of-business system (fagsystem) from a vendor."""

    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(_("adresse"), max_length=160, unique=True)
    vendor = models.ForeignKey(
        Organisation,
        verbose_name=_("leverandør"),
        on_delete=models.PROTECT,
        related_name="systems",
        limit_choices_to={"kind": Organisation.Kind.LEVERANDOR},
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sektorer"), related_name="systems", blank=True
    )
    description = models.TextField(_("kort beskrivelse"), max_length=2000, blank=True)
    website = models.URLField(_("nettadresse"), blank=True)
    standards = TaggableManager(
        verbose_name=_("standarder"),
        through=TaggedSystem,
        blank=True,
        help_text=_("Skill med komma, f.eks. «Noark 5, Fiks»."),
    )
    is_approved = models.BooleanField(
        _("godkjent"), default=True, help_text=_("Forslag fra leverandører venter på en moderator.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("foreslått av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=Now())

    objects = SystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("fagsystem")
        verbose_name_plural = _("fagsystemer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="system_name_unique_per_vendor")
        ]
        indexes = [models.Index(fields=["vendor", "name"], name="system_vendor_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:system", kwargs={"slug": self.slug})


class UsageQuerySet(models.QuerySet["Usage"]):
    def for_listing(self) -> UsageQuerySet:
        """What a usage row shows (organisation, county, system, vendor, sector), in one query."""
        return self.select_related(
            "organisation__county", "system__vendor", "sector", "confirmed_by"
        )

    def of_approved_systems(self) -> UsageQuerySet:
        return self.filter(system__is_approved=True)


class Usage(models.Model):
    """Organisation X uses system Y for sector Z, with a status."""

    class Status(models.TextChoices):
        I_BRUK = "i_bruk", _("I bruk")
        VALGT = "valgt", _("Valgt for ny kommune")
        ANSKAFFELSE = "anskaffelse", _("Under anskaffelse")
        UTFASES = "utfases", _("Utfases")
        AVVIKLET = "avviklet", _("Avviklet")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        on_delete=models.CASCADE,
        related_name="usages",
    )
    system = models.ForeignKey(
        System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="usages"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sektor"), on_delete=models.PROTECT, related_name="usages"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    since = models.DateField(
        _("fra"), null=True, blank=True, help_text=_("År og måned (første dag i måneden).")
    )
    until = models.DateField(
        _("til"), null=True, blank=True, help_text=_("År og måned (første dag i måneden).")
    )
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist bekreftet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("sist bekreftet"), null=True, blank=True)
    is_example = models.BooleanField(
        _("eksempeldata"), default=False, help_text=_("Demodata, ikke virkelige opplysninger.")
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=Now())

    objects = UsageQuerySet.as_manager()

    class Meta:
        verbose_name = _("systembruk")
        verbose_name_plural = _("systembruk")
        ordering = ["organisation", "sector", "system"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "system", "sector"], name="usage_unique_per_sector"
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="usage_until_not_before_since",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["i_bruk", "valgt", "anskaffelse", "utfases", "avviklet"]),
                name="usage_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["system", "status"], name="usage_system_status"),
            models.Index(fields=["sector", "status"], name="usage_sector_status"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.system} ({self.sector})"


class UsageChange(models.Model):
    """One change to a usage: who, when, and field by field what it was and became."""

    class Action(models.TextChoices):
        CREATED = "created", _("Lagt til")
        UPDATED = "updated", _("Endret")
        CONFIRMED = "confirmed", _("Bekreftet")
        DELETED = "deleted", _("Slettet")

    usage = models.ForeignKey(
        Usage,
        verbose_name=_("systembruk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        on_delete=models.CASCADE,
        related_name="usage_changes",
    )
    summary = models.CharField(
        _("gjelder"), max_length=300, help_text=_("System og sektor, også etter sletting.")
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    changes = models.JSONField(
        _("endringer"), default=dict, blank=True, help_text=_("Felt: [før, etter].")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("endret"), db_default=Now())

    class Meta:
        verbose_name = _("endring i systembruk")
        verbose_name_plural = _("endringer i systembruk")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-changed_at"], name="usagechange_org")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.summary}"
