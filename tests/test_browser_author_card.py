"""The author card by keyboard and by pointer, in a real browser."""

from __future__ import annotations

import pytest

from tests import factories
from tests.test_browser_keyboard import FOCUS_INFO, tab_until
from topics import actions
from topics.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_author_card_opens_on_focus_lets_tab_through_and_closes_on_escape(page):
    kommune = factories.organisation(name="Drammen", domain="drammen.kommune.no")
    vendor = factories.organisation(name="Acos", kind="leverandor", domain="acos.no")
    asker = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    answerer = factories.member(email="ola@acos.no", display_name="Ola Hansen")
    assert asker.organisation == kommune and answerer.organisation == vendor
    topic = factories.topic(
        author=asker, category=Category.objects.get(slug="sporsmal-og-svar"), title="Kortet"
    )
    actions.reply(author=answerer, topic=topic, body="Et svar.")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(topic.get_absolute_url())

    tab_until(page, lambda i: i["text"] == "Ola Hansen")
    card = page.locator(".author-card")
    card.wait_for(state="visible")
    assert "Acos (Leverandør)" in card.inner_text()
    assert "1 innlegg" in card.inner_text()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

    page.keyboard.press("Tab")  # into the card, not past it
    info = page.evaluate(FOCUS_INFO)
    assert info["text"] == "Se profilen til Ola Hansen" and info["visible"]
    page.keyboard.press("Escape")
    assert card.count() == 0
    assert page.evaluate(FOCUS_INFO)["text"] == "Ola Hansen"  # focus back on the name

    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    card.wait_for(state="visible")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # out of the card: it closes, focus is not held
    assert card.count() == 0
    assert page.evaluate(FOCUS_INFO)["text"] != "Se profilen til Ola Hansen"

    page.hover("text=Kari Nordmann >> nth=0")
    card.wait_for(state="visible")
    assert "Kari Nordmann" in card.inner_text()
    page.hover("h1")
    card.wait_for(state="detached")

    page.locator("a.post-author__name", has_text="Ola Hansen").click()
    page.wait_for_url(f"**{answerer.get_absolute_url()}")
