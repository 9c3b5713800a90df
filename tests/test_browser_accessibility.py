"""Every kind of page passes axe-core's WCAG 2.1 A/AA rules for every kind of user,
at desktop and phone width, in Debian's Chromium."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from accounts import actions as account_actions
from accounts.models import Organisation
from accounts.reference_data import load_reference_data
from conversations import actions as conversation_actions
from followup.workshop import import_workshop
from insight.actions import refresh_figures
from tests import directory_factories, factories
from tests.accessibility import axe_violations
from tests.conftest import browser_login
from topics import actions, answers, bookmarks, drafts, muting, polls, usefulness
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
    poll_topic: Topic
    closed_poll_topic: Topic
    members: dict[str, str]  # role -> e-mail
    system_slug: str
    edited_post_pk: int
    reply_pk: int
    municipal_pk: int
    vendor_pk: int
    bookmark_pks: dict[str, int]  # role -> the pk of one of their bookmarks
    conversation_url: str = ""
    reported_message_pk: int = 0


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
    poll_topic, closed_poll_topic = (
        actions.create_topic(
            author=municipal,
            category=Category.objects.get(slug="sammenslaaing-og-migrering"),
            title=title,
            body="Hva velger dere?",
            poll=polls.PollDraft(
                question="Hvilket sak/arkiv-system?",
                options=["Acos WebSak", "Elements", "Public 360"],
                kind=kind,
                voters="public",
            ),
        )
        for title, kind in [
            ("Avstemning om systemvalg", "single"),
            ("Avsluttet avstemning", "multiple"),
        ]
    )
    for poll_in in (poll_topic, closed_poll_topic):
        choice = list(poll_in.poll.options.values_list("pk", flat=True))[:2]
        polls.vote(
            poll=poll_in.poll,
            member=vendor,
            option_ids=choice[: 2 if poll_in.poll.kind == "multiple" else 1],
        )
    polls.close_poll(poll=closed_poll_topic.poll, by=moderator)
    bookmark_pks = {}
    for role, member in [("municipal", municipal), ("vendor", vendor), ("moderator", moderator)]:
        kept = bookmarks.bookmark(member=member, post=answer)
        bookmarks.update_bookmark(
            bookmark=kept, note="Les før møtet", remind_at=timezone.now() + timedelta(days=3)
        )
        bookmarks.bookmark(member=member, topic=workshop_topic)
        bookmark_pks[role] = kept.pk
        # (no draft of a reply to `topic`: «reply with errors» sends its form empty)
        drafts.save_draft(member=member, place="topic:new", title="Ny tråd", body="Halvferdig")
        muting.mute(member=member, category=workshop_topic.category)
        muting.mute(member=member, muted_member=vendor if member != vendor else municipal)
    conversation = conversation_actions.start_conversation(
        by=municipal,
        recipients=conversation_actions.Recipients(members=[], organisations=[vendor.organisation]),
        subject="Lisens for WebSak",
        body="Hva koster **en** lisens til?\n\n> Sitat fra tilbudet",
    )
    offer = conversation_actions.reply(
        author=vendor,
        conversation=conversation,
        body="Se vedlagt tilbud. [Prisliste](https://example.org)",
    )
    conversation_actions.report(message=offer, reporter=municipal, reason="Reklame")
    refresh_figures()
    return Forum(
        poll_topic=poll_topic,
        closed_poll_topic=closed_poll_topic,
        bookmark_pks=bookmark_pks,
        conversation_url=conversation.get_absolute_url(),
        reported_message_pk=offer.pk,
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
        ("topic with a poll", forum.poll_topic.get_absolute_url(), {}),
        ("topic with a closed poll", forum.closed_poll_topic.get_absolute_url(), {}),
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
            ("conversations", "/samtaler/", {}),
            ("notification settings", "/varsler/innstillinger/", {}),
        ]
    if role in {"municipal", "vendor", "moderator"}:
        pages += [
            ("new topic", "/ny/", {}),
            ("new topic with errors", "/ny/", {"submit": True}),
            ("new topic, poll section open", "/ny/", {"poll": True}),
            ("reply", f"/t/{forum.topic.pk}/svar/", {}),
            ("reply with errors", f"/t/{forum.topic.pk}/svar/", {"submit": True}),
            ("reply, preview tab", f"/t/{forum.topic.pk}/svar/", {"preview": True}),
            ("topic page, preview tab", forum.topic.get_absolute_url(), {"preview": True}),
            ("edit post", f"/innlegg/{forum.topic.posts.get(position=1).pk}/rediger/", {}),
            ("report a post", f"/innlegg/{forum.reply_pk}/rapporter/", {}),
            ("bookmarks", "/bokmerker/", {}),
            ("bookmark", f"/bokmerker/{forum.bookmark_pks[role]}/", {}),
            (
                "bookmark with errors",
                f"/bokmerker/{forum.bookmark_pks[role]}/",
                {"submit": True, "fill": {"input[name=remind_at]": "2020-01-01T10:00"}},
            ),
            ("my drafts", "/utkast/", {}),
        ]
    if role in {"municipal", "vendor", "moderator"}:
        pages += [
            ("new conversation", "/samtaler/ny/", {}),
            ("new conversation with errors", "/samtaler/ny/", {"submit": True}),
        ]
    if role in {"municipal", "vendor"}:
        pages += [
            ("conversation", forum.conversation_url, {}),
            ("conversation with errors", forum.conversation_url, {"submit": True}),
            ("conversation, preview tab", forum.conversation_url, {"preview": True}),
        ]
    if role == "municipal":
        pages += [
            ("report a message", f"/samtaler/melding/{forum.reported_message_pk}/rapporter/", {})
        ]
    if role == "municipal":
        pages += [("add a system usage", "/katalog/kommune/drammen/ny/", {})]
    if role == "vendor":
        pages += [("propose a system", "/katalog/system/ny/", {})]
    if role == "moderator":
        pages += [
            ("moderation queue", "/moderering/", {}),
            ("reported conversation messages", "/samtaler/rapporter/", {}),
            ("moderation log", "/moderering/logg/", {}),
            ("moderation members", "/moderering/medlemmer/", {}),
            ("moderation member", f"/moderering/medlemmer/{forum.municipal_pk}/", {}),
            ("topic tools", f"/t/{forum.topic.pk}/moderering/", {}),
            ("groups", "/grupper/", {}),
            ("usage import", "/katalog/import/", {}),
            ("moderator reports", "/moderering/rapporter/", {}),
        ]
    if role == "unverified":
        pages += [
            ("cannot post yet", "/ny/", {}),
            ("cannot start a conversation", "/samtaler/ny/", {}),
        ]
    return pages


# Every width in CI (CI=true); the desktop width alone for `make test` on one's own machine.
CHECKED_WIDTHS = list(WIDTHS) if os.environ.get("CI") else ["desktop"]


# One test per width and kind of user, so that the suite's workers share the matrix.
@pytest.mark.parametrize("role", sorted(EVERY_USER))
@pytest.mark.parametrize("width", CHECKED_WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_and_reflows_for_every_user(new_page, width, role, settings):
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
    assert set(forum.members) == EVERY_USER
    assert sum(len(pages_for(forum, kind)) for kind in EVERY_USER) >= 150
    page = new_page(*WIDTHS[width])
    if email := forum.members[role]:
        browser_login(page, email)
    for label, url, options in pages_for(forum, role):
        page.goto(url)
        for selector, value in options.get("fill", {}).items():
            page.fill(selector, value)
        if options.get("submit"):
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert page.locator(".ds-error-summary").count() == 1, f"{label}: no error summary"
        if options.get("poll"):
            page.locator(".poll-section > summary").click()
            page.fill("textarea[name=poll-options]", "Bare ett")
            page.get_by_role("button", name="Publiser").click()
            page.wait_for_load_state()
            assert page.locator("#id_poll-options_error").count() == 1, f"{label}: no error"
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
    assert visited == len(pages_for(forum, role))
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
