"""A question gets a reply, the asker is told, and marks the reply as the answer (real browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.conftest import restore_migration_data
from topics.models import Category

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def qa_browser(chromium, transactional_db):
    restore_migration_data()
    return chromium


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator(".site-header__user")).to_contain_text("Logg ut")


def test_question_reply_answer_and_the_askers_notification(
    live_server, qa_browser, kommune, tmp_path
):
    # Set QA_SHOTS to keep the screenshots for looking at.
    shots = Path(os.environ.get("QA_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    asker = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    factories.member(email="per@drammen.kommune.no", display_name="Per Hjelper")
    category = Category.objects.get(slug="sporsmal-og-svar")  # from the data migration
    base = live_server.url

    # The asker asks.
    asker_page = qa_browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(asker_page, base, asker.email)
    asker_page.goto(f"{base}/ny/")
    asker_page.fill("input[name=title]", "Hvordan avslutter vi sak/arkiv før sammenslåingen?")
    asker_page.select_option("select[name=category]", value=str(category.pk))
    asker_page.fill("textarea[name=body]", "Vi har tre baser. Hva gjorde dere?")
    asker_page.get_by_role("button", name="Publiser").click()
    expect(asker_page.locator("h1")).to_contain_text("Hvordan avslutter vi sak/arkiv")
    question_url = asker_page.url

    # Someone who knows replies.
    helper_page = qa_browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(helper_page, base, "per@drammen.kommune.no")
    helper_page.goto(question_url)
    helper_page.fill("textarea[name=body]", "Avslutt per 31.12. og ta et Noark 5-uttrekk.")
    helper_page.get_by_role("button", name="Send svar").click()
    expect(helper_page.locator("#innlegg-2")).to_contain_text("Noark 5-uttrekk")

    # The asker sees the unread count, opens the notification, and marks the answer.
    asker_page.goto(f"{base}/")
    badge = asker_page.locator(".header-notifications .ds-badge")
    expect(badge).to_have_attribute("data-count", "1")
    asker_page.get_by_role("link", name="Varsler").click()
    asker_page.screenshot(path=str(shots / "notifications.png"), full_page=True)
    asker_page.get_by_role("link", name="Per Hjelper svarte i").click()
    expect(asker_page.locator("#innlegg-2")).to_be_visible()
    asker_page.locator("#innlegg-2").get_by_role("button", name="Marker som løsning").click()
    answer = asker_page.locator(".answer-box")
    expect(answer).to_contain_text("markert som løsningen av Kari Nordmann")
    expect(answer).to_contain_text("Noark 5-uttrekk")
    expect(asker_page.locator(".topic-meta")).to_contain_text("Løst")
    expect(asker_page.locator(".header-notifications .ds-badge")).to_have_count(0)
    asker_page.screenshot(path=str(shots / "answered.png"), full_page=True)

    # The helper is told their reply was chosen.
    helper_page.goto(f"{base}/varsler/")
    expect(helper_page.locator(".notification-list")).to_contain_text(
        "Kari Nordmann markerte svaret ditt"
    )


def test_the_page_posts_its_own_read_mark(live_server, qa_browser, kommune):
    """A GET writes nothing; the topic page's script posts the member's read mark, so the
    front page's «N nye» is gone after a visit (real browser, real server)."""
    from topics import actions
    from topics.models import TopicReadState

    reader = factories.member(email="kari@drammen.kommune.no")
    writer = factories.member(email="per@drammen.kommune.no")
    category = Category.objects.get(slug="sporsmal-og-svar")
    topic = factories.topic(author=writer, category=category, title="Hvem leser dette?")
    base = live_server.url
    page = qa_browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, base, reader.email)
    page.goto(base + topic.get_absolute_url())
    expect(page.locator("form[data-read-mark]")).to_be_hidden()
    assert TopicReadState.objects.get(user=reader, topic=topic).position == 1
    actions.reply(author=writer, topic=topic, body="Et nytt svar")
    page.goto(base + "/")
    expect(page.locator(".unread-link")).to_contain_text("1 nytt")
    page.goto(base + topic.get_absolute_url())
    expect(page.locator(".unread-marker")).to_be_visible()
    expect(page.locator("form[data-read-mark]")).to_be_hidden()
    page.goto(base + "/")
    expect(page.locator(".unread-link")).to_have_count(0)
