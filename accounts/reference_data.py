"""Load the official municipality and county lists (SSB KLASS 131, Kartverket; see data/SOURCES.md).

Idempotent: every row is keyed by a stable slug, so running the load twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from accounts.models import County, Organisation, OrganisationDomain
from forum.text import norwegian_slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_DATE = datetime.date(2020, 1, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2019, 12, 31)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, created: bool, changed: bool, kind: str) -> None:
        self.by_kind[kind] += 1
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model: type, lookup: dict, values: dict) -> tuple[object, bool, bool]:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        obj.save()
    return obj, False, changed


def municipality_domains(name: str) -> set[str]:
    """The conventional kommune.no addresses for a municipality name without qualifiers.

    Municipalities fold å both as "a" and "aa" in their addresses (alesund.kommune.no), so
    both are registered. Names with a parallel Sami name or a county qualifier are left to
    moderators, since their addresses follow no rule.
    """
    if "(" in name or " - " in name:
        return set()
    folded = norwegian_slugify(name)
    single_a = norwegian_slugify(name.replace("å", "a").replace("Å", "A"))
    return {f"{slug}.kommune.no" for slug in (folded, single_a) if slug}


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    rows_2019 = _rows("kommuner_2019.csv")
    rows_2020 = _rows("kommuner_2020.csv")
    mergers = _rows("sammenslaaing_2020.csv")

    counties_2019 = {(r["county_number"], r["county_name"]) for r in rows_2019}
    counties_2020 = {(r["county_number"], r["county_name"]) for r in rows_2020}
    county_objects: dict[tuple[str, str], County] = {}
    for number, name in sorted(counties_2019 | counties_2020):
        values = {
            "valid_from": None if (number, name) in counties_2019 else REFORM_DATE,
            "valid_to": None if (number, name) in counties_2020 else LAST_DAY_BEFORE_REFORM,
        }
        county, created, changed = _upsert(County, {"number": number, "name": name}, values)
        county_objects[(number, name)] = county
        report.count(created, changed, "county")
        if name != "Oslo":  # Oslo kommune is also the county authority
            _, created, changed = _upsert(
                Organisation,
                {"slug": norwegian_slugify(f"{name} fylkeskommune")},
                {
                    "kind": Organisation.Kind.FYLKESKOMMUNE,
                    "name": f"{name} fylkeskommune",
                    "county": county,
                    **values,
                },
            )
            report.count(created, changed, Organisation.Kind.FYLKESKOMMUNE)

    merged_new_numbers = {m["new_number"] for m in mergers}
    predecessors_of: dict[str, list[str]] = defaultdict(list)
    for m in mergers:
        predecessors_of[m["new_number"]].append(m["old_number"])
    old_by_number = {r["number"]: r for r in rows_2019}

    historical: dict[str, Organisation] = {}
    for number in sorted({m["old_number"] for m in mergers}):
        row = old_by_number[number]
        org, created, changed = _upsert(
            Organisation,
            {"slug": f"{norwegian_slugify(row['name'])}-{number}"},
            {
                "kind": Organisation.Kind.KOMMUNE,
                "name": row["name"],
                "municipality_number": number,
                "county": county_objects[(row["county_number"], row["county_name"])],
                "valid_from": None,
                "valid_to": LAST_DAY_BEFORE_REFORM,
            },
        )
        historical[number] = org
        report.count(created, changed, "kommune (1.1.2020 slått sammen)")

    for row in rows_2020:
        number = row["number"]
        org, created, changed = _upsert(
            Organisation,
            {"slug": norwegian_slugify(row["name"])},
            {
                "kind": Organisation.Kind.KOMMUNE,
                "name": row["name"],
                "municipality_number": number,
                "county": county_objects[(row["county_number"], row["county_name"])],
                "valid_from": REFORM_DATE if number in merged_new_numbers else None,
                "valid_to": None,
            },
        )
        report.count(created, changed, Organisation.Kind.KOMMUNE)
        if number in merged_new_numbers:
            wanted = {historical[old].pk for old in predecessors_of[number]}
            if set(org.predecessors.values_list("pk", flat=True)) != wanted:
                org.predecessors.set(wanted)
        for domain in municipality_domains(row["name"]):
            OrganisationDomain.objects.get_or_create(domain=domain, defaults={"organisation": org})

    named = json.loads((DATA_DIR / "organisations.json").read_text(encoding="utf-8"))
    for entry in named["organisations"]:
        org, created, changed = _upsert(
            Organisation,
            {"slug": entry["slug"]},
            {
                "kind": entry["kind"],
                "name": entry["name"],
                "org_number": entry["org_number"],
                "website": entry["website"],
            },
        )
        report.count(created, changed, entry["kind"])
        for domain in entry["domains"]:
            OrganisationDomain.objects.get_or_create(domain=domain, defaults={"organisation": org})
    return report
