"""Read models for the directory pages: grouping done in Python on a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch

from accounts.models import Organisation
from directory.models import Sector, Usage
from forum.text import localized_name

REFORM_DATE = datetime.date(2020, 1, 1)
# A sector is decided for a merged municipality when it runs or has chosen a system there.
DECIDED_STATUSES = frozenset({Usage.Status.I_BRUK, Usage.Status.VALGT})
ACTIVE_STATUSES = frozenset(
    {Usage.Status.I_BRUK, Usage.Status.VALGT, Usage.Status.ANSKAFFELSE, Usage.Status.UTFASES}
)
STATUS_ORDER = {value: i for i, value in enumerate(Usage.Status.values)}


@dataclass(frozen=True)
class SystemUser:
    """One usage as the system page lists it: plain values, no model instances (a widely
    used system has hundreds of usages)."""

    organisation: str
    slug: str
    sector: str
    is_example: bool


def system_users(system) -> tuple[list[dict], int, bool]:
    """The system's usages grouped by status (in the order of the status list), then by
    county; how many organisations use it; whether any of it is example data."""
    by_status: dict[str, dict[tuple[str, str] | None, list[SystemUser]]] = defaultdict(
        lambda: defaultdict(list)
    )
    organisations: set[int] = set()
    has_examples = False
    rows = system.usages.order_by("organisation__name", "sector__position").values_list(
        "organisation_id",
        "organisation__name",
        "organisation__slug",
        "organisation__county__number",
        "organisation__county__name",
        "sector__name",
        "sector__name_en",
        "status",
        "is_example",
    )
    for (
        org_id,
        name,
        slug,
        county_number,
        county_name,
        sector,
        sector_en,
        status,
        is_example,
    ) in rows:
        sector = localized_name(sector, sector_en)
        county = (county_number, county_name) if county_number else None
        by_status[status][county].append(SystemUser(name, slug, sector, is_example))
        organisations.add(org_id)
        has_examples |= is_example
    groups = []
    for value, label in Usage.Status.choices:
        if value not in by_status:
            continue
        counties = sorted(
            by_status[value].items(), key=lambda item: item[0][0] if item[0] else "99"
        )
        groups.append(
            {
                "status": value,
                "label": label,
                "count": sum(len(users) for _, users in counties),
                "counties": [
                    {"county": {"number": c[0], "name": c[1]} if c else None, "usages": users}
                    for c, users in counties
                ],
            }
        )
    return groups, len(organisations), has_examples


# One usage as the county matrix shows it: (system name, system slug, status, is example).
# Plain tuples straight from the database: a county holds thousands of usages, and building
# model instances (or even small objects) for each was most of the page's time.
MatrixEntry = tuple[str, str, str, bool]


def county_matrix(organisations: list[Organisation]) -> tuple[list[dict], bool]:
    """One row per sector, one cell per organisation: its usages of approved systems in
    that sector, by system name. Also whether any of them is example data."""
    cells: dict[tuple[int, int], list[MatrixEntry]] = defaultdict(list)
    has_examples = False
    rows = (
        Usage.objects.of_approved_systems()
        .filter(organisation__in=organisations)
        .order_by("system__name", "pk")
        .values_list(
            "sector_id", "organisation_id", "system__name", "system__slug", "status", "is_example"
        )
    )
    for sector_id, organisation_id, *entry in rows:
        cells[sector_id, organisation_id].append(entry)
        has_examples |= entry[3]
    return [
        {"sector": sector, "cells": [cells.get((sector.pk, org.pk), ()) for org in organisations]}
        for sector in Sector.objects.all()
    ], has_examples


class LazyCountyMatrix:
    """county_matrix(organisations), worked out the first time the template asks: the
    rendered table is the same for every reader and is usually in the fragment cache."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self.organisations = organisations

    @cached_property
    def _matrix(self) -> tuple[list[dict], bool]:
        return county_matrix(self.organisations)

    @property
    def rows(self) -> list[dict]:
        return self._matrix[0]

    @property
    def has_examples(self) -> bool:
        return self._matrix[1]


def mergers_2020() -> list[Organisation]:
    return list(
        Organisation.objects.municipalities()
        .filter(valid_from=REFORM_DATE, predecessors__isnull=False)
        .distinct()
        .select_related("county")
        .prefetch_related(
            Prefetch("predecessors", queryset=Organisation.objects.order_by("municipality_number"))
        )
        .order_by("municipality_number")
    )


@dataclass(slots=True)
class MergerUsage:
    """One usage as the merger pages need it: plain values from one query (a merger's page
    lists several hundred usages; model instances for each and their systems and vendors
    were half of its time)."""

    organisation_id: int
    sector_id: int
    system_id: int
    status: str
    is_example: bool
    system_name: str = ""
    system_slug: str = ""
    vendor_name: str = ""


@dataclass
class MergerRow:
    sector: Sector
    predecessor_cells: list[list[MergerUsage]]
    chosen: list[MergerUsage]
    differs: bool
    decided: bool


@dataclass
class MergerSummary:
    municipality: Organisation
    predecessors: list[Organisation]
    sectors: int = 0
    undecided: int = 0
    differing: int = 0
    rows: list[MergerRow] = field(default_factory=list)


def _system_set(usages: list[MergerUsage]) -> frozenset[int]:
    # What a predecessor had, whatever its status now: most were phased out at the merger.
    return frozenset(u.system_id for u in usages)


def summarise_merger(
    municipality: Organisation,
    predecessors: list[Organisation],
    usages: list[MergerUsage],
    sectors: list[Sector],
) -> MergerSummary:
    by_cell: dict[tuple[int, int], list[MergerUsage]] = defaultdict(list)
    for usage in usages:
        by_cell[(usage.organisation_id, usage.sector_id)].append(usage)
    summary = MergerSummary(municipality=municipality, predecessors=predecessors)
    for sector in sectors:
        old = [by_cell.get((p.pk, sector.pk), []) for p in predecessors]
        chosen = by_cell.get((municipality.pk, sector.pk), [])
        if not any(old) and not chosen:
            continue
        known_sets = {_system_set(cell) for cell in old if _system_set(cell)}
        decided = any(u.status in DECIDED_STATUSES for u in chosen)
        row = MergerRow(sector, old, chosen, differs=len(known_sets) > 1, decided=decided)
        summary.rows.append(row)
        summary.sectors += 1
        summary.undecided += not decided
        summary.differing += row.differs
    return summary


def merger_summaries(
    mergers: list[Organisation], *, with_rows: bool = False, sectors: list[Sector] | None = None
) -> list[MergerSummary]:
    """Every merger summed up from one query over all the usages involved (the mergers'
    predecessors prefetched, or one query each; `sectors` when the caller has them)."""
    ids = {m.pk for m in mergers} | {p.pk for m in mergers for p in m.predecessors.all()}
    fields = ["organisation_id", "sector_id", "system_id", "status", "is_example"]
    usages = Usage.objects.of_approved_systems().filter(organisation__in=ids)
    if with_rows:
        fields += ["system__name", "system__slug", "system__vendor__name"]
        usages = usages.order_by("system__name", "pk")
    by_org: dict[int, list[MergerUsage]] = defaultdict(list)
    for row in usages.values_list(*fields):
        by_org[row[0]].append(MergerUsage(*row))
    if sectors is None:
        sectors = list(Sector.objects.all())
    summaries = []
    for merger in mergers:
        predecessors = list(merger.predecessors.all())
        involved = [u for org in [merger, *predecessors] for u in by_org.get(org.pk, [])]
        summaries.append(summarise_merger(merger, predecessors, involved, sectors))
    return summaries
