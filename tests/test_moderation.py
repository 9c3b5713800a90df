from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.conftest import login
from topics import actions
from topics.models import ModerationLogEntry, Post, Report, Topic
from topics.models.moderation import AppendOnlyError
from topics.moderation import actions as mod

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_user(moderator):
    from accounts import actions as account_actions

    account_actions.make_moderator(user=moderator)
    moderator.__dict__.pop("is_moderator", None)
    return moderator


def _entries():
    return list(ModerationLogEntry.objects.all())


# Every topic tool: members get 403 and nothing changes; moderators get one log entry.
TOOLS = [
    ("lukk", {"lukk-reason": "Besvart"}, "topic_closed"),
    ("rediger", {"rediger-title": "Ny og bedre tittel", "rediger-version": 1}, "topic_edited"),
    ("slett", {"slett-reason": "Dobbeltpost"}, "topic_deleted"),
]


@pytest.mark.parametrize(("tool", "data", "action"), TOOLS)
def test_topic_tool_is_forbidden_for_members_and_logged_once_for_moderators(
    client, topic, municipal_member, mod_user, tool, data, action
):
    login(client, municipal_member)
    response = client.post(f"/t/{topic.pk}/moderering/{tool}/", data)
    assert response.status_code == 403
    assert _entries() == []
    before = Topic.objects.values().get(pk=topic.pk)
    assert before == Topic.objects.values().get(pk=topic.pk)
    login(client, mod_user)
    response = client.post(f"/t/{topic.pk}/moderering/{tool}/", data)
    assert response.status_code == 302
    assert [e.action for e in _entries()] == [action]


SWITCHES = [
    ("anbefal", "topic_curated", "is_curated", True),
    ("fest-i-kategori", "topic_pinned_in_category", "is_pinned_in_category", True),
]


@pytest.mark.parametrize(("switch", "action", "field", "value"), SWITCHES)
def test_topic_switch_permission_and_log(
    client, topic, municipal_member, mod_user, switch, action, field, value
):
    login(client, municipal_member)
    assert client.post(f"/t/{topic.pk}/moderering/bryter/", {"action": switch}).status_code == 403
    assert getattr(Topic.objects.get(pk=topic.pk), field) is not value
    login(client, mod_user)
    assert client.post(f"/t/{topic.pk}/moderering/bryter/", {"action": switch}).status_code == 302
    assert getattr(Topic.objects.get(pk=topic.pk), field) is value
    assert [e.action for e in _entries()] == [action]


@pytest.mark.parametrize("action", ["pin", "lock"])
def test_existing_pin_and_lock_write_one_log_entry(
    client, topic, municipal_member, mod_user, action
):
    login(client, municipal_member)
    assert client.post(f"/t/{topic.pk}/moderer/", {"action": action}).status_code == 403
    login(client, mod_user)
    client.post(f"/t/{topic.pk}/moderer/", {"action": action})
    assert len(_entries()) == 1


def test_curated_topics_get_their_own_front_page_section(client, topic, mod_user):
    mod.set_curated(topic=topic, by=mod_user, curated=True)
    html = client.get("/").text
    assert "Anbefalt" in html
    assert html.count("Noark 5-migrering") == 2


def test_close_shows_public_notice_and_refuses_replies(client, topic, mod_user, vendor_member):
    mod.close_topic(topic=topic, by=mod_user, reason="Spørsmålet er besvart")
    html = client.get(topic.get_absolute_url()).text
    assert "Spørsmålet er besvart" in html
    assert "Lukket av en moderator" in html
    with pytest.raises(PermissionDenied):
        actions.reply(author=vendor_member, topic=Topic.objects.get(pk=topic.pk), body="Hei")


def test_close_without_reason_is_refused(client, topic, mod_user):
    login(client, mod_user)
    response = client.post(f"/t/{topic.pk}/moderering/lukk/", {"lukk-reason": ""})
    assert response.status_code == 400
    assert "Skriv en grunn." in response.text
    assert _entries() == []


def test_move_topic_shows_notice_and_logs(client, topic, mod_user):
    other = factories.category(name="Erfaringer")
    login(client, mod_user)
    response = client.post(f"/t/{topic.pk}/moderering/flytt/", {"flytt-category": other.pk})
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).category == other
    html = client.get(topic.get_absolute_url()).text
    assert "Flyttet fra «Spørsmål» til «Erfaringer»" in html
    assert [e.action for e in _entries()] == ["topic_moved"]


