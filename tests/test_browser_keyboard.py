"""Only the keyboard: skip to content, open a topic, write a reply, send it; focus always visible."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import browser_login
from topics.models import Category, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_INFO = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.innerText || el.value || '').trim().slice(0, 80),
          name: el.getAttribute('name'), id: el.id, visible: outline || shadow};
}"""


def tab_until(page, wanted, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
        assert info["visible"], f"focus is not visible on {info}"
        if wanted(info):
            return info
    raise AssertionError("never reached the element with Tab")


def test_keyboard_only_reply(page):
    kommune = factories.organisation(name="Drammen", domain="drammen.kommune.no")
    asker = factories.member(email="kari@drammen.kommune.no", organisation=kommune)
    factories.member(email="per@drammen.kommune.no", display_name="Per Tastatur")
    factories.topic(
        author=asker,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Tastaturvennlig tråd",
    )
    browser_login(page, "per@drammen.kommune.no")
    page.goto("/")

    page.keyboard.press("Tab")
    info = page.evaluate(FOCUS_INFO)
    assert info["text"] == "Hopp til hovedinnhold"
    assert info["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    tab_until(page, lambda i: i["text"] == "Tastaturvennlig tråd")
    page.keyboard.press("Enter")
    page.wait_for_url("**/t/**")

    tab_until(page, lambda i: i["name"] == "body")
    page.keyboard.type("Svar skrevet bare med tastaturet.")
    tab_until(page, lambda i: i["text"] == "Send svar", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_selector("#innlegg-2")
    assert Post.objects.filter(body="Svar skrevet bare med tastaturet.").exists()
