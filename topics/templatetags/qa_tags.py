"""Template access to the answer and "Nyttig" permissions (the same functions the views use)."""

from __future__ import annotations

from django import template

from topics import permissions

register = template.Library()


@register.filter
def can_mark_useful(post, user) -> bool:
    return permissions.can_mark_useful(user, post)
