"""Everything that changes topics and posts.

Keyword-only functions, one transaction each: they check permission, write, and keep
the topic's counters exact under concurrency (a row lock on the topic).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from directory.models import Sector, System
from forum import page_cache
from forum.page_cache import invalidates_public_pages
from forum.text import norwegian_slugify
from topics import drafts, permissions, polls, reading, signals
from topics.attachments import actions as attachment_actions
from topics.markdown import render_markdown
from topics.mentions import find_mentions, link_mentions
from topics.models import Category, ModerationLogEntry, Post, PostRevision, Topic
from topics.moderation.log import log_moderation


class TopicLocked(PermissionDenied):
    pass


class EditConflict(Exception):
    """The form was opened on an older version: someone saved in between. Nothing is written;
    `post` (or `topic`, for a title) is the newer version, to show next to what was typed."""

    def __init__(self, *, post: Post | None = None, topic: Topic | None = None) -> None:
        super().__init__("edit conflict")
        self.post = post
        self.topic = topic


_RESERVED_SLUGS = {"svar", "moderer", "moderering", "oppfolging", "ulest", "vurdering"}


def changed_topic(topic_id: int) -> None:
    """For a write inside one topic (a reply, an edit, a mark): the signed-out pages that
    show it go stale once it commits (its page and feed, its category's, sectors' and
    systems' lists, and every list of activity), and no other page does."""
    rows = Topic.objects.filter(pk=topic_id).values_list(
        "category__slug", "tags__slug", "systems__slug"
    )
    tags = {page_cache.ACTIVITY, page_cache.topic_tag(topic_id)}
    for category, sector, system in rows:
        tags.add(page_cache.category_tag(category))
        if sector:
            tags.add(page_cache.sector_tag(sector))
        if system:
            tags.add(page_cache.system_tag(system))
    page_cache.changed(*tags)


def slug_for(title: str) -> str:
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
    systems: Iterable[System] = (),
    verdict: str = "",
    attachments: Sequence[attachment_actions.Upload] = (),
    poll: polls.PollDraft | None = None,
) -> Topic:
    if check_permission and not permissions.can_start_topic(author, category):
        raise PermissionDenied(_("Du kan ikke starte tråder her."))
    if client_token is not None:
        # One author's submissions one at a time, so a form sent twice is seen as such.
        list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk"))
        if earlier := _post_with_token(author, client_token, body):
            return earlier.topic
        client_token = _unused(author, client_token)
    files = attachment_actions.inspect_all(attachments)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Tittelen kan ikke være tom.")})
    if verdict and (kind != Topic.Kind.ERFARING or verdict not in Topic.Verdict.values):
        raise ValidationError({"verdict": _("Bare erfaringer har vurdering.")})
    if poll is not None:
        polls.check_draft(poll)  # before anything is written
    now = timezone.now()
    approved = not check_permission or permissions.can_publish_directly(author)
    topic = Topic.objects.create(
        is_approved=approved,
        title=title,
        slug=slug_for(title),
        category=category,
        author=author,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        last_poster=author,
        verdict=verdict,
    )
    if sectors:
        topic.tags.set(list(sectors))
    if systems:
        topic.systems.set(list(systems))
    first_post = Post.objects.create(
        topic=topic,
        author=author,
        position=1,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        client_token=client_token,
        is_approved=approved,
    )
    if poll is not None:
        polls.create_poll(topic=topic, draft=poll)
    if approved:
        post_published(post=first_post)
    _update_search_vector(first_post, title=title)
    attachment_actions.claim_drafts(post=first_post, by=author, body=body)
    attachment_actions.store(post=first_post, by=author, files=files)
    reading.mark_read(user=author, topic=topic, position=1, first_time=True)
    drafts.discard_draft(member=author, place=drafts.NEW_TOPIC_PLACE)
    changed_topic(topic.pk)
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
def reply(
    *,
    author: User,
    topic: Topic,
    body: str,
    client_token: uuid.UUID | None = None,
    attachments: Sequence[attachment_actions.Upload] = (),
) -> Post:
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
    files = attachment_actions.inspect_all(attachments)
    now = timezone.now()
    approved = permissions.can_publish_directly(author)
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=topic.reply_count + 2,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        client_token=client_token,
        is_approved=approved,
    )
    # A reply waiting for approval takes its number, but is not the topic's latest activity.
    activity = {"last_activity_at": now, "last_poster": author} if approved else {}
    Topic.objects.filter(pk=topic.pk).update(reply_count=F("reply_count") + 1, **activity)
    if approved:
        post_published(post=post)
    _update_search_vector(post)
    attachment_actions.claim_drafts(post=post, by=author, body=body)
    attachment_actions.store(post=post, by=author, files=files)
    reading.mark_read(user=author, topic=topic, position=post.position)  # they have seen it
    drafts.discard_draft(member=author, place=drafts.reply_place(topic))
    changed_topic(topic.pk)
    return post


