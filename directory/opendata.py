"""The directory as open data (CSV and JSON, NLOD), and the parser for the same CSV format.

The import reads exactly what the export writes, so a moderator can download the
directory, correct it in a spreadsheet and load it back.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Organisation
from directory.models import Sector, System, Usage, UsageQuerySet

LICENCE = "Norsk lisens for offentlige data (NLOD) 2.0"
LICENCE_URL = "https://data.norge.no/nlod/no/2.0"

COLUMNS = [
    "organisasjonsnummer",
    "kommunenummer",
    "organisasjon",
    "system",
    "leverandor",
    "sektor",
    "status",
    "fra",
    "til",
    "merknad",
    "sist_bekreftet",
    "eksempeldata",
]
REQUIRED_COLUMNS = [
    "organisasjonsnummer",
    "kommunenummer",
    "system",
    "leverandor",
    "sektor",
    "status",
]
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _month(value: datetime.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def export_rows(usages: Iterator[Usage]) -> Iterator[dict[str, str]]:
    for usage in usages:
        org = usage.organisation
        yield {
            "organisasjonsnummer": org.org_number,
            "kommunenummer": org.municipality_number,
            "organisasjon": org.name,
            "system": usage.system.name,
            "leverandor": usage.system.vendor.name,
            "sektor": usage.sector.name,
            "status": usage.status,
            "fra": _month(usage.since),
            "til": _month(usage.until),
            "merknad": usage.note,
            "sist_bekreftet": usage.confirmed_at.date().isoformat() if usage.confirmed_at else "",
            "eksempeldata": "ja" if usage.is_example else "nei",
        }


def export_queryset() -> UsageQuerySet:
    return (
        Usage.objects.of_approved_systems()
        .select_related("organisation", "system__vendor", "sector")
        .order_by(
            "organisation__municipality_number",
            "organisation__name",
            "sector__position",
            "system__name",
        )
    )


def write_csv(handle: io.TextIOBase) -> None:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(export_queryset().iterator(chunk_size=2000)):
        writer.writerow(row)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    organisation: Organisation
    system: System
    sector: Sector
    status: str
    since: datetime.date | None
    until: datetime.date | None
    note: str


class _Lookups:
    """Everything a row refers to, loaded once, so a long file costs a handful of queries."""

    def __init__(self) -> None:
        orgs = list(
            Organisation.objects.exclude(org_number="", municipality_number="").only(
                "pk", "name", "org_number", "municipality_number", "kind", "valid_to"
            )
        )
        self.by_org_number = {o.org_number: o for o in orgs if o.org_number}
        self.by_municipality_number: dict[str, Organisation] = {}
        # A number that a merged (pre-2020) and a current municipality share means the current one.
        for org in sorted(orgs, key=lambda o: o.valid_to is None):
            if org.municipality_number and org.kind == Organisation.Kind.KOMMUNE:
                self.by_municipality_number[org.municipality_number] = org
        self.vendors = {
            o.name.casefold(): o for o in Organisation.objects.vendors().only("pk", "name", "kind")
        }
        self.systems: dict[str, list[System]] = {}
        for system in System.objects.approved().select_related("vendor"):
            self.systems.setdefault(system.name.casefold(), []).append(system)
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.all():
            self.sectors[sector.name.casefold()] = sector
            self.sectors[sector.slug.casefold()] = sector
        self.statuses = {value: value for value in Usage.Status.values}
        for value, label in Usage.Status.choices:
            self.statuses[str(label).casefold()] = value


def _parse_month(value: str, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    match = _MONTH.match(value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(
            _("«%(value)s» i kolonnen %(column)s er ikke år og måned (ÅÅÅÅ-MM).")
            % {"value": value, "column": column}
        )
    return datetime.date(int(match[1]), int(match[2]), 1)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("Filen er ikke UTF-8. Lagre den som «CSV UTF-8» og prøv igjen.")
        ) from exc


def parse_usage_csv(content: bytes) -> tuple[list[ParsedRow], list[tuple[int, str]]]:
    """Every good row, and every bad row as (line number, reason). Line 1 is the header."""
    try:
        text = _decode(content)
    except ValueError as exc:
        return [], [(0, str(exc))]
    # The export starts with a comment line naming the licence; skip it, keep line numbers.
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    text = "".join(lines[skipped:])
    if not text.strip():
        return [], [(1, _("Filen er tom."))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().casefold() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        message = _("Mangler kolonnene: %(columns)s.") % {"columns": ", ".join(missing)}
        return [], [(skipped + 1, message)]
    reader.fieldnames = header
    lookups = _Lookups()
    rows: list[ParsedRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for record in reader:
        line = reader.line_num + skipped
        value = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if not any(value.values()):
            continue
        try:
            row = _parse_row(line, value, lookups)
        except ValueError as exc:
            errors.append((line, str(exc)))
            continue
        key = (row.organisation.pk, row.system.pk, row.sector.pk)
        if key in seen:
            errors.append(
                (
                    line,
                    _("Samme organisasjon, system og sektor som linje %(line)s.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    return rows, errors


def _parse_row(line: int, value: dict[str, str], lookups: _Lookups) -> ParsedRow:
    org_number, municipality_number = value["organisasjonsnummer"], value["kommunenummer"]
    if org_number:
        organisation = lookups.by_org_number.get(org_number)
        if organisation is None:
            raise ValueError(_("Ukjent organisasjonsnummer «%(n)s».") % {"n": org_number})
    elif municipality_number:
        organisation = lookups.by_municipality_number.get(municipality_number.zfill(4))
        if organisation is None:
            raise ValueError(_("Ukjent kommunenummer «%(n)s».") % {"n": municipality_number})
    else:
        raise ValueError(_("Raden mangler både organisasjonsnummer og kommunenummer."))

    vendor = lookups.vendors.get(value["leverandor"].casefold())
    if vendor is None:
        raise ValueError(_("Ukjent leverandør «%(v)s».") % {"v": value["leverandor"]})
    candidates = lookups.systems.get(value["system"].casefold(), [])
    system = next((s for s in candidates if s.vendor_id == vendor.pk), None)
    if system is None:
        if candidates:
            raise ValueError(
                _("Systemet «%(system)s» er fra %(other)s, ikke fra %(vendor)s.")
                % {
                    "system": value["system"],
                    "other": ", ".join(s.vendor.name for s in candidates),
                    "vendor": vendor.name,
                }
            )
        raise ValueError(_("Ukjent system «%(s)s».") % {"s": value["system"]})

    sector = lookups.sectors.get(value["sektor"].casefold())
    if sector is None:
        raise ValueError(_("Ukjent sektor «%(s)s».") % {"s": value["sektor"]})
    status = lookups.statuses.get(value["status"].casefold())
    if status is None:
        raise ValueError(
            _("Ukjent status «%(status)s». Gyldige verdier: %(valid)s.")
            % {"status": value["status"], "valid": ", ".join(Usage.Status.values)}
        )
    since = _parse_month(value.get("fra", ""), "fra")
    until = _parse_month(value.get("til", ""), "til")
    if since and until and until < since:
        raise ValueError(
            _("«til» (%(until)s) er før «fra» (%(since)s).")
            % {"until": value["til"], "since": value["fra"]}
        )
    note = value.get("merknad", "")
    if len(note) > 500:
        raise ValueError(_("Merknaden er lengre enn 500 tegn."))
    return ParsedRow(line, organisation, system, sector, status, since, until, note)


def json_document(rows: list[dict[str, str]]) -> dict:
    return {
        "lisens": LICENCE,
        "lisens_url": LICENCE_URL,
        "kilde": "Reformforum systemkatalog",
        "merknad": _("Rader med eksempeldata=ja er demodata, ikke virkelige opplysninger."),
        "kolonner": COLUMNS,
        "rader": rows,
    }
