"""Many members writing at once, on PostgreSQL: nothing is lost, the counters are exact."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection

from tests import factories
from topics import actions
from topics.models import Post, Topic

WRITERS = 50

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has one writer at a time",
    ),
]


def run_at_once(jobs: list) -> list[BaseException]:
    """Start every job in its own thread at the same moment; return what they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_fifty_members_replying_at_once_are_all_stored_with_exact_counters(
    municipal_member, category
):
    # Verified members of Drammen (the kommune fixture): their replies need no approval.
    topic = factories.topic(author=municipal_member, category=category)
    members = [factories.member(email=f"skriver{n}@drammen.kommune.no") for n in range(WRITERS)]
    before = Topic.objects.get(pk=topic.pk).last_activity_at

    started = time.monotonic()
    errors = run_at_once(
        [
            lambda m=m: actions.reply(author=m, topic=topic, body=f"Svar fra {m.email}")
            for m in members
        ]
    )
    elapsed = time.monotonic() - started

    assert errors == []
    topic.refresh_from_db()
    posts = list(Post.objects.filter(topic=topic).order_by("position"))
    assert len(posts) == WRITERS + 1
    assert [p.position for p in posts] == list(range(1, WRITERS + 2))
    assert {p.author_id for p in posts[1:]} == {m.pk for m in members}
    assert topic.reply_count == WRITERS
    assert topic.last_activity_at == max(p.created_at for p in posts) > before
    assert topic.last_poster_id == posts[-1].author_id
    print(f"\n{WRITERS} concurrent writers: {len(posts) - 1} replies stored in {elapsed:.2f} s")


def test_the_same_form_sent_many_times_at_once_creates_one_post(
    municipal_member, vendor_member, category
):
    topic = factories.topic(author=municipal_member, category=category)
    token = uuid.uuid4()
    errors = run_at_once(
        [
            lambda: actions.reply(author=vendor_member, topic=topic, body="Hei", client_token=token)
            for _ in range(10)
        ]
    )
    assert errors == []
    assert Post.objects.filter(topic=topic, author=vendor_member).count() == 1
    assert Topic.objects.get(pk=topic.pk).reply_count == 1


def test_the_same_new_topic_sent_many_times_at_once_creates_one_topic(municipal_member, category):
    token = uuid.uuid4()
    errors = run_at_once(
        [
            lambda: actions.create_topic(
                author=municipal_member,
                category=category,
                title="Samme skjema",
                body="Hei",
                client_token=token,
            )
            for _ in range(10)
        ]
    )
    assert errors == []
    assert Topic.objects.filter(title="Samme skjema").count() == 1


def test_ten_saves_of_the_same_version_at_once_store_one_and_refuse_the_rest(
    municipal_member, category
):
    topic = factories.topic(author=municipal_member, category=category)
    post = topic.posts.get(position=1)
    errors = run_at_once(
        [
            lambda n=n: actions.edit_post(
                post=post, editor=municipal_member, body=f"Fane {n}", version=post.version
            )
            for n in range(10)
        ]
    )
    assert len(errors) == 9 and all(isinstance(e, actions.EditConflict) for e in errors)
    saved = Post.objects.get(pk=post.pk)
    assert saved.version == post.version + 1
    assert saved.body.startswith("Fane ")
    assert saved.revisions.count() == 1
