"""Every kind of page passes axe-core's WCAG 2.1 A/AA rules for every kind of user,
at desktop and phone width, in Debian's Chromium."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import pytest
from PIL import Image

from accounts import actions as account_actions
from accounts.models import Organisation
from accounts.reference_data import load_reference_data
from followup.workshop import import_workshop
from insight.actions import refresh_figures
from tests import directory_factories, factories
from tests.accessibility import axe_violations
from tests.conftest import browser_login
from topics import actions, answers, usefulness
from topics.models import Category, Topic
from topics.moderation import actions as moderation_actions

pytestmark = [pytest.mark.browser]

# Phone at 320 CSS px is WCAG's reflow width; 640 px is a 1280 px window at 200% zoom.
WIDTHS = {"desktop": (1280, 900), "zoom-200": (640, 450), "phone-320": (320, 640)}
# axe for every user at desktop and phone width; every user and width gets the reflow check.
EVERY_USER = {"signed out", "unverified", "municipal", "vendor", "moderator"}
AXE_RUNS = {"desktop": EVERY_USER, "phone-320": EVERY_USER}
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@dataclass
class Forum:
    topic: Topic
    workshop_topic: Topic
    members: dict[str, str]  # role -> e-mail
    system_slug: str
    edited_post_pk: int
    reply_pk: int
    municipal_pk: int
    vendor_pk: int


def build_forum() -> Forum:
    load_reference_data()
    import_workshop()
    municipal = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    vendor = factories.member(email="ola@acos.no", display_name="Ola Hansen")
    moderator = factories.member(
        email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True
    )
    factories.member(email="ny@example.org", display_name="Ny Bruker", email_verified=False)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 90, 160)).save(picture, format="PNG")
    account_actions.set_avatar(
        user=vendor, upload=picture, name="ola.png"
    )  # a picture, not initials
    assert vendor.organisation.kind == Organisation.Kind.LEVERANDOR
    topic = actions.create_topic(
        author=municipal,
        category=Category.objects.get(slug="sporsmal-og-svar"),
        title="Hvordan migrerte dere sak/arkiv?",
        body="## Bakgrunn\n\nVi har **tre** baser.\n\n| System | Kommune |\n|---|---|\n| A | B |\n\n"
        "> Sitat\n\n```\nkode\n```",
    )
    answer = actions.reply(
        author=vendor,
        topic=topic,
        body="Vi kan hjelpe. [Les mer](https://example.org) @Kari Nordmann",
    )
    actions.edit_post(post=answer, editor=vendor, body="Vi kan hjelpe deg. @Kari Nordmann")
    usefulness.set_useful(post=answer, user=municipal, useful=True)
    answers.accept_answer(post=answer, by=municipal)
    hidden = actions.reply(author=vendor, topic=topic, body="Reklame")
    actions.hide_post(post=hidden, by=moderator, reason="Reklame")
    moderation_actions.report_post(post=answer, reporter=municipal, reason="spam", text="Reklame?")
    drammen = Organisation.objects.get(slug="drammen")
    system = directory_factories.system(vendor=vendor.organisation, name="Acos WebSak")
    directory_factories.usage(organisation=drammen, system=system, by=None)
    workshop_topic = Topic.objects.get(workshop__number=1)
    refresh_figures()
    return Forum(
        system_slug=system.slug,
        edited_post_pk=answer.pk,
        reply_pk=answer.pk,
        municipal_pk=municipal.pk,
        vendor_pk=vendor.pk,
        topic=topic,
        workshop_topic=workshop_topic,
        members={
            "signed out": "",
            "unverified": "ny@example.org",
            "municipal": municipal.email,
            "vendor": vendor.email,
            "moderator": moderator.email,
        },
    )


def pages_for(forum: Forum, role: str) -> list[tuple[str, str, dict]]:
    """(label, url, {"submit": bool}) for every kind of page this user can reach."""
    pages = [
        ("front page", "/", {}),
        ("category", "/k/sporsmal-og-svar/", {}),
        ("sector tag", "/sektor/sak-arkiv/", {}),
        ("topic with replies", forum.topic.get_absolute_url(), {}),
        ("workshop topic", forum.workshop_topic.get_absolute_url(), {}),
        ("member profile", forum.topic.author.get_absolute_url(), {}),
        ("member's accepted answers", f"/medlem/{forum.vendor_pk}/?vis=svar", {}),
        ("member's topics", f"{forum.topic.author.get_absolute_url()}?vis=trader", {}),
        ("author card open", forum.topic.get_absolute_url(), {"card": True}),
        ("organisation", "/org/drammen/", {}),
        ("merged municipality", "/org/svelvik-0711/", {}),
        ("accessibility statement", "/tilgjengelighet/", {}),
        ("unanswered questions", "/ubesvarte/", {}),
        ("solved filter", "/?vis=lost", {}),
        ("post history", f"/innlegg/{forum.edited_post_pk}/historikk/", {}),
        ("search results", "/search/?q=arkiv", {}),
        ("search with filters", "/search/?q=kommunene&type=sporsmal&status=lost", {}),
        ("search with errors", "/search/?q=arkiv&fra=ikke-en-dato", {}),
        ("follow-up", "/oppfolging/", {}),
        ("directory home", "/katalog/", {}),
        ("directory municipality", "/katalog/kommune/drammen/", {}),
        ("directory system", f"/katalog/system/{forum.system_slug}/", {}),
        ("directory vendor", "/katalog/leverandor/acos/", {}),
        ("county matrix", "/katalog/fylke/30/", {}),
        ("merger list", "/katalog/sammenslaing/", {}),
        ("merger view", "/katalog/sammenslaing/drammen/", {}),
        ("open data", "/katalog/apne-data/", {}),
        ("status map", "/status/", {}),
        ("status map of a system's users", f"/status/?maal=system&system={forum.system_slug}", {}),
        ("status map with errors", "/status/?maal=system", {}),
        ("status of a merged municipality", "/status/kommune/3005/", {}),
        ("status of a former municipality", "/status/kommune/svelvik-0711/", {}),
        ("activity over time", "/status/aktivitet/", {}),
    ]
    if role == "signed out":
        pages += [
            ("sign in", "/konto/login/", {}),
            ("sign in with errors", "/konto/login/", {"submit": True}),
            ("sign up", "/konto/signup/", {}),
            ("sign up with errors", "/konto/signup/", {"submit": True}),
            ("password reset", "/konto/password/reset/", {}),
        ]
    else:
        pages += [
            ("profile", "/profil/", {}),
            ("e-mail addresses", "/konto/email/", {}),
            ("sign-in connections", "/konto/3rdparty/", {}),
            ("two-factor", "/konto/2fa/", {}),
            ("notifications", "/varsler/", {}),
            ("notification settings", "/varsler/innstillinger/", {}),
        ]
    if role in {"municipal", "vendor", "moderator"}:
        pages += [
            ("new topic", "/ny/", {}),
            ("new topic with errors", "/ny/", {"submit": True}),
            ("reply", f"/t/{forum.topic.pk}/svar/", {}),
            ("reply with errors", f"/t/{forum.topic.pk}/svar/", {"submit": True}),
            ("reply, preview tab", f"/t/{forum.topic.pk}/svar/", {"preview": True}),
            ("topic page, preview tab", forum.topic.get_absolute_url(), {"preview": True}),
            ("edit post", f"/innlegg/{forum.topic.posts.get(position=1).pk}/rediger/", {}),
            ("report a post", f"/innlegg/{forum.reply_pk}/rapporter/", {}),
        ]
    if role == "municipal":
        pages += [("add a system usage", "/katalog/kommune/drammen/ny/", {})]
    if role == "vendor":
        pages += [("propose a system", "/katalog/system/ny/", {})]
    if role == "moderator":
        pages += [
            ("moderation queue", "/moderering/", {}),
            ("moderation log", "/moderering/logg/", {}),
            ("moderation members", "/moderering/medlemmer/", {}),
            ("moderation member", f"/moderering/medlemmer/{forum.municipal_pk}/", {}),
            ("topic tools", f"/t/{forum.topic.pk}/moderering/", {}),
            ("groups", "/grupper/", {}),
            ("usage import", "/katalog/import/", {}),
            ("moderator reports", "/moderering/rapporter/", {}),
        ]
    if role == "unverified":
        pages += [("cannot post yet", "/ny/", {})]
    return pages


# Every width in CI (CI=true); the desktop width alone for `make test` on one's own machine.
CHECKED_WIDTHS = list(WIDTHS) if os.environ.get("CI") else ["desktop"]


@pytest.mark.parametrize("width", CHECKED_WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_and_reflows_for_every_user(new_page, width, settings):
    # The sign-in page and the connections page with both providers' buttons (nothing is
    # fetched from a provider until a button is pressed).
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "provider_class": "accounts.sso.OrganisationOIDCProvider",
            "APPS": [
                {
                    "provider_id": pid,
                    "name": name,
                    "client_id": pid,
                    "secret": "x",
                    "settings": {"server_url": "http://localhost:9"},
                }
                for pid, name in [("entra", "Microsoft"), ("idporten", "ID-porten")]
            ],
        }
    }
    forum = build_forum()
    violations: list[str] = []
    visited = 0
    for role, email in forum.members.items():
        page = new_page(*WIDTHS[width])
        if email:
            browser_login(page, email)
        for label, url, options in pages_for(forum, role):
            page.goto(url)
            if options.get("submit"):
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state()
                assert page.locator(".ds-error-summary").count() == 1, f"{label}: no error summary"
            if options.get("card"):
                page.focus("a[data-card] >> nth=-1")
                page.wait_for_selector(".author-card")
            if options.get("preview"):
                page.fill("textarea[name=body]", "**Fet** tekst, en [lenke](https://ks.no)")
                page.locator("[data-preview-button]").click()
                page.locator(".md-preview strong").wait_for()
            where = f"{label} [{role}, {width}] {url}"
            if not page.evaluate(NO_HORIZONTAL_SCROLL):
                violations.append(f"{where}: the page scrolls sideways")
            if role in AXE_RUNS.get(width, ()):
                violations += axe_violations(page, where)
            visited += 1
    assert visited >= 150
    assert not violations, "\n".join(violations)


def test_axe_check_catches_a_real_violation(chromium):
    page = chromium.new_page()
    page.set_content(
        '<html lang="nb"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>'
    )
    found = axe_violations(page, "broken page")
    page.close()
    assert any("image-alt" in line for line in found)
    assert any("label" in line for line in found)
