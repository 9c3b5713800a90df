"""Groups, invitations by e-mail, and who may start topics and reply per category."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts import actions as account_actions
from accounts.models import GroupInvitation, MemberGroup
from tests import factories
from topics import actions, permissions
from topics.models import Category, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def nye_drammen(moderator) -> MemberGroup:
    return account_actions.create_group(name="Nye Drammen", by=moderator)


@pytest.fixture
def merger_space(nye_drammen) -> Category:
    space = Category.objects.create(
        name="Nye Drammen: planlegging", slug="nye-drammen", visibility=Category.Visibility.GRUPPE
    )
    space.groups.add(nye_drammen)
    return space


def test_moderator_creates_a_group_and_adds_and_removes_members(
    client, moderator, municipal_member, merger_space
):
    client.force_login(moderator)
    response = client.post("/grupper/", {"name": "Nye Lillestrøm", "description": "Sammenslåing"})
    group = MemberGroup.objects.get(name="Nye Lillestrøm")
    assert response.status_code == 302 and response.url == group.get_absolute_url()

    client.post("/grupper/nye-drammen/", {"action": "add", "medlem-email": municipal_member.email})
    assert Topic.objects.visible_to(municipal_member).filter(category=merger_space).count() == 0
    assert Category.objects.visible_to(municipal_member).filter(pk=merger_space.pk).exists()

    client.post("/grupper/nye-drammen/", {"action": "remove", "member": municipal_member.pk})
    assert not Category.objects.visible_to(municipal_member).filter(pk=merger_space.pk).exists()


def test_group_form_errors_are_shown_next_to_the_field(client, moderator, nye_drammen):
    client.force_login(moderator)
    response = client.post("/grupper/", {"name": "nye drammen"})
    assert response.status_code == 400
    assert "Det finnes allerede en gruppe med dette navnet." in response.text
    response = client.post(
        "/grupper/nye-drammen/", {"action": "add", "medlem-email": "ukjent@example.org"}
    )
    assert response.status_code == 400
    assert "Send en invitasjon i stedet" in response.text
    assert 'value="ukjent@example.org"' in response.text


@pytest.mark.parametrize("who", ["municipal_member", "vendor_member", None])
def test_only_moderators_manage_groups(client, request, who, nye_drammen):
    if who:
        client.force_login(request.getfixturevalue(who))
        assert client.get("/grupper/").status_code == 404
        assert client.get("/grupper/nye-drammen/").status_code == 404
        assert client.post("/grupper/", {"name": "Hemmelig"}).status_code == 404
    else:
        assert client.get("/grupper/").status_code == 302
    assert not MemberGroup.objects.filter(name="Hemmelig").exists()
    with pytest.raises(PermissionDenied):
        account_actions.create_group(name="X", by=request.getfixturevalue("municipal_member"))


def test_invitation_by_email_lets_the_invited_address_join(
    client, moderator, nye_drammen, merger_space, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/grupper/nye-drammen/", {"action": "invite", "inv-email": "Per@Svelvik.kommune.no"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["per@svelvik.kommune.no"]
    link = next(line for line in message.body.splitlines() if "/invitasjon/" in line)
    path = link[link.index("/invitasjon/") :]

    # Someone else, signed in, cannot use the link.
    other = factories.member(email="noen@annen.no")
    client.force_login(other)
    response = client.post(path)
    assert response.status_code == 400
    assert "Logg inn med den adressen" in response.text
    assert not nye_drammen.members.filter(pk=other.pk).exists()

    per = factories.member(email="per@svelvik.kommune.no")
    client.force_login(per)
    assert "Bli med i gruppen" in client.get(path).text
    assert client.post(path).status_code == 302
    assert nye_drammen.members.filter(pk=per.pk).exists()
    assert Category.objects.visible_to(per).filter(pk=merger_space.pk).exists()
    assert GroupInvitation.objects.get().accepted_at is not None
    assert client.post(path).status_code == 400  # used once


def test_invitation_link_needs_sign_in_and_a_valid_signature(client, moderator, nye_drammen):
    invitation = GroupInvitation.objects.create(group=nye_drammen, email="a@b.no")
    token = account_actions.invitation_token(invitation)
    assert client.get(f"/invitasjon/{token}/").status_code == 302
    client.force_login(moderator)
    response = client.get(f"/invitasjon/{token}x/")
    assert response.status_code == 400
    assert "Lenken er ikke gyldig." in response.text


def test_vendor_may_answer_but_not_start_in_vendor_questions(
    client, municipal_member, vendor_member
):
    questions = Category.objects.create(
        name="Spørsmål til leverandørene",
        slug="leverandorsporsmal",
        start_audience=Category.Audience.KOMMUNER,
    )
    assert permissions.can_start_topic(municipal_member, questions)
    assert not permissions.can_start_topic(vendor_member, questions)
    with pytest.raises(PermissionDenied):
        actions.create_topic(
            author=vendor_member, category=questions, title="Reklame for oss", body="Kjøp!"
        )
    topic = actions.create_topic(
        author=municipal_member, category=questions, title="Hvem kan levere arkiv?", body="?"
    )
    assert permissions.can_reply(vendor_member, topic)
    actions.reply(author=vendor_member, topic=topic, body="Det kan vi.")

    client.force_login(vendor_member)
    form = client.get("/ny/").text
    assert "Spørsmål til leverandørene" not in form
    response = client.post(
        "/ny/",
        {"title": "Reklame for oss", "category": questions.pk, "kind": "sporsmal", "body": "x"},
    )
    assert response.status_code == 400
    assert not Topic.objects.filter(title="Reklame for oss").exists()


def test_reply_audience_moderators_only(municipal_member, moderator):
    announcements = Category.objects.create(
        name="Kunngjøringer",
        slug="kunngjoringer",
        start_audience=Category.Audience.MODERATORER,
        reply_audience=Category.Audience.MODERATORER,
    )
    topic = actions.create_topic(author=moderator, category=announcements, title="Nytt", body="!")
    assert not permissions.can_reply(municipal_member, topic)
    with pytest.raises(PermissionDenied):
        actions.reply(author=municipal_member, topic=topic, body="Takk")


def test_member_who_cannot_see_a_category_cannot_post_there_through_the_action(
    vendor_member, merger_space
):
    with pytest.raises(PermissionDenied):
        actions.create_topic(author=vendor_member, category=merger_space, title="Inn", body="x")


def test_unverified_municipal_domain_is_not_municipal(unverified_member):
    municipal_only = Category.objects.create(
        name="Bare kommuner", slug="bare-kommuner", visibility=Category.Visibility.KOMMUNER
    )
    assert not Category.objects.visible_to(unverified_member).filter(pk=municipal_only.pk).exists()
