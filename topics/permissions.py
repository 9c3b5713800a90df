"""Who may do what with topics and posts: pure functions used by views, actions and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import can_post, has_verified_email, is_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from topics.models import ActionItem, Category, Post, Topic

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


def can_publish_directly(user: AnyUser) -> bool:
    """Members without a verified organisation wait for approval until a first post is approved."""
    from django.conf import settings

    if not settings.FORUM_APPROVE_FIRST_POSTS_OF_UNVERIFIED or is_moderator(user):
        return True
    if not user.is_authenticated:
        return False
    if user.organisation_is_verified:
        return True
    return user.posts.filter(is_approved=True).exists()


def can_view_moderation(user: AnyUser) -> bool:
    return is_moderator(user)


def can_report_post(user: AnyUser, post: Post) -> bool:
    """Any signed-in member with a confirmed e-mail, about a post that is not their own."""
    if not has_verified_email(user) or user.is_suspended:
        return False
    return post.author_id != user.pk and not post.is_hidden


def can_resolve_report(user: AnyUser, post: Post) -> bool:
    return is_moderator(user)


def can_approve_post(user: AnyUser, post: Post) -> bool:
    return is_moderator(user)


def can_manage_action_items(user: AnyUser, topic: Topic) -> bool:
    return is_moderator(user)


def can_update_action_item(user: AnyUser, item: ActionItem) -> bool:
    """Moderators, and verified members of the responsible organisation."""
    if is_moderator(user):
        return True
    if not can_post(user) or item.responsible_organisation_id is None:
        return False
    return bool(
        user.organisation_is_verified and user.organisation_id == item.responsible_organisation_id
    )
