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
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.models import Organisation
from directory.models import System
from forum.pagination import page_number
from search.text import START_MARK, STOP_MARK, excerpt_around, marked_to_html, stem, words
from topics.models import Category, Post, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from directory.models import Sector

CONFIG = "norwegian"
POSTS_PER_PAGE = 20
CANDIDATES = 1000
NAMES_SHOWN = 6


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
    post: Post
    title: SafeString
    excerpt: SafeString


@dataclass
class Results:
    page: Page
    hits: list[Hit]
    organisations: list[Organisation] = field(default_factory=list)
    only_stop_words: bool = False
    systems: list[System] = field(default_factory=list)


def _with_names(results: Results, user: User | AnonymousUser, query: str) -> Results:
    """Organisations and systems whose names match, shown above the posts on page 1."""
    if results.page.number == 1:
        results.organisations = search_names(Organisation.objects.all(), query)
        results.systems = search_names(
            System.objects.visible_to(user).select_related("vendor"), query
        )
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
        .values_list("pk", "search_vector", "created_at")[:CANDIDATES]
    )
    ranked = _RankedCandidates(candidates, query, wanted_page=page)
    result_page = Paginator(ranked, POSTS_PER_PAGE).get_page(page)
    ids = list(result_page.object_list)
    marks = {"config": CONFIG, "start_sel": START_MARK, "stop_sel": STOP_MARK}
    posts = _with_details(Post.objects.filter(pk__in=ids)).annotate(
        title_headline=SearchHeadline("topic__title", tsquery, highlight_all=True, **marks),
        body_headline=SearchHeadline(
            "body", tsquery, max_words=40, min_words=20, max_fragments=2, **marks
        ),
    )
    by_id = {post.pk: post for post in posts}
    hits = [
        Hit(
            post=post,
            title=marked_to_html(post.title_headline),
            excerpt=marked_to_html(post.body_headline),
        )
        for pk in ids
        if (post := by_id.get(pk)) is not None
    ]
    return _with_names(Results(result_page, hits), user, query)


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
    """The candidates in rank order, a page at a time (what Paginator asks for). Counting
    them and ranking the page is one query: the candidates are found, ranked and counted in
    the database (a window count), so neither their ids nor their rows are read twice."""

    def __init__(self, candidates: QuerySet, query: str, wanted_page: str | int | None) -> None:
        sql, params = candidates.query.sql_with_params()
        # Django's own compiled query, its values left as parameters.
        self.sql = f"SELECT c.id, count(*) OVER () FROM ({sql}) AS c (id, vector, created_at)"  # noqa: S608
        self.params = params
        self.query = query
        number = page_number(wanted_page)
        self.window = slice((number - 1) * POSTS_PER_PAGE, number * POSTS_PER_PAGE)
        self.ids: list[int] | None = None
        self.total: int | None = None

    def _ranked(self, window: slice) -> tuple[list[int], int | None]:
        with connection.cursor() as cursor, _planned_for_its_words():
            cursor.execute(
                f"{self.sql} ORDER BY ts_rank(c.vector, websearch_to_tsquery(%s::regconfig, %s))"
                " DESC, c.created_at DESC, c.id DESC LIMIT %s OFFSET %s",
                [*self.params, CONFIG, self.query, window.stop - window.start, window.start],
            )
            rows = cursor.fetchall()
        return [row[0] for row in rows], rows[0][1] if rows else None

    def count(self) -> int:
        if self.total is None:
            self.ids, self.total = self._ranked(self.window)
            if self.total is None and self.window.start == 0:
                self.total = 0
            elif self.total is None:  # a page past the last one: how many are there?
                with connection.cursor() as cursor, _planned_for_its_words():
                    counting = f"SELECT count(*) FROM ({self.sql}) AS counted"  # noqa: S608
                    cursor.execute(counting, self.params)
                    self.total = cursor.fetchone()[0]
        return self.total

    def __len__(self) -> int:
        return self.count()

    @property
    def is_capped(self) -> bool:
        return self.count() >= CANDIDATES

    def __getitem__(self, window: slice) -> list[int]:
        # The page counted along with the count (Paginator shortens the last page's window).
        if (
            self.ids is not None
            and self.window.start == window.start <= window.stop <= self.window.stop
        ):
            return self.ids[: window.stop - window.start]
        return self._ranked(window)[0]


def search_names(queryset: QuerySet, query: str, field_name: str = "name") -> list:
    """Names that contain the query or resemble it (trigrams): «Dramen» finds Drammen.

    Used for organisations and systems.
    """
    query = query.strip()[:100]
    if not query:
        return []
    contains = Q(**{f"{field_name}__icontains": query})
    if not uses_postgres():
        return list(queryset.filter(contains).order_by(field_name)[:NAMES_SHOWN])
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


# ---- SQLite (and any other database) ------------------------------------------------


def _search_simple(
    *, user: User | AnonymousUser, query: str, filters: Filters, page: str | int | None
) -> Results:
    stems = [stem(w) for w in words(query)]
    if not stems:
        return _no_terms(user, query)
    posts = _searchable(user, filters)
    for s in stems:
        posts = posts.filter(Q(body__icontains=s) | Q(position=1, topic__title__icontains=s))
    ordered = _with_details(posts).order_by("-created_at", "-pk")
    result_page = Paginator(ordered, POSTS_PER_PAGE).get_page(page)
    hits = [
        Hit(
            post=post,
            title=excerpt_around(post.topic.title, stems, width=400),
            excerpt=excerpt_around(post.body, stems),
        )
        for post in result_page.object_list
    ]
    return _with_names(Results(result_page, hits), user, query)
