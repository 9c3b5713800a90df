"""Template helpers for the directory: status colours and history rows."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from directory.models import Usage, UsageChange

register = template.Library()

_STATUS_COLORS = {
    Usage.Status.I_BRUK: "success",
    Usage.Status.VALGT: "accent",
    Usage.Status.ANSKAFFELSE: "info",
    Usage.Status.UTFASES: "warning",
    Usage.Status.AVVIKLET: "neutral",
}
FIELD_LABELS = {
    "system": _("System"),
    "sector": _("Sektor"),
    "status": _("Status"),
    "since": _("Fra"),
    "until": _("Til"),
    "note": _("Merknad"),
}


@register.filter
def status_color(status: str) -> str:
    return _STATUS_COLORS.get(status, "neutral")


@register.filter
def change_rows(change: UsageChange) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field the change touched."""
    rows = []
    for name, label in FIELD_LABELS.items():
        if name in change.changes:
            before, after = change.changes[name]
            rows.append((label, before, after))
    return rows
