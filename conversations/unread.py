"""The header's count of unread conversations, cached per member.

A conversation is unread for a member who takes part in it when they have not read it up to
its last message. The header shows the count on every signed-in page, so it is kept in the
shared cache together with the version of `site` (`forum.page_cache`): a change of who is
verified in which organisation moves that version, and so makes the count stale too. The
conversations' own writes (a new conversation, a reply, reading, leaving) drop the count of
every member they change it for (`forget`), now and once they commit. The same unread
conversations are the lines conversations add to a member's digest (`digest_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from notifications import unread as header_counts
from notifications.digest import DigestLine
from notifications.emails import absolute


def unread_for(user):
    """The conversations `user` takes part in and has not read to the end."""
    from conversations.models import Conversation, Participant

    read_to = Participant.objects.filter(conversation=OuterRef("pk"), user=user).values(
        "last_read_at"
    )[:1]
    return (
        Conversation.objects.visible_to(user)
        .annotate(my_read_to=Subquery(read_to))
        .filter(Q(my_read_to__isnull=True) | Q(my_read_to__lt=F("last_message_at")))
    )


def count(user) -> int:
    """Counted with the header's other counts, in one query (notifications.unread)."""
    return header_counts.counts(user)["conversations"]


def forget(user_ids: Iterable[int]) -> None:
    """Drop these members' header counts now and once the write commits."""
    header_counts.forget_counts(user_ids)


DIGEST_MAX_LINES = 20


def digest_lines(user, since: datetime | None) -> list[DigestLine]:
    """For a member's daily or weekly digest: each unread conversation with a message since
    their last digest (its subject and address, never the text)."""
    found = unread_for(user)
    if since is not None:
        found = found.filter(last_message_at__gt=since)
    return [
        DigestLine(
            text=_("Nye meldinger i samtalen «%(subject)s»") % {"subject": conversation.subject},
            url=absolute(conversation.get_absolute_url()),
        )
        for conversation in found.order_by("-last_message_at", "-pk")[:DIGEST_MAX_LINES]
    ]
