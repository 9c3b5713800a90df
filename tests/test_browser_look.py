"""The look and layout in a real browser (issue 20): the header is one row on a desktop and
a menu on a phone that opens by keyboard and mouse (and without JavaScript), links have
Designsystemet's colours, Inter is loaded from this site, and axe finds nothing with the
menus open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.accessibility import axe_violations
from tests.conftest import browser_login
from topics.models import Category

pytestmark = [pytest.mark.browser]

# Designsystemet's link colour (--ds-color-accent-text-subtle in the digdir theme), and the
# browser's own link blue that it replaces.
DS_LINK = "rgb(0, 93, 177)"
BROWSER_BLUE = "rgb(0, 0, 238)"

ROW = """() => {
  const boxes = [...document.querySelectorAll('.site-header__inner > *')]
    .filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect());
  const nav = document.querySelector('.site-header__nav .site-nav');
  const items = [...nav.children].map((li) => li.getBoundingClientRect().top);
  return {
    header: document.querySelector('.site-header').getBoundingClientRect().height,
    centres: boxes.map((b) => Math.round(b.top + b.height / 2)),
    itemTops: items.map(Math.round),
    menuButtonShown: document.querySelector('.site-menu').offsetParent !== null,
    scrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


def members():
    return {
        "signed out": None,
        "member": factories.member(
            email="kari@drammen.kommune.no", display_name="Kari Mathilde Nordmann-Kristiansen"
        ),
        "moderator": factories.member(
            email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_header_is_one_row_at_1280_for_everyone_in_both_languages(new_page, live_server):
    for role, member in members().items():
        page = new_page(1280, 800)
        if member:
            browser_login(page, member.email)  # once: a moderator's code is good once
        for language in ("nb", "en"):
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            page.goto("/")
            row = page.evaluate(ROW)
            where = f"{role}, {language}"
            assert not row["menuButtonShown"], where
            assert len(set(row["itemTops"])) == 1, f"{where}: the menu wraps {row['itemTops']}"
            assert max(row["centres"]) - min(row["centres"]) <= 4, f"{where}: {row['centres']}"
            assert row["header"] < 72, f"{where}: header is {row['header']} px high"
            assert not row["scrollsSideways"], where


@pytest.mark.django_db(transaction=True)
def test_phone_menu_opens_by_mouse_and_by_keyboard(new_page):
    drammen = factories.organisation(name="Drammen", domain="drammen.kommune.no")
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    assert member.organisation == drammen
    page = new_page(390, 800)
    browser_login(page, member.email)
    page.goto("/")
    toggle = page.locator(".site-menu > summary")
    panel = page.locator(".site-menu__panel")
    expect(page.locator(".site-header__nav")).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_accessible_name("Meny")
    expect(panel).to_be_hidden()

    # Mouse: click opens, the links are there, a click outside closes.
    toggle.click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Systemkatalog")).to_be_visible()
    expect(panel.get_by_role("link", name="Min organisasjon")).to_be_visible()
    expect(panel.get_by_role("button", name="Logg ut")).to_be_visible()
    expect(panel.get_by_role("searchbox", name="Søk i forumet")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.mouse.click(200, 700)
    expect(panel).to_be_hidden()

    # Keyboard: Tab to the button, Enter opens, Tab reaches the search field and the
    # links, Escape closes and leaves focus on the button.
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.site-menu > summary')"):
            break
    else:
        raise AssertionError("Tab never reached the menu button")
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#site-search-menu")).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Søk")).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("link", name="Tråder")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(panel).to_be_visible()
    page.keyboard.press("Space")
    expect(panel).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_phone_menu_works_without_javascript(chromium, live_server):
    from tests.conftest import restore_migration_data

    restore_migration_data()
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    page.locator(".site-menu > summary").click()
    panel = page.locator(".site-menu__panel")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Systemkatalog").click()
    expect(page).to_have_url(f"{live_server.url}/katalog/")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_links_and_authors_names_use_designsystemet_colours(new_page):
    author = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    topic = factories.topic(author=author, category=Category.objects.get(slug="sporsmal-og-svar"))
    page = new_page(1280, 800)
    browser_login(page, author.email)
    page.goto(topic.get_absolute_url())
    colour = "(e) => getComputedStyle(e).color"
    checked = {
        "author's name": page.locator(".post-author a", has_text="Kari Nordmann").first,
        "menu link": page.locator(".site-header__nav a", has_text="Ubesvarte"),
        "notifications": page.locator(".site-header__user .header-notifications"),
        "footer link": page.locator(".site-footer a").first,
    }
    for label, link in checked.items():
        assert link.evaluate(colour) == DS_LINK, label
    page.goto("/")
    page.get_by_role("link", name="Ubesvarte").first.focus()
    every_link = page.evaluate(
        "() => [...document.querySelectorAll('main a:not([class*=ds-]), header a')]"
        ".map((a) => getComputedStyle(a).color)"
    )
    assert every_link
    assert BROWSER_BLUE not in every_link


@pytest.mark.django_db(transaction=True)
def test_inter_is_loaded_from_this_site_and_nothing_else(new_page, live_server):
    page = new_page(1280, 800)
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto("/")
    page.evaluate("() => document.fonts.ready")
    loaded = page.evaluate(
        "() => [...document.fonts].filter((f) => f.family.replace(/['\"]/g, '') === 'Inter'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert page.evaluate("() => document.fonts.check('16px Inter')")
    assert page.evaluate("() => getComputedStyle(document.body).fontFamily").startswith("Inter")
    assert hosts == {live_server.url.split("/")[2]}


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_with_the_header_menus_open(new_page):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    moderator = factories.member(
        email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True
    )
    violations = []
    for who in (None, member, moderator):
        page = new_page(1280, 800)
        if who:
            browser_login(page, who.email)  # once: a moderator's code is good once
        for width, menus in ((1280, (".search-menu", ".account-menu")), (390, (".site-menu",))):
            page.set_viewport_size({"width": width, "height": 800})
            for menu in menus:
                page.goto("/")
                if page.locator(menu).count() == 0:
                    continue
                page.locator(f"{menu} > summary").click()
                expect(page.locator(f"{menu} > summary + *")).to_be_visible()
                violations += axe_violations(
                    page, f"{menu} open, {width} px, {who or 'signed out'}"
                )
    assert not violations, "\n".join(violations)


LINE_STARTS = """(e) => {
  // The text of each rendered line of the element: where the browser broke it.
  const text = e.textContent, range = document.createRange(), walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  const lines = []; let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || rect.top > top + 2) { lines.push(""); top = rect.top; }
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines;
}"""


@pytest.mark.django_db(transaction=True)
def test_directory_on_a_phone_breaks_no_address_and_says_the_table_scrolls(new_page):
    from tests import directory_factories as df

    vendor = df.vendor("Documaster")
    system = df.system(vendor=vendor, name="Documaster")
    system.website = "https://www.documaster.com/produkter/arkivkjerne-og-langtidslagring/"
    system.save(update_fields=["website"])
    kommune = factories.organisation(name="Drammen", municipality_number="3005")
    df.usage(organisation=kommune, system=system)
    violations = []
    for width in (390, 1280):
        page = new_page(width, 800)
        page.goto(system.get_absolute_url())
        lines = page.locator(".web-address").evaluate(LINE_STARTS)
        assert "".join(lines) == "documaster.com/produkter/arkivkjerne-og-langtidslagring"
        # Every line after the first starts at a separator: no word is cut.
        assert all(line[0] in "/-_" for line in lines[1:]), f"{width}: {lines}"
        violations += axe_violations(page, f"system page {width}")

        page.goto("/katalog/")
        hint = page.locator("[data-scroll-hint]")
        region = page.get_by_role("region", name="Registreringer, kan rulles sidelengs")
        overflows = region.evaluate("(e) => e.scrollWidth > e.clientWidth")
        assert overflows == (width == 390)
        if overflows:
            expect(hint).to_be_visible()
            region.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            # The keyboard scrolls the region (smoothly: wait for it).
            region.evaluate(
                "(e) => new Promise((done) => { const t = Date.now();"
                " (function f() { e.scrollLeft > 0 || Date.now() - t > 3000 ? done() :"
                " requestAnimationFrame(f); })(); })"
            )
            assert region.evaluate("(e) => e.scrollLeft") > 0
        else:
            expect(hint).to_be_hidden()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        violations += axe_violations(page, f"directory home {width}")
    assert not violations, "\n".join(violations)


@pytest.mark.django_db(transaction=True)
def test_new_topic_form_shows_the_verdict_only_for_experiences_and_no_gap(new_page):
    factories.organisation(name="Drammen", domain="drammen.kommune.no")
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    violations = []
    for width in (1280, 390):
        page = new_page(width, 900)
        browser_login(page, member.email)
        page.goto("/ny/")
        verdict = page.get_by_role("group", name="Vurdering")
        expect(verdict).to_be_hidden()
        page.get_by_label("Erfaring", exact=True).check()
        expect(verdict).to_be_visible()
        violations += axe_violations(page, f"new topic, experience, {width}")
        page.get_by_label("Diskusjon").check()
        expect(verdict).to_be_hidden()
        # Under the title (and its character count) comes the next field, at the form's
        # usual distance.
        gap = page.evaluate(
            "() => document.querySelector('label[for=id_category]').getBoundingClientRect().top"
            " - (document.querySelector('#id_title-count') || document.querySelector('#id_title'))"
            ".getBoundingClientRect().bottom"
        )
        usual = page.evaluate(
            "() => document.querySelector('#id_kind').closest('fieldset').getBoundingClientRect().top"
            " - document.querySelector('#id_category').getBoundingClientRect().bottom"
        )
        assert abs(gap - usual) <= 2, (gap, usual)
    assert not violations, "\n".join(violations)