def test_merge_orders_posts_by_time_keeps_counters_and_redirects(
    client, category, municipal_member, vendor_member, mod_user
):
    now = timezone.now()
    target = factories.topic(
        author=municipal_member, category=category, title="Målet for sammenslåing"
    )
    source = factories.topic(
        author=vendor_member, category=category, title="Kilden som slås sammen"
    )
    actions.reply(author=municipal_member, topic=target, body="Svar i målet")
    actions.reply(author=vendor_member, topic=source, body="Svar i kilden")
    # Interleave the times: source first post, target first post, source reply, target reply.
    times = {
        (source.pk, 1): now - timedelta(hours=4),
        (target.pk, 1): now - timedelta(hours=3),
        (source.pk, 2): now - timedelta(hours=2),
        (target.pk, 2): now - timedelta(hours=1),
    }
    for (topic_id, position), when in times.items():
        Post.objects.filter(topic_id=topic_id, position=position).update(created_at=when)
    merged = mod.merge_topic(topic=source, into=target, by=mod_user, reason="Samme spørsmål")
    bodies = list(merged.posts.order_by("position").values_list("body", "position"))
    assert [b for b, _ in bodies] == [
        "Hva gjør dere med dette?",
        "Hva gjør dere med dette?",
        "Svar i kilden",
        "Svar i målet",
    ]
    assert [p for _, p in bodies] == [1, 2, 3, 4]
    assert merged.reply_count == 3
    assert merged.last_poster_id == municipal_member.pk
    assert merged.last_activity_at == times[(target.pk, 2)]
    assert not Topic.objects.filter(pk=source.pk).exists()
    response = client.get(f"/t/{source.pk}/")
    assert response.status_code == 301
    assert response["Location"] == merged.get_absolute_url()
    assert "Kilden som slås sammen" in client.get(merged.get_absolute_url()).text
    assert [e.action for e in _entries()] == ["topic_merged"]


def test_merge_into_itself_or_hidden_category_is_refused(
    client, topic, category, municipal_member, mod_user
):
    login(client, mod_user)
    response = client.post(f"/t/{topic.pk}/moderering/slaa-sammen/", {"slaa_sammen-into": topic.pk})
    assert response.status_code == 400
    assert "ikke slås sammen med seg selv" in response.text
    secret = factories.category(name="Lukket", slug="lukket")
    secret.visibility = secret.Visibility.KOMMUNER
    secret.save()
    hidden = factories.topic(author=municipal_member, category=secret, title="I en lukket kategori")
    response = client.post(
        f"/t/{topic.pk}/moderering/slaa-sammen/", {"slaa_sammen-into": hidden.pk}
    )
    assert response.status_code == 400
    assert "andre lesere" in response.text
    assert Post.objects.filter(topic=topic).count() == 1
    assert _entries() == []


def test_split_moves_chosen_posts_and_refuses_taking_all(
    client, category, municipal_member, mod_user
):
    topic = factories.topic(
        author=municipal_member, category=category, title="Blandet tråd", replies=3
    )
    posts = list(topic.posts.order_by("position"))
    login(client, mod_user)
    response = client.post(
        f"/t/{topic.pk}/moderering/del/",
        {"del-posts": [p.pk for p in posts], "del-title": "Alt sammen"},
    )
    assert response.status_code == 400
    assert "minst ett må bli igjen" in response.text
    assert _entries() == []
    response = client.post(
        f"/t/{topic.pk}/moderering/del/",
        {"del-posts": [posts[1].pk, posts[3].pk], "del-title": "Et eget spørsmål"},
    )
    assert response.status_code == 302
    new = Topic.objects.get(title="Et eget spørsmål")
    assert list(new.posts.values_list("body", flat=True)) == ["Svar 1", "Svar 3"]
    assert list(Post.objects.filter(topic=topic).values_list("position", "body")) == [
        (1, "Hva gjør dere med dette?"),
        (2, "Svar 2"),
    ]
    assert Topic.objects.get(pk=topic.pk).reply_count == 1
    assert new.reply_count == 1
    assert "Skilt ut fra tråden «Blandet tråd»" in client.get(new.get_absolute_url()).text
    assert [e.action for e in _entries()] == ["topic_split"]


