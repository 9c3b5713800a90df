"""Template access to the permission functions, so templates and views never disagree."""

from __future__ import annotations

from django import template

from accounts.badges import Badge, badges_for
from topics import permissions

register = template.Library()


@register.filter
def badges(user) -> list[Badge]:
    return badges_for(user)


@register.filter
def can_edit(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def can_see_hidden(post, user) -> bool:
    return permissions.can_see_hidden_post(user, post)


@register.filter
def can_hide(post, user) -> bool:
    return permissions.can_hide_post(user, post)
