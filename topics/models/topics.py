from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from accounts import permissions as account_permissions
from accounts.models import MemberGroup, MemberGroupMembership, Organisation
from forum.text import localized_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class CategoryQuerySet(models.QuerySet["Category"]):
    def visible_to(self, user: User | AnonymousUser) -> CategoryQuerySet:
        """The one place that decides which categories a user may read.

        Everything that lists, shows, counts, searches or sends topics and posts builds on
        this queryset; nothing else filters on visibility.
        """
        public = Q(visibility=Category.Visibility.OFFENTLIG)
        if not user.is_authenticated or not user.is_active:
            return self.filter(public)
        if account_permissions.is_moderator(user):
            return self.all()
        allowed = public | Q(visibility=Category.Visibility.INNLOGGET)
        if account_permissions.is_verified_municipal(user):
            allowed |= Q(visibility=Category.Visibility.KOMMUNER)
        my_groups = MemberGroupMembership.objects.filter(user=user).values("group")
        allowed |= Q(
            visibility=Category.Visibility.GRUPPE,
            pk__in=Category.groups.through.objects.filter(membergroup__in=my_groups).values(
                "category"
            ),
        )
        return self.filter(allowed)


def _moderation_filter(user: User | AnonymousUser, *, posts: bool = False) -> Q:
    """Soft-deleted topics and unapproved posts: only moderators (and the author) see them."""
    if user.is_authenticated and user.is_moderator:
        return Q()
    visible = Q(is_approved=True)
    if user.is_authenticated:
        visible |= Q(author=user)
    return visible if posts else Q(deleted_at__isnull=True) & visible


