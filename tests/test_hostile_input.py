"""Hostile input gets a clear error and never a 500, and nothing is half-stored."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern

from accounts.models import MemberGroup
from directory.models import Sector, System
from tests import factories
from topics.models import Post, Topic

pytestmark = pytest.mark.django_db

TITLE = "Erfaringer med Elements?"


def topic_form(category, **overrides: object) -> dict[str, object]:
    data = {"title": TITLE, "category": category.pk, "kind": "sporsmal", "body": "Hei alle"}
    data.update(overrides)
    return data


def deep_list(levels: int) -> str:
    return "".join("  " * level + "- punkt\n" for level in range(levels))


def table(rows: int, columns: int) -> str:
    header = "|" + "|".join(f"k{c}" for c in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    return header + rule + ("|" + "|".join("x" for _ in range(columns)) + "|\n") * rows


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "før \x00 etter", "nulltegn"),
        ("title", "Tittel \x00 med nulltegn", "nulltegn"),
        ("body", "før \x07\x1b[31m etter", "kontrolltegn"),
        ("body", "> " * 100 + "dypt", "nivåer inni hverandre"),
        ("body", "> " * 5000 + "dypt", "En linje kan ha høyst"),
        ("body", deep_list(60), "nivåer inni hverandre"),
        ("body", "a" * 20_000, "En linje kan ha høyst 10"),
        ("body", table(rows=400, columns=3), "høyst 200 rader"),
        ("body", table(rows=3, columns=60), "høyst 20 kolonner"),
        ("body", "x" * 50_001, "høyst 50000 tegn"),
        ("title", "T" * 5000, "høyst 200 tegn"),
    ],
)
def test_hostile_topic_input_gets_a_form_error_and_keeps_the_rest(
    client, municipal_member, category, field, value, message
):
    client.force_login(municipal_member)
    response = client.post("/ny/", topic_form(category, **{field: value}))
    assert response.status_code == 400
    assert message in response.text.replace("\xa0", " ")
    assert 'aria-invalid="true"' in response.text
    if field == "body":
        assert TITLE in response.text  # the rest of what was typed is still there
    assert not Topic.objects.exists()


# Characters that change the direction text is shown in: «Faktura\u202egpj.exe» shows as
# «Faktura» followed by «exe.jpg».
DIRECTION_CONTROLS = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c",
]  # fmt: skip


@pytest.mark.parametrize("control", DIRECTION_CONTROLS)
def test_a_title_that_turns_the_text_direction_gets_a_form_error_and_keeps_the_text(
    client, municipal_member, category, control
):
    client.force_login(municipal_member)
    title = f"Erfaringer med {control}stnemelE"
    response = client.post("/ny/", topic_form(category, title=title))
    assert response.status_code == 400
    error = response.text.split('id="id_title_error"', 1)[1].split("</", 1)[0]
    assert "skriveretningen" in error
    assert f"U+{ord(control):04X}" in error
    assert f'value="{title}"' in response.text
    assert not Topic.objects.exists()


def test_names_and_tags_that_turn_the_text_direction_get_a_form_error(
    client, municipal_member, vendor_member
):
    spoof = "Kari\u202eenmdroN"
    client.force_login(municipal_member)
    response = client.post("/profil/", {"display_name": spoof, "job_title": ""})
    assert response.status_code == 400
    assert 'id="id_display_name_error"' in response.text
    assert "skriveretningen" in response.text
    assert f'value="{spoof}"' in response.text
    municipal_member.refresh_from_db()
    assert municipal_member.display_name == "Kari Nordmann"

    client.force_login(factories.member(moderator=True))
    response = client.post("/grupper/", {"name": f"Nye {spoof}", "description": ""})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.text
    assert not MemberGroup.objects.exists()

    client.force_login(vendor_member)  # proposes the systems of their own vendor
    response = client.post(
        "/katalog/system/ny/",
        {
            "name": f"Acos {spoof}",
            "vendor": vendor_member.organisation.pk,
            "standards": "Noark 5, Fiks\u2066",
        },
    )
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.text
    assert 'id="id_standards_error"' in response.text
    assert not System.objects.exists()


def test_an_organisation_name_that_turns_the_text_direction_is_refused(kommune):
    kommune.name = "Drammen\u202eenummok"
    with pytest.raises(ValidationError) as error:
        kommune.full_clean()
    assert "skriveretningen" in " ".join(error.value.message_dict["name"])


def test_invalid_utf8_in_a_form_gets_a_form_error(client, municipal_member, category):
    client.force_login(municipal_member)
    raw = b"title=" + quote_from_bytes(TITLE.encode()).encode()
    raw += b"&category=%d&kind=sporsmal&body=" % category.pk
    raw += quote_from_bytes(b"ugyldig \xff\xfe utf-8 \xc3").encode()
    response = client.post("/ny/", raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "ikke er gyldig UTF-8" in response.text
    assert not Topic.objects.exists()


def test_ten_megabyte_body_gets_a_clear_page_and_stores_nothing(client, topic, vendor_member):
    client.force_login(vendor_member)
    response = client.post(
        f"/t/{topic.pk}/svar/", {"body": "x" * (10 * 1024 * 1024)}, enforce_csrf_checks=False
    )
    assert response.status_code == 413
    assert "for stort" in response.text
    assert "Ola Hansen" in response.text  # still signed in, in the header
    assert "Traceback" not in response.text
    assert Post.objects.count() == 1


def test_ten_thousand_tags_get_a_clear_page(client, municipal_member, category):
    client.force_login(municipal_member)
    sector = Sector.objects.create(name="Sak/arkiv-test", slug="sak-arkiv-test")
    response = client.post("/ny/", topic_form(category, sectors=[sector.pk] * 10_000))
    assert response.status_code == 400
    assert "altfor mange felt" in response.text
    assert not Topic.objects.exists()


def test_too_many_and_bogus_tags_get_a_form_error(client, municipal_member, category):
    client.force_login(municipal_member)
    sectors = [Sector.objects.create(name=f"Sektor {n}", slug=f"sektor-{n}").pk for n in range(11)]
    response = client.post("/ny/", topic_form(category, sectors=sectors))
    assert response.status_code == 400
    assert "Velg høyst 10 sektorer" in response.text
    for bogus in ("99999999999999999999999", "-1", "abc", "1; DROP TABLE"):
        response = client.post("/ny/", topic_form(category, sectors=[bogus]))
        assert response.status_code == 400, bogus
        response = client.post("/ny/", {**topic_form(category), "category": bogus})
        assert response.status_code == 400, bogus
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/?side=%00",
        "/?side=99999999999999999999999999",
        "/t/1/%FF%FE/",
        "/k/%C3%28/",
        "/t/99999999999999999999999/x/",
        "/innlegg/99999999999999999999999/",
        "/medlem/99999999999999999999999/",
        "/sektor/" + "a" * 5000 + "/",
        "/search/?q=arkiv&side=99999999999999999999",
        "/search/?q=arkiv&side=-1",
        "/search/?q=arkiv&side=abc",
        "/oppfolging/?org=%00",
        "/oppfolging/?org=abc",
        "/oppfolging/?org=99999999999999999999",
        "/katalog/fylke/%00/",
        "/katalog/fylke/99999999999999999999/",
    ],
)
def test_hostile_urls_never_give_a_500(client, topic, path):
    response = client.get(path)
    assert response.status_code in {200, 301, 302, 400, 404}


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=noark&side=99999999999999999999",
        "/oppfolging/?org=abc&status=%C3%28",
        "/oppfolging/?org=99999999999999999999&status=-1",
        "/ny/?kategori=%E2%80%AE&system=abc",
        "/ny/?kategori=99999999999999999999&system=-1",
        "/katalog/kommune/drammen/ny/?system=99999999999999999999",
    ],
)
def test_hostile_filters_for_a_member_never_give_a_500(client, topic, municipal_member, path):
    client.force_login(municipal_member)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/oppfolging/?org=%00&status=%00",
        "/ny/?kategori=%00&system=%00",
        "/katalog/kommune/drammen/ny/?system=%00",
        "/katalog/fylke/%00/",
    ],
)
def test_a_nul_in_the_address_is_refused_at_the_edge_with_a_reason(
    client, topic, municipal_member, path
):
    client.force_login(municipal_member)
    response = client.get(path)
    assert response.status_code == 400
    assert "nulltegn" in response.text


def test_nul_bytes_in_profile_fields_get_a_form_error(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post("/profil/", {"display_name": "Kari \x00", "job_title": ""})
    assert response.status_code == 400
    response = client.post(
        "/profil/",
        {"display_name": "Kari", "organisation": "99999999999999999999999999"},
    )
    assert response.status_code == 400
    municipal_member.refresh_from_db()
    assert municipal_member.display_name == "Kari Nordmann"


def test_reply_with_hostile_body_keeps_the_text(client, topic, vendor_member):
    client.force_login(vendor_member)
    body = "> " * 100 + "dypt sitat"
    response = client.post(f"/t/{topic.pk}/svar/", {"body": body})
    assert response.status_code == 400
    assert "dypt sitat" in response.text
    assert Post.objects.count() == 1


def test_client_without_csrf_cannot_post_big_bodies_either(topic, vendor_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "x" * (3 * 1024 * 1024)})
    assert response.status_code in {403, 413}


# ---- Every URL, hostile path values and hostile query parameters -------------------------

# Every query parameter a view or a GET form of the forum reads, and the API's.
QUERY_NAMES = (
    "side", "q", "org", "status", "uavklart", "kategori", "sektor", "system", "type",
    "organisasjon", "fra", "til", "vis", "sorter", "sitat", "tittel", "next", "action",
    "actor", "sector", "county", "vendor", "organisation", "category", "limit", "current",
    "name", "kind", "solved", "format",
)  # fmt: skip
# Words searched for start with a real word, so that a search goes on to its filters.
TEXT_NAMES = {"q", "tittel", "name"}
# Too big for any integer column, NUL, and long non-numeric Unicode (with a right-to-left
# override and a character outside the BMP).
HOSTILE_VALUES = ("99999999999999999999", "a\x00b", "abc ø\u202e✓漢字\U0001f600 1e309 " * 40)
# The page asked for: too big, negative, not a number.
PAGE_VALUES = ("99999999999999999999", "-1", "a\x00b")
# What a path converter is filled with.
HOSTILE_PATH_VALUES = {
    "int": ("99999999999999999999", "0"),
    "slug": ("99999999999999999999", "a" * 300, "a\x00b"),
    "str": ("99999999999999999999", "ø✓\u202e漢" * 60, "a\x00b"),
    "path": ("99999999999999999999", "ø✓/漢" * 60),
}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route of the project, through every include (regex patterns made routes)."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        text = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            text = _GROUP.sub(lambda m: f"<str:{m['name']}>", text.lstrip("^").rstrip("$"))
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern, prefix + text)
        else:
            routes.append(prefix + text)
    return routes


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + _PARAMETER.sub(lambda m: quote(values[m["name"]], safe="/"), route)


def _hostile_fillings(route: str) -> list[dict[str, str]]:
    parameters = [
        (m["name"], HOSTILE_PATH_VALUES.get(m["converter"] or "str", HOSTILE_PATH_VALUES["str"]))
        for m in _PARAMETER.finditer(route)
    ]
    if not parameters:
        return []
    count = max(len(values) for _, values in parameters)
    return [{name: values[i % len(values)] for name, values in parameters} for i in range(count)]


def _real_filling(route: str, real_routes: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The path values of a real object whose page starts like the route: /t/<pk>/svar/
    gets the pk of the topic at /t/<pk>/<slug>/."""
    names = {m["name"] for m in _PARAMETER.finditer(route)}
    if not names:
        return {}
    start = route.split("<", 1)[0]
    for real_route, kwargs in real_routes.items():
        if real_route.split("<", 1)[0] == start and names <= set(kwargs):
            return {name: kwargs[name] for name in names}
    return None


