"""Template access to the permission functions, so templates and views never disagree."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.text import Truncator

from accounts.badges import Badge, badges_for
from forum import text
from topics import permissions
from topics.markdown import plain_text

register = template.Library()


@register.filter
def web_address(url: str):
    """`{{ system.website|web_address }}`: forum.text.web_address."""
    return text.web_address(url)


@register.filter
def url_for(pk: int, viewname: str) -> str:
    """`{{ post.pk|url_for:"topics:edit_post" }}`: the address of a view that takes the
    object's pk."""
    return reverse(viewname, kwargs={"pk": pk})


@register.filter
def url_for_slug(slug: str, viewname: str) -> str:
    """`{{ org.slug|url_for_slug:"directory:organisation" }}`: the same, by slug."""
    return reverse(viewname, kwargs={"slug": slug})


@register.filter
def url_for_number(number: str, viewname: str) -> str:
    """`{{ county.number|url_for_number:"directory:matrix" }}`, remembered like url_for."""
    return reverse(viewname, kwargs={"number": number})


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


@register.filter
def can_report(post, user) -> bool:
    return permissions.can_report_post(user, post)


@register.filter
def can_approve(post, user) -> bool:
    return permissions.can_approve_post(user, post)


@register.filter
def can_view_moderation(user) -> bool:
    return permissions.can_view_moderation(user)


@register.filter
def text_excerpt(html: str, length: int = 200) -> str:
    """`{{ post.body_html|text_excerpt }}`: the start of what a reader of the post sees,
    as plain text (escaped by the template like any other text)."""
    return Truncator(plain_text(html)).chars(length)
