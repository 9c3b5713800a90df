from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from accounts.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class CategoryQuerySet(models.QuerySet["Category"]):
    def visible_to(self, user: User | AnonymousUser) -> CategoryQuerySet:
        """The one place that decides which categories a user may read.

        Every category is public for now; closed spaces will narrow this queryset, and
        everything that lists topics or posts builds on it.
        """
        return self.all()


class Category(models.Model):
    name = models.CharField(_("navn"), max_length=100)
    slug = models.SlugField(_("adresse"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topics:category", kwargs={"slug": self.slug})


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey("Topic", on_delete=models.CASCADE)
    tag = models.ForeignKey(
        "directory.Sector", on_delete=models.CASCADE, related_name="tagged_topics"
    )

    class Meta:
        verbose_name = _("sektor for tråd")
        verbose_name_plural = _("sektorer for tråder")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="topic_sector_unique")
        ]


class TopicQuerySet(models.QuerySet["Topic"]):
    def visible_to(self, user: User | AnonymousUser) -> TopicQuerySet:
        return self.filter(category__in=Category.objects.visible_to(user))

    def for_listing(self) -> TopicQuerySet:
        """What a topic list row shows, fetched in a fixed number of queries."""
        return self.select_related(
            "category", "author__organisation", "last_poster"
        ).prefetch_related("tags")

    def in_front_page_order(self) -> TopicQuerySet:
        return self.order_by("-is_pinned", "-last_activity_at", "-pk")


class Topic(models.Model):
    class Kind(models.TextChoices):
        SPORSMAL = "sporsmal", _("Spørsmål")
        ERFARING = "erfaring", _("Erfaring")
        DISKUSJON = "diskusjon", _("Diskusjon")
        WORKSHOP = "workshop", _("Workshop-tema")

    title = models.CharField(_("tittel"), max_length=settings.TITLE_MAX_LENGTH)
    slug = models.SlugField(_("adresse"), max_length=100, allow_unicode=False)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="topics"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startet av"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SPORSMAL)
    tags = TaggableManager(
        verbose_name=_("sektorer"), through=TaggedTopic, blank=True, help_text=""
    )
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())
    last_activity_at = models.DateTimeField(_("siste aktivitet"), db_default=models.functions.Now())
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("siste innlegg av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_count = models.PositiveIntegerField(_("antall svar"), default=0)
    is_pinned = models.BooleanField(_("festet"), default=False)
    is_locked = models.BooleanField(_("låst"), default=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("tråd")
        verbose_name_plural = _("tråder")
        indexes = [
            models.Index(
                fields=["-is_pinned", "-last_activity_at", "-id"], name="topic_front_order"
            ),
            models.Index(
                fields=["category", "-is_pinned", "-last_activity_at", "-id"],
                name="topic_category_order",
            ),
            models.Index(fields=["author", "-created_at"], name="topic_author_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:topic", kwargs={"pk": self.pk, "slug": self.slug})


class PostQuerySet(models.QuerySet["Post"]):
    def visible_to(self, user: User | AnonymousUser) -> PostQuerySet:
        return self.filter(topic__in=Topic.objects.visible_to(user))

    def for_display(self) -> PostQuerySet:
        """A post with everything its byline needs (organisation, badges, editor)."""
        return self.select_related(
            "author__organisation", "edited_by", "hidden_by"
        ).prefetch_related(Prefetch("author__groups"))


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forfatter"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    position = models.PositiveIntegerField(
        _("nummer i tråden"), help_text=_("1 er innlegget som startet tråden.")
    )
    body = models.TextField(_("tekst"), max_length=settings.POST_MAX_LENGTH)
    body_html = models.TextField(_("tekst (HTML)"))
    created_at = models.DateTimeField(_("skrevet"), db_default=models.functions.Now())
    edited_at = models.DateTimeField(_("endret"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_hidden = models.BooleanField(_("skjult"), default=False)
    hidden_reason = models.CharField(_("grunn til skjuling"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skjult av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("skjult"), null=True, blank=True)
    client_token = models.UUIDField(
        _("skjemanøkkel"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Engangsnøkkel fra skjemaet: samme skjema sendt to ganger gir ett innlegg."),
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("innlegg")
        verbose_name_plural = _("innlegg")
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_position_unique"),
            models.UniqueConstraint(
                fields=["author", "client_token"], name="post_client_token_unique_per_author"
            ),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("topics:post", kwargs={"pk": self.pk})

    @property
    def is_first(self) -> bool:
        return self.position == 1


class PostRevision(models.Model):
    """The text a post had before an edit: who replaced it, and when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("tekst"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("endret"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("tidligere versjon")
        verbose_name_plural = _("tidligere versjoner")
        ordering = ["post", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post} @ {self.created_at:%Y-%m-%d %H:%M}"


class WorkshopTopic(models.Model):
    """What the 4 December 2018 workshop report says about one of its 18 topics."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="workshop")
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    initiator = models.CharField(_("initiativtaker"), max_length=300, blank=True)
    participants = models.JSONField(_("deltagere"), default=list, blank=True)
    summary = models.TextField(_("sammendrag"), blank=True)
    summary_html = models.TextField(_("sammendrag (HTML)"), blank=True)
    next_steps = models.JSONField(_("neste steg"), default=list, blank=True)
    follow_up = models.CharField(_("oppfølgingsansvarlig"), max_length=300, blank=True)
    follow_up_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("oppfølgingsansvarlige organisasjoner"),
        blank=True,
        related_name="workshop_follow_ups",
    )

    class Meta:
        verbose_name = _("workshop-tema")
        verbose_name_plural = _("workshop-temaer")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"
