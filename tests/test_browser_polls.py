"""A poll in a real browser, for each kind of member: a municipal member starts a topic with a
poll, a vendor votes, sees the results and changes the vote, a member of no organisation
votes, a signed-out visitor cannot (and a member with an unconfirmed e-mail cannot sign in),
a moderator closes it, and after that nobody can vote and everyone sees the results."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import browser_login
from topics.models import Category, PollVote

pytestmark = [pytest.mark.browser]

SHOTS = os.environ.get("POLL_SHOTS")  # a folder: keep screenshots to look at


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_poll_from_creation_to_closing_for_every_kind_of_member(new_page, kommune, vendor_org):
    factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    vendor = factories.member(email="ola@acos.no", display_name="Ola Hansen")
    factories.member(email="ny@example.org", display_name="Nina Uten Org")
    factories.organisation(
        name="Kartverket", slug="kartverket", kind="statlig", domain="kartverket.no"
    )
    factories.member(email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True)
    category = Category.objects.get(slug="sammenslaaing-og-migrering")

    # A municipal member starts a topic with a poll; one option first, then three.
    author = new_page()
    browser_login(author, "kari@drammen.kommune.no")
    author.goto("/ny/")
    author.fill("input[name=title]", "Hvilket sak/arkiv-system velger dere?")
    author.select_option("select[name=category]", value=str(category.pk))
    author.get_by_label("Diskusjon").check()
    author.fill("textarea[name=body]", "Vi skal velge før sammenslåingen.")
    author.locator(".poll-section > summary").click()
    author.fill("input[name=poll-question]", "Hvilket system bruker dere?")
    author.fill("textarea[name=poll-options]", "Bare ett")
    author.get_by_label("Vises med navn").check()
    author.get_by_role("button", name="Publiser").click()
    expect(author.locator("#id_poll-options_error")).to_contain_text("2 til 20")
    expect(author.locator("input[name=title]")).to_have_value(
        "Hvilket sak/arkiv-system velger dere?"
    )
    _shoot(author, "new-topic-poll-error")
    author.fill("textarea[name=poll-options]", "Acos WebSak\nElements\nPublic 360")
    author.get_by_role("button", name="Publiser").click()
    expect(author.locator("#poll")).to_contain_text("Hvilket system bruker dere?")
    topic_url = author.url
    expect(author.locator("#poll")).to_contain_text("Resultatene vises når du har stemt.")

    # A vendor votes, sees the results, changes the vote.
    voter = new_page()
    browser_login(voter, vendor.email)
    voter.goto(topic_url)
    voter.locator("#poll").get_by_label("Elements").check()
    voter.locator("#poll").get_by_role("button", name="Stem").click()
    expect(voter.locator(".ds-alert").first).to_contain_text("Stemmen din er registrert")
    results = voter.locator(".poll__results")
    expect(results).to_contain_text("1 har stemt")
    expect(results.locator("tr", has_text="Elements")).to_contain_text("100 %")
    expect(results.locator("tr", has_text="Elements")).to_contain_text("Stemt av: Ola Hansen")
    _shoot(voter, "topic-poll-voted")
    voter.locator("#poll").get_by_label("Public 360").check()
    voter.locator("#poll").get_by_role("button", name="Endre stemmen").click()
    expect(results.locator("tr", has_text="Public 360")).to_contain_text("Ditt valg")
    expect(results.locator("tr", has_text="Elements")).to_contain_text("0 %")
    assert PollVote.objects.filter(member=vendor).count() == 1

    # A member of no organisation votes too; a signed-out visitor cannot vote.
    newcomer = new_page()
    browser_login(newcomer, "ny@example.org")
    newcomer.goto(topic_url)
    newcomer.locator("#poll").get_by_label("Public 360").check()
    newcomer.locator("#poll").get_by_role("button", name="Stem").click()
    expect(newcomer.locator(".poll__results")).to_contain_text("2 har stemt")
    visitor = new_page()
    visitor.goto(topic_url)
    expect(visitor.locator("#poll")).to_contain_text("Logg inn for å stemme")
    expect(visitor.locator("#poll input[name=option]")).to_have_count(0)

    # A moderator closes the poll: no vote is possible, the results are everyone's.
    moderator = new_page()
    browser_login(moderator, "ingrid@kartverket.no")
    moderator.goto(topic_url)
    moderator.get_by_role("button", name="Avslutt avstemningen").click()
    expect(moderator.locator("#poll")).to_contain_text("Avsluttet")
    voter.goto(topic_url)
    expect(voter.locator("#poll input[name=option]")).to_have_count(0)
    expect(voter.locator(".poll__results")).to_contain_text("Ditt valg")
    visitor.goto(topic_url)
    expect(visitor.locator(".poll__results")).to_contain_text("Stemt av: Nina Uten Org, Ola Hansen")
    _shoot(visitor, "topic-poll-closed-signed-out")
