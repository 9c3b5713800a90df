"""An example directory so a newcomer sees what the directory does. Never for production.

The vendors and products are real; which municipality uses what is invented, and every
usage loaded here is marked ``is_example`` so each page says so.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Organisation
from directory import actions
from directory.models import Sector, System, Usage
from directory.queries import REFORM_DATE

# (name, vendor slug, sector slugs, description, website, standards)
DEMO_SYSTEMS = [
    (
        "Acos WebSak",
        "acos",
        ["sak-arkiv"],
        "Sak- og arkivsystem for kommuner.",
        "https://www.acos.no/",
        ["Noark 5", "Fiks"],
    ),
    ("ePhorte", "evry", ["sak-arkiv"], "Sak- og arkivsystem.", "", ["Noark 5"]),
    (
        "Public 360°",
        "tieto",
        ["sak-arkiv"],
        "Sak- og arkivsystem.",
        "https://www.tietoevry.com/",
        ["Noark 5", "Fiks"],
    ),
    (
        "Documaster",
        "documaster",
        ["sak-arkiv"],
        "Arkivkjerne og langtidslagring.",
        "https://www.documaster.com/",
        ["Noark 5"],
    ),
    (
        "Visma Enterprise",
        "visma",
        ["hr-og-lonn", "okonomi"],
        "Lønn, personal og økonomi.",
        "https://www.visma.no/",
        ["SAF-T"],
    ),
    (
        "Visma Flyt Skole",
        "visma",
        ["oppvekst-og-skole"],
        "Skoleadministrasjon.",
        "https://www.visma.no/",
        ["Feide"],
    ),
    (
        "Visma Flyt Barnevern",
        "visma",
        ["barnevern"],
        "Fagsystem for barnevernet.",
        "https://www.visma.no/",
        [],
    ),
    (
        "Visma Profil",
        "visma",
        ["helse-og-omsorg"],
        "Pleie- og omsorgssystem.",
        "https://www.visma.no/",
        ["KITH-meldinger"],
    ),
    ("Gerica", "tieto", ["helse-og-omsorg"], "Pleie- og omsorgssystem.", "", ["KITH-meldinger"]),
    (
        "Komtek",
        "norkart",
        ["teknisk", "plan-bygg-og-geodata"],
        "Eiendom, byggesak, vann og avløp.",
        "https://www.norkart.no/",
        ["Matrikkel-API"],
    ),
    (
        "Kommunekart",
        "norkart",
        ["plan-bygg-og-geodata"],
        "Kartløsning for kommunen og innbyggerne.",
        "https://www.norkart.no/",
        ["WMS"],
    ),
    (
        "Infoland",
        "ambita",
        ["plan-bygg-og-geodata"],
        "Salg av eiendomsinformasjon.",
        "https://www.ambita.com/",
        [],
    ),
    (
        "ISY Eiendom",
        "norconsult",
        ["plan-bygg-og-geodata", "teknisk"],
        "Eiendomsforvaltning og matrikkel.",
        "https://www.norconsult.no/",
        ["Matrikkel-API"],
    ),
    (
        "GISLINE",
        "nois",
        ["plan-bygg-og-geodata"],
        "Kart, plan og matrikkel.",
        "https://www.nois.no/",
        ["SOSI", "Matrikkel-API"],
    ),
    (
        "Microsoft 365",
        "microsoft",
        ["drift-og-infrastruktur"],
        "E-post, kontorstøtte og samhandling i skyen.",
        "",
        [],
    ),
]

# Which example systems a sector's usages are drawn from.
SECTOR_CHOICES = {
    "sak-arkiv": ["Acos WebSak", "ePhorte", "Public 360°"],
    "hr-og-lonn": ["Visma Enterprise"],
    "okonomi": ["Visma Enterprise"],
    "helse-og-omsorg": ["Gerica", "Visma Profil"],
    "oppvekst-og-skole": ["Visma Flyt Skole"],
    "barnevern": ["Visma Flyt Barnevern"],
    "plan-bygg-og-geodata": ["Komtek", "ISY Eiendom", "GISLINE", "Kommunekart"],
    "teknisk": ["Komtek", "ISY Eiendom"],
    "drift-og-infrastruktur": ["Microsoft 365"],
}
# Current municipalities in these counties get example usages too, so the matrices fill up.
EXAMPLE_COUNTIES = ["30", "38", "34"]
LAST_MONTH_BEFORE_REFORM = datetime.date(2019, 12, 1)


@dataclass
class DemoReport:
    systems: int = 0
    usages: int = 0
    skipped: bool = False


def _pick(key: str, options: list) -> object:
    digest = hashlib.sha256(key.encode()).digest()
    return options[digest[0] % len(options)]


def _chance(key: str, percent: int) -> bool:
    return hashlib.sha256(key.encode()).digest()[1] % 100 < percent


def _systems() -> dict[str, System]:
    sectors = {s.slug: s for s in Sector.objects.all()}
    vendors = {o.slug: o for o in Organisation.objects.vendors()}
    systems = {}
    for name, vendor_slug, sector_slugs, description, website, standards in DEMO_SYSTEMS:
        vendor = vendors.get(vendor_slug)
        if vendor is None:
            continue
        system = System.objects.filter(vendor=vendor, name=name).first() or actions.create_system(
            by=None,
            vendor=vendor,
            name=name,
            sectors=[sectors[s] for s in sector_slugs if s in sectors],
            description=description,
            website=website,
            standards=standards,
            check_permission=False,
        )
        systems[name] = system
    return systems


def _add(org: Organisation, system: System, sector: Sector, status: str, **dates: object) -> None:
    actions.create_usage(
        by=None,
        organisation=org,
        system=system,
        sector=sector,
        status=status,
        is_example=True,
        check_permission=False,
        **dates,
    )


@transaction.atomic
def load_demo_directory() -> DemoReport:
    report = DemoReport()
    systems = _systems()
    report.systems = len(systems)
    if Usage.objects.filter(is_example=True).exists():
        report.skipped = True
        return report
    sectors = [s for s in Sector.objects.all() if s.slug in SECTOR_CHOICES]
    mergers = (
        Organisation.objects.municipalities()
        .filter(valid_from=REFORM_DATE, predecessors__isnull=False)
        .distinct()
        .prefetch_related("predecessors")
    )
    filled: set[tuple[int, int]] = set()  # Snillfjord went into three new municipalities
    for new in mergers:
        predecessors = list(new.predecessors.all())
        for sector in sectors:
            options = [systems[n] for n in SECTOR_CHOICES[sector.slug] if n in systems]
            if not options:
                continue
            had = []
            for old in predecessors:
                if _chance(f"skip{old.municipality_number}{sector.slug}", 12):
                    continue
                system = _pick(f"{old.municipality_number}{sector.slug}", options)
                had.append(system)
                if (old.pk, sector.pk) in filled:
                    continue
                filled.add((old.pk, sector.pk))
                _add(
                    old,
                    system,
                    sector,
                    Usage.Status.AVVIKLET,
                    since=datetime.date(2008 + len(old.name) % 10, 1 + len(sector.name) % 12, 1),
                    until=LAST_MONTH_BEFORE_REFORM,
                )
                report.usages += 1
            roll = (
                hashlib.sha256(f"{new.municipality_number}{sector.slug}".encode()).digest()[2] % 10
            )
            if not had or roll >= 8:
                continue  # not decided yet
            chosen = _pick(f"chosen{new.municipality_number}{sector.slug}", had)
            status = Usage.Status.I_BRUK if roll < 5 else Usage.Status.VALGT
            if roll == 7:
                status = Usage.Status.ANSKAFFELSE
            _add(
                new,
                chosen,
                sector,
                status,
                since=REFORM_DATE if status == Usage.Status.I_BRUK else None,
            )
            report.usages += 1
    merged_ids = {m.pk for m in mergers}
    others = (
        Organisation.objects.municipalities()
        .current()
        .filter(county__number__in=EXAMPLE_COUNTIES)
        .exclude(pk__in=merged_ids)
    )
    for org in others:
        for sector in sectors:
            if _chance(f"skip{org.municipality_number}{sector.slug}", 15):
                continue
            options = [systems[n] for n in SECTOR_CHOICES[sector.slug] if n in systems]
            system = _pick(f"{org.municipality_number}{sector.slug}", options)
            status = (
                Usage.Status.UTFASES
                if _chance(f"old{org.pk}{sector.slug}", 8)
                else Usage.Status.I_BRUK
            )
            _add(org, system, sector, status, since=datetime.date(2012 + org.pk % 8, 1, 1))
            report.usages += 1
    return report
