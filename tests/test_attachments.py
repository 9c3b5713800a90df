"""Attachments: checked by content, stored through the storage API, served only to readers."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from tests import factories
from tests.attachment_files import (
    CSV,
    DOCM,
    DOCX,
    EXE,
    JPEG,
    PDF,
    PNG,
    XLSX,
    ZIP,
    deflate_bomb,
    upload,
    zip_bytes,
)
from tests.conftest import login
from topics import actions
from topics.attachments.files import clean_name, inspect_upload
from topics.models import Attachment, Category, Post

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ---- What a file is: by content ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("rapport.pdf", PDF, "pdf", "application/pdf"),
        ("skjerm.png", PNG, "image", "image/png"),
        ("foto.JPG", JPEG, "image", "image/jpeg"),
        (
            "krav.docx",
            DOCX,
            "office",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budsjett.xlsx",
            XLSX,
            "office",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("systemer.csv", CSV, "csv", "text/csv"),
        ("notat.txt", "Æ, ø og å i UTF-8.\n".encode(), "text", "text/plain"),
        ("notat.txt", "Æ, ø og å i Windows-1252.\n".encode("cp1252"), "text", "text/plain"),
        ("rpa-skript.zip", ZIP, "zip", "application/zip"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(name, content, kind, content_type):
    inspected = inspect_upload(upload(name, content))
    assert (inspected.kind, inspected.content_type, inspected.size) == (
        kind,
        content_type,
        len(content),
    )
    assert len(inspected.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("faktura.pdf", EXE, "stemmer ikke med filendelsen .pdf"),
        ("bilde.png", PDF, "stemmer ikke med filendelsen .png"),
        ("tabell.xlsx", DOCX, "stemmer ikke med filendelsen .xlsx"),
        ("program.exe", EXE, "Filtypen"),
        ("bilde.svg", b"<svg onload='alert(1)'/>", "Filtypen"),
        ("makro.docx", DOCM, "makroer"),
        ("tom.pdf", b"", "er tom"),
        ("ødelagt.zip", b"PK\x03\x04 ikke et arkiv", "kan ikke åpnes"),
        ("data.csv", b"a;b\n\x00\x01\x02", "stemmer ikke"),
        ("..\\..\\windows\\system.ini.txt", b"tekst", "skråstreker"),
        ("rapport\x07.pdf", PDF, "kontrolltegn"),
        ("rapport\u202egnp.pdf", PDF, "kontrolltegn"),
        (".htaccess", b"Deny from all", "ikke gyldig"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("x", content), name=name)
    assert message in " ".join(error.value.messages)


def test_a_zip_bomb_is_refused_by_its_declared_size(settings):
    settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 1_000_000
    bomb = zip_bytes({"nuller.bin": b"\x00" * 5_000_000})
    assert len(bomb) < 10_000  # small on disk, 5 MB unpacked
    with pytest.raises(ValidationError, match="pakkes ut"):
        inspect_upload(upload("bombe.zip", bomb))


def test_a_file_over_the_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 100
    with pytest.raises(ValidationError, match="høyst 100"):
        inspect_upload(upload("stor.txt", b"a" * 101))


def test_long_names_keep_their_extension():
    assert clean_name("x" * 300 + ".pdf").endswith(".pdf")
    assert len(clean_name("x" * 300 + ".pdf")) == 150


# ---- Attaching through the forms -------------------------------------------------------


def test_member_attaches_files_when_starting_a_topic(client, municipal_member, category, settings):
    login(client, municipal_member)
    response = client.post(
        "/ny/",
        {
            "title": "Kravspesifikasjon for sak/arkiv",
            "category": category.pk,
            "kind": "erfaring",
            "verdict": "positiv",
            "body": "Her er malen vi brukte.",
            "attachments": [upload("krav.docx", DOCX), upload("skjerm.png", PNG)],
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(topic__title="Kravspesifikasjon for sak/arkiv")
    names = {a.name: a for a in post.attachments.all()}
    assert set(names) == {"krav.docx", "skjerm.png"}
    stored = names["krav.docx"]
    assert stored.file.name.startswith("vedlegg/") and "krav" not in stored.file.name
    assert default_storage.open(stored.file.name).read() == DOCX
    assert stored.uploaded_by == municipal_member

    page = client.get(post.topic.get_absolute_url()).content.decode()
    image_url = names["skjerm.png"].get_absolute_url()
    assert f'<img src="{image_url}" alt="skjerm.png"' in page
    assert f'href="{stored.get_absolute_url()}" download>krav.docx</a>' in page
    assert "Office-dokument" in page


def test_reply_with_attachments(client, municipal_member, topic):
    login(client, municipal_member)
    response = client.post(
        f"/t/{topic.pk}/svar/",
        {"body": "Skriptet vårt.", "attachments": [upload("flytt.zip", ZIP), upload("a.csv", CSV)]},
    )
    assert response.status_code == 302
    reply = topic.posts.get(position=2)
    assert sorted(reply.attachments.values_list("kind", flat=True)) == ["csv", "zip"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("faktura.pdf", EXE, "stemmer ikke med filendelsen"),
        ("tom.txt", b"", "er tom"),
        ("makro.docx", DOCM, "makroer"),
    ],
)
def test_a_bad_file_stores_nothing_and_keeps_the_text(
    client, municipal_member, topic, settings, name, content, message
):
    login(client, municipal_member)
    response = client.post(
        f"/t/{topic.pk}/svar/",
        {"body": "Teksten min.", "attachments": [upload("ok.pdf", PDF), upload(name, content)]},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'id="id_attachments_error"' in text
    assert "Teksten min." in text
    assert topic.posts.count() == 1
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("unpacked", "message"),
    [
        (1 << 30, "pakkes ut"),  # declared over the archive limit
        (150 << 20, "stemmer ikke med filendelsen .odt"),  # under it, and still never read whole
    ],
)
def test_a_zip_bomb_is_refused_without_unpacking_it(
    client, municipal_member, topic, settings, unpacked, message
):
    bomb = deflate_bomb("mimetype", unpacked)
    assert len(bomb) < 1_100_000
    login(client, municipal_member)
    tracemalloc.start()
    try:
        response = client.post(
            f"/t/{topic.pk}/svar/",
            {"body": "Teksten min.", "attachments": [upload("bombe.odt", bomb)]},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_attachments_error"' in text
    assert message in text
    assert "Teksten min." in text
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MiB"
    assert topic.posts.count() == 1


def test_limits_per_file_and_per_post(client, municipal_member, topic, settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 2000
    settings.ATTACHMENT_MAX_POST_BYTES = 150
    login(client, municipal_member)
    too_big = client.post(
        f"/t/{topic.pk}/svar/", {"body": "x", "attachments": [upload("a.txt", b"a" * 2001)]}
    )
    assert "hver fil kan være høyst" in too_big.content.decode()
    too_much = client.post(
        f"/t/{topic.pk}/svar/",
        {"body": "x", "attachments": [upload("a.txt", b"a" * 100), upload("b.txt", b"b" * 100)]},
    )
    assert "grensen per innlegg" in too_much.content.decode()
    settings.ATTACHMENT_MAX_POST_BYTES = 10_000
    settings.ATTACHMENT_MAX_FILES_PER_POST = 2
    too_many = client.post(
        f"/t/{topic.pk}/svar/",
        {"body": "x", "attachments": [upload(f"{i}.txt", b"tekst") for i in range(3)]},
    )
    assert "høyst 2 vedlegg" in too_many.content.decode()
    assert topic.posts.count() == 1
    assert stored_files(settings) == []


def test_the_action_checks_files_itself(municipal_member, topic, settings):
    with pytest.raises(ValidationError) as error:
        actions.reply(
            author=municipal_member,
            topic=topic,
            body="Direkte",
            attachments=[upload("virus.pdf", EXE)],
        )
    assert "attachments" in error.value.message_dict
    assert topic.posts.count() == 1
    assert stored_files(settings) == []


def test_editing_adds_and_removes_attachments(
    client, municipal_member, topic, settings, django_capture_on_commit_callbacks
):
    post = topic.posts.get(position=1)
    actions.edit_post(
        post=post, editor=municipal_member, body=post.body, attachments=[upload("a.pdf", PDF)]
    )
    old = post.attachments.get()
    login(client, municipal_member)
    form = client.get(f"/innlegg/{post.pk}/rediger/").content.decode()
    assert 'name="remove_attachments"' in form and 'enctype="multipart/form-data"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/innlegg/{post.pk}/rediger/",
            {
                "title": topic.title,
                "body": post.body,
                "version": post.version,
                "topic_version": topic.version,
                "remove_attachments": [old.pk],
                "attachments": [upload("ny.csv", CSV)],
            },
        )
    assert response.status_code == 302
    assert list(post.attachments.values_list("name", flat=True)) == ["ny.csv"]
    assert not default_storage.exists(old.file.name)
    post.refresh_from_db()
    assert post.edited_by == municipal_member


def test_another_member_cannot_remove_my_attachments(
    client, municipal_member, vendor_member, topic
):
    post = topic.posts.get(position=1)
    actions.edit_post(
        post=post, editor=municipal_member, body=post.body, attachments=[upload("a.pdf", PDF)]
    )
    login(client, vendor_member)
    response = client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"body": "x", "remove_attachments": [post.attachments.get().pk]},
    )
    assert response.status_code == 403
    assert post.attachments.count() == 1


# ---- Serving ------------------------------------------------------------------------------


@pytest.fixture
def files(municipal_member, topic):
    post = topic.posts.get(position=1)
    actions.edit_post(
        post=post,
        editor=municipal_member,
        body=post.body,
        attachments=[upload("skjerm.png", PNG), upload("rapport.pdf", PDF)],
    )
    return {a.name: a for a in post.attachments.all()}


def test_a_pdf_is_a_download_and_an_image_is_shown_inline(client, files):
    pdf = client.get(files["rapport.pdf"].get_absolute_url())
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert 'filename="rapport.pdf"' in pdf["Content-Disposition"]
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert b"".join(pdf.streaming_content) == PDF
    image = client.get(files["skjerm.png"].get_absolute_url())
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]


def test_a_file_in_a_closed_category_answers_like_a_missing_one(
    client, municipal_member, vendor_member, files
):
    attachment = files["rapport.pdf"]
    Category.objects.filter(pk=attachment.post.topic.category_id).update(visibility="kommuner")
    url = attachment.get_absolute_url()
    missing = client.get("/vedlegg/987654/")
    assert missing.status_code == 404
    assert client.get(url).status_code == 404
    assert login(client, vendor_member).get(url).status_code == 404
    assert login(client, municipal_member).get(url).status_code == 200


def test_a_hidden_posts_files_are_only_for_its_author_and_moderators(
    client, municipal_member, vendor_member, moderator, files
):
    attachment = files["rapport.pdf"]
    actions.hide_post(post=attachment.post, by=moderator)
    url = attachment.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(client, vendor_member).get(url).status_code == 404
    assert login(client, municipal_member).get(url).status_code == 200
    assert login(client, moderator).get(url).status_code == 200


def test_a_file_of_a_post_awaiting_approval_is_not_served_to_others(
    client, unverified_member, category
):
    member = factories.member(email="ny2@example.org")
    topic = actions.create_topic(
        author=member,
        category=category,
        title="Venter på godkjenning",
        body="Tekst",
        attachments=[upload("a.pdf", PDF)],
    )
    assert not topic.is_approved
    url = Attachment.objects.get().get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(client, member).get(url).status_code == 200
