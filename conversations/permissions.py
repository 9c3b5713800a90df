"""Who may do what with conversations: the one place the views, actions and templates ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import can_post, is_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from conversations.models import Conversation, ConversationReport, Message

    AnyUser = User | AnonymousUser


def can_start_conversation(user: AnyUser) -> bool:
    """Members who may post (a confirmed e-mail address, no sanction) may write to others."""
    return can_post(user)


def can_reply(user: AnyUser, conversation: Conversation) -> bool:
    """A participant who may post; `conversation` comes from visible_to(user)."""
    return can_post(user)


def can_report_message(user: AnyUser, message: Message) -> bool:
    """A participant reports what someone else wrote, never their own message."""
    return bool(user.is_authenticated and user.is_active and message.author_id != user.pk)


def can_view_reports(user: AnyUser) -> bool:
    return is_moderator(user)


def can_resolve_report(user: AnyUser, report: ConversationReport) -> bool:
    return is_moderator(user)


def can_block(user: AnyUser, member: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.pk != member.pk)
