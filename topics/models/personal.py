"""What belongs to one member alone: drafts of what they write, bookmarks, and what they muted.

Nothing here is shown to anyone else, so nothing here may reach a shared cache: the pages and
lists that read these models are members' pages (forum/page_cache.py never stores them).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from topics.models.topics import Category, Post, TaggedTopic, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# "<kind>:<id>" or "<kind>:new": where a draft will be sent. Which kinds exist is
# topics.drafts' registry; this is only the spelling.
PLACE_PATTERN = re.compile(r"^[a-z][a-z_]{0,30}:(?:new|[1-9][0-9]{0,18})$")
PLACE_MAX_LENGTH = 50


def validate_place_spelling(value: str) -> None:
    if not PLACE_PATTERN.fullmatch(value or ""):
        raise ValidationError(_("Ukjent sted for et utkast."), code="invalid_place")


class Draft(models.Model):
    """What a member is writing, saved as they write, one per member and place."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    place = models.CharField(
        _("sted"),
        max_length=PLACE_MAX_LENGTH,
        validators=[validate_place_spelling],
        help_text=_("Hvor utkastet skal sendes, for eksempel «reply:12» eller «topic:new»."),
    )
    title = models.CharField(_("tittel"), max_length=settings.TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("tekst"), max_length=settings.POST_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("sist lagret"), auto_now=True)

    class Meta:
        verbose_name = _("utkast")
        verbose_name_plural = _("utkast")
        constraints = [
            models.UniqueConstraint(fields=["member", "place"], name="draft_once_per_place")
        ]
        indexes = [models.Index(fields=["member", "-updated_at"], name="draft_member_recent")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.place}"

    @property
    def kind(self) -> str:
        return self.place.partition(":")[0]

    @property
    def target(self) -> str:
        return self.place.partition(":")[2]


class BookmarkQuerySet(models.QuerySet["Bookmark"]):
    def visible_to(self, user: User | AnonymousUser) -> BookmarkQuerySet:
        """The member's own bookmarks of what they may still read."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member=user).filter(
            Q(topic__in=Topic.objects.visible_to(user))
            | Q(post__in=Post.objects.visible_to(user).filter(is_hidden=False))
        )

    def for_listing(self) -> BookmarkQuerySet:
        return self.select_related("topic", "post__topic").defer(
            "post__body", "post__body_html", "post__search_vector"
        )

    def due(self, now) -> BookmarkQuerySet:
        return self.filter(remind_at__lte=now, reminded_at__isnull=True)


class Bookmark(models.Model):
    """A member keeps a topic or a post to come back to, with a note and perhaps a reminder."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("tråd"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("innlegg"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookmarks",
    )
    note = models.CharField(_("notat"), max_length=500, blank=True)
    remind_at = models.DateTimeField(_("påminnelse"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påminnet"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), db_default=models.functions.Now())

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bokmerke")
        verbose_name_plural = _("bokmerker")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, post__isnull=True)
                | Q(topic__isnull=True, post__isnull=False),
                name="bookmark_topic_or_post",
            ),
            models.UniqueConstraint(
                fields=["member", "topic"],
                condition=Q(topic__isnull=False),
                name="bookmark_topic_once",
            ),
            models.UniqueConstraint(
                fields=["member", "post"],
                condition=Q(post__isnull=False),
                name="bookmark_post_once",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="bookmark_member_recent"),
            models.Index(
                fields=["remind_at"], condition=Q(reminded_at__isnull=True), name="bookmark_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.post or self.topic}"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url() if self.post_id else self.topic.get_absolute_url()

    @property
    def shown_topic(self) -> Topic:
        return self.topic if self.topic_id else self.post.topic


class MuteQuerySet(models.QuerySet["Mute"]):
    def affecting(self, topic: Topic, *, author_id: int | None) -> MuteQuerySet:
        """Mutes that silence `topic` (itself, its category, one of its sectors, its author,
        or the author of the post, `author_id`)."""
        sectors = TaggedTopic.objects.filter(content_object=topic).values("tag_id")
        authors = {topic.author_id, author_id} - {None}
        return self.filter(
            Q(topic=topic)
            | Q(category_id=topic.category_id)
            | Q(sector__in=sectors)
            | Q(muted_member__in=authors)
        )


class Mute(models.Model):
    """A member does not want to see one topic, category, sector or member's topics in their
    lists, nor be notified about them."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="mutes",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("tråd"), null=True, blank=True, on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), null=True, blank=True, on_delete=models.CASCADE
    )
    sector = models.ForeignKey(
        "directory.Sector",
        verbose_name=_("sektor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    muted_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dempet medlem"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="muted_by",
    )
    created_at = models.DateTimeField(_("dempet fra"), db_default=models.functions.Now())

    objects = MuteQuerySet.as_manager()

    TARGETS = ("topic", "category", "sector", "muted_member")

    class Meta:
        verbose_name = _("demping")
        verbose_name_plural = _("dempinger")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        topic__isnull=False,
                        category__isnull=True,
                        sector__isnull=True,
                        muted_member__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=False,
                        sector__isnull=True,
                        muted_member__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=True,
                        sector__isnull=False,
                        muted_member__isnull=True,
                    )
                    | Q(
                        topic__isnull=True,
                        category__isnull=True,
                        sector__isnull=True,
                        muted_member__isnull=False,
                    )
                ),
                name="mute_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(muted_member=models.F("member")), name="mute_not_oneself"
            ),
            models.UniqueConstraint(
                fields=["member", "topic"], condition=Q(topic__isnull=False), name="mute_topic_once"
            ),
            models.UniqueConstraint(
                fields=["member", "category"],
                condition=Q(category__isnull=False),
                name="mute_category_once",
            ),
            models.UniqueConstraint(
                fields=["member", "sector"],
                condition=Q(sector__isnull=False),
                name="mute_sector_once",
            ),
            models.UniqueConstraint(
                fields=["member", "muted_member"],
                condition=Q(muted_member__isnull=False),
                name="mute_member_once",
            ),
        ]
        indexes = [
            models.Index(fields=["topic"], name="mute_by_topic"),
            models.Index(fields=["category"], name="mute_by_category"),
            models.Index(fields=["sector"], name="mute_by_sector"),
            models.Index(fields=["muted_member"], name="mute_by_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ⊘ {self.target}"

    @property
    def target(self) -> object:
        return self.topic or self.category or self.sector or self.muted_member
