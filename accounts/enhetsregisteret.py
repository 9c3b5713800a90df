"""Read Brønnøysundregistrene's Enhetsregisteret open data (NLOD) in the formats it publishes.

- The whole register: https://data.brreg.no/enhetsregisteret/api/enheter/lastned (JSON, gzip)
  and .../lastned/csv (CSV, gzip), one unit per element or row.
- A search, e.g. every municipality:
  https://data.brreg.no/enhetsregisteret/api/enheter?organisasjonsform=KOMM&size=1000
  (JSON: the units under `_embedded.enheter`).

JSON units nest their fields (`organisasjonsform.kode`); the CSV names its columns with the
same dotted paths. Files may be gzip-compressed (`.gz`).
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITY_FORM = "KOMM"


@dataclass(frozen=True)
class RegistryUnit:
    org_number: str
    name: str
    form: str
    municipality_number: str


class RegistryFileError(Exception):
    """The file is not in a format Enhetsregisteret publishes."""


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    if suffixes and suffixes[-1] in {".json", ".csv"}:
        return suffixes[-1][1:]
    raise RegistryFileError(f"{path.name}: expected a .json or .csv file (optionally .gz)")


def _dig(unit: dict, *path: str) -> str:
    value: object = unit
    for key in path:
        if not isinstance(value, dict):
            return ""
        value = value.get(key)
    return str(value).strip() if isinstance(value, str | int) else ""


def _from_json(handle: io.TextIOBase) -> Iterator[RegistryUnit]:
    try:
        data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise RegistryFileError(f"not valid JSON: {exc}") from None
    if isinstance(data, dict):
        data = (data.get("_embedded") or {}).get("enheter", [])
    if not isinstance(data, list):
        raise RegistryFileError("expected a list of units or a search result (_embedded.enheter)")
    for unit in data:
        if isinstance(unit, dict):
            yield RegistryUnit(
                org_number=_dig(unit, "organisasjonsnummer"),
                name=_dig(unit, "navn"),
                form=_dig(unit, "organisasjonsform", "kode"),
                municipality_number=_dig(unit, "forretningsadresse", "kommunenummer"),
            )


def _from_csv(handle: io.TextIOBase) -> Iterator[RegistryUnit]:
    header = handle.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(itertools.chain([header], handle), delimiter=delimiter)
    missing = {"organisasjonsnummer", "navn", "organisasjonsform.kode"} - set(
        reader.fieldnames or ()
    )
    if missing:
        raise RegistryFileError(f"CSV without the columns {', '.join(sorted(missing))}")
    for row in reader:
        yield RegistryUnit(
            org_number=(row.get("organisasjonsnummer") or "").strip(),
            name=(row.get("navn") or "").strip(),
            form=(row.get("organisasjonsform.kode") or "").strip(),
            municipality_number=(row.get("forretningsadresse.kommunenummer") or "").strip(),
        )


def read_units(path: Path) -> Iterator[RegistryUnit]:
    """Every unit in the file, in file order."""
    kind = _format_of(path)
    with _open_text(path) as handle:
        yield from (_from_json if kind == "json" else _from_csv)(handle)
