"""The card beside an author's name: a small fragment of what the viewer may see, private
to a member; the name stays a link to the profile without JavaScript."""

from __future__ import annotations

import pytest

from tests import factories
from topics import actions, answers

pytestmark = pytest.mark.django_db


def card_url(member) -> str:
    return f"/medlem/{member.pk}/kort/"


@pytest.fixture
def answered(municipal_member, vendor_member, category, closed_topic):
    """Kari asked in public and Ola's answer was accepted; Kari also wrote in a closed
    category (closed_topic)."""
    question = factories.topic(author=municipal_member, category=category, title="Spørsmål")
    answer = actions.reply(author=vendor_member, topic=question, body="Svar.")
    answers.accept_answer(post=answer, by=municipal_member)
    return question


def test_the_byline_links_to_the_profile_and_names_the_card(client, municipal_member, topic):
    text = client.get(topic.get_absolute_url()).text
    assert (
        f'<a class="post-author__name" href="/medlem/{municipal_member.pk}/" '
        f'data-card="/medlem/{municipal_member.pk}/kort/">Kari Nordmann</a>'
    ) in text
    assert "js/author-card.js" in text


def test_the_card_is_a_small_fragment_with_organisation_role_counts_and_link(
    client, answered, vendor_member
):
    response = client.get(card_url(vendor_member))
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and "<body" not in text
    assert 'aria-label="Om Ola Hansen"' in text
    assert "Acos (Leverandør)" in text
    assert "Leverandør" in text  # the badge
    assert "1 innlegg · 1 akseptert svar" in text
    assert f'href="/medlem/{vendor_member.pk}/"' in text


def test_the_counts_are_of_what_the_viewer_may_read(client, answered, municipal_member):
    assert "1 innlegg · 0 aksepterte svar" in client.get(card_url(municipal_member)).text
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    assert "2 innlegg · 0 aksepterte svar" in client.get(card_url(municipal_member)).text


def test_a_members_card_is_private_and_a_visitors_may_be_shared(client, answered, vendor_member):
    signed_out = client.get(card_url(vendor_member))
    assert "private" not in signed_out.get("Cache-Control", "")
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    signed_in = client.get(card_url(vendor_member))
    assert "private" in signed_in["Cache-Control"]


def test_no_card_for_a_member_without_a_public_page(client, unverified_member):
    assert client.get(card_url(unverified_member)).status_code == 404
    assert client.get("/medlem/999999/kort/").status_code == 404
    assert client.post(card_url(unverified_member)).status_code == 405


def test_card_query_budget(client, answered, vendor_member, django_assert_max_num_queries):
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    client.get(card_url(vendor_member))
    with django_assert_max_num_queries(8):
        client.get(card_url(vendor_member))
