"""Members' pictures: initials on a colour when there is none; an upload is checked like an
attachment (content, extension, size), drawn again as a small WebP, and served by address."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import actions, avatars
from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "forum.css"


def picture(fmt: str = "PNG", size: tuple[int, int] = (300, 200), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


def upload(client, data: bytes, name: str = "meg.png", **extra: str):
    return client.post(
        "/profil/bilde/", {"picture": SimpleUploadedFile(name, data), **extra}, follow=False
    )


def contrast_with_white(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kari Nordmann", "KN"),
        ("ola", "O"),
        ("Anne-Lise Berg Hansen", "AH"),
        ("Øystein Ås", "ØÅ"),
        ("  ", ""),
        ("1234 Kommune", "K"),
    ],
)
def test_initials(name, expected):
    assert avatars.initials(name) == expected


def test_the_colour_is_stable_and_spread():
    assert avatars.colour_index(42) == avatars.colour_index("42") == avatars.colour_index(42)
    assert len({avatars.colour_index(pk) for pk in range(200)}) == len(avatars.COLOURS)


def test_every_colour_has_readable_white_initials_and_a_css_rule():
    css = CSS.read_text()
    rules = dict(
        re.findall(r'\.avatar\[data-colour="(\d+)"\] \{ background-color: (#[0-9a-f]{6}); \}', css)
    )
    assert rules == {str(i): colour for i, colour in enumerate(avatars.COLOURS)}
    for colour in avatars.COLOURS:
        assert contrast_with_white(colour) >= 4.5, colour


def test_without_a_picture_the_byline_shows_initials(client, municipal_member, topic):
    text = client.get(topic.get_absolute_url()).text
    colour = avatars.colour_index(municipal_member.pk)
    assert (
        f'<span class="avatar" data-size="md" data-colour="{colour}" aria-hidden="true">KN</span>'
        in text
    )


def test_an_uploaded_picture_is_redrawn_stored_and_shown_everywhere(
    client, municipal_member, topic
):
    client.force_login(municipal_member)
    response = upload(client, picture("PNG") + b"<script>alert(1)</script>")
    assert response.status_code == 302
    member = User.objects.get(pk=municipal_member.pk)
    stored = member.avatar.open("rb").read()
    assert stored.startswith(b"RIFF") and b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (avatars.SIZE, avatars.SIZE)
    url = member.avatar_url
    assert re.fullmatch(rf"/profilbilde/{member.pk}/{member.pk}-[0-9a-f]{{16}}\.webp", url)
    for page in (topic.get_absolute_url(), member.get_absolute_url(), "/profil/"):
        assert f'src="{url}"' in client.get(page).text, page
    served = client.get(url)
    assert served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == stored
    assert client.get(url.replace(member.pk.__str__() + "-", "x-")).status_code == 404


def test_a_new_picture_gets_a_new_address_and_the_old_file_goes(
    client, municipal_member, django_capture_on_commit_callbacks
):
    client.force_login(municipal_member)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, picture("PNG"))
    first = User.objects.get(pk=municipal_member.pk).avatar
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, picture("JPEG", size=(100, 400)), name="ny.jpg")
    second = User.objects.get(pk=municipal_member.pk).avatar
    assert first.name != second.name
    assert not first.storage.exists(first.name)
    assert (
        client.get(f"/profilbilde/{municipal_member.pk}/{Path(first.name).stem}.webp").status_code
        == 404
    )


def test_location_metadata_is_not_kept(client, municipal_member):
    exif = Image.Exif()
    exif[0x8825] = {2: (59.0, 54.0, 0.0)}  # GPS latitude
    exif[0x010F] = "Kamera AS"
    client.force_login(municipal_member)
    assert upload(client, picture("JPEG", exif=exif.tobytes()), name="ferie.jpg").status_code == 302
    stored = User.objects.get(pk=municipal_member.pk).avatar.open("rb").read()
    assert b"Kamera AS" not in stored and b"Exif" not in stored


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (picture("PNG"), "meg.jpg", "må være en PNG-, JPEG-, GIF- eller WebP-fil"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "meg.svg", "må være en PNG-"),
        (b"MZ\x90\x00 not a picture", "meg.png", "må være en PNG-"),
        (picture("PNG"), "meg", "må være en PNG-"),
        (b"", "meg.png", "Filen er tom"),
        (picture("PNG")[:40], "meg.png", "kunne ikke leses"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "meg.png", "kunne ikke leses"),
    ],
)
def test_bad_pictures_are_refused_by_the_field(client, municipal_member, data, name, message):
    client.force_login(municipal_member)
    response = upload(client, data, name=name)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="id_picture_error"' in response.text or "ds-validation-message" in response.text
    assert 'value="Kari Nordmann"' in response.text  # the profile form is still there
    assert not User.objects.get(pk=municipal_member.pk).avatar


def test_sending_nothing_says_what_to_do(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post("/profil/bilde/", {})
    assert response.status_code == 400
    assert "Velg et bilde, eller kryss av for å fjerne det." in response.text


def test_a_picture_too_large_is_refused_before_it_is_decoded(client, municipal_member, settings):
    settings.AVATAR_MAX_BYTES = 1000
    client.force_login(municipal_member)
    response = upload(client, picture("PNG", size=(600, 600)) + b"\x00" * 2000)
    assert response.status_code == 400
    assert "det kan være høyst 1000" in response.text


def test_a_decompression_bomb_is_refused(client, municipal_member):
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 megapixels in a few kB
    client.force_login(municipal_member)
    response = upload(client, out.getvalue(), name="bombe.png")
    assert response.status_code == 400
    assert "8000 × 8000 punkter" in response.text


def test_the_picture_can_be_removed(client, municipal_member, django_capture_on_commit_callbacks):
    client.force_login(municipal_member)
    upload(client, picture("GIF"), name="meg.gif")
    stored = User.objects.get(pk=municipal_member.pk).avatar
    assert stored
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profil/bilde/", {"remove": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=municipal_member.pk).avatar
    assert not stored.storage.exists(stored.name)


def test_signed_out_visitors_cannot_upload(client):
    response = upload(client, picture("PNG"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_deleted_member_loses_the_picture(municipal_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_avatar(user=municipal_member, upload=io.BytesIO(picture()), name="a.png")
    stored = User.objects.get(pk=municipal_member.pk).avatar
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_account(user=User.objects.get(pk=municipal_member.pk))
    assert not User.objects.get(pk=municipal_member.pk).avatar
    assert not stored.storage.exists(stored.name)


def test_the_byline_fragment_follows_a_new_picture(client, municipal_member, topic):
    assert '<img class="avatar"' not in client.get(topic.get_absolute_url()).text
    actions.set_avatar(user=municipal_member, upload=io.BytesIO(picture()), name="a.png")
    client.force_login(factories.member())
    assert '<img class="avatar"' in client.get(topic.get_absolute_url()).text