def test_soft_deleted_topic_disappears_for_members_and_can_be_restored(
    client, topic, municipal_member, vendor_member, mod_user
):
    mod.delete_topic(topic=topic, by=mod_user, reason="Feilpostet")
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert not Topic.objects.visible_to(vendor_member).exists()
    login(client, mod_user)
    assert client.get(topic.get_absolute_url()).status_code == 200
    mod.restore_topic(topic=topic, by=mod_user)
    assert Topic.objects.visible_to(vendor_member).exists()
    assert [e.action for e in _entries()] == ["topic_restored", "topic_deleted"]


# ---- Posts ---------------------------------------------------------------------


def test_hidden_post_shows_reason_to_author_and_moderators_only(
    client, topic, municipal_member, vendor_member, mod_user
):
    post = factories.first_post(topic)
    login(client, vendor_member)
    assert client.post(f"/innlegg/{post.pk}/skjul/", {"reason": "x"}).status_code == 403
    login(client, mod_user)
    client.post(f"/innlegg/{post.pk}/skjul/", {"reason": "Personopplysninger"})
    assert [e.action for e in _entries()] == ["post_hidden"]
    login(client, municipal_member)
    assert "Personopplysninger" in client.get(topic.get_absolute_url()).text
    login(client, vendor_member)
    html = client.get(topic.get_absolute_url()).text
    assert "Personopplysninger" not in html
    assert "Hva gjør dere med dette?" not in html


def test_moderator_edit_keeps_revision_and_logs(client, topic, vendor_member, mod_user):
    post = factories.first_post(topic)
    login(client, vendor_member)
    assert (
        client.post(
            f"/innlegg/{post.pk}/rediger/", {"body": "x", "title": "Tittel her"}
        ).status_code
        == 403
    )
    login(client, mod_user)
    client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"body": "Ryddet tekst", "title": topic.title, "version": 1, "topic_version": 1},
    )
    post.refresh_from_db()
    assert post.body == "Ryddet tekst"
    assert post.revisions.get().body == "Hva gjør dere med dette?"
    assert post.revisions.get().editor == mod_user
    assert "endret av Ingrid Moderator" in client.get(topic.get_absolute_url()).text
    assert [e.action for e in _entries()] == ["post_edited"]


# ---- Reports -------------------------------------------------------------------


