"""A schema-driven fuzz run (schemathesis) of the whole API: no input gives a 500, and every
answer matches the OpenAPI schema (status codes, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import actions as api_actions
from forum.wsgi import application
from tests import directory_factories, factories
from tests.attachment_files import PDF, upload
from topics import actions
from topics.models import Category

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI app, which closes old database connections at the
    start and end of each request; inside a test that would close the test's transaction.
    Django's own test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def forum(municipal_member, moderator, kommune):
    category = factories.category(name="Åpen", slug="apen")
    closed = Category.objects.create(name="Lukket", slug="lukket", visibility="gruppe")
    system = directory_factories.system(vendor=directory_factories.vendor(), name="WebSak")
    directory_factories.usage(organisation=kommune, system=system)
    for i in range(3):
        topic = actions.create_topic(
            author=municipal_member,
            category=category if i < 2 else closed,
            title=f"Tråd nummer {i}",
            body="Innhold",
            systems=[system],
            attachments=[upload("plan.pdf", PDF)] if i == 0 else (),
            check_permission=False,
        )
        actions.reply(author=moderator, topic=topic, body="Svar")
    reader = api_actions.create_token(user=municipal_member, name="fuzz").secret
    writer = api_actions.create_token(
        user=municipal_member, name="fuzz-write", scopes=["write:posts", "write:directory"]
    ).secret
    return reader, writer


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail(case, forum):
    cache.clear()
    # A cursor is opaque and signed: a made-up one that fits the schema is rightly a 400,
    # so "schema-valid data must be accepted" does not hold for it. Every other check runs.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
    reader, writer = forum
    for token in (reader, writer):  # the writes with a token that may write, too
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
        )
