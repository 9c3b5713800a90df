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
def downloads(attachments: Iterable[Attachment]) -> list[Attachment]:
    return [a for a in attachments if not a.is_image]
