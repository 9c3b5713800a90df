"""A member's own parts of topic lists and topic pages that members share
(forum/member_cache.py), each rendered by the partial the page itself includes: «N nye» on
topic rows, the «Nytt siden sist» marker (and, with it, remembering how far the member has
read), the «Nyttig» buttons they pressed, and the reply form with its one-time key."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template

from forum.member_cache import hole_renderer
from topics import actions_qa
from topics.forms import blank_reply_form
from topics.models import Topic, TopicReadState, UsefulMark


@hole_renderer("unread")
def unread_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: topic pks. `unread_count` as `TopicQuerySet.with_read_state` computes it."""
    read = TopicReadState.objects.filter(
        user=request.user, topic_id__in=[int(arg) for arg in args]
    ).values_list("topic_id", "position", "topic__reply_count")
    template = get_template("topics/partials/unread_link.html")
    links = {}
    for topic_id, position, reply_count in read:
        unread_count = reply_count + 1 - position
        if unread_count > 0:
            links[str(topic_id)] = template.render(
                {"topic": {"pk": topic_id, "unread_count": unread_count}}
            )
    return links


@hole_renderer("read_mark")
def unread_marker(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: "topic pk:position" for each post on the page (in page order). As
    `views_qa.topic_context` does on a page rendered for the member alone: mark the first
    post the member has not seen, and remember that they have now read to the page's end."""
    shown = [tuple(map(int, arg.split(":"))) for arg in args]
    topic_id, last_shown = shown[0][0], max(position for _topic, position in shown)
    previous = (
        TopicReadState.objects.filter(user=request.user, topic_id=topic_id)
        .values_list("position", flat=True)
        .first()
    )
    if previous is None or previous < last_shown:
        actions_qa.mark_read(
            user=request.user,
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


@hole_renderer("useful")
def useful_buttons(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """Args: "post pk:useful count" for each post the member may mark useful."""
    posts = {arg: tuple(map(int, arg.split(":"))) for arg in args}
    marked = set(
        UsefulMark.objects.filter(
            user=request.user, post_id__in=[pk for pk, _count in posts.values()]
        ).values_list("post_id", flat=True)
    )
    template = get_template("topics/partials/useful_button.html")
    token = get_token(request)
    return {
        arg: template.render(
            {
                "post": {"pk": pk, "useful_count": count, "marked_useful": pk in marked},
                "csrf_token": token,
            }
        )
        for arg, (pk, count) in posts.items()
    }


@hole_renderer("reply_form")
def reply_form(request: HttpRequest, args: list[str]) -> dict[str, str]:
    """The empty reply form: each page gets its own one-time key."""
    return {arg: str(blank_reply_form()) for arg in args}
