"""A topic page's shared pieces (bylines, post headings): keyed by version, one get_many.

topics/fragments.py keeps what reads the same for every reader under keys made of what it
shows; these tests count what the fragment cache is asked and told while pages are read and
posts are written, and check that what a reader sees is right after changes made with or
without the actions."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches

from topics import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_calls():
    """Every get_many/set_many on the fragment cache, by name, with the keys."""
    cache = caches["template_fragments"]
    cache.clear()
    calls: list[tuple[str, list[str]]] = []
    real_get_many, real_set_many = cache.get_many, cache.set_many

    def get_many(keys, *args, **kwargs):
        calls.append(("get_many", list(keys)))
        return real_get_many(keys, *args, **kwargs)

    def set_many(mapping, *args, **kwargs):
        calls.append(("set_many", list(mapping)))
        return real_set_many(mapping, *args, **kwargs)

    with (
        mock.patch.object(cache, "get_many", get_many),
        mock.patch.object(cache, "set_many", set_many),
    ):
        yield calls


def _post_calls(calls):
    return [
        (name, [k for k in keys if k.startswith(("byline:", "post-meta:"))])
        for name, keys in calls
        if any(k.startswith(("byline:", "post-meta:")) for k in keys)
    ]


def test_a_page_asks_for_its_pieces_once_and_a_second_reader_renders_none(
    client, topic, municipal_member, vendor_member, fragment_calls
):
    for n in range(3):
        actions.reply(author=vendor_member, topic=topic, body=f"Svar {n}")
    client.force_login(municipal_member)
    assert client.get(topic.get_absolute_url()).status_code == 200
    first = _post_calls(fragment_calls)
    # One get_many for 4 posts: 2 bylines (two authors) + 4 headings; all missing, one set_many.
    assert [name for name, _ in first] == ["get_many", "set_many"]
    assert len(first[0][1]) == 6 and sorted(first[1][1]) == sorted(first[0][1])
    fragment_calls.clear()
    client.force_login(vendor_member)  # another reader: the same pieces, all found
    page = client.get(topic.get_absolute_url()).content.decode()
    assert [name for name, _ in _post_calls(fragment_calls)] == ["get_many"]
    assert page.count("Kari Nordmann") >= 1 and page.count("Ola Hansen") >= 3


def test_an_edit_changes_the_key_of_that_post_only(
    client, topic, municipal_member, vendor_member, fragment_calls
):
    reply = actions.reply(author=vendor_member, topic=topic, body="Første versjon")
    other = actions.reply(author=vendor_member, topic=topic, body="Et annet svar")
    client.force_login(municipal_member)
    client.get(topic.get_absolute_url())
    fragment_calls.clear()
    actions.edit_post(post=reply, editor=vendor_member, body="Andre versjon")
    page = client.get(topic.get_absolute_url()).content.decode()
    stored = [keys for name, keys in _post_calls(fragment_calls) if name == "set_many"]
    assert len(stored) == 1 and len(stored[0]) == 1
    assert stored[0][0].startswith(f"post-meta:{reply.pk}:")
    assert f"post-meta:{other.pk}:" not in stored[0][0]
    assert "Andre versjon" in page and "endret av Ola Hansen" in page


def test_a_byline_change_behind_the_actions_back_shows_at_once(
    client, topic, municipal_member, vendor_member
):
    """The author's display version is a digest of what the byline shows: the moderator
    badge (a group membership, no action called) and the name change the key."""
    caches["template_fragments"].clear()
    client.force_login(vendor_member)
    url = topic.get_absolute_url()
    assert "Kartverket moderator" not in client.get(url).content.decode()
    municipal_member.groups.add(Group.objects.get_or_create(name=settings.MODERATOR_GROUP)[0])
    type(municipal_member).objects.filter(pk=municipal_member.pk).update(display_name="Kari Ny")
    page = client.get(url).content.decode()
    assert "Kartverket moderator" in page and "Kari Ny" in page and "Kari Nordmann" not in page


def test_a_reply_elsewhere_leaves_this_pages_pieces_found(
    client, topic, category, municipal_member, vendor_member, fragment_calls
):
    from tests import factories

    elsewhere = factories.topic(author=vendor_member, category=category, title="Annen tråd")
    client.force_login(municipal_member)
    client.get(topic.get_absolute_url())
    actions.reply(author=vendor_member, topic=elsewhere, body="Et svar der borte")
    fragment_calls.clear()
    client.get(topic.get_absolute_url())
    assert [name for name, _ in _post_calls(fragment_calls)] == ["get_many"]
