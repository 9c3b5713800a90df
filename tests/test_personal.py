"""A member's own things: drafts on the server, bookmarks with reminders, and muting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Sector
from notifications import actions as notification_actions
from notifications import tasks as notification_tasks
from notifications.models import Notification, NotificationPreference
from tests import factories
from tests.conftest import login, page_queries
from topics import actions, bookmarks, drafts, muting
from topics.models import Bookmark, Category, Draft, Mute, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(kommune):
    return factories.member(email="per@drammen.kommune.no", display_name="Per Hjelper")


def _save(client, place: str, body: str, title: str = ""):
    return client.post("/utkast/lagre/", {"place": place, "body": body, "title": title})


# ---- Drafts --------------------------------------------------------------------------


def test_a_saved_reply_draft_comes_back_on_another_device_and_goes_when_sent(client, topic, helper):
    login(client, helper)
    response = _save(client, f"reply:{topic.pk}", "Vi brukte et halvt år på uttrekket")
    assert response.status_code == 200
    assert "Utkast lagret kl." in response.json()["message"]

    other_device = type(client)()
    login(other_device, helper)
    assert (
        "Vi brukte et halvt år på uttrekket"
        in other_device.get(f"/t/{topic.pk}/svar/").content.decode()
    )
    # The form under the topic has it too, and the topic page asks no more for it.
    assert (
        "Vi brukte et halvt år på uttrekket"
        in other_device.get(topic.get_absolute_url()).content.decode()
    )
    # Nobody else sees it.
    login(client, factories.member())
    assert "halvt år" not in client.get(f"/t/{topic.pk}/svar/").content.decode()

    login(other_device, helper)
    response = other_device.post(
        f"/t/{topic.pk}/svar/", {"body": "Vi brukte et halvt år på uttrekket, og det holdt."}
    )
    assert response.status_code == 302
    assert not Draft.objects.filter(member=helper).exists()


def test_saving_an_empty_text_deletes_the_draft(client, topic, helper):
    login(client, helper)
    _save(client, f"reply:{topic.pk}", "Noe")
    assert _save(client, f"reply:{topic.pk}", "  ").json() == {"saved": False}
    assert not Draft.objects.exists()


def test_a_draft_without_javascript_is_kept_by_its_button_and_shown_again(client, topic, helper):
    login(client, helper)
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Halvferdig svar", "lagre_utkast": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/t/{topic.pk}/svar/"
    page = client.get(response["Location"]).content.decode()
    assert "Halvferdig svar" in page
    assert "Lagre utkast" in page
    assert Draft.objects.get(member=helper).place == f"reply:{topic.pk}"
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "", "lagre_utkast": "1"}, follow=True)
    assert "Utkastet er tomt og slettet." in response.content.decode()
    assert not Draft.objects.exists()


def test_a_new_topic_draft_keeps_title_and_text_and_publishing_deletes_it(client, category, helper):
    login(client, helper)
    response = client.post(
        "/ny/", {"title": "Arkivplan etter sammenslåing", "body": "Utkast", "lagre_utkast": "1"}
    )
    assert response.status_code == 302
    page = client.get("/ny/").content.decode()
    assert 'value="Arkivplan etter sammenslåing"' in page
    assert "Utkast</textarea>" in page
    actions.create_topic(author=helper, category=category, title="Arkivplan", body="Ferdig")
    assert not Draft.objects.filter(member=helper).exists()


def test_a_draft_too_long_is_refused_with_its_reason_and_the_old_draft_stays(client, topic, helper):
    login(client, helper)
    _save(client, f"reply:{topic.pk}", "Det gamle utkastet")
    response = _save(client, f"reply:{topic.pk}", "x" * (settings.POST_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert "for langt" in response.json()["error"]
    assert Draft.objects.get(member=helper).body == "Det gamle utkastet"

    # Without JavaScript: the error by the field, the text still in it.
    response = client.post(
        f"/t/{topic.pk}/svar/",
        {"body": "y" * (settings.POST_MAX_LENGTH + 1), "lagre_utkast": "1"},
    )
    assert response.status_code == 400
    assert "høyst" in response.content.decode()
    assert Draft.objects.get(member=helper).body == "Det gamle utkastet"


def test_a_draft_of_ten_megabytes_gets_a_clear_page_not_a_500(client, topic, helper):
    login(client, helper)
    response = _save(client, f"reply:{topic.pk}", "x" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert not Draft.objects.exists()


@pytest.mark.parametrize("place", ["reply:abc", "elsewhere:1", "", "reply:1:2", "x" * 60])
def test_an_unknown_place_is_refused(client, topic, helper, place):
    login(client, helper)
    assert _save(client, place, "Tekst").status_code == 400
    assert not Draft.objects.exists()


def test_no_draft_for_a_topic_the_member_cannot_see(client, closed_topic, vendor_member):
    login(client, vendor_member)
    assert _save(client, f"reply:{closed_topic.pk}", "Tekst").status_code == 403
    assert not Draft.objects.exists()


def test_autosaving_too_often_is_refused_for_a_while(client, topic, helper, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "draft": "3/m"}
    login(client, helper)
    statuses = [_save(client, f"reply:{topic.pk}", f"Tekst {i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Draft.objects.get().body == "Tekst 2"


def test_signed_out_cannot_save_a_draft(client, topic):
    response = _save(client, f"reply:{topic.pk}", "Tekst")
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_a_place_kind_can_be_registered_by_another_app(client, helper):
    """How conversations use drafts: register a kind, and its places are accepted."""
    kind = drafts.PlaceKind(
        may_write=lambda user, target: target == "7",
        links=lambda user, targets: {"7": drafts.PlaceLink(url="/andre/7/", label="Annet")},
    )
    drafts.register_place("elsewhere", kind)
    try:
        login(client, helper)
        assert _save(client, "elsewhere:7", "Hei").status_code == 200
        assert _save(client, "elsewhere:8", "Hei").status_code == 403
        assert 'href="/andre/7/"' in client.get("/utkast/").content.decode()
    finally:
        drafts._KINDS.pop("elsewhere")


def test_my_drafts_lists_each_with_a_link_back_and_deletes(client, topic, helper, category):
    login(client, helper)
    _save(client, f"reply:{topic.pk}", "Svar under arbeid")
    _save(client, "topic:new", "Ny tråd under arbeid", title="Tittel")
    page = client.get("/utkast/").content.decode()
    assert f'href="/t/{topic.pk}/svar/"' in page
    assert 'href="/ny/"' in page
    assert "Ny tråd under arbeid" in page
    # A draft whose topic is gone from sight stays, without a link.
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now())
    page = client.get("/utkast/").content.decode()
    assert f'href="/t/{topic.pk}/svar/"' not in page
    assert "Svar under arbeid" in page

    draft = Draft.objects.get(place="topic:new")
    other = login(type(client)(), factories.member())
    assert other.post(f"/utkast/{draft.pk}/slett/").status_code == 404
    assert client.post(f"/utkast/{draft.pk}/slett/").status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_drafts_page_queries_do_not_grow_with_drafts(client, helper, category):
    login(client, helper)
    topics = [factories.topic(author=helper, category=category) for _ in range(8)]
    drafts.save_draft(member=helper, place=f"reply:{topics[0].pk}", body="En")
    few = len(page_queries(client, "/utkast/"))
    for topic in topics:
        drafts.save_draft(member=helper, place=f"reply:{topic.pk}", body="Mange")
    drafts.save_draft(member=helper, place="topic:new", body="Ny")
    many = len(page_queries(client, "/utkast/"))
    assert few + 1 >= many  # the new-topic kind needs no query; a second kind at most one
    assert many <= 9


# ---- Bookmarks -----------------------------------------------------------------------


def test_bookmark_a_post_with_a_note_and_a_reminder(client, topic, helper):
    reply = actions.reply(author=helper, topic=topic, body="Et godt svar")
    login(client, helper)
    response = client.post("/bokmerker/ny/", {"type": "innlegg", "id": reply.pk})
    bookmark = Bookmark.objects.get(member=helper)
    assert response["Location"] == f"/bokmerker/{bookmark.pk}/"
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/bokmerker/{bookmark.pk}/", {"note": "Les før møtet", "remind_at": later}
    )
    assert response.status_code == 302
    page = client.get("/bokmerker/").content.decode()
    assert "Les før møtet" in page
    assert f"Innlegg 2 i «{topic.title}»" in page
    # The topic page says it is bookmarked, and leads to the bookmark.
    assert (
        f'href="/bokmerker/{bookmark.pk}/"' in client.get(topic.get_absolute_url()).content.decode()
    )
    # Bookmarking again is the same bookmark.
    client.post("/bokmerker/ny/", {"type": "innlegg", "id": reply.pk})
    assert Bookmark.objects.filter(member=helper).count() == 1


def test_a_reminder_in_the_past_is_a_form_error_and_nothing_changes(client, topic, helper):
    login(client, helper)
    client.post("/bokmerker/ny/", {"type": "trad", "id": topic.pk})
    bookmark = Bookmark.objects.get()
    earlier = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/bokmerker/{bookmark.pk}/", {"note": "Notatet", "remind_at": earlier})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Påminnelsen må være fram i tid." in page
    assert "Notatet" in page  # what was typed stays
    bookmark.refresh_from_db()
    assert bookmark.note == "" and bookmark.remind_at is None
    response = client.post(f"/bokmerker/{bookmark.pk}/", {"remind_at": "i morgen"})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        bookmarks.update_bookmark(bookmark=bookmark, note="", remind_at=timezone.now())


def test_a_passed_reminder_left_as_it_was_does_not_stop_a_new_note(client, topic, helper):
    found = bookmarks.bookmark(member=helper, topic=topic)
    bookmarks.update_bookmark(
        bookmark=found, note="", remind_at=timezone.now() + timedelta(hours=1)
    )
    _due(found)
    login(client, helper)
    shown = client.get(f"/bokmerker/{found.pk}/").context["form"]["remind_at"].value()
    response = client.post(f"/bokmerker/{found.pk}/", {"note": "Nytt notat", "remind_at": shown})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.note == "Nytt notat" and found.remind_at < timezone.now()


def test_no_bookmark_of_what_the_member_cannot_see(client, closed_topic, vendor_member):
    login(client, vendor_member)
    assert client.post("/bokmerker/ny/", {"type": "trad", "id": closed_topic.pk}).status_code == 404
    assert client.post("/bokmerker/ny/", {"type": "x", "id": closed_topic.pk}).status_code == 404
    assert not Bookmark.objects.exists()


def test_a_bookmark_of_a_topic_gone_from_sight_is_not_listed(client, topic, helper):
    found = bookmarks.bookmark(member=helper, topic=topic)
    bookmarks.update_bookmark(bookmark=found, note="Hemmelig notat", remind_at=None)
    login(client, helper)
    assert "Hemmelig notat" in client.get("/bokmerker/").content.decode()
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now())
    assert "Hemmelig notat" not in client.get("/bokmerker/").content.decode()
    assert client.get(f"/bokmerker/{found.pk}/").status_code == 404


def test_remove_a_bookmark_only_ones_own(client, topic, helper):
    found = bookmarks.bookmark(member=helper, topic=topic)
    login(client, factories.member())
    assert client.post(f"/bokmerker/{found.pk}/fjern/").status_code == 404
    login(client, helper)
    assert client.post(f"/bokmerker/{found.pk}/fjern/").status_code == 302
    assert not Bookmark.objects.exists()


def test_bookmarks_page_queries_do_not_grow_with_bookmarks(client, helper, category):
    login(client, helper)
    topics = [factories.topic(author=helper, category=category, replies=1) for _ in range(10)]
    bookmarks.bookmark(member=helper, topic=topics[0])
    bookmarks.bookmark(member=helper, post=topics[0].posts.get(position=2))
    few = len(page_queries(client, "/bokmerker/"))
    for topic in topics[1:]:
        bookmarks.bookmark(member=helper, topic=topic)
        bookmarks.bookmark(member=helper, post=topic.posts.get(position=2))
    assert len(page_queries(client, "/bokmerker/")) == few


def test_topic_page_shows_bookmarks_and_mute_without_more_queries(client, topic, helper):
    actions.reply(author=helper, topic=topic, body="Svar")
    login(client, helper)
    before = len(page_queries(client, topic.get_absolute_url()))
    bookmarks.bookmark(member=helper, topic=topic)
    bookmarks.bookmark(member=helper, post=topic.posts.get(position=2))
    muting.mute(member=helper, topic=topic)
    drafts.save_draft(member=helper, place=f"reply:{topic.pk}", body="Utkast")
    assert len(page_queries(client, topic.get_absolute_url())) == before
    page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count(">Bokmerket<") == 2
    assert "Opphev demping" in page


def _due(bookmark: Bookmark) -> None:
    """Time passes: the reminder's time has come (as if the worker picked it up then)."""
    Bookmark.objects.filter(pk=bookmark.pk).update(remind_at=timezone.now() - timedelta(minutes=1))
    bookmark.refresh_from_db()


