from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import moderator_tool
from directory.models import Sector
from directory.queries import merger_summaries, mergers_2020
from forum.page_cache import ACTIVITY, public_page
from insight import charts, maps, permissions, queries, reports
from insight.actions import PAGE_TAG
from insight.forms import MeasureForm, SectorForm
from insight.queries import MEASURES


def _counts(**_kwargs: object) -> list[str]:
    return [PAGE_TAG]


def _counts_and_activity(**_kwargs: object) -> list[str]:
    return [PAGE_TAG, ACTIVITY]


def _shared(request: HttpRequest) -> dict:
    return {"can_view_reports": permissions.can_view_moderator_reports(request.user)}


@public_page(_counts)
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest) -> HttpResponse:
    form = MeasureForm(request.GET or None)
    measure, system = form.measure()
    sector_count = Sector.objects.count()
    rows = queries.municipality_rows()
    if system is not None:
        queries.add_system_users(rows, system)
    values = {row.number: queries.measure_value(row, measure, sector_count) for row in rows}
    for row in rows:
        row.value = values[row.number]
    chosen = MEASURES[measure]
    bounds = maps.classes(max(values.values(), default=0), percent=chosen.percent)
    names = {row.number: row.name for row in rows}
    drawn = f"{measure}:{system.pk if system else ''}"
    svg = maps.draw(
        measure=drawn, values=values, names=names, title_id="kart-tittel", percent=chosen.percent
    )
    return render(
        request,
        "insight/overview.html",
        {
            **_shared(request),
            "form": form,
            "measure": chosen,
            "system": system,
            "map_svg": svg,
            "map_digest": maps.digest(drawn, values, names, chosen.percent),
            "legend": maps.legend(bounds, percent=chosen.percent),
            "rows": rows,
            "counties": queries.county_overview(rows, sector_count),
            "sector_count": sector_count,
            # Worked out only when the template's fragment of them is not kept.
            "merger_summaries": lambda: merger_summaries(mergers_2020()),
            "refresh": queries.latest_refresh(),
        },
    )


@public_page(_counts_and_activity)
@require_http_methods(["GET", "HEAD"])
def municipality(request: HttpRequest, key: str) -> HttpResponse:
    org = queries.find_municipality(key)
    if org is None:
        raise Http404
    return render(
        request,
        "insight/municipality.html",
        {
            **_shared(request),
            "status": queries.municipality_status(org, request.user),
            "org": org,
        },
    )


@public_page(_counts)
@require_http_methods(["GET", "HEAD"])
def activity(request: HttpRequest) -> HttpResponse:
    form = SectorForm(request.GET or None)
    sector = form.sector()
    refresh = queries.latest_refresh()
    weeks = queries.weekly_activity(sector, refresh)
    labels = [formats.date_format(w.week, "j.n.") for w in weeks]
    figures = [
        (
            "nye-traader",
            _("Nye tråder per uke"),
            charts.bars(title_id="nye-traader", labels=labels, values=[w.topics for w in weeks]),
        ),
        (
            "svar",
            _("Svar per uke"),
            charts.bars(title_id="svar", labels=labels, values=[w.replies for w in weeks]),
        ),
        (
            "besvart",
            _("Andel av ukens spørsmål som har fått svar"),
            charts.line(
                title_id="besvart",
                labels=labels,
                values=[w.answered_share for w in weeks],
                unit=" %",
                top=100,
            ),
        ),
        (
            "svartid",
            _("Median tid til første svar (timer)"),
            charts.line(
                title_id="svartid",
                labels=labels,
                values=[w.median_first_answer_hours for w in weeks],
            ),
        ),
    ]
    return render(
        request,
        "insight/activity.html",
        {
            **_shared(request),
            "form": form,
            "sector": sector,
            "weeks": weeks,
            "figures": figures,
            "refresh": refresh,
        },
    )


def _require_moderator(request: HttpRequest) -> None:
    if not permissions.can_view_moderator_reports(request.user):
        raise PermissionDenied


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def moderator_reports(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    tables = [build() for build in reports.REPORTS.values()]
    return render(request, "insight/reports.html", {**_shared(request), "tables": tables})


@moderator_tool
@login_required
@require_http_methods(["GET", "HEAD"])
def moderator_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    _require_moderator(request)
    if slug not in reports.REPORTS:
        raise Http404
    table = reports.REPORTS[slug]()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csv.writer(buffer)
    writer.writerow(table.headings)
    writer.writerows(table.rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reformforum-{slug}.csv"'
    return response
