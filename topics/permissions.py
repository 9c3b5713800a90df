"""Who may do what with topics and posts: pure functions used by views, actions and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from accounts.permissions import (
    can_post,
    has_verified_email,
    is_moderator,
    is_sanctioned,
    is_verified_municipal,
    may_share_member_pages,
)
from forum import page_cache

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from topics.models import ActionItem, Category, Post, Topic

    AnyUser = User | AnonymousUser


def can_view_category(user: AnyUser, category: Category) -> bool:
    """Asks the one visibility decision (Category.objects.visible_to), remembered per category
    on the user object, so a page that checks many posts of one topic asks once."""
    from topics.models import Category

    answers = user.__dict__.setdefault("_category_visibility", {})
    if category.pk not in answers:
        answers[category.pk] = Category.objects.visible_to(user).filter(pk=category.pk).exists()
    return answers[category.pk]


def remember_category_visible(user: AnyUser, category: Category) -> None:
    """A topic fetched through Topic.objects.visible_to proves its category is visible."""
    user.__dict__.setdefault("_category_visibility", {})[category.pk] = True


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


def topic_list_reader_key(user: AnyUser, **_view_kwargs: object) -> str | None:
    """What a signed-in member's topic list depends on, but for their own parts (the holes:
    name, notifications, «N nye», watch buttons): members with the same key see the same
    page (forum/member_cache.py). The categories they may read decide which topics and
    categories are listed; posting rights and municipal verification decide whether they
    may start topics, and where. None (no shared page) for moderators, who see everything
    with their tools, and for members with topics awaiting approval, which lists show only
    to their author."""
    if not may_share_member_pages(user):
        return None
    return _remembered_reader_key(user, "topic-lists")


def topic_page_reader_key(user: AnyUser, pk: int, **_view_kwargs: object) -> str | None:
    """What a signed-in member's view of a topic page depends on, but for their own parts
    (the holes: header, watch button, «Nytt siden sist», «Nyttig», «Rediger» and
    «Rapporter» on each post, the reply form's one-time key): the topic lists' key, which
    also decides whether they may read and reply in the topic's category and whether they
    may report and mark posts useful (with sanctioned members left out, both follow from a
    confirmed e-mail, as posting does). None (a page rendered for them alone) for
    moderators and members with topics awaiting approval (as for lists), for the asker (who
    marks the answer and sets the verdict), for members with hidden or waiting posts in the
    topic (they see what others do not), and for members under a sanction, who see its
    reason."""
    if not may_share_member_pages(user) or is_sanctioned(user):
        return None
    return _remembered_reader_key(user, f"topic:{pk}", topic_pk=pk)


def searched_posts_reader_key(user: AnyUser, **_view_kwargs: object) -> str | None:
    """What the posts a member finds in search depend on: the topic lists' key, and None
    also for members with a post waiting for approval (search shows it to its author)."""
    if not may_share_member_pages(user):
        return None
    return _remembered_reader_key(user, "search", any_post=True)


def _remembered_reader_key(user: User, name: str, **waiting: object) -> str | None:
    """The reader key from the member's readable categories, remembered until the next
    write (see `_readable_categories_unless_waiting` for `waiting`)."""
    readable = page_cache.remembered(
        f"reader:{name}:{user.pk}",
        lambda: _readable_categories_unless_waiting(user, **waiting),
        settings.FORUM_PAGE_CACHE_SECONDS,
    )
    return None if readable is None else _reader_key(user, readable)


def _reader_key(user: User, readable: str) -> str:
    return (
        f"categories={readable};municipal={is_verified_municipal(user):d};post={can_post(user):d}"
    )


def _readable_categories_unless_waiting(
    user: User, topic_pk: int | None = None, *, any_post: bool = False
) -> str | None:
    """The categories the member may read, or None if they have a topic waiting for
    approval, or (with `topic_pk`) wrote that topic's first post (the asker: a topic's
    author is its first post's, also after a split) or a post in it that is hidden or
    waiting, or (with `any_post`) have a post waiting anywhere. In one query: each readable category comes with the answers (the same on
    every row). Only writes change any of it (a new group member, a verified organisation,
    an approved topic), so it is remembered until the next one; posting rights are not (a
    silence runs out with time)."""
    from django.db.models import Exists, Q, Value

    from topics.models import Category, Post, Topic

    waiting = Topic.objects.filter(author=user, is_approved=False, deleted_at__isnull=True)
    sees_more = (
        Exists(
            Post.objects.filter(topic_id=topic_pk, author=user).filter(
                Q(position=1) | Q(is_hidden=True) | Q(is_approved=False)
            )
        )
        if topic_pk is not None
        else Exists(Post.objects.filter(author=user, is_approved=False))
        if any_post
        else Value(False)
    )
    readable = list(
        Category.objects.visible_to(user)
        .annotate(own=Exists(waiting) | sees_more)
        .order_by("pk")
        .values_list("pk", "own")
    )
    if any(own for _pk, own in readable):
        return None
    return ",".join(str(pk) for pk, _own in readable)
