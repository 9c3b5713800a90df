"""A municipal member writes to a vendor's organisation; the vendor answers; an outsider finds
nothing (real browser, one Chromium, a tab per member)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conversations.models import Conversation
from tests import factories
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_municipal_member_and_a_vendor_talk_and_no_one_else_sees_it(
    new_page, kommune, vendor_org
):
    factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    factories.member(email="ola@acos.no", display_name="Ola Hansen")
    factories.member(email="per@drammen.kommune.no", display_name="Per Kollega")

    # Kari starts from Acos's page: «Send melding til Acos» fills in the organisation.
    kari = new_page()
    browser_login(kari, "kari@drammen.kommune.no")
    kari.goto("/org/acos/")
    kari.get_by_role("link", name="Send melding til Acos").click()
    expect(kari.locator("select[name=organisation] option:checked")).to_contain_text("Acos")
    kari.fill("input[name=subject]", "Pris på WebSak-lisens")
    kari.fill("textarea[name=body]", "Hva koster **en** lisens til?")
    kari.get_by_role("button", name="Send melding").click()
    expect(kari.locator("h1")).to_have_text("Pris på WebSak-lisens")
    expect(kari.locator("article.post .post-body strong")).to_have_text("en")
    conversation_url = kari.url

    # Ola, a verified member of Acos, sees it unread in «Samtaler», opens it and answers.
    ola = new_page()
    browser_login(ola, "ola@acos.no")
    ola.locator(".account-menu > summary").click()
    ola.locator(".account-menu").get_by_role("link", name="Samtaler").click()
    row = ola.locator(".notification-list__item", has_text="Pris på WebSak-lisens")
    expect(row).to_contain_text("Ulest")
    row.get_by_role("link").click()
    expect(ola.locator("article.post .post-body")).to_contain_text("Hva koster en lisens til?")
    ola.fill("textarea[name=body]", "Den koster 100 kroner i måneden.")
    ola.get_by_role("button", name="Send svar").click()
    expect(ola.locator("article.post .post-body").last).to_contain_text("100 kroner")
    ola.goto("/samtaler/")
    expect(ola.locator(".notification-list__item").first).not_to_contain_text("Ulest")

    # Kari sees the answer.
    kari.goto("/samtaler/")
    expect(kari.locator(".notification-list__item").first).to_contain_text("Ulest")
    kari.goto(conversation_url)
    expect(kari.locator("article.post .post-body").last).to_contain_text(
        "Den koster 100 kroner i måneden."
    )

    # Per works for Drammen like Kari, but takes no part: nothing at the address, nothing listed.
    per = new_page(390, 800)
    browser_login(per, "per@drammen.kommune.no")
    response = per.goto(conversation_url)
    assert response.status == 404
    per.goto("/samtaler/")
    expect(per.locator("main")).to_contain_text("Du har ingen samtaler ennå.")
    assert Conversation.objects.get().messages.count() == 2
