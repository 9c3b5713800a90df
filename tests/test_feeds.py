"""Atom feeds carry only public content, and every page links its feed from <head>."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from directory.models import Sector, System
from tests import directory_factories, factories
from topics import actions
from topics.models import Category

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def forum(municipal_member, moderator):
    sector = Sector.objects.get(slug="sak-arkiv")
    public = factories.category(name="Åpen", slug="apen")
    closed = Category.objects.create(name="Lukket", slug="lukket", visibility="kommuner")
    system = directory_factories.system(vendor=directory_factories.vendor(), name="Acos WebSak")
    open_topic = actions.create_topic(
        author=municipal_member,
        category=public,
        title="Åpen tråd om arkiv",
        body="**Innhold**",
        sectors=[sector],
        systems=[system],
    )
    closed_topic = actions.create_topic(
        author=municipal_member,
        category=closed,
        title="Lukket tråd om arkiv",
        body="Hemmelig",
        sectors=[sector],
        systems=[system],
    )
    actions.reply(author=moderator, topic=open_topic, body="Et offentlig svar")
    hidden = actions.reply(author=moderator, topic=open_topic, body="Skjult svar")
    actions.hide_post(post=hidden, by=moderator)
    return {
        "sector": sector,
        "public": public,
        "closed": closed,
        "system": system,
        "open": open_topic,
        "closed_topic": closed_topic,
    }


def test_latest_topics_feed_has_public_topics_only(client, forum):
    titles = entries(client, "/feed/")
    assert "Åpen tråd om arkiv" in titles
    assert "Lukket tråd om arkiv" not in titles
    assert b"<strong>Innhold</strong>" in client.get("/feed/").content.replace(
        b"&lt;", b"<"
    ).replace(b"&gt;", b">")


def test_a_signed_in_member_gets_the_same_public_feed(client, forum, municipal_member):
    client.force_login(municipal_member)
    assert "Lukket tråd om arkiv" not in entries(client, "/feed/")


def test_sector_and_system_feeds_leave_out_closed_topics(client, forum):
    for url in ["/sektor/sak-arkiv/feed/", f"/katalog/system/{forum['system'].slug}/feed/"]:
        assert entries(client, url) == ["Åpen tråd om arkiv"]


def test_category_feed_exists_only_for_a_public_category(client, forum, municipal_member):
    assert entries(client, "/k/apen/feed/") == ["Åpen tråd om arkiv"]
    client.force_login(municipal_member)  # may read it on the web, but a feed is public
    assert client.get("/k/lukket/feed/").status_code == 404
    assert client.get("/k/finnes-ikke/feed/").status_code == 404


def test_topic_replies_feed_leaves_out_hidden_replies(client, forum):
    titles = entries(client, f"/t/{forum['open'].pk}/feed/")
    assert titles == ["Svar 1 fra Ingrid Moderator"]
    assert client.get(f"/t/{forum['closed_topic'].pk}/feed/").status_code == 404
    assert client.get("/t/987654/feed/").status_code == 404


def test_unapproved_system_has_no_feed(client, forum):
    system = directory_factories.system(vendor=directory_factories.vendor(), name="Forslag")
    System.objects.filter(pk=system.pk).update(is_approved=False)
    assert client.get(f"/katalog/system/{system.slug}/feed/").status_code == 404


def test_pages_link_their_feed_in_head(client, forum, municipal_member):
    link = '<link rel="alternate" type="application/atom+xml"'
    pages = {
        "/": "/feed/",
        "/k/apen/": "/k/apen/feed/",
        "/sektor/sak-arkiv/": "/sektor/sak-arkiv/feed/",
        forum["open"].get_absolute_url(): f"/t/{forum['open'].pk}/feed/",
        forum["system"].get_absolute_url(): f"/katalog/system/{forum['system'].slug}/feed/",
    }
    for page, feed in pages.items():
        head = client.get(page).content.decode().split("</head>")[0]
        assert link in head and f'href="{feed}"' in head, page
    client.force_login(municipal_member)
    for page in ["/k/lukket/", forum["closed_topic"].get_absolute_url()]:
        head = client.get(page).content.decode().split("</head>")[0]
        assert link not in head, page
