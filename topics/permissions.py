"""Who may do what with topics and posts: pure functions used by views, actions and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import can_post, is_moderator, is_verified_municipal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from topics.models import Category, Post, Topic

    AnyUser = User | AnonymousUser


def can_view_category(user: AnyUser, category: Category) -> bool:
    """Asks the one visibility decision (Category.objects.visible_to), remembered per category
    on the user object, so a page that checks many posts of one topic asks once."""
    from topics.models import Category

    answers = user.__dict__.setdefault("_category_visibility", {})
    if category.pk not in answers:
        answers[category.pk] = Category.objects.visible_to(user).filter(pk=category.pk).exists()
    return answers[category.pk]


def _in_audience(user: AnyUser, audience: str) -> bool:
    from topics.models import Category

    if is_moderator(user):
        return True
    if audience == Category.Audience.MODERATORER:
        return False
    if audience == Category.Audience.KOMMUNER:
        return is_verified_municipal(user)
    return True


def can_start_topic(user: AnyUser, category: Category | None = None) -> bool:
    """Without a category: may the user start a topic somewhere (e.g. to show the button)."""
    if not can_post(user):
        return False
    if category is None:
        return True
    return can_view_category(user, category) and _in_audience(user, category.start_audience)


def can_reply(user: AnyUser, topic: Topic) -> bool:
    if not can_post(user):
        return False
    category = topic.category
    if not can_view_category(user, category) or not _in_audience(user, category.reply_audience):
        return False
    return not topic.is_locked or is_moderator(user)


def can_edit_post(user: AnyUser, post: Post) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_moderator(user):
        return True
    return (
        post.author_id == user.pk
        and not post.is_hidden
        and can_post(user)
        and can_view_category(user, post.topic.category)
    )


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
