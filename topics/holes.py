"""A member's own parts of topic lists and topic pages that members share
(forum/member_cache.py), each rendered by what the page itself renders there: «N nye» on
topic rows, the «Nytt siden sist» marker (and, with it, remembering how far the member has
read), the «Nyttig», «Rediger» and «Rapporter» buttons (topics/post_tools.py: they depend
on whose post it is), and the reply form with its one-time key. Their reads are plain SQL
(forum/sql.py), registered as hole queries: a hit reads all of them in one statement."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpRequest
from django.template.loader import get_template

from forum import sql
from forum.member_cache import csrf_token, hole_query, hole_renderer, hole_rows, member
from topics import actions_qa, post_tools
from topics.forms import blank_reply_form
from topics.models import Topic, TopicReadState, UsefulMark


@hole_query("unread")
def _unread_query(request: HttpRequest, args: list[str]) -> tuple[str, list[object]]:
    """Args: topic pks. How far the member has read in each, and its reply count."""
    topic_ids = [int(arg) for arg in args]
    state, topics = TopicReadState, Topic
    return (
        f"SELECT r.{sql.column(state, 'topic')} AS a, r.{sql.column(state, 'position')} AS b,"  # noqa: S608
        f" t.{sql.column(topics, 'reply_count')} AS c"
        f" FROM {sql.table(state)} r JOIN {sql.table(topics)} t"
        f" ON t.{sql.column(topics, 'id')} = r.{sql.column(state, 'topic')}"
        f" WHERE r.{sql.column(state, 'user')} = %s"
        f" AND r.{sql.column(state, 'topic')} IN ({sql.placeholders(topic_ids)})",
        [member(request).pk, *topic_ids],
    )


@hole_renderer("unread")
def unread_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """«N nye»: `unread_count` as `TopicQuerySet.with_read_state` computes it."""
    return {
        str(topic_id): post_tools.unread_link(topic_id, reply_count + 1 - position)
        for topic_id, position, reply_count in hole_rows(request, "unread")
    }


@hole_renderer("read_mark")
def unread_marker(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: "topic pk:position" for each post on the page (in page order). As
    `views_qa.topic_context` does on a page rendered for the member alone: mark the first
    post the member has not seen, and remember that they have now read to the page's end."""
    shown = [tuple(map(int, arg.split(":"))) for arg in args]
    topic_id, last_shown = shown[0][0], max(position for _topic, position in shown)
    previous = next((position for position, _b, _c in hole_rows(request, "read_mark")), None)
    if previous is None or previous < last_shown:
        actions_qa.mark_read(
            user=member(request),
            topic=Topic(pk=topic_id),
            position=last_shown,
            first_time=previous is None,
        )
    if previous is None or previous >= last_shown:
        return {}
    template = get_template("topics/partials/unread_marker.html")
    first_unread = f"{topic_id}:{previous + 1}"
    context = {"post": {"position": previous + 1}, "first_unread_position": previous + 1}
    return {first_unread: template.render(context)} if first_unread in args else {}


@hole_query("read_mark")
def _read_position_query(request: HttpRequest, args: list[str]) -> tuple[str, list[object]]:
    """How far the member has read in the page's topic (no row: never opened)."""
    topic_id, state = int(args[0].split(":")[0]), TopicReadState
    return (
        f"SELECT {sql.column(state, 'position')} AS a, {sql.NULL_INTEGER} AS b, {sql.NULL_INTEGER} AS c"  # noqa: S608
        f" FROM {sql.table(state)}"
        f" WHERE {sql.column(state, 'user')} = %s AND {sql.column(state, 'topic')} = %s",
        [member(request).pk, topic_id],
    )


@hole_query("useful")
def _useful_marks_query(request: HttpRequest, args: list[str]) -> tuple[str, list[object]]:
    """Which of the page's posts the member has marked useful."""
    post_ids, marks = [int(arg.split(":")[0]) for arg in args], UsefulMark
    return (
        f"SELECT {sql.column(marks, 'post')} AS a, {sql.NULL_INTEGER} AS b, {sql.NULL_INTEGER} AS c"  # noqa: S608
        f" FROM {sql.table(marks)} WHERE {sql.column(marks, 'user')} = %s"
        f" AND {sql.column(marks, 'post')} IN ({sql.placeholders(post_ids)})",
        [member(request).pk, *post_ids],
    )


def _posts(args: list[str], *fields: str) -> dict[str, SimpleNamespace]:
    """The posts a hole's args describe ("pk:author pk:is hidden:…" as the page wrote them),
    as much of each as the permission functions ask about."""
    posts = {}
    for arg in args:
        values = dict(zip(fields, arg.split(":"), strict=True))
        post = SimpleNamespace(
            pk=int(values["pk"]),
            author_id=int(values["author_id"]),
            is_hidden=values["is_hidden"] == "True",
        )
        if "useful_count" in values:
            post.useful_count = int(values["useful_count"])
        if "category_id" in values:
            post.topic = SimpleNamespace(category=SimpleNamespace(pk=int(values["category_id"])))
        posts[arg] = post
    return posts


@hole_renderer("useful")
def useful_buttons(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """The «Nyttig» button (pressed or not) on others' posts, the count on one's own."""
    posts = _posts(args, "pk", "useful_count", "author_id", "is_hidden")
    user, token = member(request), csrf_token(request)
    marked = {post_id for post_id, _b, _c in hole_rows(request, "useful")}
    rendered = {}
    for arg, post in posts.items():
        post.marked_useful = post.pk in marked
        rendered[arg] = post_tools.useful_button(post, user, token)
    return rendered


@hole_renderer("edit_link")
def edit_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """«Rediger» on the member's own posts."""
    user, posts = member(request), _posts(args, "pk", "author_id", "is_hidden", "category_id")
    return {arg: post_tools.edit_link(post, user) for arg, post in posts.items()}


@hole_renderer("report_link")
def report_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """«Rapporter» on others' posts."""
    user, posts = member(request), _posts(args, "pk", "author_id", "is_hidden")
    return {arg: post_tools.report_link(post, user) for arg, post in posts.items()}


@hole_renderer("reply_form")
def reply_form(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """The empty reply form: each page gets its own one-time key."""
    return {arg: str(blank_reply_form()) for arg in args}
