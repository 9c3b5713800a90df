"""Read models of the status pages: a fixed number of queries each, whatever the data size.

The national pages read the stored counts (insight.models: public data only); a
municipality's own page reads its usages, and what the viewer may see of its topics and
action items, live from `visible_to(viewer)`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from directory.models import Sector, System, Usage
from directory.queries import ACTIVE_STATUSES, DECIDED_STATUSES, REFORM_DATE, merger_summaries
from followup.models import ActionItem
from insight.actions import WEEKS, monday
from insight.models import FiguresRefresh, WeeklyActivity
from topics.models import Topic


@dataclass(frozen=True)
class Measure:
    slug: str
    label: str
    percent: bool
    help: str


MEASURES = {
    m.slug: m
    for m in [
        Measure(
            "dekning",
            _("Dekning i systemkatalogen"),
            True,
            _("Andel av sektorene der kommunen har registrert et system."),
        ),
        Measure(
            "uten-valg",
            _("Sektorer uten valgt system"),
            False,
            _("Sektorer der kommunen ikke har et system i bruk eller valgt."),
        ),
        Measure(
            "system",
            _("Brukere av et system"),
            False,
            _("Antall sektorer der kommunen bruker systemet du velger."),
        ),
        Measure(
            "trader",
            _("Offentlige tråder"),
            False,
            _("Offentlige tråder startet av kommunens medlemmer."),
        ),
    ]
}
DEFAULT_MEASURE = "dekning"


@dataclass
class MunicipalityRow:
    number: str
    name: str
    slug: str
    county_number: str
    county_name: str
    sectors_registered: int = 0
    sectors_decided: int = 0
    usages: int = 0
    public_topics: int = 0
    open_action_items: int = 0
    system_sectors: int = 0

    def coverage(self, sector_count: int) -> int:
        return round(100 * self.sectors_registered / sector_count) if sector_count else 0


def municipality_rows() -> list[MunicipalityRow]:
    """Every current municipality with its stored counts: one query, plain values."""
    organisations = (
        Organisation.objects.municipalities()
        .current()
        .exclude(municipality_number="")
        .order_by("municipality_number")
        .values_list(
            "municipality_number",
            "name",
            "slug",
            "county__number",
            "county__name",
            "insight_figures__sectors_registered",
            "insight_figures__sectors_decided",
            "insight_figures__usages",
            "insight_figures__public_topics",
            "insight_figures__open_action_items",
        )
    )
    return [
        MunicipalityRow(
            number, name, slug, county_number or "", county_name or "", *(n or 0 for n in counts)
        )
        for number, name, slug, county_number, county_name, *counts in organisations
    ]


def add_system_users(rows: list[MunicipalityRow], system: System) -> None:
    """In how many sectors each municipality uses `system` (an approved one): one query."""
    counts = dict(
        Usage.objects.filter(system=system, status__in=ACTIVE_STATUSES)
        .filter(organisation__kind=Organisation.Kind.KOMMUNE, organisation__valid_to__isnull=True)
        .values("organisation__municipality_number")
        .annotate(n=Count("sector", distinct=True))
        .values_list("organisation__municipality_number", "n")
        .order_by()
    )
    for row in rows:
        row.system_sectors = counts.get(row.number, 0)


def measure_value(row: MunicipalityRow, measure: str, sector_count: int) -> int:
    if measure == "dekning":
        return row.coverage(sector_count)
    if measure == "uten-valg":
        return max(sector_count - row.sectors_decided, 0)
    if measure == "system":
        return row.system_sectors
    return row.public_topics


@dataclass
class CountyRow:
    number: str
    name: str
    municipalities: int = 0
    with_entries: int = 0
    registered: int = 0
    undecided: int = 0
    public_topics: int = 0
    open_action_items: int = 0
    coverage: int = 0


def county_overview(rows: list[MunicipalityRow], sector_count: int) -> list[CountyRow]:
    counties: dict[str, CountyRow] = {}
    for row in rows:
        county = counties.setdefault(
            row.county_number, CountyRow(row.county_number, row.county_name)
        )
        county.municipalities += 1
        county.with_entries += row.usages > 0
        county.registered += row.sectors_registered
        county.undecided += max(sector_count - row.sectors_decided, 0)
        county.public_topics += row.public_topics
        county.open_action_items += row.open_action_items
    for county in counties.values():
        possible = county.municipalities * sector_count
        county.coverage = round(100 * county.registered / possible) if possible else 0
    return sorted(counties.values(), key=lambda c: c.number)


def latest_refresh() -> FiguresRefresh | None:
    return FiguresRefresh.objects.order_by("-finished_at").first()


def find_municipality(key: str) -> Organisation | None:
    """By the four-digit number (the current municipality) or by the address (slug)."""
    municipalities = (
        Organisation.objects.municipalities()
        .select_related("county")
        .prefetch_related(
            Prefetch("predecessors", queryset=Organisation.objects.order_by("municipality_number"))
        )
    )
    if key.isdecimal() and len(key) == 4:
        return municipalities.current().filter(municipality_number=key).first()
    return municipalities.filter(slug=key).first()


@dataclass
class SectorStatus:
    sector: Sector
    usages: list[dict] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return any(u["status"] in DECIDED_STATUSES for u in self.usages)

    @property
    def registered(self) -> bool:
        return any(u["status"] in ACTIVE_STATUSES for u in self.usages)


@dataclass
class MunicipalityStatus:
    organisation: Organisation
    sectors: list[SectorStatus]
    changes: list
    action_items: list
    topics: list
    merger: object | None
    successors: list

    @property
    def decided_count(self) -> int:
        return sum(s.decided for s in self.sectors)

    @property
    def undecided(self) -> list[SectorStatus]:
        return [s for s in self.sectors if not s.decided]


def municipality_status(org: Organisation, viewer) -> MunicipalityStatus:
    """One municipality's page: its sectors, recent changes, and what `viewer` may see of
    its action items and topics. A fixed number of queries."""
    sectors = [SectorStatus(sector) for sector in Sector.objects.all()]
    by_sector = {s.sector.pk: s for s in sectors}
    usages = (
        Usage.objects.of_approved_systems()
        .filter(organisation=org)
        .order_by("system__name")
        .values("sector_id", "status", "system__name", "system__slug", "system__vendor__name")
    )
    for usage in usages:
        usage["label"] = Usage.Status(usage["status"]).label
        if (status := by_sector.get(usage["sector_id"])) is not None:
            status.usages.append(usage)
    changes = list(
        org.usage_changes.select_related("changed_by").order_by("-changed_at", "-pk")[:10]
    )
    items = list(
        ActionItem.objects.visible_to(viewer)
        .open()
        .filter(responsible_organisation=org)
        .select_related("topic")
        .order_by("due_date", "pk")[:20]
    )
    topics = list(
        Topic.objects.visible_to(viewer)
        .filter(author__organisation=org)
        .for_listing()
        .order_by("-last_activity_at", "-pk")[:10]
    )
    prefetch_related_objects([org], "predecessors")  # read here and by merger_summaries
    predecessors = list(org.predecessors.all())
    merger = None
    if org.valid_from == REFORM_DATE and predecessors:
        merger = merger_summaries([org], sectors=[status.sector for status in sectors])[0]
    successors = list(org.successors.order_by("municipality_number")) if org.valid_to else []
    return MunicipalityStatus(org, sectors, changes, items, topics, merger, successors)


@dataclass
class Week:
    week: datetime.date
    topics: int = 0
    replies: int = 0
    questions: int = 0
    answered: int = 0
    median_first_answer_hours: float | None = None

    @property
    def answered_share(self) -> int | None:
        return round(100 * self.answered / self.questions) if self.questions else None


def weekly_activity(sector: Sector | None, refresh: FiguresRefresh | None) -> list[Week]:
    """The WEEKS weeks the last refresh counted (up to this week when there is none yet),
    oldest first, every week present (zero when nothing happened)."""
    last = refresh.last_week if refresh else monday(timezone.localdate())
    weeks = {
        last - datetime.timedelta(weeks=n): Week(last - datetime.timedelta(weeks=n))
        for n in range(WEEKS - 1, -1, -1)
    }
    stored = WeeklyActivity.objects.filter(week__in=list(weeks))
    stored = stored.filter(sector=sector) if sector else stored.filter(sector__isnull=True)
    for row in stored:
        week = weeks[row.week]
        week.topics, week.replies = row.topics, row.replies
        week.questions, week.answered = row.questions, row.answered
        week.median_first_answer_hours = row.median_first_answer_hours
    return list(weeks.values())
