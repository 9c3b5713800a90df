"""The part of a member's data that conversations hold (see accounts.privacy)."""

from __future__ import annotations

from accounts import privacy
from accounts.models import User
from conversations.models import Block, ConversationReport, Message, Participant


def export(user: User) -> dict[str, object]:
    return {
        "samtaler": [
            {
                "samtale": p.conversation_id,
                "emne": p.conversation.subject,
                "navngitt": p.is_named,
                "lest_til": p.last_read_at,
                "forlot": p.left_at,
            }
            for p in Participant.objects.filter(user=user).select_related("conversation")
        ],
        "meldinger": [
            {"samtale": m.conversation_id, "tekst": m.body, "skrevet": m.created_at}
            for m in Message.objects.filter(author=user).order_by("created_at")
        ],
        "blokkerte": [
            {"medlem": b.blocked_id, "siden": b.created_at}
            for b in Block.objects.filter(blocker=user)
        ],
        "rapporter": [
            {"melding": r.message_id, "begrunnelse": r.reason, "rapportert": r.created_at}
            for r in ConversationReport.objects.filter(reporter=user)
        ],
    }


def erase(user: User) -> None:
    # Messages stay for the others in the conversation (under «Slettet bruker»), as posts do;
    # the member leaves every conversation, and whom they blocked goes.
    Participant.objects.filter(user=user).delete()
    Block.objects.filter(blocker=user).delete()
    Block.objects.filter(blocked=user).delete()


def register() -> None:
    privacy.register("samtaler", export=export, erase=erase)
