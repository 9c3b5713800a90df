"""One search over topics, posts and organisations.

It reads the other apps' QuerySets and never decides visibility itself: every post comes
from ``Post.objects.visible_to(user)``. On PostgreSQL it uses the stored, GIN-indexed
search vector (Norwegian stemming, title weighted above body), ranks with ts_rank and
highlights with ts_headline; names are matched with trigrams so misspellings still find
them. On SQLite a plain substring search with light stemming keeps the default setup
working.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    TrigramSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.models import Organisation
from directory.models import System
from forum.pagination import page_number
from search.text import START_MARK, STOP_MARK, excerpt_around, marked_to_html, stem, words
from topics.markdown import plain_text
from topics.models import Category, Post, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from directory.models import Sector

CONFIG = "norwegian"
POSTS_PER_PAGE = 20
CANDIDATES = 1000
NAMES_SHOWN = 6
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filters:
    category: Category | None = None
    sector: Sector | None = None
    kind: str = ""
    organisation_kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    solved: str = ""  # "lost" (solved questions) or "ubesvart" (open questions)


@dataclass
class Hit:
    """A topic that matched: its best-matching post, shown with that post's excerpt."""

    post: Post
    title: SafeString
    excerpt: SafeString
    posts_matched: int = 1


@dataclass
class Results:
    page: Page
    hits: list[Hit]
    organisations: list[Organisation] = field(default_factory=list)
    only_stop_words: bool = False
    systems: list[System] = field(default_factory=list)
    suggestion: str = ""


def _with_names(results: Results, user: User | AnonymousUser, query: str) -> Results:
    """Organisations and systems whose names match, shown above the posts on page 1, and
    a «Mente du …?» when no post matched."""
    if results.page.number == 1:
        results.organisations = search_names(Organisation.objects.all(), query)
        results.systems = search_names(
            System.objects.visible_to(user).select_related("vendor"), query
        )
        if not results.hits and not results.only_stop_words:
            results.suggestion = suggest(user, query)
    return results


def _no_terms(user: User | AnonymousUser, query: str) -> Results:
    """Only stop words or operators: no post can match, but a name still might."""
    empty = Paginator(Post.objects.none(), POSTS_PER_PAGE).get_page(1)
    return _with_names(Results(empty, [], only_stop_words=True), user, query)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search(
    *, user: User | AnonymousUser, query: str, filters: Filters, page: str | int | None = 1
) -> Results:
    if uses_postgres():
        return _search_postgres(user=user, query=query, filters=filters, page=page)
    return _search_simple(user=user, query=query, filters=filters, page=page)


def _filtered(posts: QuerySet[Post], filters: Filters) -> QuerySet[Post]:
    if filters.category is not None:
        posts = posts.filter(topic__category=filters.category)
    if filters.sector is not None:
        posts = posts.filter(topic__in=Topic.objects.filter(tags=filters.sector).values("pk"))
    if filters.kind:
        posts = posts.filter(topic__kind=filters.kind)
    if filters.organisation_kind:
        posts = posts.filter(author__organisation__kind=filters.organisation_kind)
    # Whole local days as timestamp ranges (not created_at::date), so an index can serve them
    # and the planner can estimate them.
    if filters.date_from is not None:
        posts = posts.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        posts = posts.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.solved == "lost":
        posts = posts.filter(topic__kind=Topic.Kind.SPORSMAL, topic__solved_post__isnull=False)
    elif filters.solved == "ubesvart":
        posts = posts.filter(topic__kind=Topic.Kind.SPORSMAL, topic__solved_post__isnull=True)
    return posts


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _searchable(user: User | AnonymousUser, filters: Filters) -> QuerySet[Post]:
    return _filtered(Post.objects.visible_to(user).filter(is_hidden=False), filters)


