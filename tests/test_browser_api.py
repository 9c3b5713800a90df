"""What only a browser shows: the API docs run under the strict CSP, and attached images
are shown inline on the topic page."""

from __future__ import annotations

import pytest

from tests import factories
from tests.attachment_files import PNG, upload
from tests.conftest import browser_login
from topics import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_api_docs_load_without_csp_violations(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto("/api/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    page.wait_for_selector(".opblock-summary-path")  # Swagger UI has drawn the operations
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/topics/" in [p.strip().replace("\u200b", "") for p in paths]
    # Try one operation from the docs, as a reader would.
    page.locator(".opblock-summary", has_text="/api/sectors/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert page.evaluate("window.__csp") == []
    assert not [text for text in console if "Content Security Policy" in text]


def test_an_attached_image_is_shown_in_the_post(page, live_server):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    category = factories.category(name="Spørsmål", slug="sporsmal-b")
    topic = actions.create_topic(
        author=member,
        category=category,
        title="Skjermbilde av feilen",
        body="Se bildet.",
        attachments=[upload("feil.png", PNG)],
    )
    browser_login(page, member.email)
    page.goto(topic.get_absolute_url())
    image = page.locator(".attachment-image img")
    image.wait_for()
    # Loaded, not only in the page (it loads lazily, after the test could first look).
    page.wait_for_function("(img) => img.complete", arg=image.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 1
