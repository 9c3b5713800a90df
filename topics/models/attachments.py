"""Files attached to posts. Served only through topics.attachments.views, never directly.

A file pasted or dropped into a text that is not sent yet is a draft: no post, seen only by
the member who uploaded it. Sending the text makes it the post's (attachment_actions.
claim_drafts), and from then on it is seen by whoever may see the post."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from topics.attachments.files import KIND_LABELS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def attachment_path(instance: Attachment, filename: str) -> str:
    """An unguessable storage path; the member's file name is kept only in the database."""
    key = uuid.uuid4().hex
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"vedlegg/{key[:2]}/{key}{suffix}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: User | AnonymousUser) -> AttachmentQuerySet:
        """The files of the posts the user may see, and the user's own drafts."""
        from topics.models import Post

        visible = Q(post__in=Post.objects.visible_to(user))
        if user.is_authenticated:
            visible |= Q(post__isnull=True, uploaded_by=user)
        return self.filter(visible)

    def drafts_of(self, user: User) -> AttachmentQuerySet:
        return self.filter(post__isnull=True, uploaded_by=user)


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
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        help_text=_("Tomt for et utkast: en fil lastet opp i en tekst som ikke er sendt ennå."),
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

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["post", "pk"]
        indexes = [
            models.Index(fields=["post", "id"], name="attachment_post"),
            models.Index(
                fields=["uploaded_by", "created_at"],
                condition=Q(post__isnull=True),
                name="attachment_draft",
            ),
        ]
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

    @property
    def is_draft(self) -> bool:
        return self.post_id is None
