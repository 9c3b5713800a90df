from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests import factories
from topics import actions, permissions
from topics.markdown import render_markdown
from topics.models import Post, PostRevision, Topic
from topics.moderation import actions as moderation_actions

pytestmark = pytest.mark.django_db


# --- actions and permissions ------------------------------------------------------------


def test_create_topic_stores_first_post_rendered(municipal_member, category):
    topic = actions.create_topic(
        author=municipal_member, category=category, title="  Noark 5  ", body="**Hei**"
    )
    assert topic.title == "Noark 5"
    assert topic.slug == "noark-5"
    post = topic.posts.get()
    assert post.position == 1
    assert post.body_html == "<p><strong>Hei</strong></p>\n"
    assert topic.reply_count == 0


def test_reply_numbers_posts_and_bumps_counters(topic, vendor_member):
    before = topic.last_activity_at
    second = actions.reply(author=vendor_member, topic=topic, body="Svar")
    third = actions.reply(author=vendor_member, topic=topic, body="Svar igjen")
    topic.refresh_from_db()
    assert (second.position, third.position) == (2, 3)
    assert topic.reply_count == 2
    assert topic.last_poster == vendor_member
    assert topic.last_activity_at >= before


def test_unverified_email_cannot_post(unverified_member, category, topic):
    assert not permissions.can_start_topic(unverified_member, category)
    with pytest.raises(PermissionDenied):
        actions.create_topic(author=unverified_member, category=category, title="Hei", body="x")
    with pytest.raises(PermissionDenied):
        actions.reply(author=unverified_member, topic=topic, body="x")
    assert Topic.objects.count() == 1


def test_locked_topic_refuses_replies_except_from_moderators(topic, moderator, vendor_member):
    actions.set_locked(topic=topic, by=moderator, locked=True)
    with pytest.raises(actions.TopicLocked):
        actions.reply(author=vendor_member, topic=topic, body="Svar")
    actions.reply(author=moderator, topic=topic, body="Moderator svarer")
    assert topic.posts.count() == 2


def test_only_moderators_pin_lock_and_hide(topic, municipal_member):
    for call in (
        lambda: actions.set_pinned(topic=topic, by=municipal_member, pinned=True),
        lambda: actions.set_locked(topic=topic, by=municipal_member, locked=True),
        lambda: actions.hide_post(post=factories.first_post(topic), by=municipal_member),
    ):
        with pytest.raises(PermissionDenied):
            call()
    topic.refresh_from_db()
    assert not topic.is_pinned and not topic.is_locked
    assert not Post.objects.filter(is_hidden=True).exists()


def test_edit_keeps_the_previous_text_and_who_edited(topic, municipal_member):
    post = factories.first_post(topic)
    actions.edit_post(post=post, editor=municipal_member, body="Ny tekst", title="Ny tittel")
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.body == "Ny tekst"
    assert post.edited_by == municipal_member
    assert topic.title == "Ny tittel"
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "Hva gjør dere med dette?"
    assert revision.editor == municipal_member


def test_members_edit_only_their_own_posts(topic, vendor_member, moderator):
    post = factories.first_post(topic)
    assert not permissions.can_edit_post(vendor_member, post)
    with pytest.raises(PermissionDenied):
        actions.edit_post(post=post, editor=vendor_member, body="Kapret")
    assert permissions.can_edit_post(moderator, post)


def test_markdown_is_sanitised():
    html = render_markdown(
        "<script>alert(1)</script>\n\n[klikk](javascript:alert(1)) <img src=x onerror=alert(1)>"
        "\n\n![bilde](https://example.org/a.png)"
    )
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert '<img src="x"' not in html and "<img src=x" not in html
    assert 'src="https://example.org/a.png"' in html


def test_markdown_headings_start_below_the_page_headings():
    assert render_markdown("# Tittel") == "<h3>Tittel</h3>\n"


# --- views ------------------------------------------------------------------------------


def new_topic_data(the_category, **overrides):
    data = {
        "title": "Erfaringer med Elements?",
        "category": the_category.pk,
        "kind": "sporsmal",
        "body": "Hvordan gikk det?",
    }
    data.update(overrides)
    return data


