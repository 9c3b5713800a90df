"""The status pages in a real browser: axe at desktop and phone width, no sideways
scrolling, the map and charts laid out at a readable size. (They are drawn on the server:
tests/test_insight.py reads them in the HTML, with no JavaScript anywhere.)"""

from __future__ import annotations

import pytest

from tests.accessibility import axe_violations
from tests.conftest import browser_login
from tests.test_browser_accessibility import NO_HORIZONTAL_SCROLL, WIDTHS, build_forum

pytestmark = [pytest.mark.browser]

PAGES = [
    "/status/",
    "/status/?maal=uten-valg",
    "/status/?maal=system",
    "/status/kommune/3005/",
    "/status/aktivitet/",
    "/status/aktivitet/?sektor=sak-arkiv",
]


@pytest.mark.django_db(transaction=True)
def test_status_pages_pass_axe_and_reflow(chromium, live_server):
    from tests.conftest import restore_migration_data

    restore_migration_data()
    forum = build_forum()
    violations = []
    for width in ("desktop", "phone-320"):
        for role in ("signed out", "moderator"):
            context = chromium.new_context(
                base_url=live_server.url,
                viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)),
            )
            page = context.new_page()
            if role == "moderator":
                browser_login(page, forum.members["moderator"])
            for url in [*PAGES, *(["/moderering/rapporter/"] if role == "moderator" else [])]:
                page.goto(url)
                where = f"{url} [{role}, {width}]"
                if not page.evaluate(NO_HORIZONTAL_SCROLL):
                    violations.append(f"{where}: the page scrolls sideways")
                violations += axe_violations(page, where)
                if url.startswith("/status/?") or url == "/status/":
                    assert page.locator("svg.insight-map path").count() == 356, where
                    box = page.locator("svg.insight-map").bounding_box()
                    assert box and box["width"] > 200, where
                if url.startswith("/status/aktivitet/"):
                    assert page.locator("svg.insight-chart").count() == 4, where
            context.close()
    assert not violations, "\n".join(violations)
