"""The session ends while a member writes a long reply; they send it, sign in again, and the
text is in the form (real browser)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from tests import factories
from tests.conftest import browser_login
from topics.models import Category, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEGINNING = (
    "Vi slo sammen tre kommuner og avsluttet alle sak/arkiv-basene per 31.12. "
    "Det viktigste vi lærte: start uttrekket til depot et halvt år før. " * 15
)
ENDING = "Lykke til med arbeidet!"


def test_a_reply_typed_while_the_session_ended_survives_signing_in_again(page, kommune):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    topic = factories.topic(
        author=member,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Hvordan avsluttet dere sak/arkiv?",
    )
    browser_login(page, member.email)
    page.goto(topic.get_absolute_url())
    page.fill("textarea[name=body]", BEGINNING)

    # While the member is still writing, the session ends on the server.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    SessionStore(session_key=cookie["value"]).delete()
    page.locator("textarea[name=body]").press_sequentially(ENDING)
    page.get_by_role("button", name="Send svar").click()

    page.wait_for_url("**/konto/login/**")
    expect(page.locator("main")).to_contain_text("Den er tatt vare på")
    assert not Post.objects.filter(topic=topic, position=2).exists()
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url(f"**/t/{topic.pk}/svar/?utkast=*")
    expect(page.locator("textarea[name=body]")).to_have_value((BEGINNING + ENDING).strip())
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator("main")).to_contain_text("start uttrekket til depot")
    assert Post.objects.get(topic=topic, position=2).body == (BEGINNING + ENDING).strip()