def test_new_topic_through_the_form(client, municipal_member, category):
    client.force_login(municipal_member)
    response = client.post("/ny/", new_topic_data(category))
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()
    page = client.get(topic.get_absolute_url())
    assert "Erfaringer med Elements?" in page.text
    assert "Kari Nordmann" in page.text
    assert "Tråden er opprettet." in page.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Tråden må ha en tittel."),
        ({"title": "x" * 300}, "Tittelen kan ha høyst 200 tegn (den har 300)."),
        ({"body": ""}, "Skriv en tekst før du sender."),
        ({"body": "x" * 200_000}, "Teksten kan ha høyst 50000 tegn (den har 200000)."),
        ({"title": "Tittel med \x00 nulltegn"}, "ugyldig tegn (nulltegn)"),
        ({"body": "Tekst med \x00 nulltegn"}, "ugyldig tegn (nulltegn)"),
        ({"category": "999999"}, "Velg en kategori fra listen."),
        ({"kind": "workshop"}, "Velg en av typene i listen."),
    ],
)
def test_new_topic_bad_input_shows_error_and_keeps_input(
    client, municipal_member, category, overrides, message
):
    client.force_login(municipal_member)
    data = new_topic_data(category, **overrides)
    response = client.post("/ny/", data)
    assert response.status_code == 400
    assert message in response.text
    assert "ds-error-summary" in response.text
    assert 'aria-invalid="true"' in response.text
    if overrides.get("body", "").startswith("x"):
        assert "x" * 1000 in response.text  # what the member wrote is still there
    elif "title" not in overrides:
        assert "Erfaringer med Elements?" in response.text
    assert not Topic.objects.exists()
    assert not Post.objects.exists()


def test_script_in_markdown_is_stored_harmless(client, municipal_member, category):
    client.force_login(municipal_member)
    client.post("/ny/", new_topic_data(category, body="<script>alert('x')</script> hei"))
    post = Post.objects.get()
    assert "<script" not in post.body_html
    page = client.get(post.topic.get_absolute_url())
    assert "<script>alert" not in page.text


def test_new_topic_requires_sign_in(client):
    response = client.get("/ny/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_unverified_member_is_told_to_confirm_email(client, unverified_member, topic):
    client.force_login(unverified_member)
    assert client.get("/ny/").status_code == 403
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Hei"})
    assert response.status_code == 403
    assert "bekreftet" in response.text
    assert topic.posts.count() == 1


def test_reply_through_the_form_redirects_to_the_post(client, topic, vendor_member):
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Vi kan hjelpe."})
    post = Post.objects.get(position=2)
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].endswith(f"{topic.get_absolute_url()}#innlegg-2")


def test_empty_reply_shows_error(client, topic, vendor_member):
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": ""})
    assert response.status_code == 400
    assert "Skriv en tekst før du sender." in response.text
    assert topic.posts.count() == 1


def test_reply_to_locked_topic_is_refused_and_keeps_text(client, topic, moderator, vendor_member):
    actions.set_locked(topic=topic, by=moderator, locked=True)
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Mitt viktige svar"})
    assert response.status_code == 403
    assert "Tråden er låst" in response.text
    assert "Mitt viktige svar" in response.text
    assert topic.posts.count() == 1
    page = client.get(topic.get_absolute_url())
    assert "Tråden er låst, og tar ikke imot nye svar." in page.text