def test_a_due_reminder_notifies_the_member_once(topic, helper, django_capture_on_commit_callbacks):
    found = bookmarks.bookmark(member=helper, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        bookmarks.update_bookmark(
            bookmark=found, note="", remind_at=timezone.now() + timedelta(hours=1)
        )
    # The immediate backend cannot wait: the task ran at once, and did nothing yet.
    assert not Notification.objects.filter(recipient=helper).exists()
    _due(found)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_tasks.send_bookmark_reminder.call(found.pk) is True
    notification = Notification.objects.get(recipient=helper)
    assert notification.kind == Notification.Kind.REMINDER
    (reminder,) = [m for m in mail.outbox if topic.title in m.subject]
    assert "ba om en påminnelse" in reminder.body
    assert notification_tasks.send_bookmark_reminder.call(found.pk) is False
    assert Notification.objects.filter(recipient=helper).count() == 1


def test_a_reminder_about_a_topic_gone_from_sight_is_not_sent(topic, helper):
    found = bookmarks.bookmark(member=helper, topic=topic)
    bookmarks.update_bookmark(
        bookmark=found, note="", remind_at=timezone.now() + timedelta(hours=1)
    )
    _due(found)
    Topic.objects.filter(pk=topic.pk).update(deleted_at=timezone.now())
    assert notification_tasks.send_bookmark_reminder.call(found.pk) is False
    assert not Notification.objects.exists()


def test_the_reminder_task_is_queued_for_the_reminder_time(
    settings, topic, helper, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    when = timezone.now() + timedelta(days=1)
    found = bookmarks.bookmark(member=helper, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        bookmarks.update_bookmark(bookmark=found, note="", remind_at=when)
    queued = DBTaskResult.objects.get(task_path__endswith="send_bookmark_reminder")
    assert queued.run_after == when
    assert queued.args_kwargs["args"] == [found.pk]


# ---- Muting --------------------------------------------------------------------------


def test_a_muted_category_vanishes_from_the_members_lists_only(client, topic, helper, category):
    other = factories.topic(author=helper, category=factories.category(), title="Annen tråd")
    login(client, helper)
    assert topic.title in client.get("/").content.decode()
    assert topic.title in client.get("/ubesvarte/").content.decode()
    response = client.post(
        "/demp/", {"type": "kategori", "id": category.pk, "next": category.get_absolute_url()}
    )
    assert response.status_code == 302
    front = client.get("/").content.decode()
    assert topic.title not in front
    assert other.title in front
    assert topic.title not in client.get(category.get_absolute_url()).content.decode()
    assert topic.title not in client.get("/ubesvarte/").content.decode()
    # Others, and signed-out visitors, still see it.
    assert topic.title in type(client)().get("/").content.decode()
    login(client, factories.member())
    assert topic.title in client.get("/").content.decode()

    login(client, helper)
    client.post("/demp/", {"type": "kategori", "id": category.pk, "action": "opphev"})
    assert topic.title in client.get("/").content.decode()


def test_muting_a_topic_sector_or_member_hides_their_topics(
    client, topic, helper, municipal_member
):
    sector = Sector.objects.get(slug="sak-arkiv")
    tagged = actions.create_topic(
        author=helper, category=topic.category, title="Sektortråd", body="x", sectors=[sector]
    )
    login(client, helper)
    client.post("/demp/", {"type": "trad", "id": topic.pk}, follow=True)  # the message shown
    assert topic.title not in client.get("/").content.decode()
    client.post("/demp/", {"type": "sektor", "id": sector.pk}, follow=True)
    assert tagged.title not in client.get("/").content.decode()
    assert tagged.title not in client.get(sector.get_absolute_url()).content.decode()

    viewer = login(type(client)(), factories.member())
    assert topic.title in viewer.get("/").content.decode()
    viewer.post("/demp/", {"type": "medlem", "id": municipal_member.pk}, follow=True)
    assert topic.title not in viewer.get("/").content.decode()
    assert tagged.title in viewer.get("/").content.decode()


def test_a_member_cannot_mute_themselves(client, helper):
    login(client, helper)
    client.post("/demp/", {"type": "medlem", "id": helper.pk})
    assert not Mute.objects.exists()


def test_muting_stays_out_of_the_shared_page_cache(client, topic, helper, category, page_cache_on):
    anonymous = type(client)()
    assert topic.title in anonymous.get("/").content.decode()  # stored
    login(client, helper)
    client.post("/demp/", {"type": "kategori", "id": category.pk})
    assert topic.title not in client.get("/").content.decode()
    assert topic.title in anonymous.get("/").content.decode()
    assert topic.title in type(client)().get(category.get_absolute_url()).content.decode()


def test_muted_topics_send_no_notifications_but_a_mention_by_choice(
    topic, helper, vendor_member, django_capture_on_commit_callbacks
):
    notification_actions.watch(user=vendor_member, topic=topic)
    muting.mute(member=vendor_member, category=topic.category)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=helper, topic=topic, body="Et svar")
    assert not Notification.objects.filter(recipient=vendor_member).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=helper, topic=topic, body="Hva sier @Ola Hansen?")
    assert Notification.objects.get(recipient=vendor_member).kind == Notification.Kind.MENTION

    notification_actions.set_delivery(
        user=vendor_member, delivery="epost", mentions_when_muted=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=helper, topic=topic, body="Og nå, @Ola Hansen?")
    assert Notification.objects.filter(recipient=vendor_member).count() == 1


def test_a_muted_author_sends_no_new_topic_notifications(
    category, helper, vendor_member, django_capture_on_commit_callbacks
):
    notification_actions.watch(user=vendor_member, category=category)
    muting.mute(member=vendor_member, muted_member=helper)
    with django_capture_on_commit_callbacks(execute=True):
        factories.topic(author=helper, category=category)
    assert not Notification.objects.filter(recipient=vendor_member).exists()


def test_preferences_list_what_is_muted_and_unmute_it(client, topic, helper, category):
    login(client, helper)
    client.post("/demp/", {"type": "trad", "id": topic.pk})
    client.post("/demp/", {"type": "kategori", "id": category.pk})
    page = client.get("/varsler/innstillinger/").content.decode()
    assert "Dempet" in page and topic.title in page and category.display_name in page
    client.post(
        "/varsler/innstillinger/", {"delivery": "forum"}
    )  # the box unticked: mentions stay quiet
    assert NotificationPreference.objects.get(user=helper).mentions_when_muted is False
    client.post("/demp/", {"type": "trad", "id": topic.pk, "action": "opphev"})
    assert list(Mute.objects.values_list("category", flat=True)) == [category.pk]


def test_mute_buttons_on_category_sector_and_member_pages(client, topic, helper, category):
    login(client, helper)
    assert "Demp kategorien" in client.get(category.get_absolute_url()).content.decode()
    assert "Demp sektoren" in client.get("/sektor/sak-arkiv/").content.decode()
    assert "Demp medlemmet" in client.get(topic.author.get_absolute_url()).content.decode()
    assert "Demp medlemmet" not in client.get(helper.get_absolute_url()).content.decode()
    assert "Demp" not in type(client)().get(category.get_absolute_url()).content.decode()


def test_muted_lists_run_the_same_number_of_queries(client, helper, category):
    login(client, helper)
    for _ in range(3):
        factories.topic(author=helper, category=category)
    before = [len(page_queries(client, url)) for url in ["/", category.get_absolute_url()]]
    muting.mute(member=helper, category=Category.objects.exclude(pk=category.pk).first())
    muting.mute(member=helper, sector=Sector.objects.first())
    after = [len(page_queries(client, url)) for url in ["/", category.get_absolute_url()]]
    assert before == after


def test_a_members_own_writes_leave_the_stored_public_pages_alone(
    client, topic, helper, category, page_cache_on, django_capture_on_commit_callbacks
):
    """Drafts, bookmarks and mutes are no signed-out visitor's business: saving them every few
    seconds must not make every stored page stale (a write that declares nothing would)."""
    anonymous = type(client)()
    anonymous.get("/")
    assert anonymous.get("/").headers.get("X-Page-Cache") == "hit"
    login(client, helper)
    with django_capture_on_commit_callbacks(execute=True):  # as if each request committed
        _save(client, f"reply:{topic.pk}", "Skriver")
        client.post("/bokmerker/ny/", {"type": "trad", "id": topic.pk})
        client.post("/demp/", {"type": "kategori", "id": category.pk})
        client.post("/demp/", {"type": "kategori", "id": category.pk, "action": "opphev"})
    assert anonymous.get("/").headers.get("X-Page-Cache") == "hit"
