"""Template helpers for the directory: status colours and history rows."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import Usage, UsageChange
from directory.queries import MatrixEntry, MergerUsage, SystemUser

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


@register.simple_tag(takes_context=True)
def matrix_cells(context, cells: list[list[MatrixEntry]]) -> SafeString:
    """The <td>s of one row of the county matrix. Built here rather than in the template,
    with the standard library's escaping: a large county has a few thousand usages, and
    this is more than ten times faster per usage. Every value from the database is escaped;
    each system's link is made once per page (kept in the render context across rows).
    """
    memo = context.render_context.setdefault("matrix_cells", {})
    if not memo:
        memo["statuses"] = {
            value: (
                f'<span class="matrix-cell matrix-cell--{value}">',
                f' <span class="meta">({escape(str(label).lower())})</span>',
            )
            for value, label in Usage.Status.choices
        }
        title = escape(gettext("Eksempeldata"))
        memo["example"] = f'<sup class="example-mark" title="{title}">*</sup>'
        label = escape(gettext("ikke registrert"))
        memo["empty"] = f'<td><span class="meta" aria-label="{label}">–</span></td>'
        memo["links"] = {}
    statuses, example, empty, links = (
        memo["statuses"],
        memo["example"],
        memo["empty"],
        memo["links"],
    )
    out = []
    for cell in cells:
        if not cell:
            out.append(empty)
            continue
        out.append("<td>")
        for name, slug, status, is_example in cell:
            if (link := links.get(slug)) is None:
                url = escape(reverse("directory:system", kwargs={"slug": slug}))
                link = links[slug] = f'<a href="{url}">{escape(name)}</a>'
            if status == Usage.Status.I_BRUK:
                out.append(f'<span class="matrix-cell">{link}')
            else:
                opening, label = statuses[status]
                out.append(f"{opening}{link}{label}")
            out.append(f"{example}</span>" if is_example else "</span>")
        out.append("</td>")
    return mark_safe("".join(out))  # every interpolated value is escaped above


def _example_tag() -> str:
    """What directory/partials/example_tag.html shows for a usage that is example data."""
    title = escape(gettext("Demodata, ikke virkelige opplysninger"))
    return (
        '<span class="ds-tag example-tag" data-color="warning" data-size="sm" '
        f'title="{title}">{escape(gettext("Eksempel"))}</span>'
    )


@register.simple_tag
def system_user_chips(users: list[SystemUser]) -> SafeString:
    """The <li>s of one county's users on the system page (see matrix_cells: the same
    markup the template gave, built in Python, every value escaped)."""
    example = _example_tag()
    return mark_safe(
        "".join(
            f'<li><a class="ds-link" href="{escape(reverse("directory:organisation", kwargs={"slug": u.slug}))}">'
            f'{escape(u.organisation)}</a> <span class="meta">{escape(u.sector)}</span> '
            f"{example if u.is_example else ''}</li>"
            for u in users
        )
    )


@register.simple_tag(takes_context=True)
def merger_usages(context, usages: list[MergerUsage], chosen: bool = False) -> SafeString:
    """The usages in one cell of a merger's table: what a predecessor had (with its vendor;
    its status only when it is neither in use nor retired) or what the new municipality
    chose (always with its status). Same markup the template gave, every value escaped."""
    memo = context.render_context.setdefault("merger_usages", {})
    if not memo:
        memo["labels"] = {value: escape(str(label)) for value, label in Usage.Status.choices}
        memo["example"] = _example_tag()
        memo["empty"] = f'<span class="meta">{escape(gettext("ikke registrert"))}</span>'
    labels, example = memo["labels"], memo["example"]
    if not usages and not chosen:
        return mark_safe(memo["empty"])
    out = []
    for u in usages:
        url = escape(reverse("directory:system", kwargs={"slug": u.system_slug}))
        tag = (
            f'<span class="ds-tag" data-size="sm" data-color="{status_color(u.status)}">'
            f"{labels[u.status]}</span>"
        )
        out.append(
            f'<p class="merger-usage"><a class="ds-link" href="{url}">{escape(u.system_name)}</a> '
        )
        if chosen:
            out.append(tag)
        else:
            out.append(f'<span class="meta">{escape(u.vendor_name)}</span>')
            if u.status not in (Usage.Status.I_BRUK, Usage.Status.AVVIKLET):
                out.append(f" {tag}")
        out.append(f" {example}</p>" if u.is_example else " </p>")
    return mark_safe("".join(out))  # every interpolated value is escaped above