class Category(models.Model):
    class Visibility(models.TextChoices):
        OFFENTLIG = "offentlig", _("Offentlig: alle, også uten å logge inn")
        INNLOGGET = "innlogget", _("Innlogget: alle innloggede medlemmer")
        KOMMUNER = "kommuner", _("Kommuner: verifiserte medlemmer i kommunal sektor")
        GRUPPE = "gruppe", _("Gruppe: bare medlemmer av bestemte grupper")

    class Audience(models.TextChoices):
        ALLE = "alle", _("Alle som kan lese kategorien")
        KOMMUNER = "kommuner", _("Verifiserte medlemmer i kommunal sektor")
        MODERATORER = "moderatorer", _("Bare moderatorer")

    name = models.CharField(_("navn"), max_length=100)
    name_en = models.CharField(
        _("navn på engelsk"), max_length=100, blank=True, help_text=_("Vises på engelsk.")
    )
    slug = models.SlugField(_("adresse"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)
    visibility = models.CharField(
        _("synlighet"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.OFFENTLIG,
        help_text=_("Hvem som kan lese trådene i kategorien."),
    )
    groups = models.ManyToManyField(
        MemberGroup,
        verbose_name=_("grupper"),
        blank=True,
        related_name="categories",
        help_text=_("Gruppene som kan lese en kategori med synlighet «gruppe»."),
    )
    start_audience = models.CharField(
        _("hvem kan starte tråder"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.ALLE,
    )
    reply_audience = models.CharField(
        _("hvem kan svare"), max_length=20, choices=Audience.choices, default=Audience.ALLE
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["visibility"], name="category_visibility")]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("topics:category", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name in the current language (English when there is one)."""
        return localized_name(self.name, self.name_en)


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


@functools.cache
def _page_flags() -> dict[str, models.Exists]:
    """The expressions of TopicQuerySet.with_page_flags, built once per process (they do not
    depend on the reader; each query resolves its own copy)."""
    from django.contrib.auth.models import AnonymousUser

    from topics.models.moderation import ModerationLogEntry

    here = models.OuterRef("pk")
    return {
        "is_public": models.Exists(Topic.objects.visible_to(AnonymousUser()).filter(pk=here)),
        "has_public_notices": models.Exists(
            ModerationLogEntry.objects.filter(
                Q(topic_id=here) | Q(other_topic_id=here),
                action__in=ModerationLogEntry.PUBLIC_NOTICE_ACTIONS,
            )
        ),
    }


class TopicQuerySet(models.QuerySet["Topic"]):
    def visible_to(self, user: User | AnonymousUser) -> TopicQuerySet:
        return self.filter(category__in=Category.objects.visible_to(user)).filter(
            _moderation_filter(user)
        )

    def for_listing(self) -> TopicQuerySet:
        """What a topic list row shows, fetched in a fixed number of queries.

        The sectors come as a plain list, `sector_list`: prefetched into the tag manager
        instead, django-taggit built (and threw away) a query per row to hold them, a sixth
        of a signed-in front page's time."""
        return self.select_related("category", "author__organisation").prefetch_related(
            models.Prefetch("tags", to_attr="sector_list")
        )

    def in_front_page_order(self) -> TopicQuerySet:
        return self.order_by("-is_pinned", "-last_activity_at", "-pk")

    def questions(self) -> TopicQuerySet:
        return self.filter(kind=Topic.Kind.SPORSMAL)

    def solved(self) -> TopicQuerySet:
        return self.questions().filter(solved_post__isnull=False)

    def unanswered(self) -> TopicQuerySet:
        """Questions without an accepted answer (they may have replies that did not help)."""
        return self.questions().filter(solved_post__isnull=True)

    def experiences(self) -> TopicQuerySet:
        return self.filter(kind=Topic.Kind.ERFARING)

    def with_page_flags(self) -> TopicQuerySet:
        """What the topic page asks before it fetches more: is the topic public (a feed
        exists), has it public moderation notices, has it action items. Answered inside the
        topic's own query, so a topic without them costs no query each."""
        return self.annotate(**_page_flags())

    def with_read_state(self, user: User | AnonymousUser) -> TopicQuerySet:
        """Annotate `last_read_position` and `unread_count` (None when never opened)."""
        if not user.is_authenticated:
            return self
        read = TopicReadState.objects.filter(topic=models.OuterRef("pk"), user=user)
        return self.annotate(
            last_read_position=models.Subquery(read.values("position")[:1]),
            unread_count=models.ExpressionWrapper(
                models.F("reply_count") + 1 - models.F("last_read_position"),
                output_field=models.IntegerField(),
            ),
        )

    def in_category_order(self) -> TopicQuerySet:
        """Pinned in the category (or on the front page) first, then the latest activity."""
        return self.order_by("-is_pinned_in_category", "-is_pinned", "-last_activity_at", "-pk")

    def curated(self) -> TopicQuerySet:
        return self.filter(is_curated=True)

    def not_muted_by(self, user: User | AnonymousUser) -> TopicQuerySet:
        """Leave out what the member muted: the topic, its category, a sector of it, or its
        author. Signed out, nothing is muted (and only such lists are shared in a cache)."""
        if not user.is_authenticated:
            return self
        from topics.models.personal import Mute

        mutes = Mute.objects.filter(member=user)
        muted_sectors = TaggedTopic.objects.filter(
            tag__in=mutes.filter(sector__isnull=False).values("sector")
        ).values("content_object")
        return self.exclude(
            Q(pk__in=mutes.filter(topic__isnull=False).values("topic"))
            | Q(category__in=mutes.filter(category__isnull=False).values("category"))
            | Q(author__in=mutes.filter(muted_member__isnull=False).values("muted_member"))
            | Q(pk__in=muted_sectors)
        )

    def with_personal_state(self, user: User | AnonymousUser) -> TopicQuerySet:
        """For the topic page: whether the member muted the topic (`is_muted`), their bookmark
        of it (`bookmark_id`) and the draft of their reply (`draft_body`), asked inside the
        topic's own query."""
        if not user.is_authenticated:
            return self
        from topics.models.personal import Bookmark, Draft, Mute

        here = models.OuterRef("pk")
        place = models.functions.Concat(
            models.Value("reply:"), models.functions.Cast(here, models.CharField())
        )
        return self.annotate(
            is_muted=models.Exists(Mute.objects.filter(member=user, topic=here)),
            bookmark_id=models.Subquery(
                Bookmark.objects.filter(member=user, topic=here).values("pk")[:1]
            ),
            draft_body=models.Subquery(
                Draft.objects.filter(member=user, place=place).values("body")[:1]
            ),
        )


class Topic(models.Model):
    class Kind(models.TextChoices):
        SPORSMAL = "sporsmal", _("Spørsmål")
        ERFARING = "erfaring", _("Erfaring")
        DISKUSJON = "diskusjon", _("Diskusjon")
        WORKSHOP = "workshop", _("Workshop-tema")

    class Verdict(models.TextChoices):
        POSITIV = "positiv", _("Positiv")
        NEGATIV = "negativ", _("Negativ")
        BLANDET = "blandet", _("Blandet")

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
    systems = models.ManyToManyField(
        "directory.System", verbose_name=_("systemer"), blank=True, related_name="topics"
    )
    verdict = models.CharField(
        _("vurdering"),
        max_length=10,
        choices=Verdict.choices,
        blank=True,
        help_text=_("For erfaringer: var erfaringen positiv, negativ eller blandet?"),
    )
    solved_post = models.ForeignKey(
        "Post",
        verbose_name=_("svaret"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("markert som svar av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_pinned_in_category = models.BooleanField(_("festet i kategorien"), default=False)
    is_curated = models.BooleanField(
        _("anbefalt"), default=False, help_text=_("Vises under «Anbefalt» på forsiden.")
    )
    closed_reason = models.CharField(
        _("grunn til lukking"), max_length=500, blank=True, help_text=_("Vises i tråden.")
    )
    is_approved = models.BooleanField(
        _("godkjent"), default=True, help_text=_("Tråder fra nye medlemmer venter på godkjenning.")
    )
    deleted_at = models.DateTimeField(_("slettet"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("slettet av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    solved_at = models.DateTimeField(_("markert som svar"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("versjon"),
        default=1,
        db_default=1,
        editable=False,
        help_text=_("Øker når tittel eller sektorer endres: et utdatert skjema avvises."),
    )

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
            models.Index(fields=["kind", "solved_at", "created_at"], name="topic_kind_solved"),
            # A category's list (in_category_order), read in index order.
            models.Index(
                fields=[
                    "category",
                    "-is_pinned_in_category",
                    "-is_pinned",
                    "-last_activity_at",
                    "-id",
                ],
                name="topic_category_list",
            ),
            # The front page's "Anbefalt": a few curated topics among all of them.
            models.Index(
                fields=["-is_pinned", "-last_activity_at", "-id"],
                condition=Q(is_curated=True),
                name="topic_curated_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:topic", kwargs={"pk": self.pk, "slug": self.slug})

    def position_url(self, position: int) -> str:
        """The address of the post at `position`: its page of the topic and its anchor."""
        page = (position - 1) // settings.POSTS_PER_PAGE + 1
        url = self.get_absolute_url() + (f"?side={page}" if page > 1 else "")
        return f"{url}#innlegg-{position}"

    @property
    def is_question(self) -> bool:
        return self.kind == Topic.Kind.SPORSMAL

    @property
    def is_solved(self) -> bool:
        return self.solved_post_id is not None


class PostQuerySet(models.QuerySet["Post"]):
    def visible_to(self, user: User | AnonymousUser) -> PostQuerySet:
        return self.filter(topic__in=Topic.objects.visible_to(user)).filter(
            _moderation_filter(user, posts=True)
        )

    def visible_in(self, topic: Topic, user: User | AnonymousUser) -> PostQuerySet:
        """The posts of a topic that was fetched through `Topic.objects.visible_to(user)`:
        the topic's visibility is decided, so only the posts' own rule (unapproved posts
        are for moderators and their authors) is left - without the topic and category
        subqueries, which cost the topic page more to build and plan than to run."""
        return self.filter(topic=topic).filter(_moderation_filter(user, posts=True))

    def by_member(self, member: User) -> PostQuerySet:
        """What a member's page lists of what they wrote: call it on `visible_to(viewer)`.
        Hidden posts are left out, as search leaves them out."""
        return self.filter(author=member, is_hidden=False)

    def accepted_answers(self) -> PostQuerySet:
        return self.filter(topic__solved_post=models.F("pk"))

    def member_summary(self) -> dict[str, int]:
        """How many posts, how many of them accepted answers, and the «nyttig» they got:
        one query, over the posts the queryset holds (so over what the viewer may see)."""
        counts = self.order_by().aggregate(
            posts=models.Count("pk"),
            answers=models.Count("pk", filter=Q(topic__solved_post=models.F("pk"))),
            useful=models.Sum("useful_count", default=0),
        )
        return {name: int(value or 0) for name, value in counts.items()}

    def for_member_page(self) -> PostQuerySet:
        """A row of a member's list: the post's topic and category, no Markdown source."""
        return self.defer("body").select_related("topic__category")

    def with_bookmarks(self, user: User | AnonymousUser) -> PostQuerySet:
        """`bookmark_id` on each post (None if the member has not bookmarked it), asked inside
        the posts' own query."""
        if not user.is_authenticated:
            return self
        from topics.models.personal import Bookmark

        mine = Bookmark.objects.filter(member=user, post=models.OuterRef("pk"))
        return self.annotate(bookmark_id=models.Subquery(mine.values("pk")[:1]))

    def awaiting_approval(self) -> PostQuerySet:
        return self.filter(is_approved=False, is_hidden=False)

    def for_display(self) -> PostQuerySet:
        """A post with everything its byline needs (organisation, badges, editor), without
        its Markdown source (pages show the HTML)."""
        from django.contrib.auth import get_user_model

        # Whether the author is a moderator (the byline's badge), asked inside the posts'
        # query: `author_is_moderator`, which topics.fragments hands to the author.
        in_moderator_group = get_user_model().groups.through.objects.filter(
            user_id=models.OuterRef("author_id"), group__name=settings.MODERATOR_GROUP
        )
        return (
            self.defer("body")
            .select_related("author__organisation", "edited_by")
            .prefetch_related("attachments")
            .annotate(author_is_moderator=models.Exists(in_moderator_group))
        )


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    def get_queryset(self) -> PostQuerySet:
        # The search vector is as long as the post and only PostgreSQL's search reads it:
        # never fetched into Python unless asked for.
        return super().get_queryset().defer("search_vector")


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
    useful_count = models.PositiveIntegerField(_("antall «nyttig»"), default=0)
    is_approved = models.BooleanField(
        _("godkjent"), default=True, help_text=_("Innlegg fra nye medlemmer venter på godkjenning.")
    )
    # The topic's title (weight A, first post only) and the body (weight B), Norwegian
    # stemming. Written by topics.actions on PostgreSQL; unused (NULL) on SQLite.
    search_vector = SearchVectorField(_("søkeindeks"), null=True, editable=False)
    version = models.PositiveIntegerField(
        _("versjon"),
        default=1,
        db_default=1,
        editable=False,
        help_text=_("Øker ved hver endring av teksten: et utdatert skjema avvises."),
    )

    objects = PostManager()

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
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),
            models.Index(fields=["topic", "-useful_count", "position"], name="post_topic_useful"),
            GinIndex(fields=["search_vector"], name="post_search_vector"),
            # The moderation queue and the moderators' report of approvals waiting
            # (`awaiting_approval`): a few posts among a million, found without a scan.
            models.Index(
                fields=["created_at"],
                name="post_awaiting_approval",
                condition=Q(is_approved=False, is_hidden=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("topics:post", kwargs={"pk": self.pk})

    @property
    def is_first(self) -> bool:
        return self.position == 1

    @property
    def is_awaiting_approval(self) -> bool:
        return not self.is_approved and not self.is_hidden


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


class UsefulMark(models.Model):
    """A member found a post useful ("Nyttig"). One per member and post; it can be undone."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="useful_marks",
    )
    created_at = models.DateTimeField(_("markert"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("«nyttig»-markering")
        verbose_name_plural = _("«nyttig»-markeringer")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="useful_mark_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.post}"


class TopicReadState(models.Model):
    """How far a member has read in a topic: the highest post position they have been shown."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.CASCADE,
        related_name="topic_read_states",
    )
    position = models.PositiveIntegerField(_("lest til og med innlegg nr."))
    updated_at = models.DateTimeField(_("sist lest"), db_default=models.functions.Now())

    class Meta:
        verbose_name = _("lesestatus")
        verbose_name_plural = _("lesestatuser")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="read_state_once_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.topic} #{self.position}"
