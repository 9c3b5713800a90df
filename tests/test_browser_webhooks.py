"""The webhook page in Chromium: axe (WCAG 2.1 AA) and no sideways scrolling, with a
delivery log and with a refused address, at desktop and phone width."""

from __future__ import annotations

import pytest

from api import webhooks
from api.models import WebhookDelivery
from tests import factories
from tests.accessibility import axe_violations
from tests.conftest import browser_login
from tests.test_browser_accessibility import NO_HORIZONTAL_SCROLL


@pytest.mark.parametrize("width", [1280, 320])
def test_the_webhook_page_passes_axe_and_reflows(new_page, kommune, width):
    member = factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    endpoint = webhooks.create_endpoint(
        by=member,
        url="https://93.184.215.14/hooks/a-rather-long-path-for-the-receiver",
        organisation=kommune,
        events=["topic.created", "post.created"],
    ).endpoint
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="post.created", status="pending", attempts=2, last_error="HTTP 500"
    )
    page = new_page(width=width, height=800)
    browser_login(page, member.email)
    page.goto("/profil/webhooks/")
    violations = axe_violations(page, "webhooks")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways"
    page.fill("input[name=url]", "https://10.0.0.1/hook")
    page.click("main form[action='/profil/webhooks/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".ds-error-summary").count() == 1
    assert page.locator("#id_url_error").count() == 1
    violations += axe_violations(page, "webhooks with an error")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page with an error scrolls sideways"
    assert not violations, "\n".join(violations)
