"""Pages run a fixed number of SQL queries, however much data there is."""

from __future__ import annotations

import pytest

from directory.models import Sector
from tests.conftest import page_queries
from topics import actions

pytestmark = pytest.mark.django_db


def build_forum(*, topics: int, replies: int, category, members) -> None:
    sectors = list(Sector.objects.all()[:3])
    for i in range(topics):
        author = members[i % len(members)]
        topic = actions.create_topic(
            author=author,
            category=category,
            title=f"Tråd nummer {i}",
            body="Innhold",
            sectors=sectors[: i % 4],
        )
        for j in range(replies):
            actions.reply(author=members[(i + j) % len(members)], topic=topic, body=f"Svar {j}")


def count_queries(client, url: str) -> int:
    return len(page_queries(client, url))


@pytest.mark.parametrize("signed_in", [False, True])
def test_front_category_and_topic_pages_do_not_grow_with_data(
    client, category, members, signed_in, django_assert_num_queries
):
    if signed_in:
        client.force_login(members[0])
    build_forum(topics=3, replies=2, category=category, members=members)
    small_topic = category.topics.order_by("pk").first()
    urls = ["/", category.get_absolute_url(), "/sektor/sak-arkiv/"]
    small = [count_queries(client, url) for url in [*urls, small_topic.get_absolute_url()]]

    build_forum(topics=30, replies=20, category=category, members=members)
    big_topic = category.topics.order_by("-pk").first()
    large = [count_queries(client, url) for url in [*urls, big_topic.get_absolute_url()]]
    large_last_page = count_queries(client, big_topic.get_absolute_url() + "?side=2")

    assert small == large, (urls, small, large)
    # The first visit of a topic inserts the read marker; later visits only move it.
    assert large_last_page <= large[-1]


def test_front_page_query_budget(client, category, members, django_assert_num_queries):
    build_forum(topics=5, replies=1, category=category, members=members)
    # topics + count, sector tags, categories in the sidebar, the curated ("Anbefalt") section
    with django_assert_num_queries(5):
        client.get("/")


def test_topic_page_query_budget(client, category, members, django_assert_num_queries):
    build_forum(topics=1, replies=10, category=category, members=members)
    topic = category.topics.get()
    # topic (with whether it is public or has notices), posts (with whether each author is a
    # moderator), attachments, sectors, linked systems, and the topic's action items (drawn by
    # followup's template tag since followup became an app: topics no longer knows of them)
    with django_assert_num_queries(6):
        client.get(topic.get_absolute_url())


def test_a_members_own_pages_query_budget_does_not_grow(client, category, members):
    """Bookmarks, a bookmark, my drafts and the notification settings (with what is muted):
    the same few queries for two of each as for twenty."""
    from topics import bookmarks, drafts, muting
    from topics.models import Bookmark, Topic

    member = members[0]
    client.force_login(member)
    build_forum(topics=2, replies=1, category=category, members=members)

    def keep() -> None:  # everything the member can see (a newcomer's topic awaits approval)
        for topic in Topic.objects.visible_to(member).filter(bookmarks__isnull=True):
            bookmarks.bookmark(member=member, topic=topic)
            bookmarks.bookmark(member=member, post=topic.posts.get(position=2))
            drafts.save_draft(member=member, place=f"reply:{topic.pk}", body="Utkast")
            muting.mute(member=member, topic=topic)
        drafts.save_draft(member=member, place="topic:new", body="Ny")

    keep()
    first = Bookmark.objects.filter(member=member, topic__isnull=False).first()
    # session, member, the header's counts (unread notifications and conversations in one
    # query), then: bookmarks and their count | the bookmark | drafts, their count and the
    # topics they answer | the preference, mutes, watches, watched topics
    budgets = {"/bokmerker/": 5, f"/bokmerker/{first.pk}/": 4, "/utkast/": 6}
    budgets["/varsler/innstillinger/"] = 7
    small = {url: count_queries(client, url) for url in budgets}
    assert small == budgets

    build_forum(topics=10, replies=1, category=category, members=members)
    keep()
    assert Bookmark.objects.filter(member=member).count() >= 20
    assert {url: count_queries(client, url) for url in budgets} == budgets


def test_a_signed_in_page_counts_unread_conversations_once_then_from_the_cache(
    client, category, members
):
    """The header's «Samtaler, 1 ulest»: one query with nothing cached, none after."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations import actions as conversation_actions

    build_forum(topics=1, replies=2, category=category, members=members)
    topic = category.topics.get()
    reader = members[1]
    conversation_actions.start_conversation(
        by=members[0],
        recipients=conversation_actions.Recipients(members=[reader], organisations=[]),
        subject="Et spørsmål",
        body="Hei",
    )
    client.force_login(reader)
    cold = page_queries(client, topic.get_absolute_url())
    assert sum("conversations_" in sql for sql in cold) == 1
    with CaptureQueriesContext(connection) as warm:
        assert (
            'aria-label="Samtaler, 1 ulest">Samtaler'
            in client.get(topic.get_absolute_url()).content.decode()
        )
    assert not [q["sql"] for q in warm.captured_queries if "conversations_" in q["sql"]]
    assert len(warm.captured_queries) < len(cold)
