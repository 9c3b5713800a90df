"""Webhooks: signed deliveries to a receiver on loopback, retries with backoff, switching
off after repeated failures, timeouts, the SSRF refusals, and visibility at send time."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from api import webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from topics import actions
from topics.models import Category


class Receiver:
    """A tiny HTTP server in a thread that records what it gets and answers `status`."""

    def __init__(self, status: int = 200, delay: float = 0) -> None:
        self.status, self.delay, self.requests = status, delay, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receivers = []

    def start(**kwargs) -> Receiver:
        receivers.append(Receiver(**kwargs))
        return receivers[-1]

    yield start
    for receiver in receivers:
        receiver.close()


def _endpoint(by, url, organisation=None, **kwargs):
    return webhooks.create_endpoint(
        by=by,
        url=url,
        organisation=None if organisation is False else organisation or by.organisation,
        events=kwargs.pop("events", ["topic.created", "post.created", "answer.accepted"]),
        **kwargs,
    )


def test_a_new_reply_reaches_the_receiver_signed(
    loopback, municipal_member, topic, django_capture_on_commit_callbacks
):
    receiver = loopback()
    new = _endpoint(municipal_member, receiver.url)
    assert new.secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.reply(author=municipal_member, topic=topic, body="Vi bruker Noark 5.")
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert webhooks.verify(new.secret, headers, body)
    assert not webhooks.verify(webhooks.new_secret(), headers, body)
    assert not webhooks.verify(new.secret, headers, body + b" ")
    sent = json.loads(body)
    assert sent["type"] == "post.created"
    assert sent["data"]["post"]["id"] == post.pk
    assert sent["data"]["post"]["body"] == "Vi bruker Noark 5."
    assert sent["data"]["post"]["author"]["display_name"] == municipal_member.display_name
    assert municipal_member.email.encode() not in body
    delivery = WebhookDelivery.objects.get(endpoint=new.endpoint)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert headers["webhook-id"] == f"msg_{delivery.pk}"


def test_only_wanted_events_and_matching_filters(
    loopback, municipal_member, category, topic, django_capture_on_commit_callbacks
):
    receiver = loopback()
    other = Category.objects.create(name="Annet", slug="annet")
    _endpoint(municipal_member, receiver.url, events=["topic.created"])
    _endpoint(municipal_member, receiver.url, categories=[other])
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Et svar.")
        actions.create_topic(
            author=municipal_member, category=category, title="Ny tråd her", body="Tekst."
        )
    assert [json.loads(body)["type"] for _h, body in receiver.requests] == ["topic.created"]


def test_a_failing_receiver_is_retried_with_backoff_and_switched_off(
    loopback, settings, municipal_member, topic, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_FAILURES = 3
    receiver = loopback(status=500)
    new = _endpoint(municipal_member, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Første.")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500"
    first_wait = delivery.next_attempt_at - delivery.created_at
    assert 25 <= first_wait.total_seconds() <= 35
    # The immediate backend cannot wait: run the retry as the worker would when it is due.
    webhooks.deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert 55 <= (delivery.next_attempt_at - delivery.created_at).total_seconds() <= 65
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliver.call(delivery.pk)
    delivery.refresh_from_db()
    endpoint = WebhookEndpoint.objects.get(pk=new.endpoint.pk)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 3
    assert (endpoint.is_active, endpoint.failure_count) == (False, 3)
    assert endpoint.disabled_at is not None
    assert mail.outbox[0].to == [municipal_member.email]
    assert receiver.url in mail.outbox[0].body
    # Switched off: nothing more is sent, and new events make no deliveries.
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Andre.")
    assert WebhookDelivery.objects.count() == 1
    webhooks.set_active(endpoint=endpoint, active=True)
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failure_count, endpoint.disabled_at) == (True, 0, None)


def test_a_success_resets_the_failure_count(
    loopback, municipal_member, topic, django_capture_on_commit_callbacks
):
    receiver = loopback(status=503)
    new = _endpoint(municipal_member, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Første.")
    assert WebhookEndpoint.objects.get(pk=new.endpoint.pk).failure_count == 1
    receiver.status = 204
    webhooks.deliver.call(WebhookDelivery.objects.get().pk)
    assert WebhookEndpoint.objects.get(pk=new.endpoint.pk).failure_count == 0
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_a_hanging_receiver_times_out(
    loopback, settings, municipal_member, topic, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver = loopback(delay=2)
    _endpoint(municipal_member, receiver.url)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Hallo?")
    assert time.monotonic() - started < 1.5
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert "timed out" in delivery.last_error.lower()
    assert delivery.next_attempt_at is not None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1"),
        ("https://10.1.2.3/hook", "10.1.2.3"),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("https://[::1]/hook", "::1"),
        ("https://localhost/hook", "intern"),
        ("https://0.0.0.0/hook", "intern"),
        ("https://224.0.0.1/hook", "224.0.0.1"),
        ("https://[::ffff:127.0.0.1]/hook", "intern"),
        ("http://93.184.215.14/hook", "https://"),
        ("ftp://93.184.215.14/hook", "https://"),
    ],
)
def test_internal_addresses_and_plain_http_are_refused(url, says, municipal_member):
    with pytest.raises(ValidationError) as refused:
        _endpoint(municipal_member, url)
    assert says in refused.value.messages[0]
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted():
    host, port, addresses = webhooks.resolve("https://93.184.215.14/hook")
    assert (host, port, addresses) == ("93.184.215.14", 443, ["93.184.215.14"])


def test_the_address_is_checked_again_when_sending(
    loopback, settings, municipal_member, topic, django_capture_on_commit_callbacks
):
    receiver = loopback()
    _endpoint(municipal_member, receiver.url)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Hei.")
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1
    assert "https://" in delivery.last_error


def test_a_private_topic_is_not_delivered_to_an_owner_who_cannot_read_it(
    loopback, municipal_member, vendor_member, category, django_capture_on_commit_callbacks
):
    receiver = loopback()
    vendor = _endpoint(vendor_member, receiver.url)
    municipality = _endpoint(municipal_member, receiver.url)
    closed = Category.objects.create(
        name="Bare kommuner", slug="kommuner", visibility=Category.Visibility.KOMMUNER
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_topic(
            author=municipal_member, category=closed, title="Ærlig om leverandøren", body="Hemmelig"
        )
    assert len(receiver.requests) == 1
    assert b"Hemmelig" in receiver.requests[0][1]
    skipped = WebhookDelivery.objects.get(endpoint=vendor.endpoint)
    assert skipped.status == WebhookDelivery.Status.SKIPPED
    assert skipped.payload is None
    assert WebhookDelivery.objects.get(endpoint=municipality.endpoint).status == "delivered"


def test_visibility_is_decided_when_sending(
    loopback, settings, municipal_member, topic, django_capture_on_commit_callbacks
):
    """A retry of a topic that has become private since is skipped, not sent."""
    receiver = loopback(status=500)
    _endpoint(municipal_member, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Hei.")
    topic.category.visibility = Category.Visibility.GRUPPE
    topic.category.save()
    receiver.status = 200
    webhooks.deliver.call(WebhookDelivery.objects.get().pk)
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SKIPPED


def test_verify_refuses_an_old_timestamp():
    secret = webhooks.new_secret()
    body = b'{"type":"post.created"}'
    then = int(time.time()) - 3600
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(then),
        "webhook-signature": webhooks.sign(secret, "msg_1", then, body),
    }
    assert webhooks.verify(secret, headers, body, now=then + 10)
    assert not webhooks.verify(secret, headers, body)


# --- The pages ---------------------------------------------------------------------------


def test_registering_on_the_page_shows_the_secret_once(client, municipal_member, category):
    from tests.conftest import login

    login(client, municipal_member)
    response = client.post(
        "/profil/webhooks/",
        {
            "url": "https://93.184.215.14/hook",
            "owner": str(municipal_member.organisation_id),
            "events": ["post.created"],
            "categories": [category.pk],
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.organisation_id == municipal_member.organisation_id
    assert endpoint.events == ["post.created"]
    assert list(endpoint.categories.all()) == [category]
    page = client.get("/profil/webhooks/").content.decode()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get("/profil/webhooks/").content.decode()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://127.0.0.1/hook", "intern"),
        ("https://localhost/", "intern"),
        ("http://93.184.215.14/hook", "https://"),
        ("", "Skriv inn adressen"),
    ],
)
def test_a_refused_address_is_shown_by_the_field(client, municipal_member, url, says):
    from tests.conftest import login

    login(client, municipal_member)
    response = client.post(
        "/profil/webhooks/",
        {"url": url, "owner": str(municipal_member.organisation_id), "events": ["post.created"]},
    )
    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors["url"])
    assert f'value="{url}"' in response.content.decode() or not url
    assert not WebhookEndpoint.objects.exists()


def test_members_without_a_verified_organisation_cannot_register(client, db):
    from tests import factories
    from tests.conftest import login

    member = factories.member(email="d@example.org")
    login(client, member)
    assert b"Registrer webhook" not in client.get("/profil/webhooks/").content
    response = client.post(
        "/profil/webhooks/",
        {"url": "https://93.184.215.14/", "owner": "moderators", "events": ["post.created"]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["owner"]
    assert not WebhookEndpoint.objects.exists()


def test_toggle_and_delete_only_for_the_owner(client, municipal_member, vendor_member):
    from tests.conftest import login

    endpoint = _endpoint(municipal_member, "https://93.184.215.14/hook").endpoint
    login(client, vendor_member)
    assert client.post(f"/profil/webhooks/{endpoint.pk}/av-pa/").status_code == 403
    assert client.post(f"/profil/webhooks/{endpoint.pk}/slett/").status_code == 403
    assert endpoint.url not in client.get("/profil/webhooks/").content.decode()
    login(client, municipal_member)
    client.post(f"/profil/webhooks/{endpoint.pk}/av-pa/")
    assert not WebhookEndpoint.objects.get().is_active
    client.post(f"/profil/webhooks/{endpoint.pk}/av-pa/")
    assert WebhookEndpoint.objects.get().is_active
    client.post(f"/profil/webhooks/{endpoint.pk}/slett/")
    assert not WebhookEndpoint.objects.exists()


def test_the_moderators_own_endpoints(client, moderator, municipal_member):
    from tests.conftest import login

    own = _endpoint(moderator, "https://93.184.215.14/mod", organisation=False).endpoint
    assert own.organisation_id is None
    login(client, municipal_member)
    assert client.post(f"/profil/webhooks/{own.pk}/slett/").status_code == 403
    login(client, moderator)
    assert own.url in client.get("/profil/webhooks/").content.decode()


def test_the_page_query_count_does_not_grow(
    client, municipal_member, topic, django_assert_max_num_queries
):
    from tests.conftest import login

    login(client, municipal_member)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/profil/webhooks/").status_code == 200
        return len(queries)

    _endpoint(municipal_member, "https://93.184.215.14/a")
    count()  # the first request fills the header's caches
    one = count()
    for n in range(3):
        endpoint = _endpoint(municipal_member, f"https://93.184.215.14/{n}").endpoint
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, event="post.created") for _ in range(25)]
        )
    assert count() == one
    with django_assert_max_num_queries(14):
        client.get("/profil/webhooks/")
    page = client.get("/profil/webhooks/")
    assert len(page.context["endpoints"][0].recent_deliveries) == 20


def test_a_usage_change_reaches_the_receiver(
    loopback, municipal_member, kommune, django_capture_on_commit_callbacks
):
    from directory.models import System
    from tests import directory_factories

    receiver = loopback()
    system = directory_factories.system(vendor=directory_factories.vendor())
    other = directory_factories.system(vendor=directory_factories.vendor())
    new = _endpoint(municipal_member, receiver.url, events=["usage.changed"], systems=[system])
    with django_capture_on_commit_callbacks(execute=True):
        directory_factories.usage(organisation=kommune, system=system)
        directory_factories.usage(organisation=kommune, system=other)
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert webhooks.verify(new.secret, headers, body)
    sent = json.loads(body)
    assert sent["type"] == "usage.changed"
    assert sent["data"]["usage"]["system"]["id"] == system.pk
    assert sent["data"]["change"]["action"] == "created"
    # A proposed (unapproved) system's usage is not told.
    System.objects.filter(pk=system.pk).update(is_approved=False)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="pending")
    webhooks.deliver.call(delivery.pk)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SKIPPED


def test_the_snippet_in_the_docs_verifies_a_delivery(
    loopback, municipal_member, topic, django_capture_on_commit_callbacks
):
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs" / "API.md"
    snippet = re.search(r"```python\n(import base64.*?)```", docs.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 (our own documentation)
    receiver = loopback()
    new = _endpoint(municipal_member, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=municipal_member, topic=topic, body="Dokumentert.")
    headers, body = receiver.requests[0]
    headers = {k.lower(): v for k, v in headers.items()}
    assert namespace["verify"](new.secret, headers, body)
    assert not namespace["verify"](webhooks.new_secret(), headers, body)


def test_the_admin_shows_endpoints_without_their_secret(client, municipal_member, topic):
    from accounts.models import User
    from tests import factories

    new = _endpoint(municipal_member, "https://93.184.215.14/hook")
    WebhookDelivery.objects.create(endpoint=new.endpoint, event="post.created")
    admin = factories.two_factor(
        User.objects.create_superuser(email="admin@kartverket.no", display_name="Admin")
    )
    client.force_login(admin)
    for url in [
        "/admin/api/webhookendpoint/",
        f"/admin/api/webhookendpoint/{new.endpoint.pk}/change/",
        "/admin/api/webhookdelivery/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert new.secret not in response.content.decode()
