"""Each kind of member does their basic job in a real browser (Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import Organisation, User
from tests import factories
from tests.conftest import browser_login
from topics.models import Category, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_municipal_member_signs_up_verifies_and_asks_a_question(page):
    drammen = factories.organisation(
        name="Drammen", slug="drammen", municipality_number="3005", domain="drammen.kommune.no"
    )
    page.goto("/")
    page.click("text=Bli medlem")
    page.fill("input[name=email]", "per.hansen@drammen.kommune.no")
    page.fill("input[name=display_name]", "Per Hansen")
    page.fill("input[name=job_title]", "IT-rådgiver")
    page.fill("input[name=password1]", "Et-langt-passord-2020")
    page.fill("input[name=password2]", "Et-langt-passord-2020")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "confirm-email" not in url)

    member = User.objects.get(email="per.hansen@drammen.kommune.no")
    assert member.organisation == drammen
    assert member.organisation_is_verified

    page.goto("/ny/")
    page.fill("input[name=title]", "Hvordan avsluttet dere arkivene før sammenslåingen?")
    page.select_option("select[name=category]", label="Spørsmål og svar")
    page.get_by_label("Sak/arkiv", exact=True).check()
    page.fill("textarea[name=body]", "Vi lurer på hvordan **dere** gjorde det.")
    page.click("main button[type=submit]:has-text('Publiser')")
    page.wait_for_url(re.compile(r"/t/\d+/"))
    assert page.locator("h1").inner_text() == "Hvordan avsluttet dere arkivene før sammenslåingen?"
    byline = page.locator("#innlegg-1 .post-author")
    assert "Per Hansen" in byline.inner_text()
    assert "Kommune" in byline.inner_text()
    assert page.locator("#innlegg-1 .post-body strong").inner_text() == "dere"


def test_vendor_reply_carries_the_vendor_badge(page):
    drammen = factories.organisation(name="Drammen", slug="drammen", domain="drammen.kommune.no")
    factories.organisation(
        name="Acos", slug="acos", kind=Organisation.Kind.LEVERANDOR, domain="acos.no"
    )
    asker = factories.member(email="kari@drammen.kommune.no", organisation=drammen)
    factories.member(email="ola@acos.no", display_name="Ola Leverandør")
    question = factories.topic(
        author=asker,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Noen som har migrert til Acos WebSak?",
    )

    browser_login(page, "ola@acos.no")
    page.goto(question.get_absolute_url())
    page.fill("textarea[name=body]", "Ja, vi har hjulpet flere kommuner med det.")
    page.click("main button:has-text('Send svar')")
    page.wait_for_selector("#innlegg-2")
    byline = page.locator("#innlegg-2 .post-author").inner_text()
    assert "Ola Leverandør" in byline
    assert "Leverandør" in page.locator("#innlegg-2 .badge-row").inner_text()
    assert "Acos" in byline


def test_moderator_pins_a_topic_and_it_comes_first(page):
    factories.organisation(
        name="Kartverket", slug="kartverket", kind=Organisation.Kind.STATLIG, domain="kartverket.no"
    )
    moderator = factories.member(
        email="ingrid@kartverket.no", display_name="Ingrid", moderator=True
    )
    assert moderator.is_moderator
    category = Category.objects.get(slug="sporsmal-og-svar")
    older = factories.topic(author=moderator, category=category, title="Den eldste tråden")
    factories.topic(author=moderator, category=category, title="En nyere tråd")

    browser_login(page, "ingrid@kartverket.no")
    page.goto(older.get_absolute_url())
    page.click("button:has-text('Fest på forsiden')")
    page.wait_for_selector("text=Tråden er festet.")
    assert Topic.objects.get(pk=older.pk).is_pinned

    page.goto("/")
    first = page.locator(".topic-list__item").first
    assert "Den eldste tråden" in first.inner_text()
    assert "Festet" in first.inner_text()
