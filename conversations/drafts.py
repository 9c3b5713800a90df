"""Drafts of replies in conversations: the place "conversation:<id>" in topics.drafts.

A member may keep a draft only for a conversation they take part in now and may write in;
one they left, or no longer see, refuses it (403) like any other place they cannot reach,
and their drafts page links to it no more (nor says its subject)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from conversations import permissions
from conversations.models import Conversation
from topics import drafts

KIND = "conversation"


def place(conversation: Conversation | int) -> str:
    return f"{KIND}:{getattr(conversation, 'pk', conversation)}"


def _may_write(user, target: str) -> bool:
    if not target.isdecimal():
        return False
    found = Conversation.objects.visible_to(user).filter(pk=int(target)).first()
    return found is not None and permissions.can_reply(user, found)


def _links(user, targets: list[str]) -> dict[str, drafts.PlaceLink]:
    ids = [int(t) for t in targets if t.isdecimal()]
    found = Conversation.objects.visible_to(user).filter(pk__in=ids).only("pk", "subject")
    return {
        str(conversation.pk): drafts.PlaceLink(
            url=f"{conversation.get_absolute_url()}#svar",
            label=_("Svaret ditt i samtalen «%(subject)s»") % {"subject": conversation.subject},
        )
        for conversation in found
    }


def register() -> None:
    drafts.register_place(KIND, drafts.PlaceKind(may_write=_may_write, links=_links))
