"""The send-time check: may this member still read this post? Asked again before every write
and every e-mail, because a topic can be moved into a closed category after a task was queued."""

from __future__ import annotations

from accounts.models import User
from topics.models import Post, Topic


def may_read(user: User, topic: Topic, post: Post | None = None) -> bool:
    if not user.is_active:
        return False
    if post is not None:
        if post.is_hidden:
            return False
        return Post.objects.visible_to(user).filter(pk=post.pk, topic_id=topic.pk).exists()
    return Topic.objects.visible_to(user).filter(pk=topic.pk).exists()
