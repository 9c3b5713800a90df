"""The watch button, for topic, category, sector and system pages (one query per button)."""

from __future__ import annotations

from django import template

from notifications import permissions
from notifications.models import Watch

register = template.Library()

_KINDS = {"topic": "trad", "category": "kategori", "sector": "sektor", "system": "system"}


@register.inclusion_tag("notifications/partials/watch_button.html", takes_context=True)
def watch_button(context: template.Context, target: object, kind: str) -> dict[str, object]:
    request = context["request"]
    user = request.user
    if not permissions.can_watch(user):
        return {"show": False}
    watching = Watch.objects.filter(user=user, **{kind: target}).exists()
    return {
        "show": True,
        "watching": watching,
        "kind": _KINDS[kind],
        "target": target,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
