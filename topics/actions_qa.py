"""Writes for questions and answers, "Nyttig", mentions and read tracking.

Same rules as topics/actions.py: keyword-only, one transaction, permission inside.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import page_cache
from topics import permissions, signals
from topics.markdown import render_markdown
from topics.mentions import find_mentions, link_mentions
from topics.models import Post, PostRevision, Topic, TopicReadState, UsefulMark


def _mentioned_ids(post: Post) -> list[int]:
    """Link the post's @mentions and store the HTML; return who is mentioned (author excluded)."""
    mentions = find_mentions(post.body)
    if mentions:
        post.body_html = link_mentions(render_markdown(post.body), mentions)
        Post.objects.filter(pk=post.pk).update(body_html=post.body_html)
    return [m.user.pk for m in mentions if m.user.pk != post.author_id]


def post_published(*, post: Post) -> None:
    """Called by create_topic and reply inside their transaction, once the post exists."""
    signals.post_published.send(sender=Post, post=post, mentioned_ids=_mentioned_ids(post))


def post_edited(*, post: Post) -> None:
    """Called by edit_post inside its transaction after a changed body was saved."""
    mentioned = _mentioned_ids(post)
    previous = PostRevision.objects.filter(post=post).order_by("-created_at", "-pk").first()
    if previous is not None:
        before = {m.user.pk for m in find_mentions(previous.body)}
        mentioned = [pk for pk in mentioned if pk not in before]
    signals.post_edited.send(sender=Post, post=post, mentioned_ids=mentioned)


@transaction.atomic
def accept_answer(*, post: Post, by: User) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if not permissions.can_mark_answer(by, topic):
        raise PermissionDenied(_("Bare den som spurte, eller en moderator, kan velge svaret."))
    if not permissions.can_accept_post_as_answer(by, post, topic):
        raise ValidationError(_("Dette innlegget kan ikke markeres som svar."))
    if topic.solved_post_id == post.pk:
        return topic
    _changed_topic(topic.pk)
    topic.solved_post = post
    topic.solved_by = by
    topic.solved_at = timezone.now()
    topic.save(update_fields=["solved_post", "solved_by", "solved_at"])
    signals.answer_accepted.send(sender=Topic, topic=topic, post=post, by=by)
    return topic


@transaction.atomic
def unaccept_answer(*, topic: Topic, by: User) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not permissions.can_mark_answer(by, topic):
        raise PermissionDenied(_("Bare den som spurte, eller en moderator, kan velge svaret."))
    _changed_topic(topic.pk)
    topic.solved_post = None
    topic.solved_by = None
    topic.solved_at = None
    topic.save(update_fields=["solved_post", "solved_by", "solved_at"])
    return topic


@transaction.atomic
def set_useful(*, post: Post, user: User, useful: bool) -> bool:
    """Mark or unmark a post as useful. Returns whether anything changed.

    The unique constraint decides a race between two clicks; the counter moves with F()
    only when a mark was really added or removed, so it stays exact.
    """
    if not permissions.can_mark_useful(user, post):
        raise PermissionDenied(_("Du kan ikke markere dette innlegget som nyttig."))
    _changed_topic(post.topic_id)
    if useful:
        try:
            with transaction.atomic():
                UsefulMark.objects.create(post=post, user=user)
        except IntegrityError:
            return False
        Post.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
        return True
    deleted, _rows = UsefulMark.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, useful_count__gt=0).update(
            useful_count=F("useful_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def set_verdict(*, topic: Topic, by: User, verdict: str) -> Topic:
    first = Post.objects.get(topic=topic, position=1)
    if topic.kind != Topic.Kind.ERFARING or not permissions.can_edit_post(by, first):
        raise PermissionDenied(_("Du kan ikke endre vurderingen av denne erfaringen."))
    if verdict not in Topic.Verdict.values:
        raise ValidationError({"verdict": _("Velg positiv, negativ eller blandet.")})
    Topic.objects.filter(pk=topic.pk).update(verdict=verdict)
    _changed_topic(topic.pk)
    topic.verdict = verdict
    return topic


def _changed_topic(topic_id: int) -> None:
    from topics.actions import changed_topic  # topics.actions imports this module

    changed_topic(topic_id)


@transaction.atomic
def mark_read(*, user: User, topic: Topic, position: int, first_time: bool | None = None) -> None:
    """Remember that the member has seen the topic up to `position` (never moves backwards).

    `first_time`, when the caller knows it (the topic page does), saves the query that would
    find out whether to insert or update.
    """
    if not user.is_authenticated:
        return
    page_cache.changed()  # a member's own mark: no signed-out page shows it
    now = timezone.now()
    updated = 0
    if not first_time:
        updated = TopicReadState.objects.filter(
            user=user, topic=topic, position__lt=position
        ).update(position=position, updated_at=now)
    if not updated and first_time is not False:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, position=position, updated_at=now)],
            ignore_conflicts=True,
        )
    signals.topic_read.send(sender=Topic, user=user, topic=topic, position=position)
