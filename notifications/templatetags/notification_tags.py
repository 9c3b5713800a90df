"""The watch button for topic, category, sector and system pages (one query per button)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from notifications import permissions
from notifications.models import Watch

register = template.Library()

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "system": "system"}


@register.simple_tag(takes_context=True)
def watch_button(context: template.Context, target: object, kind: str) -> SafeString:
    """`{% watch_button category "category" %}`: follow or stop following `target`."""
    request = context["request"]
    user = context["user"]
    if not permissions.can_watch(user):
        return mark_safe("")
    watching = Watch.objects.filter(user=user, **{f"{kind}_id": target.pk}).exists()
    return mark_safe(  # a rendered template, escaped by the engine
        render_to_string(
            "notifications/partials/watch_button.html",
            {
                "show": True,
                "watching": watching,
                "kind": _KINDS[kind],
                "target": target,
                "next": request.get_full_path(),
                "csrf_token": context.get("csrf_token"),
            },
        )
    )
