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


def _open_account_menu(page) -> None:
    page.locator(".account-menu > summary").click()


def test_a_moderator_outside_the_conversation_sees_only_the_reported_message(
    new_page, kommune, vendor_org, kartverket
):
    factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    factories.member(email="ola@acos.no", display_name="Ola Hansen")
    factories.member(email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True)

    kari = new_page()
    browser_login(kari, "kari@drammen.kommune.no")
    kari.goto("/samtaler/ny/")
    kari.fill("input[name=members]", "Ola Hansen")
    kari.fill("input[name=subject]", "Hemmelig emne om lisenser")
    kari.fill("textarea[name=body]", "Dere er svindlere, alle sammen.")
    kari.get_by_role("button", name="Send melding").click()
    expect(kari.locator("h1")).to_have_text("Hemmelig emne om lisenser")
    conversation_url = kari.url
    kari.fill("textarea[name=body]", "Og en ting til som bare Ola skal se.")
    kari.get_by_role("button", name="Send svar").click()
    expect(kari.locator("article.post")).to_have_count(2)

    # Ola is told in the header, opens it and reports the first message.
    ola = new_page()
    browser_login(ola, "ola@acos.no")
    _open_account_menu(ola)
    ola.get_by_role("link", name="Samtaler, 1 ulest").click()
    ola.get_by_role("link", name="Hemmelig emne om lisenser").click()
    ola.locator("article.post").first.get_by_role("link", name="Rapporter meldingen").click()
    ola.fill("textarea[name=reason]", "Skjellsord")
    ola.get_by_role("button", name="Send rapport").click()
    expect(ola.locator("h1")).to_have_text("Hemmelig emne om lisenser")
    _open_account_menu(ola)
    expect(
        ola.locator(".account-menu").get_by_role("link", name="Samtaler", exact=True)
    ).to_be_visible()

    # Ingrid moderates but takes no part: the reported message alone, and no conversation.
    ingrid = new_page()
    browser_login(ingrid, "ingrid@kartverket.no")
    ingrid.goto("/samtaler/rapporter/")
    main = ingrid.locator("main")
    expect(main).to_contain_text("Dere er svindlere, alle sammen.")
    expect(main).to_contain_text("Skjellsord")
    expect(main).not_to_contain_text("Hemmelig emne")
    expect(main).not_to_contain_text("bare Ola skal se")
    assert ingrid.goto(conversation_url).status == 404
    ingrid.goto("/samtaler/")
    expect(ingrid.locator("main")).not_to_contain_text("Hemmelig emne")


@pytest.mark.parametrize(
    "email", ["nils@example.org", "bente@bergen.kommune.no"], ids=["no-organisation", "bergen"]
)
def test_a_member_outside_kartverket_writes_to_kartverket_and_a_draft_survives_a_reload(
    new_page, kommune, kartverket, email
):
    factories.organisation(
        name="Bergen", slug="bergen", municipality_number="4601", domain="bergen.kommune.no"
    )
    factories.member(email=email, display_name="Skribent Utenfra")
    factories.member(email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True)

    writer = new_page(390, 800)
    browser_login(writer, email)
    writer.goto("/samtaler/ny/")
    writer.select_option("select[name=organisation]", value=str(kartverket.pk))
    writer.fill("input[name=subject]", "Matrikkelen etter sammenslåingen")
    writer.fill("textarea[name=body]", "Hvem retter gårdsnumrene?")
    writer.get_by_role("button", name="Send melding").click()
    expect(writer.locator("h1")).to_have_text("Matrikkelen etter sammenslåingen")

    # Kartverket's verified member takes part; what she starts to answer is kept as she types.
    ingrid = new_page()
    browser_login(ingrid, "ingrid@kartverket.no")
    _open_account_menu(ingrid)
    ingrid.get_by_role("link", name="Samtaler, 1 ulest").click()
    ingrid.get_by_role("link", name="Matrikkelen etter sammenslåingen").click()
    ingrid.fill("textarea[name=body]", "Kommunen selv, men vi hjelper")
    expect(ingrid.locator("[data-draft-status]")).to_contain_text("Utkast lagret", timeout=15_000)
    ingrid.reload()
    expect(ingrid.locator("textarea[name=body]")).to_have_value("Kommunen selv, men vi hjelper")
    ingrid.goto("/utkast/")
    ingrid.get_by_role(
        "link", name="Svaret ditt i samtalen «Matrikkelen etter sammenslåingen»"
    ).click()
    ingrid.fill("textarea[name=body]", "Kommunen selv, men vi hjelper gjerne.")
    ingrid.get_by_role("button", name="Send svar").click()
    expect(ingrid.locator("article.post .post-body").last).to_contain_text("vi hjelper gjerne")
    ingrid.goto("/utkast/")
    expect(ingrid.locator("main")).to_contain_text("Ingen utkast.")

    writer.reload()
    expect(writer.locator("article.post .post-body").last).to_contain_text("vi hjelper gjerne")
