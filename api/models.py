"""Personal API tokens: shown once, stored only as a SHA-256 hash, revocable, scoped and
with an expiry; a log of every write made with one, and the idempotency keys of its POSTs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Lese det du kan lese i forumet")
    WRITE_POSTS = (
        "write:posts",
        _("Skrive: tråder, svar, endringer, «Nyttig», godkjente svar, rapporter, varsler"),
    )
    WRITE_DIRECTORY = "write:directory", _("Endre katalogen (organisasjonens systembruk)")
    MODERATE = "moderate", _("Moderere (bare for moderatorer)")


def read_only() -> list[str]:
    return [Scope.READ]


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Not revoked and not expired."""
        return self.filter(revoked_at__isnull=True).exclude(expires_at__lte=timezone.now())


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
    # A list of Scope values (JSON, so that it works on every database the forum runs on).
    scopes = models.JSONField(_("tilganger"), default=read_only)
    expires_at = models.DateTimeField(
        _("utløper"), null=True, blank=True, help_text=_("Tom: utløper aldri.")
    )

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
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiWriteLog(models.Model):
    """One write through the API: which token, what, and how it ended. Kept for the
    owner and the operators to answer «what did this integration do?»."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("nøkkel"), on_delete=models.CASCADE, related_name="writes"
    )
    operation = models.CharField(_("operasjon"), max_length=50)
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("adresse"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    object_id = models.BigIntegerField(_("objekt"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotensnøkkel"), max_length=255, blank=True)
    replayed = models.BooleanField(_("gjentatt svar"), default=False)
    created_at = models.DateTimeField(_("tidspunkt"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("skriving gjennom API-et")
        verbose_name_plural = _("skrivinger gjennom API-et")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["token", "-created_at"], name="apiwritelog_token")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with `Idempotency-Key`, per token, for 24 hours."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotencykey_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotencykey_created")]

    def __str__(self) -> str:
        return self.key


class WebhookEvent(models.TextChoices):
    TOPIC_CREATED = "topic.created", _("Ny tråd")
    POST_CREATED = "post.created", _("Nytt svar")
    ANSWER_ACCEPTED = "answer.accepted", _("Svar godkjent")
    USAGE_CHANGED = "usage.changed", _("Systembruk endret")


def all_events() -> list[str]:
    return list(WebhookEvent.values)


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def managed_by(self, user) -> WebhookEndpointQuerySet:
        """The endpoints a member manages: their organisation's (as a verified member of it)
        and, for a moderator, the ones they registered for the moderators."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        mine = Q(pk__in=[])
        if user.is_moderator:
            mine |= Q(organisation__isnull=True, created_by=user)
        if user.organisation_is_verified:
            mine |= Q(organisation_id=user.organisation_id)
        return self.filter(mine)


class WebhookEndpoint(models.Model):
    """An HTTPS address that is told, signed by the Standard Webhooks scheme, what happens in
    the forum. Owned by an organisation (registered by one of its verified members) or, with
    no organisation, by the moderator who registered it."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisasjon"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    # Kept when the member leaves: the endpoint is the organisation's. A moderator's endpoint
    # without its moderator sends nothing more.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("adresse"), max_length=500)
    description = models.CharField(_("beskrivelse"), max_length=200, blank=True)
    # A list of WebhookEvent values.
    events = models.JSONField(_("hendelser"), default=all_events)
    categories = models.ManyToManyField(
        "topics.Category", verbose_name=_("kategorier"), blank=True, related_name="+"
    )
    sectors = models.ManyToManyField(
        "directory.Sector", verbose_name=_("sektorer"), blank=True, related_name="+"
    )
    systems = models.ManyToManyField(
        "directory.System", verbose_name=_("systemer"), blank=True, related_name="+"
    )
    # `whsec_` + base64 of 32 random bytes. Kept (it signs every delivery), shown once.
    secret = models.CharField(_("hemmelighet"), max_length=100)
    is_active = models.BooleanField(_("aktiv"), default=True)
    failure_count = models.PositiveIntegerField(_("feil på rad"), default=0)
    disabled_at = models.DateTimeField(_("slått av etter feil"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: what was (or will be) sent, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        DELIVERED = "delivered", _("Levert")
        FAILED = "failed", _("Feilet")
        SKIPPED = "skipped", _("Hoppet over")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("hendelse"), max_length=40, choices=WebhookEvent.choices)
    post = models.ForeignKey(
        "topics.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    usage_change = models.ForeignKey(
        "directory.UsageChange",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payload = models.JSONField(_("innhold"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("siste svarkode"), null=True, blank=True)
    last_error = models.CharField(_("siste feil"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("levert"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("webhook-levering")
        verbose_name_plural = _("webhook-leveringer")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhookdelivery_endpoint")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
