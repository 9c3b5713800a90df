from __future__ import annotations

import os

import pytest
from django.test import Client

from accounts.models import Organisation
from tests import factories


@pytest.fixture
def kommune(db) -> Organisation:
    return factories.organisation(
        name="Drammen", slug="drammen", municipality_number="3005", domain="drammen.kommune.no"
    )


@pytest.fixture
def vendor_org(db) -> Organisation:
    return factories.organisation(
        name="Acos", slug="acos", kind=Organisation.Kind.LEVERANDOR, domain="acos.no"
    )


@pytest.fixture
def kartverket(db) -> Organisation:
    return factories.organisation(
        name="Kartverket", slug="kartverket", kind=Organisation.Kind.STATLIG, domain="kartverket.no"
    )


@pytest.fixture
def municipal_member(kommune):
    return factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")


@pytest.fixture
def vendor_member(vendor_org):
    return factories.member(email="ola@acos.no", display_name="Ola Hansen")


@pytest.fixture
def moderator(kartverket):
    return factories.member(
        email="ingrid@kartverket.no", display_name="Ingrid Moderator", moderator=True
    )


@pytest.fixture
def unverified_member(db):
    return factories.member(email="ny@example.org", email_verified=False)


@pytest.fixture
def category(db):
    return factories.category(name="Spørsmål", slug="sporsmal")


@pytest.fixture
def members(kommune, vendor_org, kartverket):
    """One member of each kind: municipality, vendor, Kartverket, no organisation."""
    return [
        factories.member(email="a@drammen.kommune.no"),
        factories.member(email="b@acos.no"),
        factories.member(email="c@kartverket.no", moderator=True),
        factories.member(email="d@example.org"),
    ]


# What the municipal-only topic of `closed_topic` says: no other reader may ever see it.
CLOSED_SECRET = "Hemmelig vurdering av leverandøren"


@pytest.fixture
def page_cache_on():
    """The signed-out page cache on, and empty before and after."""
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def closed_topic(municipal_member, django_capture_on_commit_callbacks):
    """A municipal member's topic in a category only verified municipal staff may read."""
    from topics import actions
    from topics.models import Category

    closed = Category.objects.create(
        name="Bare kommuner", slug="kommuner", visibility=Category.Visibility.KOMMUNER
    )
    with django_capture_on_commit_callbacks(execute=True):
        return actions.create_topic(
            author=municipal_member,
            category=closed,
            title="Ærlig om leverandøren",
            body=CLOSED_SECRET,
        )


@pytest.fixture
def topic(municipal_member, category):
    return factories.topic(author=municipal_member, category=category, title="Noark 5-migrering")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _api_rate_limit_out_of_the_way(settings):
    """Tests share one process-wide cache; the rate-limit tests set their own low limits."""
    settings.API_RATE_LIMIT_ANONYMOUS = settings.API_RATE_LIMIT_TOKEN = 100_000


def page_queries(client: Client, url: str, statuses: tuple[int, ...] = (200,)) -> list[str]:
    """The SQL a page runs, with nothing cached yet (the header's notification count and the
    fragments would otherwise hide what a miss costs)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in settings.CACHES:
        caches[name].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code in statuses, url
    return [q["sql"] for q in ctx.captured_queries]


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


# --- Real-browser tests (Playwright driving Debian's Chromium) ---------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium per test process. Skipped where Chromium is not installed,
    unless REQUIRE_BROWSER_TESTS is set (CI), where its absence is a failure."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def restore_migration_data() -> None:
    """Put back the rows the data migrations create (sectors, categories).

    Browser tests use the transactional database, which is emptied after each test;
    Django's serialized rollback can't help here, because Playwright's sync API makes the
    test run in an async context where Django hands out other connection objects.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("directory.migrations.0002_sector_vocabulary").create_sectors(apps, None)
    import_module("topics.migrations.0002_default_categories").create_categories(apps, None)
    import_module("directory.migrations.0004_english_names").name_sectors_in_english(apps, None)
    import_module("topics.migrations.0012_english_names").name_categories_in_english(apps, None)


@pytest.fixture
def browser_context(chromium, live_server, transactional_db):
    restore_migration_data()
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A fresh browser tab (its own cookies) on the live server."""
    return browser_context.new_page()


@pytest.fixture
def new_page(chromium, live_server, transactional_db):
    """Open more tabs, each with its own cookies: one per user in a multi-user test."""
    restore_migration_data()
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = chromium.new_context(
            base_url=live_server.url, locale="nb-NO", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


_USED_CODES: set[tuple[int, str]] = set()


def browser_login(page, email: str, password: str = factories.PASSWORD) -> None:
    page.goto("/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    if "/konto/2fa/authenticate/" in page.url:  # moderators have an authenticator app
        import time

        import pyotp
        from django.contrib.auth import get_user_model

        totp = pyotp.TOTP(factories.TOTP_SECRET)
        # allauth refuses a code already used (replay protection, keyed by user id and code):
        # a second sign-in of the same member in one 30-second window waits for the next
        # code, as a person would. Keyed by id, not e-mail, so a moderator created afresh in
        # the next test (a new id) does not wait for a window another test used.
        user_id = get_user_model().objects.get(email__iexact=email).pk
        # A code typed in the last seconds of its window may reach the server in the next one,
        # which refuses it (no tolerance), as it would refuse a person: wait for a fresh code.
        while (user_id, totp.now()) in _USED_CODES or (
            totp.interval - time.time() % totp.interval < 4
        ):
            time.sleep(totp.interval - time.time() % totp.interval + 0.1)
        _USED_CODES.add((user_id, totp.now()))
        page.fill("input[name=code]", totp.now())
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def browser_logout(page) -> None:
    """Sign out as a member does: open the account menu (the menu on a phone), «Logg ut»."""
    account = page.locator(".account-menu > summary")
    menu = page.locator(".account-menu" if account.is_visible() else ".site-menu")
    menu.locator("> summary").click()
    menu.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()


def browser_signed_in(page) -> bool:
    """The header shows the member's account menu (signed out: «Logg inn»)."""
    return page.locator(".account-menu, .site-menu__who").count() > 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters, cached pages and fragments from one test must not leak into the
    next."""
    from django.conf import settings
    from django.core.cache import caches

    for name in settings.CACHES:
        caches[name].clear()
