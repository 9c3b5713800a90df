"""Issue 8: every page within 12 SQL queries whatever the data, and signed-out pages served
from a cache that every write empties at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from directory.models import Sector
from notifications.models import Notification
from tests import directory_factories as df
from tests.conftest import page_queries
from topics import actions, answers

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


# ---- Query counts on every page kind ------------------------------------------------------


def grow_forum(*, topics: int, replies: int, category, members, system) -> None:
    sectors = list(Sector.objects.all()[:3])
    for i in range(topics):
        topic = actions.create_topic(
            author=members[i % len(members)],
            category=category,
            title=f"Arkivet i tråd {i}",
            body="Hvordan migrerer dere arkivet?",
            sectors=sectors[: i % 4],
            systems=[system],
        )
        for j in range(replies):
            post = actions.reply(
                author=members[(i + j) % len(members)], topic=topic, body=f"Arkivet, svar {j}"
            )
            Notification.objects.create(
                recipient=members[0], kind=Notification.Kind.REPLY, topic=topic, post=post
            )
        if topic.is_question and replies:
            first_reply = topic.posts.get(position=2)
            answers.accept_answer(post=first_reply, by=topic.author)


def grow_directory(*, municipalities: int, county, merger, system, start: int) -> None:
    reform = datetime.date(2020, 1, 1)
    for n in range(start, start + municipalities):
        old = df.municipality(
            county=county,
            number=f"{n:04d}",
            slug=f"gammel-{n}",
            valid_to=reform - datetime.timedelta(days=1),
        )
        merger.predecessors.add(old)
        df.usage(organisation=old, system=system, status="avviklet")
        current = df.municipality(county=county, number=f"{n + 5000:04d}", slug=f"kommune-{n}")
        df.usage(organisation=current, system=system)


def page_urls(topic, system, merger) -> list[str]:
    last_page = topic.reply_count // 20 + 1
    return [
        "/",
        topic.category.get_absolute_url(),
        "/sektor/sak-arkiv/",
        "/ubesvarte/",
        topic.get_absolute_url(),
        f"{topic.get_absolute_url()}?side={last_page}",
        "/ny/",
        "/search/?q=arkivet",
        system.get_absolute_url(),
        "/katalog/fylke/30/",
        f"/katalog/sammenslaing/{merger.slug}/",
        "/varsler/",
    ]


def queries_per_page(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # the first visit of a topic writes the read marker; count it too
        counts[url] = len(page_queries(client, url, statuses=(200, 302)))
    return counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_page_runs_more_than_12_queries_and_the_count_does_not_grow(
    client, category, members, signed_in
):
    if signed_in:
        client.force_login(members[0])
    county = df.county()
    merger = df.municipality(
        county=county, number="3099", slug="ny-kommune", valid_from=datetime.date(2020, 1, 1)
    )
    system = df.system(vendor=df.vendor("Acos"), name="WebSak")
    grow_forum(topics=2, replies=3, category=category, members=members, system=system)
    grow_directory(municipalities=2, county=county, merger=merger, system=system, start=100)
    small_topic = category.topics.order_by("-reply_count", "pk").first()
    small = queries_per_page(client, page_urls(small_topic, system, merger))

    grow_forum(topics=10, replies=45, category=category, members=members, system=system)
    grow_directory(municipalities=12, county=county, merger=merger, system=system, start=200)
    big_topic = category.topics.order_by("-reply_count", "pk").first()
    assert big_topic.reply_count > small_topic.reply_count
    large = queries_per_page(client, page_urls(big_topic, system, merger))

    assert max(large.values()) <= MAX_QUERIES, large
    assert list(small.values()) == list(large.values()), (small, large)


def test_first_visit_of_a_topic_stays_within_the_budget(client, category, members):
    system = df.system(vendor=df.vendor("Acos"), name="WebSak")
    grow_forum(topics=1, replies=30, category=category, members=members, system=system)
    topic = category.topics.get()
    client.force_login(members[1])
    for url in [topic.get_absolute_url(), f"{topic.get_absolute_url()}?side=2"]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) <= MAX_QUERIES, [q["sql"] for q in ctx.captured_queries]


# ---- The signed-out page cache --------------------------------------------------------------


@pytest.fixture
def page_cache():
    cache.clear()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


def test_signed_out_pages_are_served_from_the_cache(client, topic, page_cache):
    url = topic.get_absolute_url()
    first = client.get(url)
    assert "X-Page-Cache" not in first.headers
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(url)
    assert second.headers["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 0
    assert second.content.count(b"csrfmiddlewaretoken") == first.content.count(
        b"csrfmiddlewaretoken"
    )


def test_a_new_reply_shows_at_once_to_signed_out_readers(
    client, topic, municipal_member, page_cache, django_capture_on_commit_callbacks
):
    url = topic.get_absolute_url()
    client.get(url)
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Et helt nytt svar om deponering")
    response = client.get(url)
    assert "X-Page-Cache" not in response.headers
    assert "Et helt nytt svar om deponering" in response.text


def test_a_reply_posted_through_the_site_shows_at_once(
    client, topic, municipal_member, page_cache, django_capture_on_commit_callbacks
):
    from django.test import Client

    reader = Client()
    url = topic.get_absolute_url()
    reader.get(url)
    client.force_login(municipal_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/t/{topic.pk}/svar/", {"body": "Svar skrevet i nettleseren"})
    assert response.status_code == 302
    assert "Svar skrevet i nettleseren" in reader.get(url).text


def test_an_edit_and_a_moderator_hiding_a_post_show_at_once(
    client, topic, municipal_member, moderator, page_cache, django_capture_on_commit_callbacks
):
    url = topic.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.reply(author=municipal_member, topic=topic, body="Første versjon")
    assert "Første versjon" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(post=post, editor=municipal_member, body="Rettet versjon av svaret")
    assert "Rettet versjon av svaret" in client.get(url).text
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide_post(post=post, by=moderator, reason="Utenfor tema")
    assert "Rettet versjon av svaret" not in client.get(url).text


def test_a_rolled_back_write_keeps_the_cached_page(client, topic, municipal_member, page_cache):
    from django.db import transaction

    url = topic.get_absolute_url()
    client.get(url)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.reply(author=municipal_member, topic=topic, body="Angret")
        raise RuntimeError
    assert client.get(url).headers.get("X-Page-Cache") == "hit"


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(client, topic, page_cache):
    from django.test import Client

    url = topic.get_absolute_url()
    client.get(url)
    other = Client(enforce_csrf_checks=True)
    response = other.get(url)
    assert response.headers["X-Page-Cache"] == "hit"
    token = response.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert len(token) == 64
    assert "csrftoken" in response.cookies
    switched = other.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_signed_in_members_and_visitors_with_a_session_get_fresh_pages(
    client, topic, municipal_member, page_cache
):
    url = topic.get_absolute_url()
    client.get(url)
    client.force_login(municipal_member)
    assert "X-Page-Cache" not in client.get(url).headers
    assert "X-Page-Cache" not in client.get(url).headers


def test_languages_are_cached_apart(client, topic, page_cache):
    url = topic.get_absolute_url()
    client.get(url)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert "X-Page-Cache" not in response.headers
    assert response.headers["Content-Language"] == "en"


def test_the_ceiling_view_is_only_there_for_the_benchmark(client, settings):
    assert client.get("/bench/ceiling/").status_code == 404


# ---- Fragments kept for signed-in readers -------------------------------------------------


def _rendered_templates(client, url: str) -> tuple[str, list[str]]:
    from django.test.signals import template_rendered

    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        page = client.get(url).text
    finally:
        template_rendered.disconnect(record)
    return page, names


def _row_hits(client) -> int:
    """How many topic rows the front page took from the fragment cache."""
    from unittest import mock

    from django.core.cache import caches

    fragments = caches["template_fragments"]
    hits = 0
    real_get = fragments.get

    def get(key, *args, **kwargs):
        nonlocal hits
        value = real_get(key, *args, **kwargs)
        hits += "topic_row_head" in key and value is not None
        return value

    with mock.patch.object(fragments, "get", get):
        assert client.get("/").status_code == 200
    return hits


def test_bylines_and_topic_rows_are_cached_and_keyed_by_what_they_show(
    client, topic, municipal_member, vendor_member
):
    """Bylines and topic rows are rendered once and then come from the fragment cache, for
    every reader; their key holds everything they show, so any change shows at once - even
    one made behind the actions' back, and an unrelated write leaves them cached."""
    from accounts.models import User
    from topics.models import Topic

    actions.reply(author=vendor_member, topic=topic, body="Et svar")
    client.force_login(municipal_member)
    url = topic.get_absolute_url()
    page, first = _rendered_templates(client, url)
    assert first.count("topics/partials/byline.html") == 2 and "Kari Nordmann" in page
    client.force_login(vendor_member)  # another reader gets the same fragments
    page, again = _rendered_templates(client, url)
    assert "topics/partials/byline.html" not in again and "Kari Nordmann" in page
    assert _row_hits(client) == 0  # the front page's first rendering stores the rows
    assert _row_hits(client) == 1  # then every reader gets them from the cache
    # Changed without any action or invalidation: the new key misses, the page is right.
    User.objects.filter(pk=municipal_member.pk).update(display_name="Kari Ny")
    Topic.objects.filter(pk=topic.pk).update(title="Noark 5 og deponering")
    page, changed = _rendered_templates(client, url)
    assert "Kari Ny" in page and "Kari Nordmann" not in page
    assert changed.count("topics/partials/byline.html") == 1  # only hers is rendered again
    assert "Noark 5 og deponering" in client.get("/").text