def test_member_reports_and_moderator_hides_and_reporter_is_told(
    client,
    topic,
    vendor_member,
    mod_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    post = factories.first_post(topic)
    login(client, vendor_member)
    response = client.post(f"/innlegg/{post.pk}/rapporter/", {"reason": "rude", "text": "Frekt"})
    assert response.status_code == 302
    response = client.post(f"/innlegg/{post.pk}/rapporter/", {"reason": "rude"})
    assert "allerede rapportert" in response.text
    assert Report.objects.count() == 1
    assert _entries() == []
    assert (
        client.post(f"/moderering/innlegg/{post.pk}/rapporter/", {"decision": "hide"}).status_code
        == 403
    )
    login(client, mod_user)
    with django_assert_max_num_queries(10):
        queue = client.get("/moderering/")
    assert "Frekt" in queue.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderering/innlegg/{post.pk}/rapporter/", {"decision": "hide", "reason": "Uhøflig"}
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Uhøflig"
    assert Report.objects.get().status == Report.Status.UPHELD
    assert [e.action for e in _entries()] == ["report_upheld"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [vendor_member.email]


def test_other_reason_needs_text(client, topic, vendor_member):
    post = factories.first_post(topic)
    login(client, vendor_member)
    response = client.post(f"/innlegg/{post.pk}/rapporter/", {"reason": "other", "text": ""})
    assert response.status_code == 400
    assert "Forklar kort" in response.text


def test_report_on_post_you_cannot_see_is_404(client, topic, vendor_member, mod_user):
    post = factories.first_post(topic)
    mod.delete_topic(topic=topic, by=mod_user, reason="Borte")
    login(client, vendor_member)
    assert client.post(f"/innlegg/{post.pk}/rapporter/", {"reason": "spam"}).status_code == 404
    assert Report.objects.count() == 0


def test_three_verified_reporters_hide_post_until_moderator_dismisses(
    topic, mod_user, mailoutbox, django_capture_on_commit_callbacks
):
    post = factories.first_post(topic)
    reporters = [
        factories.member(email=f"r{i}@org{i}.no", organisation=factories.organisation())
        for i in range(3)
    ]
    for member in reporters:
        from accounts import actions as account_actions

        account_actions.verify_member(member=member, organisation=member.organisation, by=mod_user)
    unverified = factories.member(email="someone@gmail.com")
    mod.report_post(post=post, reporter=unverified, reason="spam")
    mod.report_post(post=post, reporter=reporters[0], reason="spam")
    mod.report_post(post=post, reporter=reporters[1], reason="spam")
    post.refresh_from_db()
    assert not post.is_hidden
    mod.report_post(post=post, reporter=reporters[2], reason="spam")
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by is None
    with django_capture_on_commit_callbacks(execute=True):
        mod.resolve_reports(post=post, by=mod_user, hide=False)
    post.refresh_from_db()
    assert not post.is_hidden
    assert len(mailoutbox) == 4
    assert [e.action for e in _entries()] == ["report_dismissed", "post_auto_hidden"]


# ---- Approval of first posts -----------------------------------------------------


def test_first_posts_of_unverified_members_wait_for_approval(
    client, category, vendor_member, mod_user
):
    newcomer = factories.member(email="ny@gmail.com", display_name="Ny Person")
    topic = actions.create_topic(
        author=newcomer, category=category, title="Mitt første spørsmål", body="Hei"
    )
    assert not topic.is_approved
    assert not Topic.objects.visible_to(vendor_member).filter(pk=topic.pk).exists()
    assert Topic.objects.visible_to(newcomer).filter(pk=topic.pk).exists()
    verified_topic = actions.create_topic(
        author=vendor_member, category=category, title="Leverandørens tråd", body="Hei"
    )
    assert verified_topic.is_approved
    login(client, mod_user)
    assert "Mitt første spørsmål" in client.get("/moderering/").text
    login(client, vendor_member)
    post = factories.first_post(topic)
    assert (
        client.post(
            f"/moderering/innlegg/{post.pk}/godkjenning/", {"decision": "approve"}
        ).status_code
        == 403
    )
    login(client, mod_user)
    client.post(f"/moderering/innlegg/{post.pk}/godkjenning/", {"decision": "approve"})
    assert Topic.objects.visible_to(vendor_member).filter(pk=topic.pk).exists()
    assert [e.action for e in _entries()] == ["topic_approved"]
    # Once a post is approved, the member publishes directly.
    assert actions.reply(author=newcomer, topic=topic, body="Takk").is_approved


def test_approval_setting_off_publishes_directly(settings, category):
    settings.FORUM_APPROVE_FIRST_POSTS_OF_UNVERIFIED = False
    newcomer = factories.member(email="ny@gmail.com")
    assert actions.create_topic(
        author=newcomer, category=category, title="Rett ut", body="Hei"
    ).is_approved


# ---- Members ---------------------------------------------------------------------


def test_silenced_member_sees_reason_and_cannot_post(client, topic, vendor_member, mod_user):
    login(client, vendor_member)
    url = f"/moderering/medlemmer/{vendor_member.pk}/skrivepause/"
    until = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url, {"skrivepause-until": until, "skrivepause-reason": "x"}).status_code == 403
    )
    login(client, mod_user)
    response = client.post(url, {"skrivepause-until": until, "skrivepause-reason": "Personangrep"})
    assert response.status_code == 302
    login(client, vendor_member)
    html = client.get(topic.get_absolute_url()).text
    assert "Personangrep" in html
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Jeg vil svare"})
    assert response.status_code == 403
    assert "Personangrep" in response.text
    assert [e.action for e in _entries()] == ["member_silenced"]


def test_silence_in_the_past_is_refused(client, vendor_member, mod_user):
    login(client, mod_user)
    response = client.post(
        f"/moderering/medlemmer/{vendor_member.pk}/skrivepause/",
        {"skrivepause-until": "2019-01-01T10:00", "skrivepause-reason": "x"},
    )
    assert response.status_code == 400
    assert "fram i tid" in response.text
    assert _entries() == []


def test_suspended_member_is_signed_out_and_cannot_sign_in(client, vendor_member, mod_user):
    login(client, mod_user)
    client.post(f"/moderering/medlemmer/{vendor_member.pk}/utesteng/", {"utesteng-reason": "Spam"})
    assert [e.action for e in _entries()] == ["member_suspended"]
    login(client, vendor_member)
    response = client.get("/")
    assert response.status_code == 403
    assert "Spam" in response.text
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/konto/login/", {"login": vendor_member.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    assert "Spam" in response.text
    assert "_auth_user_id" not in client.session


def test_verify_member_changes_organisation(client, mod_user):
    member = factories.member(email="x@gmail.com")
    org = factories.organisation(name="Lier")
    login(client, mod_user)
    client.post(f"/moderering/medlemmer/{member.pk}/verifiser/", {"verifiser-organisation": org.pk})
    member.refresh_from_db()
    assert member.organisation == org and member.organisation_is_verified
    assert [e.action for e in _entries()] == ["member_verified"]


