"""Members of an organisation answering one conversation at once, on PostgreSQL: every
message is stored and the conversation's counter is exact."""

from __future__ import annotations

import pytest
from django.db import connection

from conversations import actions
from conversations.models import Conversation
from tests import factories
from tests.test_concurrency import run_at_once

WRITERS = 20

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has one writer at a time",
    ),
]


def test_twenty_members_answering_at_once_are_all_counted(municipal_member, vendor_org):
    members = [factories.member(email=f"svarer{n}@acos.no") for n in range(WRITERS)]
    conversation = actions.start_conversation(
        by=municipal_member,
        recipients=actions.Recipients(members=[], organisations=[vendor_org]),
        subject="Alle svarer",
        body="Hvem er der?",
    )
    errors = run_at_once(
        [
            lambda member=member: actions.reply(
                author=member, conversation=conversation, body=f"Her er {member.email}"
            )
            for member in members
        ]
    )
    assert not errors, errors
    stored = Conversation.objects.get(pk=conversation.pk)
    assert stored.messages.count() == WRITERS + 1
    assert stored.message_count == WRITERS + 1
    assert stored.last_message_at == stored.messages.latest("created_at").created_at
