"""Writes through the API: scopes, expiry, each endpoint, bad input, idempotency keys."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from api import actions as api_actions
from api.models import ApiToken, ApiWriteLog, IdempotencyKey, Scope
from notifications.models import Notification, Watch
from tests import factories
from topics import actions
from topics.models import Category, Post, Report, Topic, UsefulMark

pytestmark = pytest.mark.django_db

WRITE = [Scope.WRITE_POSTS]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def token(user, scopes=WRITE, **kwargs) -> dict[str, str]:
    secret = api_actions.create_token(user=user, name="test", scopes=scopes, **kwargs).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(method: str, url: str, headers: dict[str, str] | None = None, body=None, **extra):
    client = extra.pop("client", None) or Client()
    data = json.dumps(body) if body is not None and not isinstance(body, bytes) else body
    return getattr(client, method)(
        url, data=data, content_type="application/json", **(headers or {}), **extra
    )


@pytest.fixture
def question(municipal_member, category):
    return actions.create_topic(
        author=municipal_member, category=category, title="Hvordan migrere?", body="Spørsmål"
    )


# ---- Tokens: scopes, expiry, revocation, no session -----------------------------------------


def test_a_read_token_cannot_write(question, municipal_member):
    headers = token(municipal_member, scopes=())
    response = send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": "Svar"})
    assert response.status_code == 403
    assert "write:posts" in response.json()["detail"]
    assert question.posts.count() == 1
    assert ApiToken.objects.get().scopes == ["read"]


def test_without_a_token_a_write_is_a_401(question):
    response = send("post", f"/api/topics/{question.pk}/posts/", None, {"body": "Svar"})
    assert response.status_code == 401
    assert "API-nøkkel" in response.json()["detail"]


def test_a_session_cookie_alone_never_writes(client, question, municipal_member):
    """Not a session request: a signed-in browser on another site's page cannot write here."""
    client.force_login(municipal_member)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(municipal_member)
    for c in (client, csrf_client):
        response = send("post", f"/api/topics/{question.pk}/posts/", None, {"body": "x"}, client=c)
        assert response.status_code == 401
    assert question.posts.count() == 1


def test_an_expired_token_is_a_401(question, municipal_member):
    headers = token(municipal_member)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": "Svar"})
    assert response.status_code == 401
    assert "utløpt" in response.json()["detail"]
    assert Client().get("/api/topics/", **headers).status_code == 401  # reading too
    assert not ApiToken.objects.active().exists()


def test_a_revoked_token_is_a_401(question, municipal_member):
    headers = token(municipal_member)
    ApiToken.objects.update(revoked_at=timezone.now())
    response = send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": "Svar"})
    assert response.status_code == 401
    assert "trukket tilbake" in response.json()["detail"]


def test_moderate_scope_only_for_moderators(municipal_member, moderator):
    with pytest.raises(ValidationError, match="tilgangen"):
        api_actions.create_token(user=municipal_member, name="x", scopes=[Scope.MODERATE])
    made = api_actions.create_token(user=moderator, name="x", scopes=[Scope.MODERATE])
    assert made.token.scopes == ["read", "moderate"]


def test_the_token_page_offers_scopes_and_expiry(client, municipal_member, moderator):
    client.force_login(municipal_member)
    page = client.get("/profil/api-nokler/").text
    assert 'value="write:posts"' in page and 'value="moderate"' not in page
    response = client.post(
        "/profil/api-nokler/",
        {"name": "Intranett", "scopes": ["write:posts"], "expires_in": "30"},
    )
    assert response.status_code == 302
    made = ApiToken.objects.get()
    assert made.scopes == ["read", "write:posts"]
    assert (made.expires_at - timezone.now()).days in (29, 30)
    page = client.get("/profil/api-nokler/").text
    assert "<code>write:posts</code>" in page
    # A scope the member may not give is an error by the field, and nothing is made.
    response = client.post(
        "/profil/api-nokler/", {"name": "Mod", "scopes": ["moderate"], "expires_in": ""}
    )
    assert response.status_code == 400
    assert "Du kan ikke gi nøkkelen denne tilgangen" in response.text
    assert 'value="Mod"' in response.text
    assert ApiToken.objects.count() == 1
    client.force_login(moderator)
    assert 'value="moderate"' in client.get("/profil/api-nokler/").text


