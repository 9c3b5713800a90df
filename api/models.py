"""Personal API tokens: shown once, stored only as a SHA-256 hash, revocable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("navn"), max_length=100, help_text=_("Hva nøkkelen brukes til, f.eks. «Power BI».")
    )
    prefix = models.CharField(
        _("begynnelse"), max_length=12, help_text=_("De første tegnene, så du kjenner den igjen.")
    )
    token_hash = models.CharField(_("SHA-256 av nøkkelen"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user")]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
