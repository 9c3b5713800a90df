"""Topic rows' «N nye» links as holes of pages that members share (forum/member_cache.py):
how far this member has read each topic on the page, in one query, rendered by the same
partial as the topic list (`unread_count` as `TopicQuerySet.with_read_state` computes it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import get_template

from forum.member_cache import hole_renderer
from topics.models import TopicReadState


@hole_renderer("unread")
def unread_links(request: HttpRequest, args: list[str]) -> dict[str, str]:
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
