"""What the shared page cache may store and serve, and to whom.

The rule (docs/OPERATIONS.md, "Caches"): a response is stored in or served from the shared
cache only for a request with no session, no `Authorization` header and no other
credential, and only when its view declares itself public; every other response says
`Cache-Control: private`. Each test here failed on the code before the rule (issue 17).
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from api import actions as api_actions
from tests import factories
from tests.conftest import CLOSED_SECRET
from topics import actions
from topics.models import Topic, TopicReadState
from topics.moderation import actions as moderation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

SECRET = CLOSED_SECRET


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _api_urls(topic: Topic) -> list[str]:
    return [
        f"/api/topics/?category={topic.category.slug}",
        f"/api/topics/{topic.pk}/posts/",
        f"/api/posts/{topic.posts.get().pk}/",
    ]


def test_an_answer_made_with_a_token_is_never_served_to_a_signed_out_visitor(
    closed_topic, municipal_member
):
    secret = api_actions.create_token(user=municipal_member, name="integrasjon").secret
    for url in _api_urls(closed_topic):
        with_token = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert with_token.status_code == 200
        assert "Ærlig om leverandøren" in _text(with_token) or SECRET in _text(with_token)
        assert "private" in with_token["Cache-Control"]
        assert "Authorization" in with_token["Vary"]
        first, second = Client().get(url), Client().get(url)
        assert "X-Page-Cache" not in first.headers  # the token's answer was not stored
        for signed_out in (first, second):
            assert SECRET not in _text(signed_out)
            assert "Ærlig om leverandøren" not in _text(signed_out)


def test_a_token_holder_never_gets_the_signed_out_copy(closed_topic, municipal_member):
    secret = api_actions.create_token(user=municipal_member, name="integrasjon").secret
    url = _api_urls(closed_topic)[0]
    Client().get(url)
    assert Client().get(url).headers.get("X-Page-Cache") == "hit"
    with_token = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert "X-Page-Cache" not in with_token.headers
    assert "Ærlig om leverandøren" in _text(with_token)


def test_member_pages_say_private(client, municipal_member, topic):
    client.force_login(municipal_member)
    for url in ["/", topic.get_absolute_url(), reverse("search:search") + "?q=noark"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"], url


def test_an_unknown_cookie_is_treated_as_a_credential(topic):
    url = topic.get_absolute_url()
    Client().get(url)
    assert Client().get(url).headers.get("X-Page-Cache") == "hit"
    other = Client()
    other.cookies["remember_token"] = "abc"
    response = other.get(url)
    assert "X-Page-Cache" not in response.headers
    assert "private" in response["Cache-Control"]


# ---- Finding 2: NUL characters cannot forge anything ----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "r24%00hole%00read_mark%00{pk}:0%00%00/hole%00",
        "r24%00hole%00unread%00{pk}%00%00/hole%00",
        "r24%00hole%00unread%00999999%00%00/hole%00",
        "x%00bogus%00y",
        "x%00csrf%00y",
    ],
)
def test_nul_in_a_query_string_is_refused_at_the_edge(
    query, closed_topic, vendor_member, municipal_member
):
    """A vendor cannot read the municipal-only topic; a forged hole must neither write a
    read mark there, reveal its replies, nor break the address for anyone else."""
    for _ in range(2):
        actions.reply(author=municipal_member, topic=closed_topic, body="Et svar")
    member = Client()
    member.force_login(vendor_member)
    url = "/search/?q=" + query.format(pk=closed_topic.pk)
    for client in (member, member, Client(), Client()):
        response = client.get(url)
        assert response.status_code == 400
        assert b"nye" not in response.content
        assert b"\x00" not in response.content
    assert not TopicReadState.objects.filter(user=vendor_member, topic=closed_topic).exists()
    assert Client().get("/search/?q=x").status_code == 200


def test_nul_in_a_path_is_refused_at_the_edge():
    assert Client().get("/katalog/fylke/%00/").status_code == 400


# ---- Finding 6: after a merge, only the asker gets the asker's buttons -----------------------


def test_after_a_merge_the_first_posts_author_is_not_taken_for_the_asker(
    kommune, moderator, django_capture_on_commit_callbacks
):
    asker = factories.member(email="asker@drammen.kommune.no", display_name="Spør Ren")
    early = factories.member(email="tidlig@drammen.kommune.no", display_name="Tidlig Ute")
    category = factories.category(name="Spørsmål", slug="sporsmal")
    with django_capture_on_commit_callbacks(execute=True):
        older = actions.create_topic(
            author=early,
            category=category,
            title="Eldre spørsmål om arkiv",
            body="Først",
            kind="sporsmal",
        )
        question = actions.create_topic(
            author=asker,
            category=category,
            title="Nytt spørsmål om arkiv",
            body="Hjelp",
            kind="sporsmal",
        )
        actions.reply(author=moderator, topic=question, body="Et forslag til løsning")
        moderation.merge_topic(topic=older, into=question, by=moderator)
    question.refresh_from_db()
    assert question.posts.order_by("position").first().author_id == early.pk
    url = question.get_absolute_url()
    reader = factories.member(email="leser@drammen.kommune.no", display_name="Lese Hest")
    clients = {}
    for name, member in {"asker": asker, "early": early, "reader": reader}.items():
        clients[name] = Client()
        clients[name].force_login(member)
    for order in (["asker", "early", "reader"], ["reader", "early", "asker"]):
        cache.clear()
        for name in order * 2:
            shown = "Marker som løsning" in clients[name].get(url).content.decode()
            assert shown == (name == "asker"), (order, name)


# ---- Finding 9: the Host header is part of what a page is ------------------------------------


@override_settings(ALLOWED_HOSTS=["forum.example", "evil.example"])
def test_a_page_stored_for_one_host_is_not_served_for_another(topic):
    Client(HTTP_HOST="evil.example").get("/feed/")
    poisoned = Client(HTTP_HOST="evil.example").get("/feed/")
    assert b"evil.example" in poisoned.content
    honest = Client(HTTP_HOST="forum.example").get("/feed/")
    assert b"evil.example" not in honest.content
    assert b"forum.example" in honest.content