def _server_error(client: Client, url: str) -> str | None:
    try:
        with transaction.atomic():  # on PostgreSQL, one failed query must not hide the rest
            response = client.get(url)
    except Exception as exc:  # every error is listed, not only the first
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return str(response.status_code) if response.status_code >= 500 else None


@pytest.fixture
def real_routes(topic, municipal_member, kommune, vendor_org) -> dict[str, dict[str, str]]:
    """Routes with path values that lead to something: a topic, a post, a member, a category,
    a sector, a municipality in a county, a vendor and its system."""
    from tests import directory_factories

    county = directory_factories.county()
    kommune.county = county
    kommune.save(update_fields=["county"])
    system = directory_factories.system(vendor=vendor_org)
    directory_factories.usage(organisation=kommune, system=system)
    post = topic.posts.get()
    urls = [
        topic.get_absolute_url(),
        post.get_absolute_url(),
        municipal_member.get_absolute_url(),
        topic.category.get_absolute_url(),
        directory_factories.sector().get_absolute_url(),
        kommune.get_absolute_url(),
        system.get_absolute_url(),
        reverse("directory:organisation", kwargs={"slug": kommune.slug}),
        reverse("directory:vendor", kwargs={"slug": vendor_org.slug}),
        reverse("directory:matrix", kwargs={"number": county.number}),
        f"/api/topics/{topic.pk}/",
        f"/api/posts/{post.pk}/",
        f"/api/organisations/{kommune.slug}/",
        f"/api/systems/{system.slug}/",
        f"/api/categories/{topic.category.slug}/",
    ]
    found = {}
    for url in urls:
        match = resolve(url)
        found[match.route] = {k: str(v) for k, v in match.kwargs.items()}
    return found