def test_post_without_csrf_token_is_refused(topic, vendor_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Hei"})
    assert response.status_code == 403
    assert topic.posts.count() == 1


def test_editing_someone_elses_post_is_forbidden(client, topic, vendor_member):
    client.force_login(vendor_member)
    post = factories.first_post(topic)
    assert client.get(f"/innlegg/{post.pk}/rediger/").status_code == 403
    response = client.post(f"/innlegg/{post.pk}/rediger/", {"body": "Kapret", "title": "Kapret"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Hva gjør dere med dette?"


def test_edit_own_post_through_the_form(client, topic, municipal_member):
    client.force_login(municipal_member)
    post = factories.first_post(topic)
    response = client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"body": "Oppdatert", "title": "Ny tittel her", "version": 1, "topic_version": 1},
    )
    assert response.status_code == 302
    page = client.get(Topic.objects.get().get_absolute_url())
    assert "Oppdatert" in page.text
    assert "endret av Kari Nordmann" in page.text


def test_edit_with_empty_title_keeps_body(client, topic, municipal_member):
    client.force_login(municipal_member)
    post = factories.first_post(topic)
    response = client.post(f"/innlegg/{post.pk}/rediger/", {"body": "Min nye tekst", "title": ""})
    assert response.status_code == 400
    assert "Min nye tekst" in response.text
    post.refresh_from_db()
    assert post.body == "Hva gjør dere med dette?"


def test_members_cannot_moderate(client, topic, municipal_member):
    client.force_login(municipal_member)
    assert client.post(f"/t/{topic.pk}/moderer/", {"action": "pin"}).status_code == 403
    post = factories.first_post(topic)
    assert client.post(f"/innlegg/{post.pk}/skjul/", {"reason": "x"}).status_code == 403
    topic.refresh_from_db()
    assert not topic.is_pinned


def test_moderator_pins_locks_and_hides(client, topic, moderator, vendor_member):
    reply = actions.reply(author=vendor_member, topic=topic, body="Reklame")
    client.force_login(moderator)
    client.post(f"/t/{topic.pk}/moderer/", {"action": "pin"})
    client.post(f"/t/{topic.pk}/moderer/", {"action": "lock"})
    client.post(f"/innlegg/{reply.pk}/skjul/", {"reason": "Reklame"})
    topic.refresh_from_db()
    reply.refresh_from_db()
    assert topic.is_pinned and topic.is_locked
    assert reply.is_hidden and reply.hidden_reason == "Reklame"
    assert client.post(f"/t/{topic.pk}/moderer/", {"action": "explode"}).status_code == 404


def test_hidden_post_shows_to_author_and_moderators_only(client, topic, moderator, vendor_member):
    reply = actions.reply(author=vendor_member, topic=topic, body="Hemmelig reklame")
    actions.hide_post(post=reply, by=moderator, reason="Reklame")
    assert "Hemmelig reklame" not in client.get(topic.get_absolute_url()).text
    client.force_login(vendor_member)
    page = client.get(topic.get_absolute_url()).text
    assert "Hemmelig reklame" in page and "Reklame" in page


def test_topic_pages_and_bad_page_numbers(client, municipal_member, category):
    topic = factories.topic(author=municipal_member, category=category, replies=45)
    assert client.get(topic.get_absolute_url() + "?side=3").status_code == 200
    assert "Svar 45" in client.get(topic.get_absolute_url() + "?side=3").text
    for bad in ("999", "abc", "-1", "0"):
        assert client.get(topic.get_absolute_url() + f"?side={bad}").status_code == 200
    assert client.get("/?side=zzz").status_code == 200
    assert client.get("/?side=99999").status_code == 200


def test_wrong_slug_redirects_and_missing_topic_is_404(client, topic):
    assert client.get(f"/t/{topic.pk}/feil/").status_code == 301
    assert client.get(f"/t/{topic.pk}/").status_code == 301
    assert client.get("/t/999999/noe/").status_code == 404


def test_category_and_sector_pages(client, municipal_member, category):
    from directory.models import Sector

    sector = Sector.objects.get(slug="sak-arkiv")
    topic = actions.create_topic(
        author=municipal_member,
        category=category,
        title="Arkivavslutning",
        body="x",
        sectors=[sector],
    )
    assert topic.title in client.get(category.get_absolute_url()).text
    assert topic.title in client.get("/sektor/sak-arkiv/").text
    assert client.get("/sektor/finnes-ikke/").status_code == 404
    assert client.get("/k/finnes-ikke/").status_code == 404


def test_topic_rows_show_their_sectors_and_a_change_at_once(
    client, municipal_member, moderator, category
):
    from directory.models import Sector

    archive = Sector.objects.get(slug="sak-arkiv")
    other = Sector.objects.exclude(pk=archive.pk).order_by("position").first()
    topic = actions.create_topic(
        author=municipal_member,
        category=category,
        title="Arkivavslutning",
        body="x",
        sectors=[archive],
    )
    for url in (
        "/",
        category.get_absolute_url(),
        municipal_member.get_absolute_url() + "?vis=trader",
    ):
        page = client.get(url).text
        assert f'href="{archive.get_absolute_url()}">#{archive.name}</a>' in page, url
        assert f">#{other.name}</a>" not in page, url
    moderation_actions.edit_topic(topic=topic, by=moderator, title=topic.title, sectors=[other])
    page = client.get("/").text  # the row's cached tail is keyed by its sectors
    assert f'href="{other.get_absolute_url()}">#{other.name}</a>' in page
    assert f">#{archive.name}</a>" not in page


def test_member_page_lists_their_topics(client, topic, municipal_member):
    page = client.get(municipal_member.get_absolute_url())
    assert page.status_code == 200
    assert topic.title in page.text
