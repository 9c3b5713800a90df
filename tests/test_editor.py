"""The post editor: the preview (with and without JavaScript), uploads into the text, and
the title's length."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from tests.attachment_files import EXE, PNG, upload
from tests.conftest import login
from tests.test_attachments import stored_files
from tests.xss_vectors import HTML_VECTORS, MARKDOWN_VECTORS, numbered
from topics.markdown import ALLOWED_TAGS
from topics.models import Attachment, Post, Topic

pytestmark = pytest.mark.django_db

PREVIEW = {"forhandsvis": "1"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag} {name}")
            scheme = (value or "").split("/")[0].partition(":")
            if name in {"href", "src"} and scheme[1] and scheme[0] not in SAFE_SCHEMES:
                self.problems.append(f"{tag} {name}={value}")


def unsafe_parts(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.problems


def rendered(html: str) -> str:
    """The rendered text inside a preview (its own markup around it is the page's)."""
    start = html.index('<div class="post-body">') + len('<div class="post-body">')
    return html[start : html.index("</div>", start)]


def preview_section(html: str) -> str:
    start = html.index('id="forhandsvisning"')
    return html[start : html.index("</section>", start)]


# ---- The «Forhåndsvis» button, without JavaScript ------------------------------------------


def test_reply_preview_shows_the_rendered_text_keeps_it_and_saves_nothing(
    client, municipal_member, topic, django_assert_max_num_queries
):
    login(client, municipal_member)
    body = "## Erfaring\n\nVi brukte **Noark 5-uttrekk** og `ps1`-skript."
    with django_assert_max_num_queries(6):
        response = client.post(
            f"/t/{topic.pk}/svar/", {"body": body, "client_token": "", **PREVIEW}
        )
    assert response.status_code == 200
    html = response.content.decode()
    section = preview_section(html)
    assert "<strong>Noark 5-uttrekk</strong>" in section
    assert "<h4>Erfaring</h4>" in section  # shifted under the page's headings, as in a post
    assert "**Noark 5-uttrekk**" in html  # the text is in the textarea, as typed
    assert 'class="ds-error-summary"' not in html
    assert "no-store" in response["Cache-Control"]
    assert Post.objects.filter(topic=topic).count() == 1


def test_new_topic_preview_keeps_every_field_and_creates_no_topic(
    client, municipal_member, category
):
    login(client, municipal_member)
    before = Topic.objects.count()
    response = client.post(
        "/ny/",
        {
            "title": "Migrering av sak/arkiv",
            "category": category.pk,
            "kind": "erfaring",
            "verdict": "positiv",
            "body": "*Kort* fortalt: det gikk.",
            **PREVIEW,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>Kort</em> fortalt" in preview_section(html)
    assert 'value="Migrering av sak/arkiv"' in html
    assert f'<option value="{category.pk}" selected>' in html
    assert 'value="erfaring"' in html and 'value="positiv"' in html
    assert Topic.objects.count() == before


def test_edit_preview_keeps_the_version_the_form_was_opened_on(client, municipal_member, topic):
    login(client, municipal_member)
    post = topic.posts.get(position=1)
    response = client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"title": topic.title, "body": "Ny **tekst**", "version": 1, "topic_version": 1, **PREVIEW},
    )
    html = response.content.decode()
    assert "Ny <strong>tekst</strong>" in preview_section(html)
    assert 'name="version" value="1"' in html
    post.refresh_from_db()
    assert "Ny" not in post.body and post.version == 1


def test_preview_of_an_empty_or_too_long_text_says_why_instead(
    client, municipal_member, topic, settings
):
    login(client, municipal_member)
    empty = client.post(f"/t/{topic.pk}/svar/", {"body": "  ", **PREVIEW}).content.decode()
    assert "ingen tekst å forhåndsvise" in preview_section(empty)
    long_text = "a" * (settings.POST_MAX_LENGTH + 1)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": long_text, **PREVIEW})
    assert "kan ha høyst" in preview_section(response.content.decode())
    assert Post.objects.filter(topic=topic).count() == 1


@pytest.mark.parametrize(
    ("number", "vector"), numbered(HTML_VECTORS + MARKDOWN_VECTORS, 1), ids=lambda v: str(v)[:30]
)
def test_preview_escapes_every_xss_vector(client, municipal_member, topic, number, vector):
    login(client, municipal_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": vector, **PREVIEW})
    html = response.content.decode()
    assert unsafe_parts(rendered(preview_section(html))) == []
    assert "</textarea><script>" not in html
    fragment = client.post("/innlegg/forhandsvis/", {"body": vector}).content.decode()
    assert unsafe_parts(rendered(fragment)) == []


# ---- The editor's preview, with JavaScript -------------------------------------------------


def test_editor_preview_renders_by_post_only_for_members_who_may_post(
    client, municipal_member, unverified_member, django_assert_max_num_queries
):
    assert client.post("/innlegg/forhandsvis/", {"body": "**x**"}).status_code == 403
    assert client.get("/innlegg/forhandsvis/").status_code == 405
    login(client, unverified_member)
    assert client.post("/innlegg/forhandsvis/", {"body": "**x**"}).status_code == 403
    login(client, municipal_member)
    with django_assert_max_num_queries(4):  # session, member, groups: no more for the text
        response = client.post("/innlegg/forhandsvis/", {"body": "**fet** [lenke](https://ks.no)"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>fet</strong>" in html
    assert 'rel="nofollow noopener ugc"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_editor_preview_needs_the_csrf_token(municipal_member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, municipal_member)
    assert client.post("/innlegg/forhandsvis/", {"body": "x"}).status_code == 403


def test_editor_preview_is_rate_limited(client, municipal_member, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "preview": "2/m"}
    login(client, municipal_member)
    codes = [client.post("/innlegg/forhandsvis/", {"body": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_xss_check_itself_finds_a_script_link():
    assert unsafe_parts('<a href="javascript:xss(1)">x</a><img src=x onerror=xss(1)>') == [
        "a href=javascript:xss(1)",
        "<img>" if "img" not in ALLOWED_TAGS else "img onerror",
    ]


# ---- The toolbar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "bold", "preview"), [("nb", "Fet", "Forhåndsvis"), ("en", "Bold", "Preview")]
)
def test_every_post_textarea_carries_the_toolbar_in_the_members_language(
    client, municipal_member, topic, settings, language, bold, preview
):
    login(client, municipal_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    post = topic.posts.get(position=1)
    for url in (
        f"/t/{topic.pk}/svar/",
        "/ny/",
        f"/innlegg/{post.pk}/rediger/",
        topic.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert html.count("data-md-editor") == 1, url
        assert f'aria-label="{bold}"' in html, url
        assert f">{preview}</button>" in html, url
        assert "js/editor.js" in html, url


# ---- Files pasted or dropped into the text: drafts ------------------------------------------


def upload_draft(client, name="skjerm.png", content=PNG):
    return client.post("/vedlegg/utkast/", {"file": upload(name, content)})


def test_a_draft_is_the_uploaders_alone_until_the_post_is_sent_then_the_posts(
    client,
    municipal_member,
    vendor_member,
    moderator,
    topic,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    login(client, municipal_member)
    with django_assert_max_num_queries(10):
        response = upload_draft(client)
    assert response.status_code == 201
    answer = response.json()
    url = answer["url"]
    assert answer["markdown"] == f"![skjerm.png]({url})"
    assert "no-store" in response["Cache-Control"]
    draft = Attachment.objects.get(pk=answer["id"])
    assert draft.post is None and draft.uploaded_by == municipal_member and draft.kind == "image"
    owner_sees = client.get(url)
    assert owner_sees.status_code == 200 and owner_sees["Content-Type"] == "image/png"
    assert "private" in owner_sees["Cache-Control"]

    for other in (vendor_member, moderator):
        assert login(Client(), other).get(url).status_code == 404
    assert Client().get(url).status_code == 404

    # Sent in a reply: the post's now, and seen by whoever sees the post.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/{topic.pk}/svar/", {"body": f"Se her:\n\n{answer['markdown']}"})
    draft.refresh_from_db()
    reply = Post.objects.get(topic=topic, position=2)
    assert draft.post == reply
    assert f'<img src="{url}" alt="skjerm.png">' in reply.body_html
    assert login(Client(), vendor_member).get(url).status_code == 200
    assert Client().get(url).status_code == 200
    # Shown where it was put in the text, not a second time under the post.
    page = Client().get(topic.get_absolute_url()).content.decode()
    assert page.count(f'src="{url}"') == 1


def test_a_draft_sent_into_a_closed_category_is_seen_only_by_its_readers(
    client, municipal_member, vendor_member, closed_topic
):
    login(client, municipal_member)
    answer = upload_draft(client).json()
    client.post(f"/t/{closed_topic.pk}/svar/", {"body": answer["markdown"]})
    assert Attachment.objects.get(pk=answer["id"]).post.topic == closed_topic
    assert client.get(answer["url"]).status_code == 200
    assert login(Client(), vendor_member).get(answer["url"]).status_code == 404
    assert Client().get(answer["url"]).status_code == 404


def test_no_one_can_take_over_another_members_draft_by_linking_it(
    client, municipal_member, vendor_member, topic
):
    login(client, municipal_member)
    answer = upload_draft(client).json()
    thief = login(Client(), vendor_member)
    thief.post(f"/t/{topic.pk}/svar/", {"body": f"Min nå: {answer['markdown']}"})
    assert Attachment.objects.get(pk=answer["id"]).post is None
    assert thief.get(answer["url"]).status_code == 404


def test_only_members_who_may_post_can_upload_and_only_by_post(client, unverified_member):
    response = upload_draft(client)
    assert response.status_code == 403 and "Logg inn" in response.json()["error"]
    assert client.get("/vedlegg/utkast/").status_code == 405
    login(client, unverified_member)
    assert upload_draft(client).status_code == 403
    assert not Attachment.objects.exists()


def test_a_refused_file_says_why_and_stores_nothing(client, municipal_member, settings):
    login(client, municipal_member)
    renamed = upload_draft(client, "faktura.png", EXE)
    assert renamed.status_code == 400
    assert "stemmer ikke med filendelsen .png" in renamed.json()["error"]
    assert "ikke tillatt" in upload_draft(client, "virus.exe", EXE).json()["error"]
    settings.ATTACHMENT_MAX_FILE_BYTES = len(PNG) - 1
    too_big = upload_draft(client)
    assert too_big.status_code == 400 and "høyst" in too_big.json()["error"]
    assert client.post("/vedlegg/utkast/", {}).status_code == 400
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_members_drafts_hold_at_most_what_one_post_may(client, municipal_member, settings):
    settings.ATTACHMENT_MAX_FILES_PER_POST = 2
    login(client, municipal_member)
    codes = [upload_draft(client).status_code for _ in range(3)]
    assert codes == [201, 201, 400]


def test_drafts_never_sent_are_removed_after_a_day(
    client, municipal_member, settings, django_capture_on_commit_callbacks
):
    login(client, municipal_member)
    old = upload_draft(client).json()["id"]
    Attachment.objects.filter(pk=old).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_draft(client).status_code == 201
    assert not Attachment.objects.filter(pk=old).exists()
    assert len(stored_files(settings)) == 1


def test_draft_uploads_are_rate_limited(client, municipal_member, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "upload": "1/m"}
    login(client, municipal_member)
    assert [upload_draft(client).status_code for _ in range(2)] == [201, 429]


def test_the_preview_shows_a_draft_image_in_the_text(client, municipal_member, topic):
    login(client, municipal_member)
    answer = upload_draft(client).json()
    html = client.post("/innlegg/forhandsvis/", {"body": answer["markdown"]}).content.decode()
    assert f'<img src="{answer["url"]}" alt="skjerm.png">' in html


def test_deleting_an_account_removes_its_drafts_and_keeps_what_was_sent(
    client, municipal_member, topic, settings, django_capture_on_commit_callbacks
):
    from accounts import actions as account_actions

    login(client, municipal_member)
    sent = upload_draft(client).json()
    client.post(f"/t/{topic.pk}/svar/", {"body": sent["markdown"]})
    upload_draft(client)
    with django_capture_on_commit_callbacks(execute=True):
        account_actions.delete_account(user=municipal_member)
    assert list(Attachment.objects.values_list("pk", flat=True)) == [sent["id"]]
    assert len(stored_files(settings)) == 1


# ---- A title that is too long ----------------------------------------------------------------


def test_a_too_long_title_comes_back_whole_with_the_error_by_the_field(
    client, municipal_member, category
):
    login(client, municipal_member)
    title = ("Migrering av sak/arkiv til Noark 5 i nye Drammen " * 7)[:300]
    response = client.post(
        "/ny/", {"title": title, "category": category.pk, "kind": "sporsmal", "body": "Tekst."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert "Tittelen kan ha høyst 200 tegn (den har 300)." in html
    assert f'value="{title}"' in html  # all 300 characters, not cut at 200
    title_input = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert "maxlength" not in title_input
    assert 'data-max-length="200"' in title_input
    assert not Topic.objects.filter(author=municipal_member).exists()


def test_the_edit_form_keeps_a_too_long_title_too(client, municipal_member, topic):
    login(client, municipal_member)
    post = topic.posts.get(position=1)
    title = "T" * 201
    response = client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"title": title, "body": "Tekst", "version": post.version, "topic_version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "(den har 201)" in html and f'value="{title}"' in html
    topic.refresh_from_db()
    assert topic.title == "Noark 5-migrering"


def test_the_daily_purge_removes_every_members_old_drafts_and_nothing_sent(
    client, municipal_member, vendor_member, topic, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    login(client, municipal_member)
    sent = upload_draft(client).json()
    client.post(f"/t/{topic.pk}/svar/", {"body": sent["markdown"]})
    fresh = upload_draft(client).json()["id"]
    old = upload_draft(login(Client(), vendor_member)).json()["id"]
    day_ago = timezone.now() - settings.ATTACHMENT_DRAFT_MAX_AGE - timedelta(minutes=1)
    Attachment.objects.filter(pk__in=[sent["id"], old]).update(created_at=day_ago)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_draft_attachments", stdout=io.StringIO())
    assert sorted(Attachment.objects.values_list("pk", flat=True)) == sorted([sent["id"], fresh])
    assert len(stored_files(settings)) == 2