def test_the_token_page_asks_as_many_queries_for_many_tokens(client, municipal_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(municipal_member)
    api_actions.create_token(user=municipal_member, name="En", scopes=WRITE)
    client.get("/profil/api-nokler/")  # what is kept after a first page (the unread count)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/profil/api-nokler/").status_code == 200
    for i in range(5):
        api_actions.create_token(user=municipal_member, name=f"N{i}", scopes=WRITE)
    with CaptureQueriesContext(connection) as six:
        assert client.get("/profil/api-nokler/").status_code == 200
    assert len(six) == len(one) <= 12


def test_never_expiring_token_from_the_page(client, municipal_member):
    client.force_login(municipal_member)
    client.post("/profil/api-nokler/", {"name": "Evig", "expires_in": ""})
    made = ApiToken.objects.get()
    assert made.expires_at is None and made.scopes == ["read"]


# ---- Topics and replies ----------------------------------------------------------------------


def test_create_a_topic(category, municipal_member, django_capture_on_commit_callbacks):
    headers = token(municipal_member)
    body = {"category": category.slug, "title": "Ny tråd fra API", "body": "Hei **alle**"}
    with django_capture_on_commit_callbacks(execute=True):
        response = send("post", "/api/topics/", headers, body)
    assert response.status_code == 201, response.content
    topic = Topic.objects.get(title="Ny tråd fra API")
    assert response.json()["id"] == topic.pk and response.json()["author"]["id"]
    assert topic.author == municipal_member and topic.posts.get().body_html.count("<strong>")
    assert Watch.objects.filter(user=municipal_member, topic=topic).exists()  # as the form
    log = ApiWriteLog.objects.get()
    assert (log.token_id, log.operation, log.status, log.object_id) == (
        ApiToken.objects.get().pk,
        "create_topic",
        201,
        topic.pk,
    )


def test_create_a_topic_in_a_category_one_cannot_read_is_400(municipal_member):
    Category.objects.create(name="Lukket", slug="lukket", visibility="gruppe")
    body = {"category": "lukket", "title": "X", "body": "Y"}
    response = send("post", "/api/topics/", token(municipal_member), body)
    assert response.status_code == 400
    assert "category" in response.json()["detail"]
    assert not Topic.objects.exists()


def test_an_experience_needs_a_verdict(category, municipal_member):
    body = {"category": category.slug, "title": "X", "body": "Y", "kind": "erfaring"}
    response = send("post", "/api/topics/", token(municipal_member), body)
    assert response.status_code == 400 and "verdict" in response.json()["detail"]
    body["verdict"] = "positiv"
    assert send("post", "/api/topics/", token(municipal_member), body).status_code == 201


def test_reply_tells_the_watchers(
    question, municipal_member, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            "post", f"/api/topics/{question.pk}/posts/", token(moderator), {"body": "Slik."}
        )
    assert response.status_code == 201
    post = Post.objects.get(pk=response.json()["id"])
    assert post.position == 2 and post.author == moderator
    assert Notification.objects.filter(recipient=municipal_member, post=post).exists()


def test_reply_to_an_invisible_topic_is_404(municipal_member, vendor_member):
    closed = Category.objects.create(name="K", slug="k", visibility="kommuner")
    topic = actions.create_topic(author=municipal_member, category=closed, title="T", body="B")
    response = send("post", f"/api/topics/{topic.pk}/posts/", token(vendor_member), {"body": "x"})
    assert response.status_code == 404
    assert topic.posts.count() == 1


def test_reply_to_a_locked_topic_is_403(question, municipal_member, moderator):
    actions.set_locked(topic=question, by=moderator, locked=True)
    response = send(
        "post", f"/api/topics/{question.pk}/posts/", token(municipal_member), {"body": "x"}
    )
    assert response.status_code == 403
    assert "låst" in response.json()["detail"]
    assert ApiWriteLog.objects.get().status == 403


def test_the_post_rate_limit_of_the_forms_applies(settings, question, municipal_member):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "post": "2/m"}
    headers = token(municipal_member)
    statuses = [
        send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": f"{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert question.posts.count() == 3


def test_the_api_writes_go_through_the_page_cache(
    page_cache_on, question, municipal_member, django_capture_on_commit_callbacks
):
    url = question.get_absolute_url()
    assert "Et nytt svar" not in Client().get(url).text
    headers = token(municipal_member)
    with django_capture_on_commit_callbacks(execute=True):
        send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": "Et nytt svar"})
    assert "Et nytt svar" in Client().get(url).text


# ---- Edit, useful, answer, watch, report -----------------------------------------------------


def test_edit_own_post_and_not_others(question, municipal_member, vendor_member):
    first = question.posts.get()
    headers = token(municipal_member)
    response = send("patch", f"/api/posts/{first.pk}/", headers, {"body": "Endret", "title": "Ny"})
    assert response.status_code == 200
    assert response.json()["body"] == "Endret"
    assert response.json()["version"] == first.version + 1
    question.refresh_from_db()
    assert question.title == "Ny"
    other = send("patch", f"/api/posts/{first.pk}/", token(vendor_member), {"body": "Kapret"})
    assert other.status_code == 403
    assert Post.objects.get(pk=first.pk).body == "Endret"


def test_edit_with_an_old_version_is_409(question, municipal_member):
    first = question.posts.get()
    headers = token(municipal_member)
    old = {"version": first.version}
    assert (
        send("patch", f"/api/posts/{first.pk}/", headers, {"body": "A", **old}).status_code == 200
    )
    response = send("patch", f"/api/posts/{first.pk}/", headers, {"body": "B", **old})
    assert response.status_code == 409
    assert Post.objects.get(pk=first.pk).body == "A"


def test_mark_and_unmark_useful(question, municipal_member, moderator):
    answer = actions.reply(author=moderator, topic=question, body="Svar")
    headers = token(municipal_member)
    url = f"/api/posts/{answer.pk}/useful/"
    assert send("put", url, headers).json() == {
        "post_id": answer.pk,
        "useful": True,
        "useful_count": 1,
    }
    assert send("put", url, headers).json()["useful_count"] == 1  # PUT twice: still one
    assert UsefulMark.objects.count() == 1
    assert send("delete", url, headers).json()["useful_count"] == 0
    own = send("put", f"/api/posts/{question.posts.first().pk}/useful/", headers)
    assert own.status_code == 403  # not one's own post


def test_accept_and_unaccept_an_answer(question, municipal_member, moderator, vendor_member):
    answer = actions.reply(author=moderator, topic=question, body="Svar")
    url = f"/api/topics/{question.pk}/answer/"
    refused = send("post", url, token(vendor_member), {"post_id": answer.pk})
    assert refused.status_code == 403
    response = send("post", url, token(municipal_member), {"post_id": answer.pk})
    assert response.status_code == 200
    assert response.json()["solved_post_id"] == answer.pk
    missing = send("post", url, token(municipal_member), {"post_id": 987654})
    assert missing.status_code == 400
    undone = send("delete", url, token(municipal_member))
    assert undone.status_code == 200 and undone.json()["is_solved"] is False


def test_watch_and_unwatch(question, vendor_member):
    headers = token(vendor_member)
    url = f"/api/topics/{question.pk}/watch/"
    assert send("put", url, headers).json() == {"topic_id": question.pk, "watching": True}
    assert Watch.objects.filter(user=vendor_member, topic=question).exists()
    assert send("delete", url, headers).json()["watching"] is False
    assert not Watch.objects.filter(user=vendor_member, topic=question).exists()


def test_report_a_post(question, municipal_member, vendor_member):
    post = question.posts.get()
    url = f"/api/posts/{post.pk}/reports/"
    headers = token(vendor_member)
    response = send("post", url, headers, {"reason": "spam"})
    assert response.status_code == 201
    assert Report.objects.get().reporter == vendor_member
    again = send("post", url, headers, {"reason": "spam"})
    assert again.status_code == 400 and "allerede" in again.json()["detail"]
    other = send("post", url, token(municipal_member), {"reason": "other"})
    assert other.status_code in (400, 403)
    assert Report.objects.count() == 1


# ---- Bad input -------------------------------------------------------------------------------


def test_unknown_fields_are_a_422(question, municipal_member):
    response = send(
        "post",
        f"/api/topics/{question.pk}/posts/",
        token(municipal_member),
        {"body": "Svar", "author_id": 1},
    )
    assert response.status_code == 422
    assert "author_id" in response.json()["detail"]
    assert question.posts.count() == 1


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'{"body": ""}', b'{"body": 5}', b'{"body": "a\\u0000b"}', b"null"],
)
def test_malformed_bodies_are_a_clear_error(question, municipal_member, body):
    response = send("post", f"/api/topics/{question.pk}/posts/", token(municipal_member), body)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert question.posts.count() == 1


