"""Health checks, the friendly 503, structured request logs, rate limits and double submits."""

from __future__ import annotations

import json
import logging
import uuid
from importlib import import_module
from unittest import mock

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings

from api import ratelimit as api_ratelimit
from forum.ratelimit import client_ip
from ops.logging import JsonFormatter
from tests import factories
from topics.models import Post, Topic

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert (
        "no-store" in response.headers["Cache-Control"]
        or "max-age=0" in (response.headers["Cache-Control"])
    )


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("ops.views._ping_database", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


def test_healthz_is_503_when_the_cache_is_down(client):
    with mock.patch("ops.views.cache.set", side_effect=ConnectionError("redis")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


def test_pages_answer_a_friendly_503_while_the_database_is_down(client, topic):
    with mock.patch(
        "topics.models.TopicQuerySet.visible_to", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "midlertidig utilgjengelig" in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


def test_a_reply_while_the_database_is_down_is_not_saved_and_the_text_is_kept(
    client, topic, vendor_member
):
    client.force_login(vendor_member)
    token = str(uuid.uuid4())
    body = "Vi brukte **Elements** i to år <og> det gikk fint."
    with mock.patch("topics.actions.reply", side_effect=OperationalError("server closed")):
        response = client.post(f"/t/{topic.pk}/svar/", {"body": body, "client_token": token})
    assert response.status_code == 503
    assert "ble ikke lagret" in response.text
    assert "Vi brukte **Elements** i to år &lt;og&gt; det gikk fint." in response.text
    assert f'name="client_token" value="{token}"' in response.text
    assert f'action="/t/{topic.pk}/svar/"' in response.text
    assert Post.objects.count() == 1
    # Sending it again once the database is back stores it, once.
    for _ in range(2):
        response = client.post(f"/t/{topic.pk}/svar/", {"body": body, "client_token": token})
        assert response.status_code == 302
    assert Post.objects.count() == 2


def test_a_database_error_outside_the_view_is_a_503_too(topic):
    client = Client(raise_request_exception=False)
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    with mock.patch.object(
        session_store, "load", side_effect=OperationalError("connection refused")
    ):
        client.cookies["sessionid"] = "x" * 32
        response = client.get("/profil/")
    assert response.status_code == 503
    assert "midlertidig utilgjengelig" in response.text


def test_passwords_are_never_echoed_by_the_503_page(client):
    with mock.patch(
        "allauth.account.views.LoginView.dispatch", side_effect=OperationalError("down")
    ):
        response = client.post("/konto/login/", {"login": "a@b.no", "password": "hemmelig-123"})
    assert response.status_code == 503
    assert "hemmelig-123" not in response.text


def test_other_errors_get_the_plain_500_page(topic):
    client = Client(raise_request_exception=False)
    with mock.patch("topics.models.TopicQuerySet.visible_to", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.text
    assert "RuntimeError" not in response.text


def test_double_submitted_reply_form_creates_one_post(client, topic, vendor_member):
    client.force_login(vendor_member)
    form = client.get(f"/t/{topic.pk}/svar/").text
    token = form.split('name="client_token" value="', 1)[1].split('"', 1)[0]
    uuid.UUID(token)
    for _ in range(3):
        response = client.post(f"/t/{topic.pk}/svar/", {"body": "Hei!", "client_token": token})
        assert response.status_code == 302
    assert Post.objects.filter(topic=topic).count() == 2
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_double_submitted_new_topic_form_creates_one_topic(client, municipal_member, category):
    client.force_login(municipal_member)
    data = {
        "title": "Erfaringer med Elements?",
        "category": category.pk,
        "kind": "sporsmal",
        "body": "Hei",
        "client_token": str(uuid.uuid4()),
    }
    first = client.post("/ny/", data)
    second = client.post("/ny/", data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert Topic.objects.count() == 1


def test_a_restored_form_with_new_text_is_a_new_post(client, topic, vendor_member):
    client.force_login(vendor_member)
    token = str(uuid.uuid4())
    client.post(f"/t/{topic.pk}/svar/", {"body": "Første svar", "client_token": token})
    client.post(f"/t/{topic.pk}/svar/", {"body": "Et annet svar", "client_token": token})
    bodies = list(Post.objects.filter(topic=topic).values_list("body", flat=True))
    assert bodies == ["Hva gjør dere med dette?", "Første svar", "Et annet svar"]


def test_the_same_token_from_two_members_makes_two_posts(client, topic, vendor_member, moderator):
    token = str(uuid.uuid4())
    for member in (vendor_member, moderator):
        client.force_login(member)
        client.post(f"/t/{topic.pk}/svar/", {"body": "Hei!", "client_token": token})
    assert Post.objects.filter(topic=topic).count() == 3


@override_settings(FORUM_RATE_LIMITS={"post": "3/m"})
def test_posting_is_rate_limited_with_a_clear_message_and_retry_after(client, topic, vendor_member):
    client.force_login(vendor_member)
    for n in range(3):
        assert client.post(f"/t/{topic.pk}/svar/", {"body": f"Svar {n}"}).status_code == 302
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Ett til som blir stoppet"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert "For mange forsøk" in response.text
    assert "Ett til som blir stoppet" in response.text
    assert Post.objects.filter(topic=topic).count() == 4
    # Reading is not limited.
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_failed_sign_ins_are_limited_per_address(client, municipal_member):
    for _ in range(6):
        response = client.post(
            "/konto/login/", {"login": "kari@drammen.kommune.no", "password": "feil"}
        )
    assert response.status_code == 200
    assert "For mange" in response.text
    # Even the right password waits now.
    response = client.post(
        "/konto/login/", {"login": "kari@drammen.kommune.no", "password": factories.PASSWORD}
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("proxies", "forwarded", "counted"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy trusted: the header is the client's own word
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the balancer appended what it saw
        (2, "6.6.6.6, 203.0.113.7, 198.51.100.9", "203.0.113.7"),  # a CDN, then the balancer
        (2, "203.0.113.7", "10.0.0.1"),  # fewer hops than proxies: it did not come through them
    ],
)
def test_every_limit_counts_the_address_the_trusted_proxies_saw(
    rf, settings, proxies, forwarded, counted
):
    """A made-up left-most X-Forwarded-For never changes the counted address, and the forum's
    limits, the API's and allauth's sign-in limits count the same one."""
    settings.FORUM_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == counted
    assert api_ratelimit.caller_key(request)[0] == f"addr:{counted}"
    assert get_adapter(request).get_client_ip(request) == counted


def test_sign_in_is_rate_limited_by_allauth_with_retry_after(client, municipal_member):
    statuses = [
        client.post("/konto/login/", {"login": f"x{n}@example.org", "password": "feil"})
        for n in range(25)
    ]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert limited[0].headers["Retry-After"]
    assert "For mange forsøk" in limited[0].text


def test_password_reset_is_rate_limited(client, municipal_member):
    codes = [
        client.post("/konto/password/reset/", {"email": "kari@drammen.kommune.no"}).status_code
        for _ in range(6)
    ]
    assert 429 in codes


def test_request_log_is_one_json_line_with_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="forum.requests"):
        client.get("/healthz")
    record = next(r for r in caplog.records if r.name == "forum.requests")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["method"] == "GET"
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["request_id"]


@override_settings(FORUM_RATE_LIMITS={"search": "2/m"})
def test_search_is_rate_limited(client, topic):
    for _ in range(2):
        assert client.get("/search/", {"q": "Noark"}).status_code == 200
    response = client.get("/search/", {"q": "Noark"})
    assert response.status_code == 429
    assert response.headers["Retry-After"]


@override_settings(FORUM_RATE_LIMITS={"report": "1/m"})
def test_reports_are_rate_limited(client, topic, vendor_member):
    client.force_login(vendor_member)
    post = topic.posts.get()
    url = f"/innlegg/{post.pk}/rapporter/"
    assert client.post(url, {"reason": "spam", "text": "Reklame"}).status_code != 429
    response = client.post(url, {"reason": "spam", "text": "Reklame igjen"})
    assert response.status_code == 429
    assert "For mange forsøk" in response.text