def _with_details(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("topic__category", "author__organisation")


# ---- PostgreSQL ----------------------------------------------------------------------


def _has_lexemes(query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [CONFIG, query]
        )
        return bool(cursor.fetchone()[0])


def _search_postgres(
    *, user: User | AnonymousUser, query: str, filters: Filters, page: str | int | None
) -> Results:
    if not _has_lexemes(query):
        return _no_terms(user, query)
    tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
    # Rank a bounded set: the newest CANDIDATES matching posts. Counting and ranking every
    # match of a common word (half the posts contain «kommune») costs seconds; these cost
    # the same whatever the size of the forum.
    candidates = (
        _searchable(user, filters)
        .filter(search_vector=tsquery)
        .order_by("-pk")
        .values_list("pk", "topic_id", "search_vector", "created_at")[:CANDIDATES]
    )
    ranked = _RankedCandidates(candidates, query, wanted_page=page)
    result_page = Paginator(ranked, POSTS_PER_PAGE).get_page(page)
    ids = list(result_page.object_list)
    marks = {"config": CONFIG, "start_sel": START_MARK, "stop_sel": STOP_MARK}
    posts = _with_details(Post.objects.filter(pk__in=ids)).annotate(
        title_headline=SearchHeadline("topic__title", tsquery, highlight_all=True, **marks),
    )
    by_id = {post.pk: post for post in posts}
    found = [post for pk in ids if (post := by_id.get(pk)) is not None]
    excerpts = _headlines([plain_text(post.body_html) for post in found], query)
    hits = [
        Hit(
            post=post,
            title=marked_to_html(post.title_headline),
            excerpt=marked_to_html(excerpt),
            posts_matched=ranked.posts_matched.get(post.pk, 1),
        )
        for post, excerpt in zip(found, excerpts, strict=True)
    ]
    return _with_names(Results(result_page, hits), user, query)


def _headlines(texts: list[str], query: str) -> list[str]:
    """ts_headline over the posts' plain text (what a reader sees), not over their Markdown
    source, whose «**» and link targets would show in the excerpt. One query for a page."""
    if not texts:
        return []
    options = (
        f"MaxWords=40, MinWords=20, MaxFragments=2, StartSel={START_MARK}, StopSel={STOP_MARK}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, u.text, websearch_to_tsquery(%s::regconfig, %s),"
            " %s) FROM unnest(%s::text[]) WITH ORDINALITY AS u (text, n) ORDER BY u.n",
            [CONFIG, CONFIG, query, options, texts],
        )
        return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def _planned_for_its_words() -> Iterator[None]:
    """Run the statements inside unprepared. The forum's connections prepare a statement
    after a few runs (forum/settings.py), and PostgreSQL may then plan it once for any
    search words: a plan that cannot know how many posts a word matches, which took 2-4 s
    for common words instead of 30-100 ms. Planning the search for its words costs about
    a millisecond."""
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


class _RankedCandidates:
    """The matching topics in rank order, a page at a time (what Paginator asks for): each
    topic once, as its best-ranked candidate post, ranked by that post. Counting them and
    ranking the page is one query: the candidates are found, ranked, grouped by topic and
    counted in the database (window functions), so neither their ids nor their rows are
    read twice."""

    def __init__(self, candidates: QuerySet, query: str, wanted_page: str | int | None) -> None:
        sql, params = candidates.query.sql_with_params()
        # Django's own compiled query, its values left as parameters.
        self.sql = (
            "SELECT c.id, c.topic_id, c.created_at, ts_rank(c.vector,"  # noqa: S608
            " websearch_to_tsquery(%s::regconfig, %s)) AS rank"
            f" FROM ({sql}) AS c (id, topic_id, vector, created_at)"
        )
        self.params = [CONFIG, query, *params]
        number = page_number(wanted_page)
        self.window = slice((number - 1) * POSTS_PER_PAGE, number * POSTS_PER_PAGE)
        self.ids: list[int] | None = None
        self.total: int | None = None
        self.candidates = 0
        self.posts_matched: dict[int, int] = {}

    def _ranked(self, window: slice) -> tuple[list[int], int | None]:
        with connection.cursor() as cursor, _planned_for_its_words():
            best_per_topic = (
                "SELECT b.id, b.matched, count(*) OVER (), sum(b.matched) OVER () FROM ("  # noqa: S608
                " SELECT r.*, count(*) OVER (PARTITION BY r.topic_id) AS matched,"
                " row_number() OVER (PARTITION BY r.topic_id"
                " ORDER BY r.rank DESC, r.created_at DESC, r.id DESC) AS nth"
                f" FROM ({self.sql}) AS r) AS b WHERE b.nth = 1"
                " ORDER BY b.rank DESC, b.created_at DESC, b.id DESC LIMIT %s OFFSET %s"
            )
            cursor.execute(best_per_topic, [*self.params, window.stop - window.start, window.start])
            rows = cursor.fetchall()
        self.posts_matched.update({row[0]: row[1] for row in rows})
        if rows:
            self.candidates = int(rows[0][3])
        return [row[0] for row in rows], rows[0][2] if rows else None

    def count(self) -> int:
        if self.total is None:
            self.ids, self.total = self._ranked(self.window)
            if self.total is None and self.window.start == 0:
                self.total = 0
            elif self.total is None:  # a page past the last one: how many are there?
                with connection.cursor() as cursor, _planned_for_its_words():
                    counting = (
                        "SELECT count(DISTINCT topic_id), count(*)"  # noqa: S608
                        f" FROM ({self.sql}) AS counted"
                    )
                    cursor.execute(counting, self.params)
                    self.total, self.candidates = cursor.fetchone()
        return self.total

    def __len__(self) -> int:
        return self.count()

    @property
    def is_capped(self) -> bool:
        self.count()
        return self.candidates >= CANDIDATES

    def __getitem__(self, window: slice) -> list[int]:
        # The page counted along with the count (Paginator shortens the last page's window).
        if (
            self.ids is not None
            and self.window.start == window.start <= window.stop <= self.window.stop
        ):
            return self.ids[: window.stop - window.start]
        return self._ranked(window)[0]


def search_names(queryset: QuerySet, query: str, field_name: str = "name") -> list:
    """Names that contain the query or resemble it: «Dramen» finds Drammen.

    Used for organisations and systems. PostgreSQL compares trigrams (indexed); elsewhere
    the names are few enough (a thousand or two in the national set) to compare in Python.
    """
    query = query.strip()[:100]
    if not query:
        return []
    contains = Q(**{f"{field_name}__icontains": query})
    if not uses_postgres():
        found = list(queryset.filter(contains).order_by(field_name)[:NAMES_SHOWN])
        return found or _resembling(queryset, query, field_name)
    # «%» (similarity above pg_trgm's threshold) can use the trigram index on lower(name).
    # Whole-name similarity, not word similarity: «kommunene» must not match every
    # «… fylkeskommune», while «Dramen» still finds Drammen.
    found = (
        queryset.alias(lowered_name=Lower(field_name))
        .annotate(similarity=TrigramSimilarity("lowered_name", query.lower()))
        .filter(Q(lowered_name__trigram_similar=query.lower()) | contains)
        .order_by("-similarity", field_name)
    )
    return list(found[:NAMES_SHOWN])


def _resembling(queryset: QuerySet, query: str, field_name: str) -> list:
    """The names most like the query (difflib), best first: two queries, the names and
    the few rows chosen."""
    names = queryset.values_list("pk", field_name)
    scored = sorted(
        ((score, name, pk) for pk, name in names if (score := resemblance(query, name))),
        key=lambda found: (-found[0], found[1]),
    )[:NAMES_SHOWN]
    if not scored:
        return []
    by_pk = queryset.in_bulk([pk for _, _, pk in scored])
    return [by_pk[pk] for _, _, pk in scored if pk in by_pk]


def resemblance(query: str, name: str, cutoff: float = 0.8) -> float:
    """How much `name`, or a run of its words as long as the query, looks like the query
    (0 below the cutoff): «Dramen» resembles «Drammen kommune», «Pubilc 360» «Public 360»."""
    query = query.lower()
    name_words = name.lower().split()
    span = len(query.split())
    candidates = {" ".join(name_words)} | {
        " ".join(name_words[i : i + span]) for i in range(max(1, len(name_words) - span + 1))
    }
    matcher = difflib.SequenceMatcher(b=query, autojunk=False)
    best = 0.0
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            best = max(best, matcher.ratio())
    return best if best >= cutoff else 0.0


def suggest(user: User | AnonymousUser, query: str) -> str:
    """«Mente du …?»: the query with each word that is no known name's word replaced by the
    closest one that is, or "" when nothing would change. The vocabulary is the words of
    the names members search for (organisations, systems, vendors, categories): a few
    thousand words, read only when a search found no post."""
    vocabulary = _name_words(user)
    changed = False
    corrected = []
    for word in query.split():
        lowered = word.lower()
        if len(lowered) < 4 or lowered in vocabulary or not lowered.isalpha():
            corrected.append(word)
            continue
        closest = difflib.get_close_matches(lowered, vocabulary, n=1, cutoff=0.8)
        if closest:
            corrected.append(vocabulary[closest[0]])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


def _name_words(user: User | AnonymousUser) -> dict[str, str]:
    """Each word of a name, lower-cased, to how the name spells it."""
    names = [
        *Organisation.objects.values_list("name", flat=True),
        *System.objects.visible_to(user).values_list("name", flat=True),
        *Category.objects.visible_to(user).values_list("name", flat=True),
    ]
    spelled: dict[str, str] = {}
    for name in names:
        for word in _WORD.findall(name):
            if len(word) >= 4:
                spelled.setdefault(word.lower(), word)
    return spelled


# ---- SQLite (and any other database) ------------------------------------------------


def _search_simple(
    *, user: User | AnonymousUser, query: str, filters: Filters, page: str | int | None
) -> Results:
    """Every post that contains each stem; one result per topic, ordered by its newest
    matching post. With no ranking to go by, the topic's best match is its earliest
    matching post: the question itself when it matches, else the first reply that does."""
    stems = [stem(w) for w in words(query)]
    if not stems:
        return _no_terms(user, query)
    posts = _searchable(user, filters)
    for s in stems:
        posts = posts.filter(Q(body__icontains=s) | Q(position=1, topic__title__icontains=s))
    topics = (
        posts.order_by()
        .values("topic_id")
        .annotate(matched=Count("pk"), first_match=Min("position"), latest=Max("created_at"))
        .order_by("-latest", "-topic_id")
    )
    result_page = Paginator(topics, POSTS_PER_PAGE).get_page(page)
    rows = list(result_page.object_list)
    best = Q(pk__in=[])
    for row in rows:
        best |= Q(topic_id=row["topic_id"], position=row["first_match"])
    by_topic = {post.topic_id: post for post in _with_details(Post.objects.filter(best))}
    hits = [
        Hit(
            post=post,
            title=excerpt_around(post.topic.title, stems, width=400),
            excerpt=excerpt_around(plain_text(post.body_html), stems),
            posts_matched=row["matched"],
        )
        for row in rows
        if (post := by_topic.get(row["topic_id"])) is not None
    ]
    return _with_names(Results(result_page, hits), user, query)
