"""One search over topics, posts and organisations.

It reads the other apps' QuerySets and never decides visibility itself: every post comes
from ``Post.objects.visible_to(user)``. On PostgreSQL it uses the stored, GIN-indexed
search vector (Norwegian stemming, title weighted above body), ranks with ts_rank and
highlights with ts_headline; names are matched with trigrams so misspellings still find
them. On SQLite a plain substring search with light stemming keeps the default setup
working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from accounts.models import Organisation
from directory.models import System
from search.text import START_MARK, STOP_MARK, excerpt_around, marked_to_html, stem, words
from topics.models import Category, Post, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from directory.models import Sector

CONFIG = "norwegian"
POSTS_PER_PAGE = 20
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
    if filters.date_from is not None:
        posts = posts.filter(created_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        posts = posts.filter(created_at__date__lte=filters.date_to)
    if filters.solved == "lost":
        posts = posts.filter(topic__kind=Topic.Kind.SPORSMAL, topic__solved_post__isnull=False)
    elif filters.solved == "ubesvart":
        posts = posts.filter(topic__kind=Topic.Kind.SPORSMAL, topic__solved_post__isnull=True)
    return posts


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
    ranked = (
        _searchable(user, filters)
        .filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-created_at", "-pk")
        .values_list("pk", flat=True)
    )
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
