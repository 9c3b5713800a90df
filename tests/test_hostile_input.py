"""Hostile input gets a clear error and never a 500, and nothing is half-stored."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client

from directory.models import Sector
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
    assert response.status_code in {200, 301, 302, 404}


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=noark&side=99999999999999999999",
        "/oppfolging/?org=%00&status=%00",
        "/ny/?kategori=%00&system=%00",
        "/ny/?kategori=99999999999999999999&system=-1",
        "/katalog/kommune/drammen/ny/?system=%00",
    ],
)
def test_hostile_filters_for_a_member_never_give_a_500(client, topic, municipal_member, path):
    client.force_login(municipal_member)
    assert client.get(path).status_code == 200


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
