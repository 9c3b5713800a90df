from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from forum.text import norwegian_slugify

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

    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    class Meta:
        verbose_name = _("sektor")
        verbose_name_plural = _("sektorer")
        ordering = ["position", "name"]

    def get_absolute_url(self) -> str:
        return reverse("topics:sector", kwargs={"slug": self.slug})

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = norwegian_slugify(tag)
        if i is not None:
            slug += f"-{i}"
        return slug