def test_the_reply_form_under_a_topic_has_a_new_key_on_every_page(client, topic, municipal_member):
    import re
    import uuid

    client.force_login(municipal_member)
    url = topic.get_absolute_url()
    keys = [
        re.search(r'name="client_token" value="([^"]+)"', client.get(url).text).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1] and all(uuid.UUID(key).version == 4 for key in keys)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Svar", "client_token": keys[0]})
    assert response.status_code == 302
    client.post(f"/t/{topic.pk}/svar/", {"body": "Svar", "client_token": keys[0]})  # again
    assert topic.posts.filter(body="Svar").count() == 1


def test_statements_are_prepared_on_postgresql(client, topic, municipal_member):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL setting")
    client.force_login(municipal_member)
    for _ in range(7):
        assert client.get(topic.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] > 0


def test_object_addresses_are_remembered_per_script_prefix(topic):
    from django.urls import set_script_prefix

    assert topic.get_absolute_url() == f"/t/{topic.pk}/{topic.slug}/"
    set_script_prefix("/forum/")
    try:
        assert topic.get_absolute_url() == f"/forum/t/{topic.pk}/{topic.slug}/"
    finally:
        set_script_prefix("/")
    assert topic.get_absolute_url() == f"/t/{topic.pk}/{topic.slug}/"


def test_the_county_matrix_is_cached_and_follows_the_directory_actions(
    client, django_capture_on_commit_callbacks
):
    from directory.models import Usage

    county = df.county("32", "Akershus")
    asker = df.municipality(county=county, number="3203", name="Asker")
    vendor = df.vendor("Acos")
    websak, elements = (
        df.system(vendor=vendor, name="WebSak"),
        df.system(vendor=vendor, name="Elements"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        df.usage(organisation=asker, system=websak)
    assert "WebSak" in client.get("/katalog/fylke/32/").text
    # Behind the actions' back: the cached table does not know.
    Usage.objects.create(
        organisation=asker, system=elements, sector=Sector.objects.get(slug="sak-arkiv"),
        status=Usage.Status.I_BRUK,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        assert "Elements" not in client.get("/katalog/fylke/32/").text
    assert not any("directory_usage" in q["sql"] for q in ctx.captured_queries)
    # Through the action: at once.
    with django_capture_on_commit_callbacks(execute=True):
        df.usage(organisation=asker, system=elements, sector_slug="okonomi")
    assert "Elements" in client.get("/katalog/fylke/32/").text