@transaction.atomic
def edit_post(
    *,
    post: Post,
    editor: User,
    body: str,
    title: str | None = None,
    attachments: Sequence[attachment_actions.Upload] = (),
    remove_attachments: Iterable[int] = (),
    version: int | None = None,
    topic_version: int | None = None,
) -> Post:
    """`version` (and `topic_version`, for the title) are what the editor's form was opened
    on: a change to an older version raises EditConflict instead of overwriting the newer.
    None: the caller has no earlier copy (scripts), so there is nothing to compare."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic__category")
        .get(pk=post.pk)
    )
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied(_("Du kan ikke endre dette innlegget."))
    files = attachment_actions.inspect_all(attachments)
    changed = body != post.body
    title_for_index = post.topic.title if post.is_first else None
    if changed:
        PostRevision.objects.create(post=post, body=post.body, editor=editor)
        post.body = body
        post.body_html = render_markdown(body)
        post.edited_at = timezone.now()
        post.edited_by = editor
        unchanged_since = {} if version is None else {"version": version}
        saved = Post.objects.filter(pk=post.pk, **unchanged_since).update(
            body=post.body,
            body_html=post.body_html,
            edited_at=post.edited_at,
            edited_by=editor,
            version=F("version") + 1,
        )
        if not saved:
            raise EditConflict(post=Post.objects.select_related("edited_by").get(pk=post.pk))
        post.version += 1
        post_edited(post=post)
        if editor.pk != post.author_id:
            log_moderation(
                actor=editor,
                action=ModerationLogEntry.Action.POST_EDITED,
                target=str(post),
                post=post,
                details={"revision": post.revisions.latest("pk").pk},
            )
    if title is not None and post.is_first and title.strip() != post.topic.title:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Tittelen kan ikke være tom.")})
        _save_title(post.topic, title, topic_version)
        changed, title_for_index = True, title
    if changed:
        _update_search_vector(post, title=title_for_index)
    removed = attachment_actions.remove(post=post, attachment_ids=remove_attachments)
    claimed = attachment_actions.claim_drafts(post=post, by=editor, body=body)
    if attachment_actions.store(post=post, by=editor, files=files) or removed or claimed:
        Post.objects.filter(pk=post.pk).update(edited_at=timezone.now(), edited_by=editor)
    changed_topic(post.topic_id)
    return post


def _save_title(topic: Topic, title: str, version: int | None) -> None:
    """Store the title if the topic is still at `version` (None: whatever it is now)."""
    unchanged_since = {} if version is None else {"version": version}
    saved = Topic.objects.filter(pk=topic.pk, **unchanged_since).update(
        title=title, slug=slug_for(title), version=F("version") + 1
    )
    if not saved:
        raise EditConflict(topic=Topic.objects.get(pk=topic.pk))
    topic.refresh_from_db(fields=["title", "slug", "version"])


def _moderate_topic(
    topic: Topic, by: User, log_action: ModerationLogEntry.Action, **changes: object
) -> Topic:
    if not permissions.can_moderate_topic(by, topic):
        raise PermissionDenied
    Topic.objects.filter(pk=topic.pk).update(**changes)
    for field, value in changes.items():
        setattr(topic, field, value)
    log_moderation(actor=by, action=log_action, target=topic.title, topic=topic)
    return topic


@transaction.atomic
@invalidates_public_pages
def set_pinned(*, topic: Topic, by: User, pinned: bool) -> Topic:
    Action = ModerationLogEntry.Action
    action = Action.TOPIC_PINNED if pinned else Action.TOPIC_UNPINNED
    return _moderate_topic(topic, by, action, is_pinned=pinned)


@transaction.atomic
@invalidates_public_pages
def set_locked(*, topic: Topic, by: User, locked: bool) -> Topic:
    Action = ModerationLogEntry.Action
    action = Action.TOPIC_LOCKED if locked else Action.TOPIC_UNLOCKED
    return _moderate_topic(topic, by, action, is_locked=locked)


@transaction.atomic
@invalidates_public_pages
def hide_post(*, post: Post, by: User, reason: str = "") -> Post:
    if not permissions.can_hide_post(by, post):
        raise PermissionDenied
    post.is_hidden = True
    post.hidden_reason = reason.strip()[:500]
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    log_moderation(
        actor=by,
        action=ModerationLogEntry.Action.POST_HIDDEN,
        target=str(post),
        post=post,
        reason=post.hidden_reason,
    )
    return post


@transaction.atomic
@invalidates_public_pages
def unhide_post(*, post: Post, by: User) -> Post:
    if not permissions.can_hide_post(by, post):
        raise PermissionDenied
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_by = None
    post.hidden_at = None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    log_moderation(
        actor=by, action=ModerationLogEntry.Action.POST_UNHIDDEN, target=str(post), post=post
    )
    return post


def _update_search_vector(post: Post, *, title: str | None = None) -> None:
    """Keep the stored search vector current: the title (first post only) weighs above the body.

    PostgreSQL only; on SQLite the search module reads the text directly.
    """
    if connection.vendor != "postgresql":
        return
    vector = SearchVector("body", weight="B", config="norwegian")
    if title is not None:
        vector = SearchVector(Value(title), weight="A", config="norwegian") + vector
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


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
