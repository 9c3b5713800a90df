from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from topics.models import Topic

if TYPE_CHECKING:
    from accounts.models import User


class Delivery(models.TextChoices):
    FORUM = "forum", _("Bare her i forumet")
    EMAIL = "epost", _("På e-post med en gang")
    DAILY = "daglig", _("Daglig sammendrag på e-post")
    WEEKLY = "ukentlig", _("Ukentlig sammendrag på e-post")
    NONE = "ingen", _("Ikke i det hele tatt")


DEFAULT_DELIVERY = Delivery.EMAIL


class NotificationPreference(models.Model):
    """How a member wants to be told. No row means the default (e-mail at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("varsling"), max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY
    )
    last_digest_at = models.DateTimeField(_("siste sammendrag"), null=True, blank=True)
    mentions_when_muted = models.BooleanField(
        _("varsle når jeg blir nevnt i noe jeg har dempet"),
        default=True,
        help_text=_("Et @-nevn kommer fram selv i en dempet tråd, kategori eller sektor."),
    )

    class Meta:
        verbose_name = _("varslingsvalg")
        verbose_name_plural = _("varslingsvalg")
        indexes = [models.Index(fields=["delivery"], name="preference_delivery")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


def delivery_for(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.delivery if preference else DEFAULT_DELIVERY


class Watch(models.Model):
    """A member follows one thing: a topic (every reply), or a category, sector or system
    (new topics there)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="watches",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("tråd"), null=True, blank=True, on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "topics.Category",
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    sector = models.ForeignKey(
        "directory.Sector",
        verbose_name=_("sektor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    system = models.ForeignKey(
        "directory.System",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("fulgt fra"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("følger")
        verbose_name_plural = _("følger")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        topic__isnull=False,
                        category__isnull=True,
                        sector__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=False,
                        sector__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=True,
                        sector__isnull=False,
                        system__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=True,
                        sector__isnull=True,
                        system__isnull=False,
                    )
                ),
                name="watch_exactly_one_of_four_targets",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="watch_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="watch_category_once",
            ),
            models.UniqueConstraint(
                fields=["user", "sector"],
                condition=Q(sector__isnull=False),
                name="watch_sector_once",
            ),
            models.UniqueConstraint(
                fields=["user", "system"],
                condition=Q(system__isnull=False),
                name="watch_system_once",
            ),
        ]
        indexes = [
            models.Index(fields=["topic"], name="watch_by_topic"),
            models.Index(fields=["category"], name="watch_by_category"),
            models.Index(fields=["sector"], name="watch_by_sector"),
            models.Index(fields=["system"], name="watch_by_system"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def target(self) -> object:
        return self.topic or self.category or self.sector or self.system


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: User) -> NotificationQuerySet:
        """A member's notifications, only about topics they may still read."""
        return self.filter(recipient=user, topic__in=Topic.objects.visible_to(user))

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_display(self) -> NotificationQuerySet:
        return self.select_related("topic", "post", "actor").order_by("-created_at", "-pk")


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "svar", _("Nytt svar")
        NEW_TOPIC = "ny_trad", _("Ny tråd")
        MENTION = "nevnt", _("Nevnt")
        ANSWER = "losning", _("Markert som svar")
        REMINDER = "paminnelse", _("Påminnelse om bokmerke")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottaker"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(
        Topic, verbose_name=_("tråd"), on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "topics.Post",
        verbose_name=_("innlegg"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sendt på e-post"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post", "kind"], name="notification_once_per_post_and_kind"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
