"""Watches, notifications, e-mails, digests and unsubscribe links."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.test.utils import CaptureQueriesContext

from directory.models import Sector
from notifications import actions as notification_actions
from notifications.models import Delivery, Notification, NotificationPreference, Watch
from notifications.tokens import make_token, read_token
from tests import factories
from tests.conftest import login, page_queries
from topics import actions, answers
from topics.models import CategoryQuerySet, Topic
from topics.moderation import actions as moderation_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_must_succeed():
    """The immediate backend only logs a failing task; make a failure fail the test."""
    failures = []

    def finished(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(task_result.errors)

    task_finished.connect(finished)
    yield
    task_finished.disconnect(finished)
    assert not failures


@pytest.fixture
def helper(kommune):
    return factories.member(email="per@drammen.kommune.no", display_name="Per Hjelper")


@pytest.fixture
def closed(monkeypatch, category):
    """A category only municipal members may read (stands in for the real visibility levels)."""
    closed = factories.category(name="Bare kommuner", slug="bare-kommuner")
    original = CategoryQuerySet.visible_to

    def visible_to(self, user):
        qs = original(self, user)
        org = getattr(user, "organisation", None) if user.is_authenticated else None
        if org is None or not org.is_municipal:
            qs = qs.exclude(pk=closed.pk)
        return qs

    monkeypatch.setattr(CategoryQuerySet, "visible_to", visible_to)
    return closed


def _reply(author, topic, body, callbacks):
    with callbacks(execute=True):
        return actions.reply(author=author, topic=topic, body=body)


# ---- Watching and in-forum notifications ----------------------------------------------


def test_asker_is_told_about_a_reply(
    client, topic, helper, municipal_member, django_capture_on_commit_callbacks
):
    assert Watch.objects.filter(user=municipal_member, topic=topic).exists()  # auto-watch
    post = _reply(helper, topic, "Her er svaret", django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=municipal_member)
    assert notification.kind == Notification.Kind.REPLY
    assert notification.post == post
    assert Watch.objects.filter(user=helper, topic=topic).exists()  # replying watches too
    assert not Notification.objects.filter(recipient=helper).exists()  # not about yourself
    login(client, municipal_member)
    page = client.get("/varsler/").text
    assert "Per Hjelper svarte i «Noark 5-migrering»" in page
    assert 'data-count="1"' in client.get("/").text
    response = client.get(f"/varsler/{notification.pk}/")
    assert response.url == post.get_absolute_url()
    assert Notification.objects.get(pk=notification.pk).read_at is None  # a GET writes nothing
    page = client.get(response.url, follow=True).text
    assert f'name="position" value="{post.position}"' in page  # the page posts its read mark
    client.post(f"/t/{topic.pk}/lest/", {"position": post.position}, HTTP_X_REQUESTED_WITH="fetch")
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert 'data-count="' not in client.get("/").text


def test_immediate_email_links_the_post_and_an_unsubscribe_page(
    client, topic, helper, municipal_member, django_capture_on_commit_callbacks
):
    _reply(helper, topic, "Her er svaret", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [municipal_member.email]
    assert "Noark 5-migrering" in message.subject
    assert "/innlegg/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    path = unsubscribe.split("8000", 1)[1]
    assert client.get(path).status_code == 200  # no sign-in needed
    client.post(path, {"hva": "trad"})
    assert not Watch.objects.filter(user=municipal_member, topic=topic).exists()
    client.post(path, {"hva": "alle"})
    assert NotificationPreference.objects.get(user=municipal_member).delivery == Delivery.FORUM


def test_one_click_unsubscribe_post_without_cookie(client, municipal_member):
    token = make_token(user_id=municipal_member.pk)
    response = client.post(f"/varsler/avmeld/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=municipal_member).delivery == Delivery.FORUM


def test_forged_or_expired_unsubscribe_token_is_a_clear_error(
    client, municipal_member, monkeypatch
):
    forged = make_token(user_id=municipal_member.pk)[:-3] + "abc"
    for token in (forged, "tull", signing.dumps({"u": municipal_member.pk}, salt="annet")):
        response = client.post(f"/varsler/avmeld/{token}/")
        assert response.status_code == 400
        assert "ugyldig eller for gammel" in response.text
    old = make_token(user_id=municipal_member.pk)
    monkeypatch.setattr("notifications.tokens.MAX_AGE", -1)
    assert read_token(old) is None
    assert not NotificationPreference.objects.filter(user=municipal_member).exists()


def test_forum_only_gets_no_email_and_none_gets_nothing(
    topic, helper, municipal_member, django_capture_on_commit_callbacks
):
    notification_actions.set_delivery(user=municipal_member, delivery=Delivery.FORUM)
    _reply(helper, topic, "Svar 1", django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=municipal_member).count() == 1
    assert mail.outbox == []
    notification_actions.set_delivery(user=municipal_member, delivery=Delivery.NONE)
    _reply(helper, topic, "Svar 2", django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=municipal_member).count() == 1


def test_category_and_sector_watchers_hear_of_new_topics(
    helper, vendor_member, municipal_member, category, django_capture_on_commit_callbacks
):
    sector = Sector.objects.get(slug="sak-arkiv")
    notification_actions.watch(user=helper, category=category)
    notification_actions.watch(user=vendor_member, sector=sector)
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_topic(
            author=municipal_member, category=category, title="Ny tråd", body="x", sectors=[sector]
        )
    kinds = set(Notification.objects.values_list("recipient__email", "kind"))
    assert kinds == {(helper.email, "ny_trad"), (vendor_member.email, "ny_trad")}


def test_watch_and_unwatch_through_the_page(client, topic, vendor_member, category):
    login(client, vendor_member)
    response = client.post("/varsler/folg/", {"type": "trad", "id": topic.pk, "action": "folg"})
    assert response.status_code == 302
    assert Watch.objects.filter(user=vendor_member, topic=topic).exists()
    assert "Slutt å følge" in client.get(topic.get_absolute_url()).text
    client.post("/varsler/folg/", {"type": "trad", "id": topic.pk, "action": "slutt"})
    assert not Watch.objects.filter(user=vendor_member, topic=topic).exists()
    client.post(
        "/varsler/folg/", {"type": "kategori", "id": category.pk, "next": "https://evil.example/"}
    )
    assert Watch.objects.filter(user=vendor_member, category=category).exists()
    assert client.post("/varsler/folg/", {"type": "tull", "id": 1}).status_code == 404
    assert client.post("/varsler/folg/", {"type": "trad", "id": "x"}).status_code == 404


def test_watching_a_topic_you_cannot_see_is_a_404(client, closed, municipal_member, vendor_member):
    secret = factories.topic(author=municipal_member, category=closed, title="Hemmelig vurdering")
    login(client, vendor_member)
    response = client.post("/varsler/folg/", {"type": "trad", "id": secret.pk})
    assert response.status_code == 404
    response = client.post("/varsler/folg/", {"type": "kategori", "id": closed.pk})
    assert response.status_code == 404
    assert not Watch.objects.filter(user=vendor_member).exists()


def test_preferences_page_saves_the_choice(client, municipal_member, topic):
    login(client, municipal_member)
    page = client.get("/varsler/innstillinger/").text
    assert "Noark 5-migrering" in page  # the topic they started is watched
    assert client.post("/varsler/innstillinger/", {"delivery": "tull"}).status_code == 400
    client.post("/varsler/innstillinger/", {"delivery": "ukentlig"})
    assert NotificationPreference.objects.get(user=municipal_member).delivery == "ukentlig"


# ---- Never reveal a topic ------------------------------------------------------------


def test_mention_of_someone_who_cannot_see_the_topic_tells_them_nothing(
    closed, municipal_member, vendor_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_topic(
            author=municipal_member,
            category=closed,
            title="Hemmelig vurdering av Acos",
            body="Hva mener @Ola Hansen om dette?",
        )
    assert not Notification.objects.filter(recipient=vendor_member).exists()
    assert all("Hemmelig" not in m.subject + m.body for m in mail.outbox)


def test_mention_of_someone_who_can_see_notifies_them(
    topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    _reply(helper, topic, "Kanskje @Ola Hansen vet?", django_capture_on_commit_callbacks)
    assert Notification.objects.get(recipient=vendor_member).kind == Notification.Kind.MENTION
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(
            post=topic.posts.get(position=2),
            editor=helper,
            body="Kanskje @Ola Hansen vet? Og @Kari Nordmann",
        )
    # Editing mentions only the newly named; Kari already had a reply notification for the post.
    assert Notification.objects.filter(recipient=vendor_member).count() == 1


def test_topic_moved_out_of_sight_before_the_task_runs_notifies_no_one(
    closed, topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    notification_actions.watch(user=vendor_member, topic=topic)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.reply(author=helper, topic=topic, body="Svar")
    Topic.objects.filter(pk=topic.pk).update(category=closed)
    for callback in callbacks:
        callback()
    assert not Notification.objects.filter(recipient=vendor_member).exists()
    assert all(vendor_member.email not in m.to for m in mail.outbox)


def test_email_is_not_sent_when_the_topic_became_hidden_after_the_notification(
    closed, topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    from notifications import tasks

    notification_actions.set_delivery(user=vendor_member, delivery=Delivery.FORUM)
    notification_actions.watch(user=vendor_member, topic=topic)
    _reply(helper, topic, "Svar", django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=vendor_member)
    notification_actions.set_delivery(user=vendor_member, delivery=Delivery.EMAIL)
    Topic.objects.filter(pk=topic.pk).update(category=closed)
    assert tasks.send_notification_email.call(notification.pk) is False
    assert all(vendor_member.email not in m.to for m in mail.outbox)
    # The list and the header count hide it too.
    assert not Notification.objects.for_recipient(vendor_member).exists()


def test_notification_list_hides_topics_that_are_no_longer_visible(
    client, closed, topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    notification_actions.watch(user=vendor_member, topic=topic)
    _reply(helper, topic, "Svar", django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=vendor_member)
    Topic.objects.filter(pk=topic.pk).update(category=closed)
    login(client, vendor_member)
    assert "Noark 5-migrering" not in client.get("/varsler/").text
    assert client.get(f"/varsler/{notification.pk}/").status_code == 404


def test_someone_elses_notification_is_a_404(
    client, topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    _reply(helper, topic, "Svar", django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    login(client, vendor_member)
    assert client.get(f"/varsler/{notification.pk}/").status_code == 404


def test_answer_author_is_told_their_reply_was_marked(
    topic, helper, municipal_member, django_capture_on_commit_callbacks
):
    post = _reply(helper, topic, "Svar", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answers.accept_answer(post=post, by=municipal_member)
    notification = Notification.objects.get(recipient=helper)
    assert notification.kind == Notification.Kind.ANSWER
    assert notification.actor == municipal_member


# ---- Digests ------------------------------------------------------------------------------


def test_daily_digest_collects_unread_notifications(
    topic, helper, municipal_member, django_capture_on_commit_callbacks
):
    notification_actions.set_delivery(user=municipal_member, delivery=Delivery.DAILY)
    _reply(helper, topic, "Svar 1", django_capture_on_commit_callbacks)
    _reply(helper, topic, "Svar 2", django_capture_on_commit_callbacks)
    assert mail.outbox == []
    call_command("send_digests", "--period", "daily")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [municipal_member.email]
    assert digest.body.count("Per Hjelper svarte i «Noark 5-migrering»") == 2
    assert "/varsler/avmeld/" in digest.body
    call_command("send_digests", "--period", "daily")
    assert len(mail.outbox) == 1  # nothing new, nothing sent
    call_command("send_digests", "--period", "weekly")
    assert len(mail.outbox) == 1


def test_digest_leaves_out_topics_no_longer_visible(
    closed, topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    notification_actions.set_delivery(user=vendor_member, delivery=Delivery.WEEKLY)
    notification_actions.watch(user=vendor_member, topic=topic)
    _reply(helper, topic, "Svar", django_capture_on_commit_callbacks)
    Topic.objects.filter(pk=topic.pk).update(category=closed)
    call_command("send_digests", "--period", "weekly")
    assert all(vendor_member.email not in m.to for m in mail.outbox)


# ---- Query counts ---------------------------------------------------------------------


def test_notification_list_query_count_is_constant(client, municipal_member, helper, category):
    def fill(n: int) -> None:
        t = factories.topic(author=municipal_member, category=category)
        for i in range(n):
            post = actions.reply(author=helper, topic=t, body=f"Svar {i}")
            Notification.objects.create(
                recipient=municipal_member, kind="svar", topic=t, post=post, actor=helper
            )

    login(client, municipal_member)
    fill(3)
    few = len(page_queries(client, "/varsler/"))  # the header's count not cached: the most
    fill(25)
    many = len(page_queries(client, "/varsler/"))
    print(f"notification list queries: {few}, {many}")
    assert many == few


def _count_queries(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).text
    counting = [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    return page, len(counting)


def test_header_count_is_one_query_then_cached_until_it_changes(
    client, topic, helper, municipal_member, moderator, django_capture_on_commit_callbacks
):
    login(client, municipal_member)
    page, queries = _count_queries(client, "/ubesvarte/")
    assert (queries, 'data-count="' in page) == (1, False)
    page, queries = _count_queries(client, "/")
    assert (queries, 'data-count="' in page) == (0, False)  # from the cache
    # A new notification (written by the task) shows on the next page at once.
    _reply(helper, topic, "Her er svaret", django_capture_on_commit_callbacks)
    page, queries = _count_queries(client, "/")
    assert (queries, 'data-count="1"' in page) == (1, True)
    # Reading the topic it is about counts it as read at once.
    notification = Notification.objects.get(recipient=municipal_member)
    client.post(f"/t/{topic.pk}/lest/", {"position": notification.post.position})
    page, _queries = _count_queries(client, "/")
    assert 'data-count="' not in page
    # A change to what the member may read (a moderator deletes the topic) also counts.
    second = _reply(helper, topic, "Et svar til", django_capture_on_commit_callbacks)
    assert 'data-count="1"' in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.delete_topic(topic=topic, by=moderator, reason="Feil sted")
    assert Notification.objects.filter(post=second, read_at__isnull=True).exists()
    assert 'data-count="' not in client.get("/").text


def test_a_held_reply_notifies_only_once_approved(
    topic, municipal_member, moderator, settings, django_capture_on_commit_callbacks
):
    from topics.moderation import actions as moderation_actions

    settings.FORUM_APPROVE_FIRST_POSTS_OF_UNVERIFIED = True
    newcomer = factories.member(email="ny@gmail.com", display_name="Ny Person")
    with django_capture_on_commit_callbacks(execute=True):
        held = actions.reply(author=newcomer, topic=topic, body="Mitt første svar")
    assert not held.is_approved
    assert not Notification.objects.filter(recipient=municipal_member).exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.approve_post(post=held, by=moderator)
    assert Notification.objects.get(recipient=municipal_member).post == held


def test_watching_a_system_tells_of_new_topics_about_it(
    client, municipal_member, vendor_member, category, django_capture_on_commit_callbacks
):
    from directory.models import System

    system = System.objects.create(
        name="Elements", slug="elements", vendor=vendor_member.organisation
    )
    notification_actions.watch(user=vendor_member, system=system)
    with django_capture_on_commit_callbacks(execute=True):
        topic = actions.create_topic(
            author=municipal_member,
            category=category,
            title="Erfaringer med Elements",
            body="Hvordan gikk migreringen?",
            kind=Topic.Kind.ERFARING,
            verdict=Topic.Verdict.BLANDET,
            systems=[system],
        )
    notification = Notification.objects.get(recipient=vendor_member)
    assert notification.topic == topic
    page = client.get(system.get_absolute_url()).text
    assert "Erfaringer med systemet" in page
    assert "Erfaringer med Elements" in page
    assert "Blandet" in page


def test_cannot_watch_an_unapproved_system_of_another_vendor(municipal_member, vendor_member):
    from django.core.exceptions import PermissionDenied

    from directory.models import System

    proposal = System.objects.create(
        name="Hemmelig", slug="hemmelig", vendor=vendor_member.organisation, is_approved=False
    )
    with pytest.raises(PermissionDenied):
        notification_actions.watch(user=municipal_member, system=proposal)
    assert not Watch.objects.exists()
