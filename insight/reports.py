"""The moderators' reports: each a title, column headings and rows of plain values, so the
page and its CSV download are the same table. They count everything (hidden spaces too):
only moderators see them (insight.permissions.can_view_moderator_reports)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from directory.models import Sector
from topics.models import Post, Report, Topic

AGE_BUCKETS = [
    (datetime.timedelta(days=7), gettext_lazy("Under 1 uke")),
    (datetime.timedelta(days=28), gettext_lazy("1–4 uker")),
    (datetime.timedelta(days=91), gettext_lazy("1–3 måneder")),
    (None, gettext_lazy("Over 3 måneder")),
]
ACTIVE_DAYS = 90
VENDOR_DAYS = 365


@dataclass
class Table:
    slug: str
    title: str
    description: str
    headings: list[str]
    rows: list[list[object]]


def _hours(delta: datetime.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def unanswered_by_age_and_sector() -> Table:
    now = timezone.now()
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(AGE_BUCKETS))
    # The age bucket worked out in the database: one row per sector and bucket comes back.
    bucket = Case(
        *[
            When(created_at__gt=now - limit, then=Value(index))
            for index, (limit, _label) in enumerate(AGE_BUCKETS)
            if limit is not None
        ],
        default=Value(len(AGE_BUCKETS) - 1),
        output_field=IntegerField(),
    )
    questions = (
        Topic.objects.unanswered()
        .filter(deleted_at__isnull=True, is_approved=True)
        .annotate(bucket=bucket)
        .values_list("tags", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for sector_id, index, n in questions:
        counts[sector_id][index] += n
    sectors = {s.pk: s.display_name for s in Sector.objects.all()}
    rows = []
    for sector_id, name in [*sectors.items(), (None, _("Uten sektor"))]:
        if sector_id in counts:
            rows.append([name, *counts[sector_id], sum(counts[sector_id])])
    return Table(
        "ubesvarte",
        _("Ubesvarte spørsmål etter alder og sektor"),
        _(
            "Spørsmål uten akseptert svar, i alle rom. Et spørsmål med flere sektorer telles i hver."
        ),
        [_("Sektor"), *[str(label) for _limit, label in AGE_BUCKETS], _("Totalt")],
        rows,
    )


def reports_handled() -> Table:
    since = timezone.now() - datetime.timedelta(days=365)
    by_month: dict[datetime.date, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    handled = (
        Report.objects.exclude(status=Report.Status.OPEN)
        .filter(resolved_at__gte=since)
        .values_list("resolved_at", "created_at", "status")
        .order_by()
    )
    for resolved_at, created_at, status in handled:
        month = timezone.localdate(resolved_at).replace(day=1)
        by_month[month][status].append(resolved_at - created_at)
    rows = []
    for month in sorted(by_month, reverse=True):
        durations = [d for ds in by_month[month].values() for d in ds]
        rows.append(
            [
                month.strftime("%Y-%m"),
                len(by_month[month][Report.Status.UPHELD]),
                len(by_month[month][Report.Status.DISMISSED]),
                _hours(statistics.median(durations)),
                _hours(max(durations)),
            ]
        )
    open_count = Report.objects.filter(status=Report.Status.OPEN).count()
    return Table(
        "rapporter",
        _("Rapporter behandlet"),
        _("Siste 12 måneder, etter måneden de ble behandlet. Åpne rapporter nå: %(n)s.")
        % {"n": open_count},
        [
            _("Måned"),
            _("Innlegg skjult"),
            _("Avvist"),
            _("Median tid (timer)"),
            _("Lengste tid (timer)"),
        ],
        rows,
    )


def approvals_waiting() -> Table:
    now = timezone.now()
    waiting: dict[str, list] = defaultdict(lambda: [0, 0, None])
    posts = (
        Post.objects.awaiting_approval()
        .filter(topic__deleted_at__isnull=True)
        .exclude(position=1)
        .values_list("topic__category__name", "created_at")
        .order_by()
    )
    topics = (
        Topic.objects.filter(is_approved=False, deleted_at__isnull=True)
        .values_list("category__name", "created_at")
        .order_by()
    )
    for index, rows in ((0, topics), (1, posts)):
        for category, created_at in rows:
            entry = waiting[category]
            entry[index] += 1
            entry[2] = created_at if entry[2] is None else min(entry[2], created_at)
    return Table(
        "godkjenning",
        _("Venter på godkjenning"),
        _("Tråder og svar fra nye medlemmer som ingen moderator har godkjent ennå."),
        [_("Kategori"), _("Tråder"), _("Svar"), _("Eldste venter (timer)")],
        [
            [category, t, p, _hours(now - oldest)]
            for category, (t, p, oldest) in sorted(waiting.items())
        ],
    )


def most_active_organisations() -> Table:
    since = timezone.now() - datetime.timedelta(days=ACTIVE_DAYS)
    organisations = (
        Post.objects.filter(created_at__gte=since, author__organisation__isnull=False)
        .values("author__organisation__name", "author__organisation__kind")
        .annotate(
            posts=Count("pk"),
            topics=Count("pk", filter=Q(position=1)),
            members=Count("author", distinct=True),
        )
        .order_by("-posts", "author__organisation__name")[:25]
    )
    kinds = dict(Organisation.Kind.choices)
    return Table(
        "organisasjoner",
        _("Mest aktive organisasjoner"),
        _("Innlegg de siste %(days)s dagene, i alle rom.") % {"days": ACTIVE_DAYS},
        [_("Organisasjon"), _("Type"), _("Innlegg"), _("Nye tråder"), _("Medlemmer som skrev")],
        [
            [
                row["author__organisation__name"],
                str(kinds.get(row["author__organisation__kind"], "")),
                row["posts"],
                row["topics"],
                row["members"],
            ]
            for row in organisations
        ],
    )


def vendor_answer_rates() -> Table:
    since = timezone.now() - datetime.timedelta(days=VENDOR_DAYS)
    answered_by_vendor = Post.objects.filter(
        topic=OuterRef("topic"),
        author__organisation=OuterRef("system__vendor"),
        position__gt=1,
    )
    rows = (
        Topic.systems.through.objects.filter(
            topic__kind=Topic.Kind.SPORSMAL,
            topic__created_at__gte=since,
            topic__deleted_at__isnull=True,
        )
        .annotate(answered=Exists(answered_by_vendor))
        .values("system__vendor__name")
        .annotate(
            questions=Count("topic", distinct=True),
            answered_count=Count("topic", distinct=True, filter=Q(answered=True)),
        )
        .order_by("system__vendor__name")
    )
    return Table(
        "leverandorer",
        _("Leverandørenes svarandel"),
        _(
            "Spørsmål de siste %(days)s dagene om en leverandørs systemer, og hvor mange av dem "
            "leverandørens egne medlemmer har svart på."
        )
        % {"days": VENDOR_DAYS},
        [_("Leverandør"), _("Spørsmål"), _("Svart av leverandøren"), _("Andel (%)")],
        [
            [
                row["system__vendor__name"],
                row["questions"],
                row["answered_count"],
                round(100 * row["answered_count"] / row["questions"]) if row["questions"] else 0,
            ]
            for row in rows
        ],
    )


REPORTS: dict[str, Callable[[], Table]] = {
    "ubesvarte": unanswered_by_age_and_sector,
    "rapporter": reports_handled,
    "godkjenning": approvals_waiting,
    "organisasjoner": most_active_organisations,
    "leverandorer": vendor_answer_rates,
}
