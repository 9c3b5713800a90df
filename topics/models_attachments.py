"""Files attached to posts. Served only through topics.views_attachments, never directly."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from topics.attachments import KIND_LABELS


def attachment_path(instance: Attachment, filename: str) -> str:
    """An unguessable storage path; the member's file name is kept only in the database."""
    key = uuid.uuid4().hex
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"vedlegg/{key[:2]}/{key}{suffix}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", KIND_LABELS["pdf"]
        IMAGE = "image", KIND_LABELS["image"]
        OFFICE = "office", KIND_LABELS["office"]
        TEXT = "text", KIND_LABELS["text"]
        CSV = "csv", KIND_LABELS["csv"]
        ZIP = "zip", KIND_LABELS["zip"]

    post = models.ForeignKey(
        "topics.Post",
        verbose_name=_("innlegg"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("filnavn"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("innholdstype"), max_length=100)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lastet opp"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["post", "pk"]
        indexes = [models.Index(fields=["post", "id"], name="attachment_post")]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["pdf", "image", "office", "text", "csv", "zip"]),
                name="attachment_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topics:attachment", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE
