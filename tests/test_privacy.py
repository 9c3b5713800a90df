"""GDPR: a member downloads all their data, and deletes their account."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress

from accounts import actions
from accounts.models import User
from tests import factories
from topics import actions as topic_actions
from topics.models import Post, Topic

pytestmark = pytest.mark.django_db


def test_export_contains_profile_emails_topics_posts_and_revisions(client, topic, vendor_member):
    reply = topic_actions.reply(author=vendor_member, topic=topic, body="Første versjon")
    topic_actions.edit_post(post=reply, editor=vendor_member, body="Andre versjon")
    client.force_login(vendor_member)
    response = client.get("/profil/mine-data/eksport.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profil"]["e_post"] == "ola@acos.no"
    assert data["profil"]["visningsnavn"] == "Ola Hansen"
    assert data["profil"]["organisasjon"]["navn"] == "Acos"
    assert data["profil"]["e_postadresser"] == [
        {"adresse": "ola@acos.no", "bekreftet": True, "primaer": True}
    ]
    assert [p["tekst"] for p in data["forum"]["innlegg"]] == ["Andre versjon"]
    assert data["forum"]["tidligere_versjoner_av_egne_innlegg"][0]["tekst"] == "Første versjon"
    assert data["forum"]["tråder"] == []
    # Nobody else's text is in it.
    assert "Hva gjør dere med dette?" not in response.content.decode()


def test_export_requires_sign_in(client):
    assert client.get("/profil/mine-data/eksport.json").status_code == 302


def test_deleting_an_account_anonymises_it_and_keeps_the_posts(client, topic, vendor_member):
    topic_actions.reply(author=vendor_member, topic=topic, body="Et nyttig svar")
    client.force_login(vendor_member)
    assert client.get("/profil/slett/").status_code == 200
    response = client.post(
        "/profil/slett/", {"password": factories.PASSWORD, "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "Kontoen din er slettet" in response.text
    assert "_auth_user_id" not in client.session

    member = User.objects.get(pk=vendor_member.pk)
    assert member.display_name == "Slettet bruker"
    assert member.email.endswith("@slettet.invalid")
    assert member.job_title == ""
    assert member.organisation is None
    assert not member.is_active
    assert not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()

    post = Post.objects.get(author=member)
    assert post.body == "Et nyttig svar"
    page = client.get(topic.get_absolute_url())
    assert page.status_code == 200
    assert "Slettet bruker" in page.text
    assert "Ola Hansen" not in page.text
    assert "ola@acos.no" not in page.text
    assert client.get(f"/medlem/{member.pk}/").status_code == 404
    assert client.get("/").status_code == 200
    # The old address can no longer sign in, and can sign up afresh.
    client.post("/konto/login/", {"login": "ola@acos.no", "password": factories.PASSWORD})
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="ola@acos.no").exists()


def test_deleting_needs_the_password_and_the_tick(client, vendor_member):
    client.force_login(vendor_member)
    response = client.post("/profil/slett/", {"password": "feil", "confirm": ""})
    assert response.status_code == 400
    assert "Passordet stemmer ikke" in response.text
    assert "Kryss av for å bekrefte" in response.text
    assert User.objects.get(pk=vendor_member.pk).is_active


def test_a_deleted_moderator_loses_the_role(moderator, topic):
    assert moderator.is_moderator
    member = actions.delete_account(user=moderator)
    assert not User.objects.get(pk=member.pk).is_moderator
    assert not member.groups.exists()


def test_deleted_topic_starter_still_shows_in_the_list(client, municipal_member, topic):
    actions.delete_account(user=municipal_member)
    page = client.get("/")
    assert "Noark 5-migrering" in page.text
    assert "Kari Nordmann" not in page.text
    assert Topic.objects.get(pk=topic.pk).author_id == municipal_member.pk


def test_privacy_page_says_what_is_stored_and_why(client):
    page = client.get("/personvern/")
    assert page.status_code == 200
    for words in ["E-postadresse", "Innlegg", "Slettet bruker", "laste ned"]:
        assert words in page.text
    assert 'href="/personvern/"' in client.get("/").text


def test_my_data_page_links_to_export_and_delete(client, municipal_member):
    client.force_login(municipal_member)
    page = client.get("/profil/mine-data/")
    assert "/profil/mine-data/eksport.json" in page.text
    assert "/profil/slett/" in page.text


def test_export_and_delete_cover_notifications_watches_reports_and_groups(
    client, topic, vendor_member, moderator
):
    from accounts.models import GroupInvitation, MemberGroup, MemberGroupMembership
    from notifications.models import Notification, Watch
    from topics.models.moderation import Report

    reply = topic_actions.reply(author=moderator, topic=topic, body="Svar")
    Watch.objects.get_or_create(user=vendor_member, topic=topic)
    Notification.objects.get_or_create(
        recipient=vendor_member, kind=Notification.Kind.REPLY, topic=topic, post=reply
    )
    Report.objects.create(post=reply, reporter=vendor_member, reason="spam", text="Reklame")
    group = MemberGroup.objects.create(name="Nye Drammen", slug="nye-drammen", created_by=moderator)
    MemberGroupMembership.objects.create(group=group, user=vendor_member, added_by=moderator)
    GroupInvitation.objects.create(group=group, email="ola@acos.no", invited_by=moderator)

    from topics import bookmarks, drafts, muting
    from topics.models import Bookmark, Draft, Mute

    drafts.save_draft(member=vendor_member, place=f"reply:{topic.pk}", body="Halvferdig")
    kept = bookmarks.bookmark(member=vendor_member, post=reply)
    bookmarks.update_bookmark(bookmark=kept, note="Mitt notat", remind_at=None)
    muting.mute(member=vendor_member, category=topic.category)

    data = actions.export_member_data(user=vendor_member)
    assert data["forum"]["utkast"][0]["tekst"] == "Halvferdig"
    assert data["forum"]["bokmerker"][0]["notat"] == "Mitt notat"
    assert data["forum"]["dempet"][0]["kategori"] == topic.category_id
    assert data["varsler"]["følger"] and data["varsler"]["varsler"]
    assert data["forum"]["rapporter"][0]["forklaring"] == "Reklame"
    assert data["medlemskap"]["grupper"][0]["gruppe"] == "Nye Drammen"
    assert data["medlemskap"]["invitasjoner"][0]["e_post"] == "ola@acos.no"
    assert "systemoversikt" in data
    json.dumps(data, default=str)

    actions.delete_account(user=vendor_member)
    assert not Watch.objects.filter(user=vendor_member).exists()
    assert not Draft.objects.filter(member=vendor_member).exists()
    assert not Bookmark.objects.filter(member=vendor_member).exists()
    assert not Mute.objects.filter(member=vendor_member).exists()
    assert not Notification.objects.filter(recipient=vendor_member).exists()
    assert not MemberGroupMembership.objects.filter(user=vendor_member).exists()
    assert not GroupInvitation.objects.filter(email="ola@acos.no").exists()
    assert Report.objects.filter(reporter=vendor_member).exists()  # moderators still need it
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_a_member_who_never_confirmed_the_email_has_no_public_page(
    client, unverified_member, municipal_member, vendor_member
):
    assert client.get(f"/medlem/{municipal_member.pk}/").status_code == 200
    assert client.get(f"/medlem/{unverified_member.pk}/").status_code == 404
    client.force_login(vendor_member)
    assert client.get(f"/medlem/{unverified_member.pk}/").status_code == 404
    # Confirmed later, the page is there.
    EmailAddress.objects.filter(user=unverified_member).update(verified=True)
    assert client.get(f"/medlem/{unverified_member.pk}/").status_code == 200
