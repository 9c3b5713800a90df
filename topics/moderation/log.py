"""Writing the moderation log. Called by the actions, inside their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from topics.models import ModerationLogEntry

if TYPE_CHECKING:
    from accounts.models import User
    from topics.models import Post, Topic


def log_moderation(
    *,
    actor: User | None,
    action: ModerationLogEntry.Action,
    target: str,
    topic: Topic | None = None,
    other_topic: Topic | None = None,
    post: Post | None = None,
    member: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ModerationLogEntry:
    if topic is None and post is not None:
        topic = post.topic
    return ModerationLogEntry.objects.create(
        actor=actor,
        action=action,
        target=target[:400],
        topic=topic,
        other_topic=other_topic,
        post=post,
        member=member,
        reason=reason,
        details=details or {},
    )
