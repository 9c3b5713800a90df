"""A member's page: their posts, accepted answers, «nyttig» received and organisation, of
what the viewer may read only; paged; a fixed number of queries."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.conftest import CLOSED_SECRET
from topics import actions, answers, usefulness
from topics.models import Category

pytestmark = pytest.mark.django_db


def stats(text: str) -> dict[str, str]:
    block = text.split('<dl class="profile-stats">')[1].split("</dl>")[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block))


@pytest.fixture
def busy_member(municipal_member, vendor_member, moderator, category, closed_topic):
    """Kari: a public question with an accepted, useful answer by Ola; in the closed
    category a reply of hers that another municipal member found useful, and a hidden one."""
    public = factories.topic(
        author=vendor_member, category=category, title="Offentlig spørsmål", body="Hvem vet?"
    )
    answer = actions.reply(author=municipal_member, topic=public, body="Svaret er **Noark 5**.")
    answers.accept_answer(post=answer, by=vendor_member)
    usefulness.set_useful(post=answer, user=vendor_member, useful=True)
    colleague = factories.member(email="per@drammen.kommune.no")
    secret = actions.reply(author=colleague, topic=closed_topic, body="Enig.")
    mine = actions.reply(author=municipal_member, topic=closed_topic, body="Hemmelig svar.")
    usefulness.set_useful(post=mine, user=colleague, useful=True)
    usefulness.set_useful(post=mine, user=moderator, useful=True)
    hidden = actions.reply(author=municipal_member, topic=public, body="Skjult tekst.")
    actions.hide_post(post=hidden, by=moderator, reason="Feil")
    assert secret
    return municipal_member


def test_signed_out_visitors_see_only_public_posts_and_their_counts(client, busy_member):
    text = client.get(busy_member.get_absolute_url()).text
    assert stats(text) == {
        "Innlegg": "1",
        "Aksepterte svar": "1",
        "«Nyttig» mottatt": "1",
        "Tråder startet": "0",
    }
    assert "Svaret er Noark 5." in text and "**" not in text
    assert "Hemmelig svar" not in text and CLOSED_SECRET not in text
    assert "Ærlig om leverandøren" not in text and "Skjult tekst" not in text
    assert 'href="/org/drammen/"' in text


def test_a_vendor_sees_what_a_signed_out_visitor_sees(client, busy_member, vendor_member):
    client.force_login(vendor_member)
    text = client.get(busy_member.get_absolute_url()).text
    assert stats(text)["Innlegg"] == "1" and stats(text)["«Nyttig» mottatt"] == "1"
    assert "Hemmelig svar" not in text


def test_municipal_staff_see_the_closed_posts_too(client, busy_member):
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    text = client.get(busy_member.get_absolute_url()).text
    assert stats(text) == {
        "Innlegg": "3",
        "Aksepterte svar": "1",
        "«Nyttig» mottatt": "3",
        "Tråder startet": "1",
    }
    assert "Hemmelig svar" in text and "Skjult tekst" not in text
    assert (
        "Ærlig om leverandøren" in client.get(f"{busy_member.get_absolute_url()}?vis=trader").text
    )


def test_the_answers_list_holds_only_accepted_answers(client, busy_member):
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    text = client.get(f"{busy_member.get_absolute_url()}?vis=svar").text
    items = text.split('<ol class="member-posts"')[1].split("</ol>")[0]
    assert items.count('class="member-posts__item"') == 1
    assert "Svaret er Noark 5." in items and "Akseptert svar" in items
    assert 'aria-current="page">Aksepterte svar' in text


@pytest.mark.parametrize("shown", ["innlegg", "svar", "trader", "<script>", ""])
def test_every_list_answers(client, busy_member, shown):
    response = client.get(busy_member.get_absolute_url(), {"vis": shown, "side": "x"})
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main")[1].split("</main>")[0]


def test_the_posts_are_paged(client, municipal_member, category):
    t = factories.topic(author=municipal_member, category=category, title="Mange innlegg")
    for i in range(25):
        actions.reply(author=municipal_member, topic=t, body=f"Innlegg nummer {i}")
    url = municipal_member.get_absolute_url()
    first = client.get(url).text
    assert first.count('class="member-posts__item"') == 20
    assert "Innlegg nummer 24" in first and 'href="?vis=innlegg&amp;side=2"' in first
    second = client.get(url, {"side": 2}).text
    assert second.count('class="member-posts__item"') == 6
    assert "Innlegg nummer 0" in second


def test_a_member_without_a_public_page_is_not_found(client, unverified_member):
    assert client.get(unverified_member.get_absolute_url()).status_code == 404


def test_member_page_query_budget(
    client, municipal_member, vendor_member, category, django_assert_max_num_queries
):
    def build(n: int) -> None:
        for i in range(n):
            t = factories.topic(author=vendor_member, category=category, title=f"Tråd {i}")
            post = actions.reply(author=municipal_member, topic=t, body=f"Svar {i}")
            answers.accept_answer(post=post, by=vendor_member)
            usefulness.set_useful(post=post, user=vendor_member, useful=True)
            factories.topic(author=municipal_member, category=category, title=f"Egen {i}")

    build(2)
    client.force_login(factories.member(email="lise@drammen.kommune.no"))
    url = municipal_member.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    build(15)
    for shown in ("innlegg", "svar", "trader"):
        with django_assert_max_num_queries(len(few.captured_queries) + 1):
            assert client.get(url, {"vis": shown}).status_code == 200


def test_closed_category_names_do_not_leak_through_the_member_page(client, busy_member):
    closed = Category.objects.get(slug="kommuner")
    assert closed.name not in client.get(busy_member.get_absolute_url()).text