def test_a_10_mb_body_is_a_413(question, municipal_member):
    body = {"body": "x" * (10 * 1024 * 1024)}
    response = send("post", f"/api/topics/{question.pk}/posts/", token(municipal_member), body)
    assert response.status_code == 413
    assert "for stor" in response.json()["detail"]
    assert question.posts.count() == 1


# ---- Idempotency keys --------------------------------------------------------------------------


def test_a_retried_post_with_the_same_key_creates_one_reply(question, municipal_member):
    headers = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "forsok-1"}
    url = f"/api/topics/{question.pk}/posts/"
    first = send("post", url, headers, {"body": "Én gang"})
    second = send("post", url, headers, {"body": "Én gang"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert question.posts.count() == 2
    assert list(ApiWriteLog.objects.order_by("pk").values_list("replayed", flat=True)) == [
        False,
        True,
    ]


def test_the_same_key_with_another_body_is_a_422(question, municipal_member):
    headers = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "forsok-1"}
    url = f"/api/topics/{question.pk}/posts/"
    assert send("post", url, headers, {"body": "Første"}).status_code == 201
    response = send("post", url, headers, {"body": "Andre"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert question.posts.count() == 2


def test_keys_belong_to_a_token_and_expire_after_a_day(question, municipal_member):
    url = f"/api/topics/{question.pk}/posts/"
    one = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "k"}
    two = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "k"}
    assert send("post", url, one, {"body": "Svar"}).status_code == 201
    assert send("post", url, two, {"body": "Svar"}).status_code == 201  # another token
    assert question.posts.count() == 3
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert send("post", url, one, {"body": "Svar"}).status_code == 201
    assert question.posts.count() == 4


def test_a_failed_write_keeps_no_key(question, municipal_member, moderator):
    actions.set_locked(topic=question, by=moderator, locked=True)
    headers = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "k"}
    url = f"/api/topics/{question.pk}/posts/"
    assert send("post", url, headers, {"body": "Svar"}).status_code == 403
    actions.set_locked(topic=question, by=moderator, locked=False)
    assert send("post", url, headers, {"body": "Svar"}).status_code == 201


