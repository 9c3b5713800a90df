"""Who may do what with topics and posts: pure functions used by views, actions and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import can_post, is_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from topics.models import Category, Post, Topic

    AnyUser = User | AnonymousUser


def can_start_topic(user: AnyUser, category: Category | None = None) -> bool:
    return can_post(user)


def can_reply(user: AnyUser, topic: Topic) -> bool:
    if not can_post(user):
        return False
    return not topic.is_locked or is_moderator(user)


def can_edit_post(user: AnyUser, post: Post) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and not post.is_hidden and can_post(user)


def can_see_hidden_post(user: AnyUser, post: Post) -> bool:
    return bool(user.is_authenticated and (post.author_id == user.pk or is_moderator(user)))


def can_pin_topic(user: AnyUser, topic: Topic) -> bool:
    return is_moderator(user)


def can_lock_topic(user: AnyUser, topic: Topic) -> bool:
    return is_moderator(user)


def can_hide_post(user: AnyUser, post: Post) -> bool:
    return is_moderator(user)


def can_moderate_topic(user: AnyUser, topic: Topic) -> bool:
    return is_moderator(user)


def can_mark_answer(user: AnyUser, topic: Topic) -> bool:
    """The asker, or a moderator, chooses which reply answers a question."""
    if topic.kind != "sporsmal" or not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    return topic.author_id == user.pk and can_post(user)


def can_accept_post_as_answer(user: AnyUser, post: Post, topic: Topic) -> bool:
    return (
        post.topic_id == topic.pk
        and not post.is_first
        and not post.is_hidden
        and can_mark_answer(user, topic)
    )


def can_mark_useful(user: AnyUser, post: Post) -> bool:
    """Any member who may post, for anyone's visible post but their own."""
    return post.author_id != user.pk and not post.is_hidden and can_post(user)


def can_see_post_history(user: AnyUser, post: Post) -> bool:
    """Whoever can read the post can read its earlier versions (callers check topic visibility)."""
    return not post.is_hidden or can_see_hidden_post(user, post)


def can_quote_post(user: AnyUser, post: Post, topic: Topic) -> bool:
    return can_reply(user, topic) and can_see_post_history(user, post)