def test_only_superusers_grant_the_moderator_role(client, vendor_member, mod_user):
    login(client, mod_user)
    assert client.post(f"/moderering/medlemmer/{vendor_member.pk}/gi-moderator/").status_code == 403
    assert _entries() == []
    boss = factories.member(email="sjef@kartverket.no")
    boss.is_superuser = True
    boss.save()
    factories.two_factor(boss)
    login(client, boss)
    assert client.post(f"/moderering/medlemmer/{vendor_member.pk}/gi-moderator/").status_code == 302
    vendor_member.__dict__.pop("is_moderator", None)
    assert vendor_member.is_moderator
    assert [e.action for e in _entries()] == ["moderator_granted"]


def test_verifying_a_member_for_kartverket_does_not_make_them_a_moderator(
    client, kartverket, mod_user
):
    outsider = factories.member(email="noen@gmail.com")
    login(client, mod_user)
    response = client.post(
        f"/moderering/medlemmer/{outsider.pk}/verifiser/", {"verifiser-organisation": kartverket.pk}
    )
    assert response.status_code == 302
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert outsider.organisation == kartverket and outsider.organisation_is_verified
    assert not outsider.is_moderator
    assert not outsider.groups.exists()
    assert [e.action for e in _entries()] == ["member_verified"]


def test_a_verified_kartverket_address_does_not_make_a_moderator(kartverket):
    staff = factories.member(email="ingrid@kartverket.no")
    assert staff.organisation == kartverket and staff.organisation_is_verified
    assert not staff.is_moderator


def test_a_superuser_gives_and_takes_the_role_and_both_are_logged(client, vendor_member):
    boss = factories.member(email="sjef@example.org")
    boss.is_superuser = True
    boss.save()
    factories.two_factor(boss)
    login(client, boss)
    assert client.post(f"/moderering/medlemmer/{vendor_member.pk}/gi-moderator/").status_code == 302
    assert type(vendor_member).objects.get(pk=vendor_member.pk).is_moderator
    assert (
        client.post(f"/moderering/medlemmer/{vendor_member.pk}/fjern-moderator/").status_code == 302
    )
    assert not type(vendor_member).objects.get(pk=vendor_member.pk).is_moderator
    entries = ModerationLogEntry.objects.order_by("pk")
    assert [(e.action, e.actor_id, e.member_id) for e in entries] == [
        ("moderator_granted", boss.pk, vendor_member.pk),
        ("moderator_revoked", boss.pk, vendor_member.pk),
    ]


@pytest.mark.parametrize("url", ["/moderering/", "/moderering/logg/", "/moderering/medlemmer/"])
def test_moderation_pages_are_for_moderators_only(client, municipal_member, mod_user, url):
    assert client.get(url).status_code == 302
    login(client, municipal_member)
    assert client.get(url).status_code == 403
    login(client, mod_user)
    assert client.get(url).status_code == 200


# ---- The log ---------------------------------------------------------------------


def test_log_entries_cannot_be_changed_or_deleted(topic, mod_user):
    entry = mod.set_curated(topic=topic, by=mod_user, curated=True) and _entries()[0]
    entry.reason = "endret"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ModerationLogEntry.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        ModerationLogEntry.objects.all().delete()
    assert ModerationLogEntry.objects.get().reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger only on PostgreSQL")
def test_log_is_append_only_in_the_database(topic, mod_user):
    from django.db import DatabaseError, transaction

    mod.set_curated(topic=topic, by=mod_user, curated=True)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE topics_moderationlogentry SET reason = 'x'")


def test_log_page_filters_by_action(client, topic, mod_user, django_assert_max_num_queries):
    mod.set_curated(topic=topic, by=mod_user, curated=True)
    mod.close_topic(topic=topic, by=mod_user, reason="Ferdig diskutert")
    login(client, mod_user)
    with django_assert_max_num_queries(8):
        html = client.get("/moderering/logg/").text
    assert "Merket som anbefalt" in html and "Ferdig diskutert" in html
    html = client.get("/moderering/logg/?action=topic_closed").text
    assert "Ferdig diskutert" in html
    assert "Merket som anbefalt</td>" not in html


def test_failed_action_logs_nothing(topic, mod_user):
    with pytest.raises(ValidationError):
        mod.close_topic(topic=topic, by=mod_user, reason="  ")
    assert _entries() == []


