"""Builders for directory test data: systems, usages, a county full of municipalities."""

from __future__ import annotations

import datetime
import itertools

from accounts.models import County, Organisation
from directory import actions
from directory.models import Sector, System, Usage
from tests import factories

_seq = itertools.count(1)


def sector(slug: str = "sak-arkiv") -> Sector:
    return Sector.objects.get(slug=slug)


def vendor(name: str = "") -> Organisation:
    n = next(_seq)
    return factories.organisation(
        name=name or f"Leverandør {n}", kind=Organisation.Kind.LEVERANDOR, slug=f"lev-{n}"
    )


def system(
    *, vendor: Organisation, name: str = "", sectors: tuple[str, ...] = ("sak-arkiv",)
) -> System:
    return actions.create_system(
        by=None,
        vendor=vendor,
        name=name or f"System {next(_seq)}",
        sectors=[sector(s) for s in sectors],
        standards=["Noark 5"],
        check_permission=False,
    )


def usage(
    *,
    organisation: Organisation,
    system: System,
    sector_slug: str = "sak-arkiv",
    status: str = Usage.Status.I_BRUK,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    by: object = None,
    is_example: bool = False,
) -> Usage:
    return actions.create_usage(
        by=by,
        organisation=organisation,
        system=system,
        sector=sector(sector_slug),
        status=status,
        since=since,
        until=until,
        is_example=is_example,
        check_permission=False,
    )


def county(number: str = "30", name: str = "Viken") -> County:
    return County.objects.get_or_create(number=number, name=name)[0]


def municipality(*, county: County, number: str, name: str = "", **extra: object) -> Organisation:
    return factories.organisation(
        name=name or f"Kommune {number}", municipality_number=number, county=county, **extra
    )
