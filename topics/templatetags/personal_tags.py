"""The mute button for topic, category, sector and member pages."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from topics import permissions
from topics.models import Mute

register = template.Library()

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "member": "medlem"}
_FIELDS = {"topic": "topic", "category": "category", "sector": "sector", "member": "muted_member"}


@register.simple_tag(takes_context=True)
def mute_button(
    context: template.Context, target: object, kind: str, muted: bool | None = None
) -> SafeString:
    """`{% mute_button category "category" %}`: mute or unmute `target`. `muted` when the page
    already knows (the topic page asks inside the topic's query); otherwise one query."""
    user = context["user"]
    if not permissions.can_mute(user, target if kind == "member" else None):
        return mark_safe("")
    if muted is None:
        muted = Mute.objects.filter(member=user, **{f"{_FIELDS[kind]}_id": target.pk}).exists()
    return mark_safe(  # a rendered template, escaped by the engine
        render_to_string(
            "topics/partials/mute_button.html",
            {
                "muted": muted,
                "kind": _KINDS[kind],
                "target": target,
                "next": context["request"].get_full_path(),
                "csrf_token": context.get("csrf_token"),
            },
        )
    )
