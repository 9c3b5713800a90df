"""Attachments in templates: the images are shown inline, the rest listed for download."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from topics.models import Attachment

register = template.Library()


@register.filter
def images(attachments: Iterable[Attachment]) -> list[Attachment]:
    return [a for a in attachments if a.is_image]


@register.filter
def not_shown_in(attachments: Iterable[Attachment], body_html: str) -> list[Attachment]:
    """The files the text does not already show: an image pasted into it stands where it
    was put, not a second time under the post."""
    return [a for a in attachments if f'src="{a.get_absolute_url()}"' not in body_html]


@register.filter
def downloads(attachments: Iterable[Attachment]) -> list[Attachment]:
    return [a for a in attachments if not a.is_image]
