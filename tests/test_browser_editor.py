"""The post editor in a real browser: toolbar, shortcuts, preview, images pasted into the text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import browser_login
from topics.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(kommune):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    topic = factories.topic(
        author=member,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Hvordan avsluttet dere sak/arkiv?",
    )
    return member, topic


def test_the_toolbar_is_reached_by_keyboard_and_the_shortcuts_format_the_selection(page, writer):
    member, topic = writer
    browser_login(page, member.email)
    page.goto(f"/t/{topic.pk}/svar/")
    box = page.locator("textarea[name=body]")
    box.fill("viktig")
    box.evaluate("t => t.setSelectionRange(0, 6)")
    box.press("Control+b")
    expect(box).to_have_value("**viktig**")
    box.press("Control+b")  # a second time takes it off again
    expect(box).to_have_value("viktig")
    box.press("End")
    box.press("Control+i")
    expect(box).to_have_value("viktig_kursiv tekst_")

    # One tab stop for the toolbar, the arrow keys within it, Enter presses the button.
    bold = page.get_by_role("button", name="Fet", exact=True)
    bold.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="Kursiv", exact=True)).to_be_focused()
    page.keyboard.press("End")
    numbered = page.get_by_role("button", name="Nummerert liste")
    expect(numbered).to_be_focused()
    box.fill("første\nandre")
    box.evaluate("t => t.setSelectionRange(0, t.value.length)")
    numbered.focus()
    page.keyboard.press("Enter")
    expect(box).to_have_value("1. første\n2. andre")
    assert page.get_by_role("toolbar", name="Formatering").count() == 1
