"""The page cache's rules, proven for every address rather than for a few examples.

- No answer to a request that carries a credential (a session, a token, any other cookie)
  is stored in the shared cache or served from it, on any URL pattern of the project.
- A write makes stale exactly the signed-out pages that show what it changed: a reply in one
  topic leaves every other topic's page a hit.
- What a member sees is the same with every cache on as with every cache off.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from api import actions as api_actions
from directory.models import Sector
from forum import page_cache
from tests import directory_factories as dir_factories
from tests import factories
from tests.conftest import CLOSED_SECRET
from topics import actions, answers, usefulness

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

SECRET = CLOSED_SECRET


@pytest.fixture
def world(
    closed_topic, municipal_member, vendor_member, category, django_capture_on_commit_callbacks
):
    """A closed category with a municipal member's topic, a public one with a vendor's
    reply, a system with a usage: enough for most addresses to answer with something."""
    secret, closed = closed_topic, closed_topic.category
    with django_capture_on_commit_callbacks(execute=True):
        public = factories.topic(author=municipal_member, category=category, title="Noark 5")
        reply = actions.reply(author=vendor_member, topic=public, body="Vi kan hjelpe.")
        system = dir_factories.system(vendor=vendor_member.organisation, name="Elements")
        county = dir_factories.county()
        dir_factories.usage(organisation=municipal_member.organisation, system=system)
    return {
        "secret": secret,
        "secret_post": secret.posts.get(),
        "public": public,
        "reply": reply,
        "system": system,
        "county": county,
        "closed": closed,
    }


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern, route)
        else:
            found.append((route, pattern))
    return found


def _address(route: str, world: dict) -> str | None:
    """The route with its parameters filled in by the most private object that fits."""
    if route.startswith("admin/") or "^" in route or "(?P" in route:
        return None  # the admin's regular expressions, allauth's key pages: not page views
    by_prefix = [
        ("innlegg/", world["secret_post"].pk),
        ("api/posts/", world["secret_post"].pk),
        ("k/", world["closed"].slug),
        ("katalog/system/", world["system"].slug),
        ("katalog/fylke/", world["county"].number),
        ("katalog/kommune/", world["secret"].author.organisation.slug),
        ("org/", world["secret"].author.organisation.slug),
        ("katalog/leverandor/", world["system"].vendor.slug),
        ("medlem/", world["secret"].author_id),
        ("sektor/", "sak-arkiv"),
    ]

    def value(match: re.Match) -> str:
        for prefix, filled in by_prefix:
            if route.startswith(prefix):
                return str(filled)
        return str(world["secret"].pk)

    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route)


def test_no_answer_to_a_credentialed_request_is_stored_or_served_on_any_address(
    world, municipal_member, vendor_member, monkeypatch
):
    stored: list[str] = []
    real_store = page_cache.store
    monkeypatch.setattr(
        page_cache, "store", lambda key, *args: (stored.append(key), real_store(key, *args))
    )
    token = api_actions.create_token(user=municipal_member, name="integrasjon").secret
    kari, ola = Client(), Client()
    kari.force_login(municipal_member)
    ola.force_login(vendor_member)
    credentialed = {
        "kari": lambda url: kari.get(url),
        "ola": lambda url: ola.get(url),
        "token": lambda url: Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}"),
    }
    addresses = sorted(
        {a for route, _ in _routes(get_resolver()) if (a := _address(route, world)) is not None}
    )
    assert len(addresses) > 80  # the walk reached the project's patterns, not a handful
    public_seen = 0
    for url in addresses:
        for who, get in credentialed.items():
            response = get(url)
            assert response.headers.get("X-Page-Cache") != "hit", (who, url)
            assert "private" in response.get("Cache-Control", ""), (who, url)
            assert not stored, (who, url)
        first = Client().get(url)
        assert first.headers.get("X-Page-Cache") != "hit", url  # nothing came from above
        assert SECRET not in first.content.decode(errors="replace"), url
        if stored:
            public_seen += 1
            assert Client().get(url).headers.get("X-Page-Cache") == "hit", url
            again = credentialed["kari"](url)
            assert again.headers.get("X-Page-Cache") != "hit", url
            stored.clear()
    assert public_seen > 20  # signed-out visitors did get stored pages


def test_a_reply_leaves_other_topics_pages_hits(
    world, vendor_member, category, django_capture_on_commit_callbacks
):
    public, other_category = world["public"], factories.category(name="Arkiv", slug="arkiv")
    other = factories.topic(author=vendor_member, category=other_category, title="Annen tråd")
    urls = [
        public.get_absolute_url(),
        other.get_absolute_url(),
        f"/k/{category.slug}/",
        f"/k/{other_category.slug}/",
        "/",
        f"/t/{other.pk}/feed/",
    ]
    for url in urls:
        Client().get(url)
        assert Client().get(url).headers.get("X-Page-Cache") == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=vendor_member, topic=public, body="Et nytt svar om Noark.")
    after = {url: Client().get(url) for url in urls}
    assert "Et nytt svar om Noark." in after[public.get_absolute_url()].content.decode()
    stale = {public.get_absolute_url(), f"/k/{category.slug}/", "/"}
    for url, response in after.items():
        expected = None if url in stale else "hit"
        assert response.headers.get("X-Page-Cache") == expected, url


def test_a_reply_makes_its_sectors_and_systems_pages_stale(
    world, municipal_member, category, django_capture_on_commit_callbacks
):
    sector, system = Sector.objects.get(slug="sak-arkiv"), world["system"]
    tagged = actions.create_topic(
        author=municipal_member,
        category=category,
        title="Elements i sak-arkiv",
        body="Hvem bruker Elements?",
        sectors=[sector],
        systems=[system],
    )
    urls = [f"/sektor/{sector.slug}/", f"/katalog/system/{system.slug}/"]
    for url in urls:
        Client().get(url)
        assert Client().get(url).headers.get("X-Page-Cache") == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=tagged, body="Vi gjør det.")
    for url in urls:
        assert "X-Page-Cache" not in Client().get(url).headers, url


_VARYING = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(r'(nonce=")[^"]+'),
    re.compile(r"()[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    # "nå", "2 sekunder siden": the words for a moment move on as the test runs; the
    # moment itself (the datetime attribute) must still be the same.
    re.compile(r"(<time [^>]*>)[^<]*"),
]


def _normalised(response) -> str:
    text = response.content.decode()
    for pattern in _VARYING:
        text = pattern.sub(r"\g<1>…", text)
    return text


NO_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def test_what_a_member_sees_is_the_same_with_every_cache_off(
    world, municipal_member, vendor_member, moderator, django_capture_on_commit_callbacks
):
    """Each member's pages, read with warm caches after each of a series of writes, equal
    the same pages rendered with no cache at all."""
    public, reply, secret = world["public"], world["reply"], world["secret"]
    urls = [
        "/",
        public.get_absolute_url(),
        secret.get_absolute_url(),
        f"/k/{public.category.slug}/",
        f"/k/{world['closed'].slug}/",
        f"/katalog/system/{world['system'].slug}/",
        f"/katalog/fylke/{world['county'].number}/",
        "/search/?q=noark",
        "/varsler/",
        "/ubesvarte/",
    ]
    writes = [
        lambda: actions.reply(author=vendor_member, topic=public, body="Enda et svar."),
        lambda: usefulness.set_useful(post=reply, user=municipal_member, useful=True),
        lambda: answers.accept_answer(post=reply, by=municipal_member),
        lambda: actions.edit_post(
            post=public.posts.get(position=1), editor=municipal_member, body="Endret spørsmål."
        ),
        lambda: actions.hide_post(post=reply, by=moderator, reason="Test"),
    ]
    readers = {}
    for member in (municipal_member, vendor_member, moderator):
        readers[member.pk] = Client()
        readers[member.pk].force_login(member)
    for write in [lambda: None, *writes]:
        with django_capture_on_commit_callbacks(execute=True):
            write()
        for reader in readers.values():
            for url in urls:
                # No GET writes (test_no_get_writes_on_any_address), so the page with every
                # cache off and the page from what the rounds before this write kept must
                # be the same.
                with override_settings(CACHES=NO_CACHES):
                    uncached = _normalised(reader.get(url))
                assert _normalised(reader.get(url)) == uncached, url


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def test_no_get_writes_on_any_address(world, municipal_member, vendor_member, moderator):
    """A GET (a link, a prefetch, a crawler, a page served twice) never changes anything:
    the resolver's every pattern, read by members of two organisations and a moderator,
    runs no INSERT, UPDATE or DELETE but the session's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    readers = []
    for member in (municipal_member, vendor_member, moderator):
        reader = Client()
        reader.force_login(member)
        readers.append(reader)
    addresses = {a for route, _ in _routes(get_resolver()) if (a := _address(route, world))}
    for url in sorted(addresses):
        for reader in readers:
            with CaptureQueriesContext(connection) as ctx:
                reader.get(url)
            writes = [
                q["sql"]
                for q in ctx.captured_queries
                if _WRITE.match(q["sql"]) and "django_session" not in q["sql"]
            ]
            assert not writes, (url, writes)
