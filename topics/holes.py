"""A member's own parts of topic lists and topic pages that members share
(forum/member_cache.py), each rendered by what the page itself renders there: «N nye» on
topic rows, the «Nytt siden sist» marker (and, with it, remembering how far the member has
read), the «Nyttig», «Rediger» and «Rapporter» buttons (topics/post_tools.py: they depend
on whose post it is), and the reply form with its one-time key. Their reads are plain SQL
(forum/sql.py): they run on every page a member reads."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpRequest
from django.template.loader import get_template

from forum import sql
from forum.member_cache import csrf_token, hole_renderer, holes_wanted, member
from topics import actions_qa, post_tools
from topics.forms import blank_reply_form
from topics.models import Topic, TopicReadState, UsefulMark


@hole_renderer("unread")
def unread_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: topic pks. `unread_count` as `TopicQuerySet.with_read_state` computes it."""
    read = TopicReadState.objects.positions(member(request).pk, [int(arg) for arg in args])
    return {
        str(topic_id): post_tools.unread_link(topic_id, reply_count + 1 - position)
        for topic_id, position, reply_count in read
    }


@hole_renderer("read_mark")
def unread_marker(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: "topic pk:position" for each post on the page (in page order). As
    `views_qa.topic_context` does on a page rendered for the member alone: mark the first
    post the member has not seen, and remember that they have now read to the page's end."""
    shown = [tuple(map(int, arg.split(":"))) for arg in args]
    topic_id, last_shown = shown[0][0], max(position for _topic, position in shown)
    previous, _marked = _read_position_and_useful_marks(request)
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


def _read_position_and_useful_marks(request: HttpRequest) -> tuple[int | None, set[int]]:
    """How far the member has read in the page's topic (None: never opened) and which of
    its posts they marked useful, for the read_mark and useful holes: one query for both,
    made once per page."""
    found = getattr(request, "_topic_holes_state", None)
    if found is not None:
        return found
    read_args, useful_args = holes_wanted(request, "read_mark"), holes_wanted(request, "useful")
    topic_id = int(read_args[0].split(":")[0]) if read_args else None
    post_ids = [int(arg.split(":")[0]) for arg in useful_args]
    statements, params = [], []
    if topic_id is not None:
        model = TopicReadState
        statements.append(
            f"SELECT 0, {sql.column(model, 'position')} FROM {sql.table(model)}"  # noqa: S608
            f" WHERE {sql.column(model, 'user')} = %s AND {sql.column(model, 'topic')} = %s"
        )
        params += [member(request).pk, topic_id]
    if post_ids:
        model = UsefulMark
        statements.append(
            f"SELECT 1, {sql.column(model, 'post')} FROM {sql.table(model)}"  # noqa: S608
            f" WHERE {sql.column(model, 'user')} = %s"
            f" AND {sql.column(model, 'post')} IN ({sql.placeholders(post_ids)})"
        )
        params += [member(request).pk, *post_ids]
    rows = sql.rows(" UNION ALL ".join(statements), params) if statements else []
    position = next((value for kind, value in rows if kind == 0), None)
    found = position, {value for kind, value in rows if kind == 1}
    request._topic_holes_state = found
    return found


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
    _position, marked = _read_position_and_useful_marks(request)
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