def test_a_bad_key_is_a_400(question, municipal_member):
    headers = {**token(municipal_member), "HTTP_IDEMPOTENCY_KEY": "x" * 300}
    response = send("post", f"/api/topics/{question.pk}/posts/", headers, {"body": "Svar"})
    assert response.status_code == 400
    assert question.posts.count() == 1


def test_the_schema_lists_the_writes_with_a_required_token():
    schema = Client().get("/api/schema/").json()
    create = schema["paths"]["/api/topics/"]["post"]
    assert create["security"] == [{"ApiTokenAuth": []}]
    assert schema["paths"]["/api/topics/"]["get"]["security"][0] == {}
    assert "422" in create["responses"] and "413" in create["responses"]
    body = schema["components"]["schemas"]["NewTopic"]
    assert body["additionalProperties"] is False


def test_an_unconfirmed_member_cannot_make_a_token(unverified_member):
    with pytest.raises(PermissionDenied):
        api_actions.create_token(user=unverified_member, name="x", scopes=WRITE)


def test_a_moderator_edits_others_posts_only_with_the_moderate_scope(question, moderator):
    first = question.posts.get()
    url = f"/api/posts/{first.pk}/"
    refused = send("patch", url, token(moderator), {"body": "Rettet"})
    assert refused.status_code == 403 and "moderate" in refused.json()["detail"]
    assert Post.objects.get(pk=first.pk).body == "Spørsmål"
    moderating = token(moderator, scopes=[Scope.WRITE_POSTS, Scope.MODERATE])
    assert send("patch", url, moderating, {"body": "Rettet"}).status_code == 200
    assert Post.objects.get(pk=first.pk).body == "Rettet"


def test_a_moderator_replies_in_a_locked_topic_only_with_the_moderate_scope(question, moderator):
    actions.set_locked(topic=question, by=moderator, locked=True)
    url = f"/api/topics/{question.pk}/posts/"
    assert send("post", url, token(moderator), {"body": "Låst"}).status_code == 403
    moderating = token(moderator, scopes=[Scope.WRITE_POSTS, Scope.MODERATE])
    assert send("post", url, moderating, {"body": "Låst"}).status_code == 201


