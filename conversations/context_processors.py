from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from conversations import unread


def unread_conversations(request: HttpRequest) -> dict[str, object]:
    """The header's count of unread conversations: from the cache, or one query, and only
    when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread.count(user)

    return {"unread_conversation_count": count}
