"""The read-only API: visibility by token, pagination, filters, tokens, errors, rate limit."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from accounts import actions as account_actions
from api import actions as api_actions
from api.models import ApiToken
from directory.models import Sector, System
from tests import directory_factories, factories
from tests.attachment_files import PDF, upload
from topics import actions
from topics.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def bearer(user) -> dict[str, str]:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {api_actions.create_token(user=user, name='test').secret}"
    }


def get(url: str, headers: dict[str, str] | None = None, **params):
    return Client().get(url, params, **(headers or {}))


@pytest.fixture
def forum(municipal_member, moderator):
    sector = Sector.objects.get(slug="sak-arkiv")
    public = factories.category(name="Åpen", slug="apen")
    closed = Category.objects.create(name="Kommuner", slug="kommuner", visibility="kommuner")
    vendor = directory_factories.vendor(name="Acos")
    system = directory_factories.system(vendor=vendor, name="WebSak")
    question = actions.create_topic(
        author=municipal_member,
        category=public,
        title="Hvordan migrere til Noark 5?",
        body="Spørsmål",
        sectors=[sector],
        systems=[system],
        attachments=[upload("plan.pdf", PDF)],
    )
    answer = actions.reply(author=moderator, topic=question, body="Slik gjorde vi det.")
    actions_qa_accept(question, answer, municipal_member)
    experience = actions.create_topic(
        author=municipal_member,
        category=public,
        title="Erfaring med skyløsning",
        body="Gikk fint",
        kind="erfaring",
        verdict="positiv",
    )
    secret = actions.create_topic(
        author=municipal_member, category=closed, title="Ærlig om leverandøren", body="Hemmelig"
    )
    hidden = actions.reply(author=moderator, topic=experience, body="Upassende")
    actions.hide_post(post=hidden, by=moderator)
    return {
        "question": question,
        "experience": experience,
        "secret": secret,
        "system": system,
        "vendor": vendor,
        "hidden": hidden,
    }


def actions_qa_accept(topic, post, by) -> None:
    from topics import answers

    answers.accept_answer(post=post, by=by)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["results"]]


# ---- Visibility ---------------------------------------------------------------------------


def test_without_a_token_the_api_shows_public_topics_only(forum):
    assert set(titles(get("/api/topics/"))) == {
        "Hvordan migrere til Noark 5?",
        "Erfaring med skyløsning",
    }
    assert get(f"/api/topics/{forum['secret'].pk}/").status_code == 404
    assert get(f"/api/topics/{forum['secret'].pk}/posts/").status_code == 404
    assert get("/api/categories/kommuner/").status_code == 404
    assert "kommuner" not in [c["slug"] for c in get("/api/categories/").json()["results"]]


def test_a_token_shows_what_its_owner_may_read(forum, municipal_member, vendor_member):
    assert "Ærlig om leverandøren" in titles(get("/api/topics/", bearer(municipal_member)))
    assert "Ærlig om leverandøren" not in titles(get("/api/topics/", bearer(vendor_member)))
    assert get(f"/api/topics/{forum['secret'].pk}/", bearer(vendor_member)).status_code == 404


def test_a_signed_in_session_does_not_widen_the_api(client, forum, municipal_member):
    client.force_login(municipal_member)
    assert "Ærlig om leverandøren" not in titles(client.get("/api/topics/"))


def test_posts_carry_attachments_and_hidden_bodies_stay_hidden(forum, moderator):
    posts = get(f"/api/topics/{forum['question'].pk}/posts/").json()["results"]
    assert [p["position"] for p in posts] == [1, 2]
    (attachment,) = posts[0]["attachments"]
    assert attachment["name"] == "plan.pdf" and attachment["size"] == len(PDF)
    assert attachment["url"].startswith("http://testserver/vedlegg/")
    hidden = get(f"/api/posts/{forum['hidden'].pk}/").json()
    assert hidden["is_hidden"] and hidden["body"] == "" and hidden["body_html"] == ""
    as_moderator = get(f"/api/posts/{forum['hidden'].pk}/", bearer(moderator)).json()
    assert as_moderator["body"] == "Upassende"


# ---- Filters and pagination ---------------------------------------------------------------


def test_topic_filters_match_the_web_pages(forum):
    assert titles(get("/api/topics/", status="lost")) == ["Hvordan migrere til Noark 5?"]
    assert titles(get("/api/topics/", status="ubesvart")) == []
    assert titles(get("/api/topics/", kind="erfaring")) == ["Erfaring med skyløsning"]
    assert titles(get("/api/topics/", sector="sak-arkiv")) == ["Hvordan migrere til Noark 5?"]
    assert titles(get("/api/topics/", system=forum["system"].slug)) == [
        "Hvordan migrere til Noark 5?"
    ]
    assert len(titles(get("/api/topics/", category="apen"))) == 2
    assert titles(get("/api/topics/", category="kommuner")) == []


def test_following_next_visits_every_topic_once(municipal_member, category):
    for i in range(7):
        factories.topic(author=municipal_member, category=category, title=f"Tråd nummer {i}")
    seen, url = [], "/api/topics/?page_size=3"
    while url:
        page = get(url).json()
        seen += [t["title"] for t in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(f"Tråd nummer {i}" for i in range(7))


@pytest.mark.parametrize(
    "cursor",
    ["ikke-en-markør", "eyJ2IjpbMV19:1abc:def", "A" * 50, "%00", "ø"],
)
def test_a_tampered_cursor_is_a_clear_400(municipal_member, category, cursor):
    response = get("/api/topics/", cursor=cursor)
    assert response.status_code == 400
    assert "Sidemarkøren" in response.json()["detail"]


def test_a_cursor_from_another_list_is_refused(municipal_member, category):
    for i in range(3):
        factories.topic(author=municipal_member, category=category, title=f"Tråd nummer {i}")
    next_url = get("/api/topics/", page_size=1).json()["next"]
    cursor = next_url.split("cursor=")[1]
    assert get("/api/organisations/", cursor=cursor).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": 0},
        {"page_size": 101},
        {"page_size": "mange"},
        {"category": "a b"},
        {"category": "x\x00"},
        {"kind": "hemmelig"},
    ],
)
def test_bad_parameters_answer_400_in_norwegian(query):
    response = get("/api/topics/", **query)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Ugyldig forespørsel")


def test_bad_ids_answer_400_or_404_never_500():
    assert get("/api/topics/99999999999999999999999/").status_code == 400
    assert get("/api/topics/0/").status_code == 400
    assert get("/api/posts/987654/").status_code == 404
    assert get("/api/systems/ikke%20gyldig/").status_code in (400, 404)


def test_topic_list_query_count_does_not_grow(municipal_member, category):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get("/api/topics/", page_size=50).status_code == 200
        return len(queries)

    factories.topic(author=municipal_member, category=category)
    small = count()
    for _i in range(10):
        factories.topic(author=municipal_member, category=category)
    assert count() == small


# ---- The directory ---------------------------------------------------------------------------


def test_directory_endpoints(forum, vendor_member, kommune):
    directory_factories.usage(organisation=kommune, system=forum["system"])
    proposal = directory_factories.system(vendor=vendor_member.organisation, name="Nytt system")
    System.objects.filter(pk=proposal.pk).update(is_approved=False)

    organisations = get("/api/organisations/", kind="kommune").json()["results"]
    assert "drammen" in [o["slug"] for o in organisations]
    assert get("/api/organisations/drammen/").json()["municipality_number"] == "3005"
    assert get("/api/organisations/", q="dramm").json()["results"][0]["slug"] == "drammen"

    assert "Nytt system" not in [s["name"] for s in get("/api/systems/").json()["results"]]
    assert get(f"/api/systems/{proposal.slug}/").status_code == 404
    own = get(f"/api/systems/{proposal.slug}/", bearer(vendor_member)).json()
    assert own["is_approved"] is False
    system = get(f"/api/systems/{forum['system'].slug}/").json()
    assert system["vendor"]["slug"] == forum["vendor"].slug and system["standards"] == ["Noark 5"]

    usages = get("/api/usages/", organisation="drammen").json()["results"]
    assert [(u["system"], u["sector"], u["status"]) for u in usages] == [
        (forum["system"].slug, "sak-arkiv", "i_bruk")
    ]
    assert len(get("/api/sectors/", page_size=100).json()["results"]) >= 12


# ---- Tokens -----------------------------------------------------------------------------------


def test_member_creates_a_token_that_is_shown_once_and_stored_hashed(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post("/profil/api-nokler/", {"name": "Power BI"})
    assert response.status_code == 302
    page = client.get("/profil/api-nokler/").content.decode()
    token = ApiToken.objects.get()
    secret = page.split('class="api-token-value">')[1].split("<")[0]
    assert secret.startswith("rf_") and secret.startswith(token.prefix)
    assert token.token_hash == api_actions.hash_token(secret) != secret
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert secret not in client.get("/profil/api-nokler/").content.decode()
    assert get("/api/topics/", {"HTTP_AUTHORIZATION": f"Bearer {secret}"}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client, municipal_member):
    headers = bearer(municipal_member)
    token = ApiToken.objects.get()
    client.force_login(municipal_member)
    assert client.post(f"/profil/api-nokler/{token.pk}/trekk-tilbake/").status_code == 302
    response = get("/api/topics/", headers)
    assert response.status_code == 401
    assert "trukket tilbake" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_cannot_revoke_someone_elses_token(client, municipal_member, vendor_member):
    bearer(municipal_member)
    token = ApiToken.objects.get()
    client.force_login(vendor_member)
    assert client.post(f"/profil/api-nokler/{token.pk}/trekk-tilbake/").status_code == 404
    assert ApiToken.objects.active().count() == 1


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer rf_kort",
        "Basic dXNlcjpwYXNz",
        "rf_" + "a" * 43,
        "Bearer ' OR 1=1",
    ],
)
def test_a_malformed_token_is_a_clear_401_not_a_silent_sign_out(forum, header):
    response = get("/api/topics/", {"HTTP_AUTHORIZATION": header})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_suspended_members_token_stops_working(forum, municipal_member, moderator):
    headers = bearer(municipal_member)
    account_actions.suspend_member(member=municipal_member, by=moderator, reason="Spam")
    assert get("/api/topics/", headers).status_code == 401


def test_unconfirmed_members_cannot_create_tokens(client, unverified_member):
    client.force_login(unverified_member)
    assert "Bekreft e-postadressen" in client.get("/profil/api-nokler/").content.decode()
    assert client.post("/profil/api-nokler/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post("/profil/api-nokler/", {"name": ""})
    assert response.status_code == 400
    assert "Gi nøkkelen et navn." in response.content.decode()


# ---- Rate limit ----------------------------------------------------------------------------


def test_rate_limit_per_address_and_per_token(settings, municipal_member):
    settings.API_RATE_LIMIT_ANONYMOUS = 3
    settings.API_RATE_LIMIT_TOKEN = 5
    assert [get("/api/sectors/").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = get("/api/sectors/")
    assert int(limited["Retry-After"]) >= 1
    assert "For mange forespørsler" in limited.json()["detail"]
    headers = bearer(municipal_member)
    assert [get("/api/sectors/", headers).status_code for _ in range(6)] == [200] * 5 + [429]


def test_behind_a_trusted_proxy_each_client_has_its_own_count(settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    settings.FORUM_TRUSTED_PROXY_COUNT = 1
    first = {"HTTP_X_FORWARDED_FOR": "10.0.0.1"}
    assert [get("/api/sectors/", first).status_code for _ in range(2)] == [200, 429]
    assert get("/api/sectors/", {"HTTP_X_FORWARDED_FOR": "10.0.0.2"}).status_code == 200
    settings.FORUM_TRUSTED_PROXY_COUNT = 0  # untrusted: a made-up header changes nothing
    assert get("/api/sectors/", {"HTTP_X_FORWARDED_FOR": "10.0.0.3"}).status_code == 200
    assert get("/api/sectors/", {"HTTP_X_FORWARDED_FOR": "10.0.0.4"}).status_code == 429


# ---- Schema and docs ------------------------------------------------------------------------


def test_the_openapi_schema_validates():
    response = get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    assert {"/api/topics/", "/api/usages/", "/api/organisations/"} <= set(schema["paths"])


def test_the_docs_page_needs_no_inline_script():
    response = get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    for script in html.split("<script")[1:]:
        tag = script.partition(">")[0]
        assert "src=" in tag or 'type="application/json"' in tag, script[:80]