def test_a_moderator_chooses_others_answers_only_with_the_moderate_scope(question, moderator):
    answer = actions.reply(author=moderator, topic=question, body="Svar")
    url = f"/api/topics/{question.pk}/answer/"
    assert send("post", url, token(moderator), {"post_id": answer.pk}).status_code == 403
    moderating = token(moderator, scopes=[Scope.WRITE_POSTS, Scope.MODERATE])
    assert send("post", url, moderating, {"post_id": answer.pk}).status_code == 200


# ---- The directory (write:directory) ----------------------------------------------------------

DIRECTORY = [Scope.WRITE_DIRECTORY]


@pytest.fixture
def websak(db):
    from tests import directory_factories

    return directory_factories.system(vendor=directory_factories.vendor(), name="WebSak")


def test_add_change_and_end_a_usage(municipal_member, kommune, websak):
    from directory.models import Usage, UsageChange

    headers = token(municipal_member, scopes=DIRECTORY)
    body = {"organisation": kommune.slug, "system": websak.slug, "sector": "sak-arkiv"}
    response = send("post", "/api/usages/", headers, {**body, "status": "i_bruk"})
    assert response.status_code == 201, response.content
    usage = Usage.objects.get(pk=response.json()["id"])
    assert (usage.organisation, usage.status, usage.confirmed_by) == (
        kommune,
        "i_bruk",
        municipal_member,
    )
    twice = send("post", "/api/usages/", headers, {**body, "status": "i_bruk"})
    assert twice.status_code == 400 and "allerede" in twice.json()["detail"]
    changed = send("patch", f"/api/usages/{usage.pk}/", headers, {"note": "Hele kommunen"})
    assert changed.status_code == 200 and changed.json()["note"] == "Hele kommunen"
    assert changed.json()["status"] == "i_bruk"  # not sent: unchanged
    bad = send(
        "patch", f"/api/usages/{usage.pk}/", headers, {"since": "2024-01-01", "until": "2020-01-01"}
    )
    assert bad.status_code == 400 and "until" in bad.json()["detail"]
    ended = send("post", f"/api/usages/{usage.pk}/end/", headers, {"until": "2026-06-30"})
    assert ended.status_code == 200
    assert ended.json()["status"] == "avviklet" and ended.json()["until"] == "2026-06-30"
    assert (
        list(UsageChange.objects.filter(usage=usage).values_list("action", flat=True)).count(
            UsageChange.Action.UPDATED
        )
        == 2
    )
    assert send("delete", f"/api/usages/{usage.pk}/", headers).status_code == 204
    assert not Usage.objects.exists()
    assert [w.operation for w in ApiWriteLog.objects.order_by("pk")] == [
        "create_usage",
        "create_usage",
        "update_usage",
        "update_usage",
        "end_usage",
        "delete_usage",
    ]


def test_usages_need_the_directory_scope(municipal_member, kommune, websak):
    body = {
        "organisation": kommune.slug,
        "system": websak.slug,
        "sector": "sak-arkiv",
        "status": "valgt",
    }
    response = send("post", "/api/usages/", token(municipal_member), body)  # write:posts only
    assert response.status_code == 403 and "write:directory" in response.json()["detail"]


def test_another_organisations_usages_are_refused(
    vendor_member, municipal_member, kommune, websak, moderator
):
    from tests import directory_factories

    usage = directory_factories.usage(organisation=kommune, system=websak)
    url = f"/api/usages/{usage.pk}/end/"
    refused = send("post", url, token(vendor_member, scopes=DIRECTORY), {})
    assert refused.status_code == 403
    mod = send("post", url, token(moderator, scopes=DIRECTORY), {})
    assert mod.status_code == 403 and "moderate" in mod.json()["detail"]
    with_moderate = token(moderator, scopes=[Scope.WRITE_DIRECTORY, Scope.MODERATE])
    assert send("post", url, with_moderate, {}).status_code == 200
    usage.refresh_from_db()
    assert usage.status == "avviklet" and usage.until == timezone.localdate()


def test_an_unverified_member_of_the_organisation_cannot_add_usages(kommune, websak):
    member = factories.member(email="ny@example.org")
    member.organisation = kommune
    member.save()
    body = {
        "organisation": kommune.slug,
        "system": websak.slug,
        "sector": "sak-arkiv",
        "status": "valgt",
    }
    response = send("post", "/api/usages/", token(member, scopes=DIRECTORY), body)
    assert response.status_code == 403