def test_no_url_gives_a_server_error_for_hostile_paths_or_parameters(real_routes, municipal_member):
    routes = _routes()
    assert len(routes) > 150  # the walk went through the includes
    # Every parameter hostile at once; then only the page asked for, after a real search
    # word (a form with a hostile filter would stop before it reads the page number).
    queries = [
        urlencode({name: f"arkiv {value}" if name in TEXT_NAMES else value for name in QUERY_NAMES})
        for value in HOSTILE_VALUES
    ] + [urlencode({"q": "arkiv", "side": value, "next": value}) for value in PAGE_VALUES]
    visitor, member = Client(), Client()
    member.force_login(municipal_member)
    clients = (("visitor", visitor), ("member", member))
    asked: list[tuple[str, Client, str]] = []
    for route in routes:
        # Paths that lead nowhere, each asked once, by the visitor and the member in turn.
        for i, values in enumerate(_hostile_fillings(route)):
            asked.append((*clients[i % 2], f"{_fill(route, values)}?{queries[i % len(queries)]}"))
        real = _real_filling(route, real_routes)
        if real is not None:
            path = _fill(route, real)
            # The admin sends both to a sign-in before any of its views reads a parameter.
            tried = queries[:1] if route.startswith("admin/") else queries
            asked += [(*who, f"{path}?{query}") for query in tried for who in clients]
    logging.disable(logging.CRITICAL)  # a thousand refusals, each logged
    try:
        errors = [
            f"{name} {url[:160]}: {error}"
            for name, client, url in asked
            if (error := _server_error(client, url))
        ]
    finally:
        logging.disable(logging.NOTSET)
    assert not errors, "\n".join(errors)
