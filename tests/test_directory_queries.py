"""The directory's pages cost a fixed number of queries, however much data there is."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Organisation
from directory.models import Sector, Usage
from tests import directory_factories as df
from tests.conftest import login, page_queries

pytestmark = pytest.mark.django_db

SECTORS = ["sak-arkiv", "hr-og-lonn", "okonomi", "helse-og-omsorg"]


def _queries(client, url: str) -> tuple[int, list[str]]:
    sql = page_queries(client, url)
    return len(sql), sql


def _assert_same_cost(small: tuple[int, list[str]], large: tuple[int, list[str]]) -> None:
    print(f"queries: {small[0]} (small) vs {large[0]} (large)")
    if small[0] != large[0]:
        extra = "\n".join(large[1][small[0] :])
        pytest.fail(f"{small[0]} queries for the small set, {large[0]} for the large:\n{extra}")


def _county_with(count: int, systems: list, number: str) -> None:
    """A county of `count` municipalities, each with a system in every test sector.

    Usages are bulk-created: the query cost of the pages is what is measured here, not
    the actions (tested elsewhere).
    """
    county = df.county(number=number, name=f"Fylke {number}")
    sectors = {s.slug: s for s in Sector.objects.filter(slug__in=SECTORS)}
    orgs = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.KOMMUNE,
            name=f"Kommune {number}{i:03}",
            slug=f"k-{number}-{i}",
            municipality_number=f"{number}{i:02}"[:4] if count < 100 else "",
            county=county,
        )
        for i in range(count)
    )
    Usage.objects.bulk_create(
        Usage(
            organisation=org,
            system=systems[(i + j) % len(systems)],
            sector=sectors[slug],
            status=Usage.Status.I_BRUK,
            since=datetime.date(2015, 1, 1),
            is_example=bool(i % 2),
        )
        for i, org in enumerate(orgs)
        for j, slug in enumerate(SECTORS)
    )


@pytest.fixture
def systems():
    vendors = [df.vendor(f"Leverandør {n}") for n in range(3)]
    return [
        df.system(vendor=v, name=f"System {i}", sectors=tuple(SECTORS))
        for i, v in enumerate(vendors)
    ]


def test_county_matrix_costs_the_same_for_5_and_50_municipalities(client, systems):
    _county_with(5, systems, "41")
    _county_with(50, systems, "42")
    small = _queries(client, "/katalog/fylke/41/")
    large = _queries(client, "/katalog/fylke/42/")
    _assert_same_cost(small, large)
    assert small[0] <= 8


def test_system_page_costs_the_same_for_30_and_300_users(client, systems, municipal_member):
    # Two systems in two counties: one used by 30 municipalities, one by 300.
    few, many = (
        df.system(vendor=df.vendor(), name="Lite brukt"),
        df.system(vendor=df.vendor(), name="Mye brukt"),
    )
    _county_with(30, [few], "43")
    _county_with(300, [many], "44")
    small = _queries(client, few.get_absolute_url())
    large = _queries(client, many.get_absolute_url())
    _assert_same_cost(small, large)
    login(client, municipal_member)
    _assert_same_cost(
        _queries(client, few.get_absolute_url()), _queries(client, many.get_absolute_url())
    )


def test_directory_home_and_vendor_page_do_not_grow_with_the_data(client, systems):
    _county_with(5, systems, "45")
    home_small = _queries(client, "/katalog/")
    vendor_small = _queries(client, f"/katalog/leverandor/{systems[0].vendor.slug}/")
    _county_with(60, systems, "46")
    _assert_same_cost(home_small, _queries(client, "/katalog/"))
    _assert_same_cost(
        vendor_small, _queries(client, f"/katalog/leverandor/{systems[0].vendor.slug}/")
    )


def test_municipality_page_does_not_grow_with_its_systems(
    client, systems, kommune, municipal_member
):
    df.usage(organisation=kommune, system=systems[0])
    small = _queries(client, f"/katalog/kommune/{kommune.slug}/")
    for i, slug in enumerate(SECTORS[1:], start=1):
        df.usage(organisation=kommune, system=systems[i % 3], sector_slug=slug, by=municipal_member)
    _assert_same_cost(small, _queries(client, f"/katalog/kommune/{kommune.slug}/"))


def _merger(number: str, predecessors: int, systems: list) -> None:
    county = df.county()
    reform = datetime.date(2020, 1, 1)
    new = df.municipality(county=county, number=number, slug=f"ny-{number}", valid_from=reform)
    old = [
        df.municipality(
            county=county,
            number=f"0{number[1:3]}{i}",
            slug=f"gammel-{number}-{i}",
            valid_to=datetime.date(2019, 12, 31),
        )
        for i in range(predecessors)
    ]
    new.predecessors.set(old)
    for i, org in enumerate([*old, new]):
        for j, slug in enumerate(SECTORS):
            df.usage(organisation=org, system=systems[(i + j) % 3], sector_slug=slug)


def test_merger_pages_do_not_grow_with_the_mergers(client, systems):
    _merger("3005", 2, systems)
    list_small = _queries(client, "/katalog/sammenslaing/")
    detail_small = _queries(client, "/katalog/sammenslaing/ny-3005/")
    _merger("3006", 5, systems)
    _merger("3007", 3, systems)
    _assert_same_cost(list_small, _queries(client, "/katalog/sammenslaing/"))
    _assert_same_cost(detail_small, _queries(client, "/katalog/sammenslaing/ny-3006/"))


def test_export_does_not_grow_with_the_data(client, systems):
    _county_with(5, systems, "47")
    small = _queries(client, "/katalog/systemkatalog.csv")
    _county_with(80, systems, "48")
    _assert_same_cost(small, _queries(client, "/katalog/systemkatalog.csv"))
