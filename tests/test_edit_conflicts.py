"""Two edits of the same post (two tabs, or the author and a moderator): the later save of
an out-of-date form is refused with 409, keeps what was typed and shows the newer text."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from tests import factories
from topics import actions
from topics.models import Post, PostRevision, Topic
from topics.moderation import actions as mod

pytestmark = pytest.mark.django_db

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def open_form(client: Client, url: str) -> dict[str, str]:
    """The hidden fields of the form on the page, as a browser would send them back."""
    response = client.get(url)
    assert response.status_code == 200
    return {
        name: html.unescape(value)
        for name, value in _HIDDEN.findall(response.text)
        if name != "csrfmiddlewaretoken"
    }


def edit_url(post: Post) -> str:
    return f"/innlegg/{post.pk}/rediger/"


def shown_above_the_form(page: str, post: Post) -> str:
    """The part of the page between its heading and the edit form."""
    main = page.split("<main", 1)[1]
    return main.split(f'action="{edit_url(post)}"', 1)[0]


def test_two_tabs_of_one_member_the_stale_save_is_refused_and_keeps_the_typed_text(
    topic, municipal_member
):
    post = factories.first_post(topic)
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(municipal_member)
    tab_b.force_login(municipal_member)
    form_a = open_form(tab_a, edit_url(post))
    form_b = open_form(tab_b, edit_url(post))

    saved = tab_a.post(edit_url(post), {**form_a, "body": "Tekst fra fane A", "title": topic.title})
    assert saved.status_code == 302
    stale = tab_b.post(
        edit_url(post), {**form_b, "body": "Tekst fra fane B, skrevet lenge", "title": topic.title}
    )

    assert stale.status_code == 409
    assert Post.objects.get(pk=post.pk).body == "Tekst fra fane A"
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", stale.text, re.S).group(1)
    assert "Tekst fra fane B, skrevet lenge" in textarea
    assert "Tekst fra fane A" in shown_above_the_form(stale.text, post)
    assert "nyere versjon" in stale.text
    assert PostRevision.objects.filter(post=post).count() == 1


def test_author_and_moderator_the_later_stale_save_does_not_overwrite(
    topic, municipal_member, moderator
):
    post = actions.reply(author=municipal_member, topic=topic, body="Første utkast")
    author, mod_client = Client(), Client()
    author.force_login(municipal_member)
    mod_client.force_login(moderator)
    author_form = open_form(author, edit_url(post))
    mod_form = open_form(mod_client, edit_url(post))

    assert (
        mod_client.post(edit_url(post), {**mod_form, "body": "Ryddet av moderator"}).status_code
        == 302
    )
    stale = author.post(edit_url(post), {**author_form, "body": "Forfatterens lange tillegg"})

    assert stale.status_code == 409
    assert Post.objects.get(pk=post.pk).body == "Ryddet av moderator"
    assert "Forfatterens lange tillegg" in stale.text
    assert "Ryddet av moderator" in shown_above_the_form(stale.text, post)


def test_after_a_conflict_the_shown_form_saves(topic, municipal_member, moderator):
    post = actions.reply(author=municipal_member, topic=topic, body="Første utkast")
    author = Client()
    author.force_login(municipal_member)
    old_form = open_form(author, edit_url(post))
    actions.edit_post(post=post, editor=moderator, body="Ryddet av moderator")

    stale = author.post(edit_url(post), {**old_form, "body": "Mitt tillegg"})
    assert stale.status_code == 409
    again = {
        name: html.unescape(value)
        for name, value in _HIDDEN.findall(stale.text)
        if name != "csrfmiddlewaretoken"
    }
    resent = author.post(edit_url(post), {**again, "body": "Ryddet av moderator. Mitt tillegg"})

    assert resent.status_code == 302
    assert Post.objects.get(pk=post.pk).body == "Ryddet av moderator. Mitt tillegg"


def test_a_stale_title_in_the_first_post_form_is_refused(topic, municipal_member, moderator):
    post = factories.first_post(topic)
    author = Client()
    author.force_login(municipal_member)
    form = open_form(author, edit_url(post))
    mod.edit_topic(topic=topic, by=moderator, title="Tittel satt av moderator", sectors=[])

    stale = author.post(
        edit_url(post), {**form, "body": post.body, "title": "Forfatterens nye tittel"}
    )

    assert stale.status_code == 409
    assert Topic.objects.get(pk=topic.pk).title == "Tittel satt av moderator"
    assert "Forfatterens nye tittel" in stale.text
    assert "Tittel satt av moderator" in shown_above_the_form(stale.text, post)


def test_a_stale_title_in_the_moderators_tool_is_refused(topic, municipal_member, moderator):
    mod_client = Client()
    mod_client.force_login(moderator)
    tools = mod_client.get(f"/t/{topic.pk}/moderering/").text
    form = {
        name: html.unescape(value)
        for name, value in _HIDDEN.findall(tools)
        if name.startswith("rediger-")
    }
    post = factories.first_post(topic)
    actions.edit_post(
        post=post, editor=municipal_member, body=post.body, title="Forfatterens tittel"
    )

    stale = mod_client.post(
        f"/t/{topic.pk}/moderering/rediger/", {**form, "rediger-title": "Moderatorens tittel"}
    )

    assert stale.status_code == 409
    assert Topic.objects.get(pk=topic.pk).title == "Forfatterens tittel"
    assert "Moderatorens tittel" in stale.text
    assert "Forfatterens tittel" in stale.text


def test_edit_action_refuses_an_old_version_and_writes_nothing(topic, municipal_member):
    post = factories.first_post(topic)
    version = Post.objects.get(pk=post.pk).version
    actions.edit_post(post=post, editor=municipal_member, body="Ny", version=version)
    with pytest.raises(actions.EditConflict) as conflict:
        actions.edit_post(post=post, editor=municipal_member, body="Gammel", version=version)
    assert conflict.value.post.body == "Ny"
    saved = Post.objects.get(pk=post.pk)
    assert (saved.body, saved.version) == ("Ny", version + 1)
    assert PostRevision.objects.filter(post=post).count() == 1