def _tool_data(tool, topic, municipal_member, category):
    if tool == "flytt":
        return {"flytt-category": factories.category(name="Annet").pk}
    if tool == "slaa-sammen":
        other = factories.topic(author=municipal_member, category=category, title="Annen tråd")
        return {"slaa_sammen-into": other.pk}
    actions.reply(author=municipal_member, topic=topic, body="Et svar")
    return {"del-posts": [topic.posts.get(position=2).pk], "del-title": "Utskilt tråd"}


@pytest.mark.parametrize(
    ("tool", "action"),
    [("flytt", "topic_moved"), ("slaa-sammen", "topic_merged"), ("del", "topic_split")],
)
def test_move_merge_split_forbidden_for_members_and_logged_once(
    client, topic, category, municipal_member, mod_user, tool, action
):
    data = _tool_data(tool, topic, municipal_member, category)
    posts_before = list(Post.objects.values_list("pk", "topic_id", "position"))
    login(client, municipal_member)
    assert client.post(f"/t/{topic.pk}/moderering/{tool}/", data).status_code == 403
    assert list(Post.objects.values_list("pk", "topic_id", "position")) == posts_before
    assert _entries() == []
    login(client, mod_user)
    assert client.post(f"/t/{topic.pk}/moderering/{tool}/", data).status_code == 302
    assert [e.action for e in _entries()] == [action]


@pytest.mark.parametrize(
    ("switch", "prepare", "action"),
    [
        ("gjenapne", "close", "topic_reopened"),
        ("gjenopprett", "delete", "topic_restored"),
        ("fjern-anbefaling", "curate", "topic_uncurated"),
    ],
)
def test_undo_switches_forbidden_for_members_and_logged_once(
    client, topic, municipal_member, mod_user, switch, prepare, action
):
    {
        "close": lambda: mod.close_topic(topic=topic, by=mod_user, reason="Ferdig"),
        "delete": lambda: mod.delete_topic(topic=topic, by=mod_user, reason="Borte"),
        "curate": lambda: mod.set_curated(topic=topic, by=mod_user, curated=True),
    }[prepare]()
    login(client, municipal_member)
    expected = 404 if prepare == "delete" else 403  # a deleted topic is gone for members
    assert (
        client.post(f"/t/{topic.pk}/moderering/bryter/", {"action": switch}).status_code == expected
    )
    assert len(_entries()) == 1
    login(client, mod_user)
    assert client.post(f"/t/{topic.pk}/moderering/bryter/", {"action": switch}).status_code == 302
    assert _entries()[0].action == action
    assert len(_entries()) == 2


@pytest.mark.parametrize(
    ("verb", "data", "action"),
    [
        ("utesteng", {"utesteng-reason": "Spam"}, "member_suspended"),
        ("verifiser", {"verifiser-organisation": "ORG"}, "member_verified"),
        ("opphev-skrivepause", {}, "member_unsilenced"),
        ("opphev-utestenging", {}, "member_unsuspended"),
    ],
)
def test_member_actions_forbidden_for_members_and_logged_once(
    client, kommune, municipal_member, vendor_member, mod_user, verb, data, action
):
    data = {k: (kommune.pk if v == "ORG" else v) for k, v in data.items()}
    before = type(vendor_member).objects.values().get(pk=vendor_member.pk)
    login(client, municipal_member)
    assert client.post(f"/moderering/medlemmer/{vendor_member.pk}/{verb}/", data).status_code == 403
    assert type(vendor_member).objects.values().get(pk=vendor_member.pk) == before
    login(client, mod_user)
    assert client.post(f"/moderering/medlemmer/{vendor_member.pk}/{verb}/", data).status_code == 302
    assert [e.action for e in _entries()] == [action]


@pytest.mark.parametrize(
    ("url", "data", "english"),
    [
        ("/t/{pk}/moderer/", {"action": "pin"}, "The thread has been pinned."),
        ("/t/{pk}/moderering/bryter/", {"action": "anbefal"}, None),
    ],
)
def test_a_moderator_reading_english_gets_the_messages_in_english(
    client, topic, mod_user, url, data, english
):
    """The texts of the moderation buttons were translated when the module was imported,
    so a moderator who reads English was told «Tråden er festet.»."""
    login(client, mod_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(url.format(pk=topic.pk), data, follow=True).text
    assert "Tråden er" not in page
    if english:
        assert english in page
