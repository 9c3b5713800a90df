"""Everything that changes topics and posts.

Keyword-only functions, one transaction each: they check permission, write, and keep
the topic's counters exact under concurrency (a row lock on the topic).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from directory.models import Sector
from forum.text import norwegian_slugify
from topics import permissions
from topics.markdown import render_markdown
from topics.models import Category, Post, PostRevision, Topic


class TopicLocked(PermissionDenied):
    pass


_RESERVED_SLUGS = {"svar", "moderer"}


def _slug_for(title: str) -> str:
    slug = norwegian_slugify(title)[:90].strip("-") or "trad"
    return f"{slug}-trad" if slug in _RESERVED_SLUGS else slug


@transaction.atomic
def create_topic(
    *,
    author: User,
    category: Category,
    title: str,
    body: str,
    kind: str = Topic.Kind.SPORSMAL,
    sectors: Iterable[Sector] = (),
    check_permission: bool = True,
    client_token: uuid.UUID | None = None,
) -> Topic:
    if check_permission and not permissions.can_start_topic(author, category):
        raise PermissionDenied(_("Du kan ikke starte tråder her."))
    if client_token is not None:
        # One author's submissions one at a time, so a form sent twice is seen as such.
        list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk"))
        if earlier := _post_with_token(author, client_token, body):
            return earlier.topic
        client_token = _unused(author, client_token)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Tittelen kan ikke være tom.")})
    now = timezone.now()
    topic = Topic.objects.create(
        title=title,
        slug=_slug_for(title),
        category=category,
        author=author,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        last_poster=author,
    )
    if sectors:
        topic.tags.set(list(sectors))
    Post.objects.create(
        topic=topic,
        author=author,
        position=1,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        client_token=client_token,
    )
    return topic


def _post_with_token(author: User, client_token: uuid.UUID, body: str) -> Post | None:
    """The post this very form (same token, same text) already created, if any."""
    return (
        Post.objects.filter(author=author, client_token=client_token, body=body)
        .select_related("topic")
        .first()
    )


def _unused(author: User, client_token: uuid.UUID) -> uuid.UUID | None:
    # The same token with another text is a new post written in a form the browser
    # restored (the back button): store it, without the token that is already taken.
    taken = Post.objects.filter(author=author, client_token=client_token).exists()
    return None if taken else client_token


@transaction.atomic
def reply(*, author: User, topic: Topic, body: str, client_token: uuid.UUID | None = None) -> Post:
    # Lock the topic row: replies are numbered and counted one at a time.
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if client_token is not None:
        if earlier := _post_with_token(author, client_token, body):
            return earlier
        client_token = _unused(author, client_token)
    if not permissions.can_reply(author, topic):
        if topic.is_locked:
            raise TopicLocked(_("Tråden er låst, og tar ikke imot nye svar."))
        raise PermissionDenied(_("Du kan ikke svare i denne tråden."))
    now = timezone.now()
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=topic.reply_count + 2,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        client_token=client_token,
    )
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=now, last_poster=author
    )
    return post


@transaction.atomic
def edit_post(*, post: Post, editor: User, body: str, title: str | None = None) -> Post:
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied(_("Du kan ikke endre dette innlegget."))
    changed = body != post.body
    if changed:
        PostRevision.objects.create(post=post, body=post.body, editor=editor)
        post.body = body
        post.body_html = render_markdown(body)
        post.edited_at = timezone.now()
        post.edited_by = editor
        post.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
    if title is not None and post.is_first and title.strip() != post.topic.title:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Tittelen kan ikke være tom.")})
        Topic.objects.filter(pk=post.topic_id).update(title=title, slug=_slug_for(title))
    return post


def _moderate_topic(topic: Topic, by: User, **changes: bool) -> Topic:
    if not permissions.can_moderate_topic(by, topic):
        raise PermissionDenied
    Topic.objects.filter(pk=topic.pk).update(**changes)
    for field, value in changes.items():
        setattr(topic, field, value)
    return topic


@transaction.atomic
def set_pinned(*, topic: Topic, by: User, pinned: bool) -> Topic:
    return _moderate_topic(topic, by, is_pinned=pinned)


@transaction.atomic
def set_locked(*, topic: Topic, by: User, locked: bool) -> Topic:
    return _moderate_topic(topic, by, is_locked=locked)


@transaction.atomic
def hide_post(*, post: Post, by: User, reason: str = "") -> Post:
    if not permissions.can_hide_post(by, post):
        raise PermissionDenied
    post.is_hidden = True
    post.hidden_reason = reason.strip()[:500]
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    return post


@transaction.atomic
def unhide_post(*, post: Post, by: User) -> Post:
    if not permissions.can_hide_post(by, post):
        raise PermissionDenied
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_by = None
    post.hidden_at = None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    return post
