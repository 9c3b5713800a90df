"""Drafts saved as a member types, bookmarks with a note, and muting, in a real browser, for
each kind of member."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from tests import factories
from tests.conftest import browser_login
from topics import actions
from topics.models import Category, Draft, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KINDS = {
    "municipal": {"email": "kari@drammen.kommune.no"},
    "vendor": {"email": "ola@acos.no"},
    "moderator": {"email": "ingrid@kartverket.no", "moderator": True},
    # Mandatory e-mail verification: an unverified address cannot sign in at all.
    "no organisation": {"email": "d@example.org"},
}


def _forum(kind: str):
    author = factories.member(email="per@drammen.kommune.no", display_name="Per Hjelper")
    member = factories.member(display_name=f"Medlem {kind}", **KINDS[kind])
    category = Category.objects.get(slug="sporsmal-og-svar")
    topic = actions.create_topic(
        author=author, category=category, title="Hvordan avsluttet dere sak/arkiv?", body="?"
    )
    actions.reply(author=author, topic=topic, body="Vi tok uttrekk til depot først.")
    return member, topic


@pytest.mark.parametrize("kind", ["municipal", "vendor", "moderator"])
def test_a_reply_is_saved_while_typed_comes_back_and_goes_when_sent(
    new_page, kind, kommune, vendor_org, kartverket
):
    member, topic = _forum(kind)
    page = new_page()
    browser_login(page, member.email)
    page.goto(topic.get_absolute_url())
    page.locator("textarea[name=body]").press_sequentially("Vi startet med arkivplanen")
    expect(page.locator("[data-draft-status]")).to_contain_text("Utkast lagret", timeout=15_000)
    assert Draft.objects.get(member=member).body == "Vi startet med arkivplanen"

    if kind == "moderator":  # a second sign-in would wait for the next one-time code
        page.reload()
        other = page
    else:  # another device
        other = new_page()
        browser_login(other, member.email)
        other.goto(topic.get_absolute_url())
    expect(other.locator("textarea[name=body]")).to_have_value("Vi startet med arkivplanen")
    other.get_by_role("button", name="Send svar").click()
    expect(other.locator("main")).to_contain_text("Svaret ditt er publisert")
    assert Post.objects.filter(topic=topic, body="Vi startet med arkivplanen").exists()
    assert not Draft.objects.filter(member=member).exists()
    other.goto("/utkast/")
    expect(other.locator("main")).to_contain_text("Ingen utkast")


@pytest.mark.parametrize("kind", list(KINDS))
def test_bookmark_a_post_with_a_note_and_mute_a_category(
    new_page, kind, kommune, vendor_org, kartverket
):
    member, topic = _forum(kind)
    page = new_page()
    browser_login(page, member.email)
    page.goto(topic.get_absolute_url())
    page.locator("#innlegg-2").get_by_role("button", name="Bokmerk").click()
    page.get_by_label("Notat").fill("Spør Per om depotet")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator("main")).to_contain_text("Spør Per om depotet")
    expect(page.locator("main")).to_contain_text("Innlegg 2 i «Hvordan avsluttet dere sak/arkiv?»")

    page.goto("/")
    expect(page.locator("main")).to_contain_text("Hvordan avsluttet dere sak/arkiv?")
    page.goto("/k/sporsmal-og-svar/")
    page.get_by_role("button", name="Demp kategorien").click()
    expect(page.locator("main")).to_contain_text("er dempet")
    page.goto("/")
    expect(page.locator("main")).not_to_contain_text("Hvordan avsluttet dere sak/arkiv?")
    page.goto("/varsler/innstillinger/")
    page.get_by_role("button", name="Opphev demping").click()
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Hvordan avsluttet dere sak/arkiv?")


def test_autosave_after_the_session_ended_says_so_and_keeps_the_text(
    new_page, kommune, vendor_org, kartverket
):
    member, topic = _forum("municipal")
    page = new_page()
    browser_login(page, member.email)
    page.goto(f"/t/{topic.pk}/svar/")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    SessionStore(session_key=cookie["value"]).delete()
    page.locator("textarea[name=body]").press_sequentially("Skrevet etter utlogging")
    expect(page.locator("[data-draft-status]")).to_contain_text(
        "ikke logget inn lenger", timeout=8000
    )
    expect(page.locator("textarea[name=body]")).to_have_value("Skrevet etter utlogging")
    assert not Draft.objects.exists()
