"""A corpus of cross-site-scripting vectors, stored through every text field a member or
moderator fills in (titles, Markdown bodies, sectors, display names, job titles,
organisation and system names, directory notes) or sent in the address (search queries,
page numbers, login redirects), and shown in Debian's Chromium: no injected script runs, no dialog
opens, and nothing reaches a foreign host."""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import quote, urlsplit

import pytest

from accounts.models import County, Organisation, User
from directory.models import Sector, System, Usage
from tests import factories
from tests.xss_vectors import HTML_VECTORS, MARKDOWN_VECTORS, numbered
from topics import actions
from topics.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORDER = """
window.__xss = [];
window.xss = (n) => window.__xss.push(String(n));
"""


class Watcher:
    """Listens to a page for everything an injected script would leave behind."""

    def __init__(self, page, live_host: str) -> None:
        self.dialogs: list[str] = []
        self.foreign_requests: list[str] = []
        self.console_errors: list[str] = []
        self.blocked_by_csp: list[str] = []
        self.live_host = live_host
        page.add_init_script(RECORDER)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        # Only requests to other hosts come to Python; our own pass straight through.
        page.context.route(re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])"), self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            self.blocked_by_csp.append(message.text)
        elif not message.text.startswith("Failed to load resource"):  # e.g. ![x](x.png)
            self.console_errors.append(message.text)

    def _route(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if host in {self.live_host, "localhost", "127.0.0.1"}:
            route.continue_()
        else:
            self.foreign_requests.append(route.request.url)
            route.abort()


def store_corpus() -> tuple[list[str], int]:
    """Put every vector in every field that shows text to others; returns the pages to visit
    and the number of (vector, field) pairs stored."""
    html = numbered(HTML_VECTORS, 1)
    markdown = numbered(MARKDOWN_VECTORS, 1000)
    category = Category.objects.create(name="<script>xss(9001)</script>", slug="xss")
    vendor = factories.organisation(
        name="<img src=x onerror=xss(9002)>", slug="xss-vendor", kind=Organisation.Kind.LEVERANDOR
    )
    county = County.objects.create(number="97", name="<svg onload=xss(9003)>")
    tried = 1
    pages = ["/", "/?side=2", "/?side=3", "/k/xss/", "/k/xss/?side=2", "/k/xss/?side=3"]
    orgs = []
    for index, (n, vector) in enumerate(html):
        org = factories.organisation(
            name=vector[:200], slug=f"xss-{n}", county=county, municipality_number=f"9{n:03d}"
        )
        orgs.append(org)
        member = factories.member(
            email=f"xss{n}@example.org", display_name=vector[:100], organisation=org
        )
        User.objects.filter(pk=member.pk).update(job_title=vector[:100])
        sector = Sector.objects.create(name=vector[:100], slug=f"xss-sektor-{n}")
        body_vector = markdown[index % len(markdown)][1]
        topic = actions.create_topic(
            author=member,
            category=category,
            title=f"{vector} tittel"[:200],
            body=f"{vector}\n\n{body_vector}",
            sectors=[sector],
            check_permission=False,
        )
        # The directory: a system named and described by the vector, used with it as note.
        system = System.objects.create(
            name=vector[:150],
            slug=f"xss-system-{n}",
            vendor=vendor,
            description=vector,
            is_approved=True,
        )
        Usage.objects.create(
            organisation=org,
            system=system,
            sector=sector,
            status=Usage.Status.values[0],
            note=vector[:500],
        )
        # Shown: on the topic page the title, body, display name, job title, organisation
        # and sector; on the directory page the system's name and the note (organisation
        # page) or its name and description (system page).
        tried += 8
        pages.append(topic.get_absolute_url())
        if index % 2 == 0:
            pages.append(f"/katalog/kommune/{org.slug}/")
        else:
            pages.append(f"/katalog/system/{system.slug}/")
        if index % 4 == 0:
            pages += [f"/medlem/{member.pk}/", f"/org/{org.slug}/", sector.get_absolute_url()]
    # Every municipality, system name and county name side by side: the county matrix, and
    # the first few municipalities merged into one (the merger page lists their systems).
    merged = factories.organisation(
        name="<iframe src=javascript:xss(9004)>",
        slug="xss-fusjon",
        county=county,
        municipality_number="9799",
        valid_from=datetime.date(2020, 1, 1),
    )
    merged.predecessors.set(orgs[:6])
    tried += 2
    pages += ["/katalog/fylke/97/", "/katalog/sammenslaing/xss-fusjon/"]
    # Every Markdown vector once more as a reply of its own, in one long topic.
    author = factories.member(email="markdown@example.org", organisation=None)
    long_topic = actions.create_topic(
        author=author, category=category, title="Markdown", body="*", check_permission=False
    )
    for _n, vector in markdown:
        actions.reply(author=author, topic=long_topic, body=vector)
        tried += 1
    pages += [f"{long_topic.get_absolute_url()}?side={p}" for p in (1, 2)]
    # Reflected: what arrives in the address.
    for index, (_n, vector) in enumerate(html):
        pages.append(f"/konto/login/?next={quote(vector)}")
        tried += 1
        if index % 4 == 0:
            pages.append(f"/k/xss/?side={quote(vector)}")
            tried += 1
        if index % 2 == 0:
            pages.append(f"/search/?q={quote(vector)}")
            tried += 1
    return pages, tried


# The page views are shared out among shards, so that test workers can show them side by side
# (one test took 338 s: the whole suite waited for it). Every shard stores the whole corpus;
# together they view every page.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_injected_script_runs_in_a_real_browser(page, live_server, shard):
    started = time.monotonic()
    pages, tried = store_corpus()
    pages = pages[shard::SHARDS]
    stored = time.monotonic()
    assert tried >= 200
    assert len(set(HTML_VECTORS)) + len(set(MARKDOWN_VECTORS)) >= 200  # distinct vectors
    watcher = Watcher(page, urlsplit(live_server.url).hostname)

    executed: list[str] = []
    for path in pages:
        # "load" waits for late handlers too (onload, onerror, autofocus, ontoggle).
        response = page.goto(path, wait_until="load")
        assert response.status < 500, path
        executed += page.evaluate("window.__xss")

    print(
        f"\nXSS corpus: {tried} vectors tried, shard {shard + 1}/{SHARDS}: {len(pages)} page views; "
        f"executed {len(executed)}, dialogs {len(watcher.dialogs)}, "
        f"foreign requests {len(watcher.foreign_requests)}, "
        f"blocked by CSP {len(watcher.blocked_by_csp)} "
        f"(stored in {stored - started:.1f} s, shown in {time.monotonic() - stored:.1f} s)"
    )
    assert executed == []
    assert watcher.dialogs == []
    assert watcher.foreign_requests == []
    assert watcher.console_errors == []
    # Escaping and sanitising stop every script before the CSP has to: the only thing the
    # policy refuses is an image a post points at on another host.
    assert all("img-src" in message for message in watcher.blocked_by_csp), watcher.blocked_by_csp


def test_the_csp_blocks_a_script_that_slipped_into_a_page(page, live_server):
    """Defence in depth: even HTML that escaped sanitising cannot run."""
    topic_author = factories.member(email="a@example.org")
    category = Category.objects.first()
    topic = actions.create_topic(
        author=topic_author,
        category=category,
        title="Sikkerhetstest",
        body="x",
        check_permission=False,
    )
    # Written past the sanitiser, straight into the stored HTML.
    topic.posts.update(
        body_html='<script>xss(1)</script><img src=x onerror="xss(2)">'
        '<a id="lure" href="javascript:xss(3)">lenke</a>'
    )
    watcher = Watcher(page, urlsplit(live_server.url).hostname)
    page.goto(topic.get_absolute_url())
    page.click("#lure")
    page.wait_for_timeout(50)
    assert page.evaluate("window.__xss") == []
    assert len(watcher.blocked_by_csp) >= 2
    assert watcher.dialogs == []
