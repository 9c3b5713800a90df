"""Private conversations: who takes part, what they may do, and what they never see."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from conversations import actions
from conversations.models import (
    Block,
    Conversation,
    ConversationReport,
    Message,
    MessageAttachment,
    Participant,
)
from notifications import actions as notification_actions
from notifications.models import Delivery
from tests import factories
from tests.attachment_files import PDF, upload
from tests.conftest import page_queries

pytestmark = pytest.mark.django_db


def start(by, *, members=(), organisations=(), body="Hei, et spørsmål.", **extra):
    return actions.start_conversation(
        by=by,
        recipients=actions.Recipients(members=list(members), organisations=list(organisations)),
        subject=extra.pop("subject", "Om sak/arkiv"),
        body=body,
        **extra,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_conversation_between_two_members_is_seen_by_them_alone(
    municipal_member, vendor_member, moderator, unverified_member
):
    response = signed_in(municipal_member).post(
        "/samtaler/ny/",
        {"members": "Ola Hansen", "subject": "Migrering", "body": "Hemmeligord **her**"},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    page = signed_in(vendor_member).get(conversation.get_absolute_url())
    assert page.status_code == 200
    assert "Hemmeligord <strong>her</strong>" in page.content.decode()
    for outsider in (moderator, unverified_member):
        assert signed_in(outsider).get(conversation.get_absolute_url()).status_code == 404
    assert Client().get(conversation.get_absolute_url()).status_code == 302  # to sign in

    reply = signed_in(vendor_member).post(f"/samtaler/{conversation.pk}/svar/", {"body": "Svar!"})
    assert reply.status_code == 302
    assert "Svar!" in signed_in(municipal_member).get(conversation.get_absolute_url()).text
    assert signed_in(moderator).post(
        f"/samtaler/{conversation.pk}/svar/", {"body": "Inn?"}
    ).status_code == (404)
    assert Message.objects.count() == 2


def test_every_verified_member_of_an_organisation_takes_part_at_read_time(
    municipal_member, vendor_member, vendor_org
):
    conversation = start(municipal_member, organisations=[vendor_org])
    colleague = factories.member(email="siri@acos.no", display_name="Siri Acos")
    unverified_colleague = factories.member(email="per@acos.no", email_verified=False)
    assert signed_in(colleague).get(conversation.get_absolute_url()).status_code == 200
    assert signed_in(vendor_member).get(conversation.get_absolute_url()).status_code == 200
    assert signed_in(unverified_colleague).get(conversation.get_absolute_url()).status_code == 404
    # A member who leaves the organisation no longer takes part.
    User.objects.filter(pk=colleague.pk).update(organisation=None, organisation_verification="")
    colleague.refresh_from_db()
    assert not Conversation.objects.visible_to(colleague).exists()
    assert signed_in(colleague).get(conversation.get_absolute_url()).status_code == 404


def test_messaging_oneself_is_refused_by_the_field_and_nothing_is_stored(municipal_member):
    response = signed_in(municipal_member).post(
        "/samtaler/ny/",
        {"members": "kari@drammen.kommune.no", "subject": "Til meg", "body": "Tekst som blir"},
    )
    assert response.status_code == 400
    assert "Du kan ikke sende en melding til deg selv." in response.text
    assert "Tekst som blir" in response.text
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_an_organisation_without_verified_members_is_refused(municipal_member):
    empty = factories.organisation(name="Tomt AS", slug="tomt", kind="leverandor")
    factories.member(email="x@example.org", organisation=empty)  # a member, not verified
    response = signed_in(municipal_member).post(
        "/samtaler/ny/", {"organisation": str(empty.pk), "subject": "Hei", "body": "Tekst"}
    )
    assert response.status_code == 400
    assert "Tomt AS har ingen andre verifiserte medlemmer som kan svare." in response.text
    assert not Conversation.objects.exists() and not Participant.objects.exists()


def test_a_member_who_blocked_you_cannot_be_written_to(municipal_member, vendor_member):
    actions.block(blocker=vendor_member, blocked=municipal_member)
    response = signed_in(municipal_member).post(
        "/samtaler/ny/", {"members": "ola@acos.no", "subject": "Hei", "body": "Tekst"}
    )
    assert response.status_code == 400
    assert "Ola Hansen tar ikke imot meldinger fra deg." in response.text
    assert not Conversation.objects.exists()
    # Unblocked, it goes.
    signed_in(vendor_member).post(f"/samtaler/blokker/{municipal_member.pk}/", {"action": "opphev"})
    assert not Block.objects.exists()
    start(municipal_member, members=[vendor_member])


def test_block_button_in_a_conversation_blocks_new_conversations(municipal_member, vendor_member):
    conversation = start(municipal_member, members=[vendor_member])
    response = signed_in(vendor_member).post(
        f"/samtaler/blokker/{municipal_member.pk}/", {"samtale": str(conversation.pk)}
    )
    assert response["Location"] == conversation.get_absolute_url()
    assert Block.objects.filter(blocker=vendor_member, blocked=municipal_member).exists()
    with pytest.raises(Exception, match="tar ikke imot"):
        start(municipal_member, members=[vendor_member])


@pytest.mark.parametrize(
    ("members", "error"),
    [
        ("Finnes Ikke", "Fant ingen medlem som heter «Finnes Ikke»."),
        ("", "Velg minst én mottaker."),
        ("Lik Navn", "Flere medlemmer heter «Lik Navn». Skriv e-postadressen i stedet."),
    ],
)
def test_unknown_missing_or_ambiguous_recipients_get_an_error(municipal_member, members, error):
    factories.member(display_name="Lik Navn")
    factories.member(display_name="Lik Navn")
    response = signed_in(municipal_member).post(
        "/samtaler/ny/", {"members": members, "subject": "Hei", "body": "Tekst"}
    )
    assert response.status_code == 400
    assert error in response.text
    assert not Conversation.objects.exists()


def test_hostile_input_is_a_form_error_never_a_500(municipal_member, vendor_member):
    client = signed_in(municipal_member)
    for data in (
        {"members": "Ola Hansen", "subject": "", "body": ""},
        {"members": "Ola Hansen", "subject": "x" * 500, "body": "Tekst"},
        {"members": "Ola Hansen", "organisation": "'; drop", "subject": "Hei", "body": "T"},
        {"members": ",".join(f"m{i}@example.org" for i in range(20)), "subject": "H", "body": "T"},
    ):
        assert client.post("/samtaler/ny/", data).status_code == 400, data
    assert not Conversation.objects.exists()
    assert client.get("/samtaler/ny/?til=abc&org=../../x").status_code == 200


def test_the_list_marks_unread_conversations_until_read(municipal_member, vendor_member):
    conversation = start(municipal_member, members=[vendor_member])
    vendor = signed_in(vendor_member)
    assert "Ulest" in vendor.get("/samtaler/").text
    assert "Ulest" not in signed_in(municipal_member).get("/samtaler/").text
    assert "data-read-mark" in vendor.get(conversation.get_absolute_url()).text
    response = vendor.post(f"/samtaler/{conversation.pk}/lest/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert "Ulest" not in vendor.get("/samtaler/").text
    actions.reply(author=municipal_member, conversation=conversation, body="Mer")
    assert "Ulest" in vendor.get("/samtaler/").text


def test_a_member_who_leaves_no_longer_sees_the_conversation(
    municipal_member, vendor_member, vendor_org
):
    named = start(municipal_member, members=[vendor_member], subject="Navngitt")
    to_org = start(municipal_member, organisations=[vendor_org], subject="Til Acos")
    vendor = signed_in(vendor_member)
    for conversation in (named, to_org):
        assert vendor.post(f"/samtaler/{conversation.pk}/forlat/").status_code == 302
        assert vendor.get(conversation.get_absolute_url()).status_code == 404
    assert not Conversation.objects.visible_to(vendor_member).exists()
    assert Conversation.objects.visible_to(municipal_member).count() == 2


def test_attachments_are_served_only_to_participants(municipal_member, vendor_member, moderator):
    conversation = start(municipal_member, members=[vendor_member])
    response = signed_in(vendor_member).post(
        f"/samtaler/{conversation.pk}/svar/",
        {"body": "Se vedlegget", "attachments": [upload("avtale.pdf", PDF)]},
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    url = attachment.get_absolute_url()
    assert signed_in(municipal_member).get(url).status_code == 200
    assert "avtale.pdf" in signed_in(municipal_member).get(conversation.get_absolute_url()).text
    assert signed_in(moderator).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert Client().get("/samtaler/vedlegg/987654/").status_code == 404


def test_a_refused_file_keeps_the_text_and_stores_nothing(municipal_member, vendor_member):
    conversation = start(municipal_member, members=[vendor_member])
    response = signed_in(vendor_member).post(
        f"/samtaler/{conversation.pk}/svar/",
        {"body": "Teksten min", "attachments": [upload("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)]},
    )
    assert response.status_code == 400
    assert "Teksten min" in response.text
    assert Message.objects.count() == 1 and not MessageAttachment.objects.exists()


def test_participants_who_chose_email_get_one_without_the_text(
    municipal_member, vendor_member, vendor_org, moderator, django_capture_on_commit_callbacks
):
    colleague = factories.member(email="siri@acos.no", display_name="Siri Acos")
    notification_actions.set_delivery(user=colleague, delivery=Delivery.FORUM)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation = start(municipal_member, organisations=[vendor_org], body="Hemmelig tekst")
    assert [m.to for m in mail.outbox] == [[vendor_member.email]]
    sent = mail.outbox[0]
    assert "Om sak/arkiv" in sent.subject and "Kari Nordmann" in sent.subject
    assert "Hemmelig tekst" not in sent.body
    assert conversation.get_absolute_url() in sent.body
    mail.outbox.clear()
    actions.leave(user=vendor_member, conversation=conversation)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(author=colleague, conversation=conversation, body="Svar")
    assert [m.to for m in mail.outbox] == [[municipal_member.email]]
    # Nothing about a conversation ever reaches the notification list.
    assert "Om sak/arkiv" not in signed_in(moderator).get("/varsler/").text


def test_a_report_shows_the_moderator_only_the_reported_message(
    municipal_member, vendor_member, moderator
):
    conversation = start(municipal_member, members=[vendor_member], subject="Privat emne")
    bad = actions.reply(author=vendor_member, conversation=conversation, body="Kjøp nå! Spam")
    actions.reply(author=municipal_member, conversation=conversation, body="Annen melding")
    reporter = signed_in(municipal_member)
    assert reporter.get(f"/samtaler/melding/{bad.pk}/rapporter/").status_code == 200
    response = reporter.post(f"/samtaler/melding/{bad.pk}/rapporter/", {"reason": "Reklame"})
    assert response.status_code == 302
    assert ConversationReport.objects.get().message == bad
    own = Message.objects.get(body="Annen melding")
    assert reporter.get(f"/samtaler/melding/{own.pk}/rapporter/").status_code == 404
    assert signed_in(moderator).get(f"/samtaler/melding/{bad.pk}/rapporter/").status_code == 404

    page = signed_in(moderator).get("/samtaler/rapporter/").text
    assert "Kjøp nå! Spam" in page and "Reklame" in page
    assert "Annen melding" not in page and "Privat emne" not in page
    assert "Hei, et spørsmål." not in page
    assert signed_in(moderator).get(conversation.get_absolute_url()).status_code == 404
    assert signed_in(vendor_member).get("/samtaler/rapporter/").status_code == 404
    report = ConversationReport.objects.get()
    signed_in(moderator).post(f"/samtaler/rapporter/{report.pk}/behandlet/")
    assert "Kjøp nå! Spam" not in signed_in(moderator).get("/samtaler/rapporter/").text


def test_unverified_members_may_start_fewer_conversations(
    settings, municipal_member, vendor_member
):
    from django.core.cache import cache

    cache.clear()
    unverified = factories.member(email="ny@gmail.example", display_name="Ny Person")
    assert not unverified.organisation_is_verified
    settings.FORUM_RATE_LIMITS = {
        **settings.FORUM_RATE_LIMITS,
        "conversation": "3/h",
        "conversation_unverified": "1/h",
    }
    data = {"members": "Ola Hansen", "subject": "Hei", "body": "Tekst"}
    newcomer, verified = signed_in(unverified), signed_in(municipal_member)
    assert newcomer.post("/samtaler/ny/", data).status_code == 302
    refused = newcomer.post("/samtaler/ny/", {**data, "body": "Andre gang"})
    assert refused.status_code == 429 and "Andre gang" in refused.text
    for _ in range(3):
        assert verified.post("/samtaler/ny/", data).status_code == 302
    assert verified.post("/samtaler/ny/", data).status_code == 429
    assert Conversation.objects.count() == 4
    cache.clear()


def test_members_who_may_not_post_cannot_start_one(unverified_member, vendor_member):
    client = signed_in(unverified_member)
    assert client.get("/samtaler/ny/").status_code == 403
    response = client.post("/samtaler/ny/", {"members": "Ola Hansen", "subject": "H", "body": "T"})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_preview_shows_the_rendered_text_and_sends_nothing(municipal_member, vendor_member):
    response = signed_in(municipal_member).post(
        "/samtaler/ny/",
        {"members": "Ola Hansen", "subject": "Hei", "body": "**fet**", "forhandsvis": "1"},
    )
    assert response.status_code == 200
    assert "<strong>fet</strong>" in response.text
    assert not Conversation.objects.exists()


def test_links_to_write_from_member_and_organisation_pages(municipal_member, vendor_member):
    client = signed_in(municipal_member)
    assert (
        f"/samtaler/ny/?til={vendor_member.pk}" in client.get(vendor_member.get_absolute_url()).text
    )
    assert "/samtaler/ny/?org=acos" in client.get("/org/acos/").text
    form = client.get(f"/samtaler/ny/?til={vendor_member.pk}&org=acos").text
    assert 'value="Ola Hansen"' in form
    assert "data-upload-url" not in form  # no drafts in the topics' attachments
    assert "/samtaler/" in client.get("/").text
    assert "/samtaler/" not in Client().get("/").text


def _count(client, url) -> int:
    return len(page_queries(client, url))


def test_list_and_conversation_pages_do_not_grow_with_the_data(
    municipal_member, vendor_member, vendor_org
):
    others = [factories.member(display_name=f"Deltaker {i}") for i in range(4)]
    first = start(municipal_member, members=[vendor_member, others[0]])
    actions.reply(author=vendor_member, conversation=first, body="Svar")
    client = signed_in(municipal_member)
    small = [_count(client, "/samtaler/"), _count(client, first.get_absolute_url())]

    for i in range(12):
        more = start(municipal_member, members=others[: 1 + i % 4], organisations=[vendor_org])
        for j in range(3):
            actions.reply(author=vendor_member, conversation=more, body=f"Svar {j}")
    for j in range(15):
        actions.reply(author=others[0], conversation=first, body=f"Mer {j}", files=[])
    big = [_count(client, "/samtaler/"), _count(client, first.get_absolute_url())]
    assert small == big
    # session, member, count + conversations (with how far the member has read), named
    # participants, organisations, the header's counts (notifications and conversations, one
    # query: notifications.unread)
    assert big[0] == 7
    # session, member, the conversation (with the member's draft), its named participants,
    # its organisations, messages (with authors), their attachments, whom the member
    # blocked, the header's counts (one query)
    assert big[1] == 9


def test_export_and_delete_cover_conversations(municipal_member, vendor_member):
    import json

    from accounts import actions as account_actions

    conversation = start(vendor_member, members=[municipal_member], body="Min egen tekst")
    actions.reply(author=municipal_member, conversation=conversation, body="Karis tekst")
    actions.block(blocker=vendor_member, blocked=municipal_member)
    data = account_actions.export_member_data(user=vendor_member)["samtaler"]
    assert [m["tekst"] for m in data["meldinger"]] == ["Min egen tekst"]
    assert data["samtaler"][0]["emne"] == "Om sak/arkiv"
    assert data["blokkerte"][0]["medlem"] == municipal_member.pk
    assert "Karis tekst" not in json.dumps(data, default=str)

    account_actions.delete_account(user=vendor_member)
    assert not Participant.objects.filter(user=vendor_member).exists()
    assert not Block.objects.exists()
    page = signed_in(municipal_member).get(conversation.get_absolute_url())
    assert "Min egen tekst" in page.text and "Ola Hansen" not in page.text


def test_a_quote_fills_the_reply_with_the_message_of_this_conversation_only(
    municipal_member, vendor_member
):
    conversation = start(municipal_member, members=[vendor_member], body="Linje én\n\nLinje to")
    other = start(municipal_member, members=[factories.member()], body="Annen samtale")
    first = conversation.messages.get()
    client = signed_in(vendor_member)
    page = client.get(f"{conversation.get_absolute_url()}?sitat={first.pk}").text
    assert "&gt; **Kari Nordmann skrev:**" in page and "&gt; Linje to" in page
    elsewhere = client.get(f"{conversation.get_absolute_url()}?sitat={other.messages.get().pk}")
    assert "Annen samtale" not in elsewhere.text
    assert client.get(f"{conversation.get_absolute_url()}?sitat=x").status_code == 200


def test_a_member_who_blocked_the_writer_is_left_out_of_a_conversation_with_their_organisation(
    municipal_member, vendor_member, vendor_org
):
    colleague = factories.member(email="siri@acos.no", display_name="Siri Acos")
    actions.block(blocker=vendor_member, blocked=municipal_member)
    conversation = start(municipal_member, organisations=[vendor_org])
    assert not Conversation.objects.visible_to(vendor_member).exists()
    assert Conversation.objects.visible_to(colleague).get() == conversation
    # With no one left in the organisation who would hear it, it is refused.
    actions.block(blocker=colleague, blocked=municipal_member)
    response = signed_in(municipal_member).post(
        "/samtaler/ny/", {"organisation": str(vendor_org.pk), "subject": "Hei", "body": "T"}
    )
    assert response.status_code == 400
    assert "Acos har ingen andre verifiserte medlemmer som kan svare." in response.text
    assert Conversation.objects.count() == 1


def test_the_reports_page_is_a_moderator_tool_behind_two_factor(moderator):
    from allauth.mfa.models import Authenticator

    no_second_factor = factories.member(email="nils@kartverket.no", moderator=True)
    Authenticator.objects.filter(user=no_second_factor).delete()
    no_second_factor = User.objects.get(pk=no_second_factor.pk)
    assert signed_in(no_second_factor).get("/samtaler/rapporter/").status_code == 403
    page = signed_in(moderator).get("/moderering/").text
    assert "/samtaler/rapporter/" in page  # linked from the moderation queue's menu


def test_hostile_markup_in_a_message_and_its_subject_is_shown_as_text(
    municipal_member, vendor_member, moderator
):
    conversation = start(
        municipal_member,
        members=[vendor_member],
        subject="<script>alert('emne')</script>",
        body="<img src=x onerror=alert(1)> [klikk](javascript:alert(2))",
    )
    actions.report(message=conversation.messages.get(), reporter=vendor_member, reason="<b>fet</b>")
    pages = [
        signed_in(vendor_member).get(conversation.get_absolute_url()).text,
        signed_in(vendor_member).get("/samtaler/").text,
        signed_in(moderator).get("/samtaler/rapporter/").text,
    ]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert 'href="javascript' not in page and "<b>fet</b>" not in page
    assert "&lt;script&gt;" in pages[0]


def test_a_member_without_a_public_page_cannot_be_found_or_blocked(municipal_member):
    hidden = factories.member(
        email="skjult@example.org", display_name="Skjult", email_verified=False
    )
    client = signed_in(municipal_member)
    response = client.post("/samtaler/ny/", {"members": "Skjult", "subject": "H", "body": "T"})
    assert "Fant ingen medlem som heter «Skjult»." in response.text
    assert client.post(f"/samtaler/blokker/{hidden.pk}/").status_code == 404
    assert 'value="Skjult"' not in client.get(f"/samtaler/ny/?til={hidden.pk}").text


# ---- The header's count of unread conversations ----------------------------------------


def _header_says(client) -> str:
    """What the «Samtaler» link in the header is called (what a screen reader says)."""
    import re

    page = client.get("/samtaler/ny/").text
    found = re.search(r'<a href="/samtaler/"(?: aria-label="([^"]*)")?>Samtaler', page)
    assert found, "no «Samtaler» link in the header"
    return found.group(1) or "Samtaler"


def test_the_header_counts_unread_conversations_and_each_write_drops_the_count(
    municipal_member, vendor_member, vendor_org
):
    colleague = factories.member(email="siri@acos.no", display_name="Siri Acos")
    writer, reader, other = (
        signed_in(municipal_member),
        signed_in(vendor_member),
        signed_in(colleague),
    )
    assert _header_says(reader) == "Samtaler"  # cached now: every later figure is a dropped one
    assert _header_says(other) == "Samtaler"
    first = start(municipal_member, members=[vendor_member])
    assert _header_says(reader) == "Samtaler, 1 ulest"
    assert _header_says(other) == "Samtaler"  # not a participant
    assert _header_says(writer) == "Samtaler"  # one's own message is read

    second = start(municipal_member, organisations=[vendor_org])
    assert _header_says(reader) == "Samtaler, 2 uleste"
    assert _header_says(other) == "Samtaler, 1 ulest"  # every verified member of Acos

    reader.post(f"/samtaler/{first.pk}/lest/")
    assert _header_says(reader) == "Samtaler, 1 ulest"
    actions.reply(author=colleague, conversation=second, body="Vi ser på det.")
    assert _header_says(writer) == "Samtaler, 1 ulest"
    assert _header_says(other) == "Samtaler"
    reader.post(f"/samtaler/{second.pk}/forlat/")
    assert _header_says(reader) == "Samtaler"
    actions.reply(author=municipal_member, conversation=second, body="Takk!")
    assert _header_says(reader) == "Samtaler"  # left: hears nothing more
    assert _header_says(other) == "Samtaler, 1 ulest"


def test_the_unread_count_is_dropped_again_when_the_write_commits(
    municipal_member, vendor_member, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from conversations import unread
    from forum import page_cache
    from notifications.unread import _key

    with django_capture_on_commit_callbacks(execute=True):
        start(municipal_member, members=[vendor_member])
        # Another request, not yet seeing the uncommitted message, cached the old figure.
        cache.set(
            _key(vendor_member.pk),
            (page_cache.version(page_cache.SITE), {"notifications": 0, "conversations": 0}),
        )
    assert unread.count(vendor_member) == 1


# ---- Drafts of replies -----------------------------------------------------------------


def _save_draft(client, conversation, body: str):
    return client.post(
        "/utkast/lagre/", {"place": f"conversation:{conversation.pk}", "body": body, "title": ""}
    )


def test_a_reply_draft_comes_back_on_the_page_and_goes_when_sent(municipal_member, vendor_member):
    from topics.models import Draft

    conversation = start(municipal_member, members=[vendor_member])
    client = signed_in(vendor_member)
    page = client.get(conversation.get_absolute_url()).text
    assert f'data-draft-place="conversation:{conversation.pk}"' in page
    assert 'name="lagre_utkast"' in page
    assert _save_draft(client, conversation, "Halvferdig svar").status_code == 200
    assert (
        "Halvferdig svar</textarea>"
        in signed_in(vendor_member).get(conversation.get_absolute_url()).text
    )
    assert (
        "Halvferdig svar"
        not in signed_in(municipal_member).get(conversation.get_absolute_url()).text
    )
    drafts_page = client.get("/utkast/").text
    assert f'href="/samtaler/{conversation.pk}/#svar"' in drafts_page
    assert "Om sak/arkiv" in drafts_page

    sent = client.post(f"/samtaler/{conversation.pk}/svar/", {"body": "Ferdig svar"})
    assert sent.status_code == 302
    assert not Draft.objects.exists()


def test_the_save_draft_button_works_without_javascript(municipal_member, vendor_member):
    from topics.models import Draft

    conversation = start(municipal_member, members=[vendor_member])
    client = signed_in(vendor_member)
    kept = client.post(
        f"/samtaler/{conversation.pk}/svar/", {"body": "Uten skript", "lagre_utkast": "1"}
    )
    assert kept.status_code == 302
    assert Draft.objects.get().body == "Uten skript"
    assert Message.objects.count() == 1  # nothing sent
    too_long = client.post(
        f"/samtaler/{conversation.pk}/svar/", {"body": "x" * 60_000, "lagre_utkast": "1"}
    )
    assert too_long.status_code == 400
    assert Draft.objects.get().body == "Uten skript"


def test_no_draft_for_a_conversation_one_does_not_or_no_longer_takes_part_in(
    municipal_member, vendor_member, moderator
):
    from topics.models import Draft

    conversation = start(municipal_member, members=[vendor_member], subject="Hemmelig emne")
    assert _save_draft(signed_in(moderator), conversation, "Inn?").status_code == 403
    client = signed_in(vendor_member)
    assert _save_draft(client, conversation, "Før jeg går").status_code == 200
    client.post(f"/samtaler/{conversation.pk}/forlat/")
    assert not Draft.objects.exists()  # leaving takes the draft with it
    assert _save_draft(client, conversation, "Etterpå").status_code == 403
    assert not Draft.objects.exists()

    # One who stops taking part another way (here: no longer named) keeps their own text,
    # but the drafts page neither links to the conversation nor names it.
    _save_draft(signed_in(municipal_member), conversation, "Mitt utkast")
    Participant.objects.filter(user=municipal_member).update(is_named=False)
    drafts_page = signed_in(municipal_member).get("/utkast/").text
    assert "Hemmelig emne" not in drafts_page
    assert f"/samtaler/{conversation.pk}/" not in drafts_page


# ---- Digests ---------------------------------------------------------------------------


def test_a_digest_names_conversations_with_new_messages_but_not_their_text(
    municipal_member, vendor_member, vendor_org
):
    from django.core.management import call_command

    colleague = factories.member(email="siri@acos.no", display_name="Siri Acos")
    for member in (vendor_member, colleague):
        notification_actions.set_delivery(user=member, delivery=Delivery.DAILY)
    read = start(municipal_member, members=[vendor_member], subject="Lest allerede")
    actions.mark_read(user=vendor_member, conversation=read)
    start(municipal_member, organisations=[vendor_org], subject="Til Acos", body="Hemmelig tekst")
    mail.outbox.clear()
    call_command("send_digests", "--period", "daily")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {vendor_member.email, colleague.email}
    for body in bodies.values():
        assert "Nye meldinger i samtalen «Til Acos»" in body
        assert "/samtaler/" in body
        assert "Hemmelig tekst" not in body
    assert "Lest allerede" not in bodies[vendor_member.email]

    mail.outbox.clear()
    call_command("send_digests", "--period", "daily")
    assert mail.outbox == []  # nothing new since the last digest
    conversation = Conversation.objects.get(subject="Til Acos")
    actions.leave(user=colleague, conversation=conversation)
    actions.reply(author=municipal_member, conversation=conversation, body="Mer")
    call_command("send_digests", "--period", "daily")
    assert [m.to for m in mail.outbox] == [[vendor_member.email]]
