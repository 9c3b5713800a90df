"""Who may do what with topics and posts: pure functions used by views, actions and templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from accounts.permissions import (
    can_post,
    has_verified_email,
    is_moderator,
    is_verified_municipal,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from topics.models import Category, Poll, Post, Topic

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


def can_vote_in_poll(user: AnyUser, poll: Poll, topic: Topic) -> bool:
    """Voting is replying without words: whoever may reply in the topic may vote, while the
    poll is open and the topic is not locked (a lock stops votes for moderators too)."""
    return not topic.is_locked and not poll.is_closed() and can_reply(user, topic)


def can_see_poll_results(user: AnyUser, poll: Poll, *, has_voted: bool) -> bool:
    """Once the poll is closed, everyone who sees the topic; before that, with «after voting»,
    only those who have voted (so a signed-out visitor sees them after closing). Who voted
    for what, in a public poll, is shown along with the results."""
    if poll.is_closed():
        return True
    return poll.results_visibility == poll.ResultsVisibility.AFTER_VOTE and has_voted


def can_close_poll(user: AnyUser, poll: Poll, topic: Topic) -> bool:
    """The topic's author (while they may post) or a moderator, before it has closed."""
    if poll.is_closed() or not user.is_authenticated:
        return False
    return (topic.author_id == user.pk and can_post(user)) or can_moderate_topic(user, topic)


@dataclass(frozen=True, slots=True)
class PostTools:
    """What one reader may do with one post on a topic page, asked once per post in the view
    (`post_tools`) instead of by a template filter per button: the same functions answer."""

    see_body: bool
    see_hidden_reason: bool
    edit: bool
    hide: bool
    report: bool
    mark_useful: bool
    quote: bool
    accept: bool
    approve: bool


def post_tools(user: AnyUser, post: Post, topic: Topic, *, may_reply: bool) -> PostTools:
    """`may_reply` is can_reply(user, topic), the same for every post of the page."""
    see_hidden = can_see_hidden_post(user, post)
    return PostTools(
        see_body=not post.is_hidden or see_hidden,
        see_hidden_reason=see_hidden,
        edit=can_edit_post(user, post),
        hide=can_hide_post(user, post),
        report=can_report_post(user, post),
        mark_useful=can_mark_useful(user, post),
        quote=may_reply and not post.is_hidden,
        accept=can_accept_post_as_answer(user, post, topic),
        approve=can_approve_post(user, post),
    )


def can_publish_directly(user: AnyUser) -> bool:
    """Members without a verified organisation wait for approval until a first post is approved."""

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


def can_bookmark(user: AnyUser) -> bool:
    """Any signed-in, active member keeps bookmarks (only they see them)."""
    return bool(user.is_authenticated and user.is_active)


def can_mute(user: AnyUser, member: User | None = None) -> bool:
    """Any signed-in member may mute, but not themselves."""
    if not (user.is_authenticated and user.is_active):
        return False
    return member is None or member.pk != user.pk


def can_save_draft(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)
