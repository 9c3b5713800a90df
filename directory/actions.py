"""Everything that changes the system directory. One transaction per action.

Every change to a usage writes a UsageChange (who, when, field by field before and after),
so the history survives even when the usage itself is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from directory import permissions
from directory.models import Sector, System, Usage, UsageChange
from forum.page_cache import invalidates_public_pages
from forum.text import norwegian_slugify

# The fields a usage's history follows, in the order it shows them.
TRACKED_FIELDS = ("system", "sector", "status", "since", "until", "note")


def month_label(value: datetime.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def _snapshot(usage: Usage) -> dict[str, str]:
    return {
        "system": usage.system.name,
        "sector": usage.sector.name,
        "status": str(usage.get_status_display()),
        "since": month_label(usage.since),
        "until": month_label(usage.until),
        "note": usage.note,
    }


def _summary(usage: Usage) -> str:
    return f"{usage.system.name} ({usage.sector.name})"[:300]


def _record(usage: Usage, by: User | None, action: str, changes: dict) -> UsageChange:
    return UsageChange.objects.create(
        usage=usage if action != UsageChange.Action.DELETED else None,
        organisation_id=usage.organisation_id,
        summary=_summary(usage),
        action=action,
        changes=changes,
        changed_by=by,
        changed_at=timezone.now(),
    )


def validate_usage(
    *,
    organisation: Organisation,
    system: System,
    sector: Sector,
    status: str,
    since: datetime.date | None,
    until: datetime.date | None,
    instance: Usage | None = None,
) -> None:
    """Raise ValidationError (per field) for a usage that cannot be stored."""
    errors: dict[str, str] = {}
    if status not in Usage.Status.values:
        errors["status"] = _("Ukjent status «%(status)s». Gyldige verdier: %(valid)s.") % {
            "status": status,
            "valid": ", ".join(Usage.Status.values),
        }
    if since and until and until < since:
        errors["until"] = _("«Til» kan ikke være før «fra».")
    if not system.is_approved:
        errors["system"] = _("Systemet venter på godkjenning fra en moderator.")
    duplicate = Usage.objects.filter(organisation=organisation, system=system, sector=sector)
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        errors["system"] = _("%(org)s har allerede %(system)s for sektoren %(sector)s.") % {
            "org": organisation.name,
            "system": system.name,
            "sector": sector.name,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@invalidates_public_pages
def create_usage(
    *,
    by: User | None,
    organisation: Organisation,
    system: System,
    sector: Sector,
    status: str,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    note: str = "",
    is_example: bool = False,
    check_permission: bool = True,
) -> Usage:
    if check_permission and not permissions.can_edit_usages(by, organisation):
        raise PermissionDenied(_("Du kan ikke endre systemene til denne organisasjonen."))
    validate_usage(
        organisation=organisation,
        system=system,
        sector=sector,
        status=status,
        since=since,
        until=until,
    )
    now = timezone.now()
    usage = Usage.objects.create(
        organisation=organisation,
        system=system,
        sector=sector,
        status=status,
        since=since,
        until=until,
        note=note.strip(),
        confirmed_by=by,
        confirmed_at=now,
        is_example=is_example,
        created_at=now,
    )
    _record(
        usage,
        by,
        UsageChange.Action.CREATED,
        {name: ["", value] for name, value in _snapshot(usage).items() if value},
    )
    return usage


@transaction.atomic
@invalidates_public_pages
def update_usage(
    *,
    usage: Usage,
    by: User | None,
    system: System,
    sector: Sector,
    status: str,
    since: datetime.date | None,
    until: datetime.date | None,
    note: str,
    check_permission: bool = True,
) -> Usage:
    """Change a usage. Saving it unchanged confirms it: the organisation has checked it."""
    usage = (
        Usage.objects.select_for_update(of=("self",))
        .select_related("organisation", "system", "sector")
        .get(pk=usage.pk)
    )
    if check_permission and not permissions.can_edit_usage(by, usage):
        raise PermissionDenied(_("Du kan ikke endre systemene til denne organisasjonen."))
    validate_usage(
        organisation=usage.organisation,
        system=system,
        sector=sector,
        status=status,
        since=since,
        until=until,
        instance=usage,
    )
    before = _snapshot(usage)
    usage.system, usage.sector, usage.status = system, sector, status
    usage.since, usage.until, usage.note = since, until, note.strip()
    usage.confirmed_by, usage.confirmed_at = by, timezone.now()
    # Real data entered by a member is never example data.
    usage.is_example = usage.is_example and by is None
    usage.save()
    after = _snapshot(usage)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    _record(
        usage, by, UsageChange.Action.UPDATED if changes else UsageChange.Action.CONFIRMED, changes
    )
    return usage


@transaction.atomic
@invalidates_public_pages
def confirm_usage(*, usage: Usage, by: User) -> Usage:
    """The organisation says the usage is still right as it stands."""
    usage = (
        Usage.objects.select_for_update(of=("self",))
        .select_related("organisation", "system", "sector")
        .get(pk=usage.pk)
    )
    if not permissions.can_edit_usage(by, usage):
        raise PermissionDenied(_("Du kan ikke endre systemene til denne organisasjonen."))
    usage.confirmed_by, usage.confirmed_at = by, timezone.now()
    usage.is_example = False
    usage.save(update_fields=["confirmed_by", "confirmed_at", "is_example"])
    _record(usage, by, UsageChange.Action.CONFIRMED, {})
    return usage


@transaction.atomic
@invalidates_public_pages
def delete_usage(*, usage: Usage, by: User) -> None:
    usage = (
        Usage.objects.select_for_update(of=("self",))
        .select_related("organisation", "system", "sector")
        .get(pk=usage.pk)
    )
    if not permissions.can_edit_usage(by, usage):
        raise PermissionDenied(_("Du kan ikke endre systemene til denne organisasjonen."))
    _record(
        usage,
        by,
        UsageChange.Action.DELETED,
        {name: [value, ""] for name, value in _snapshot(usage).items() if value},
    )
    usage.delete()


def _unique_system_slug(vendor: Organisation, name: str, exclude_pk: int | None = None) -> str:
    """The name as slug; the vendor is added only when two vendors use the same name."""
    taken = System.objects.exclude(pk=exclude_pk) if exclude_pk else System.objects.all()
    base = norwegian_slugify(name)[:140].strip("-") or "system"
    if taken.filter(slug=base).exists():
        base = norwegian_slugify(f"{name} {vendor.slug}")[:150].strip("-")
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_system_name(vendor: Organisation, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Systemet må ha et navn.")})
    clash = System.objects.filter(vendor=vendor, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _("%(vendor)s har allerede et system som heter «%(name)s».")
                % {"vendor": vendor.name, "name": name}
            }
        )
    return name


@transaction.atomic
@invalidates_public_pages
def create_system(
    *,
    by: User | None,
    vendor: Organisation,
    name: str,
    sectors: Iterable[Sector] = (),
    description: str = "",
    website: str = "",
    standards: Iterable[str] = (),
    check_permission: bool = True,
) -> System:
    """A moderator adds a system; a vendor's staff propose one, which waits for approval."""
    if vendor.kind != Organisation.Kind.LEVERANDOR:
        raise ValidationError(
            {"vendor": _("Leverandøren må være en organisasjon av typen leverandør.")}
        )
    if check_permission and not permissions.can_propose_system(by, vendor):
        raise PermissionDenied(_("Du kan bare foreslå systemer fra din egen leverandør."))
    name = _check_system_name(vendor, name)
    approved = by is None or permissions.can_approve_system(by)
    system = System.objects.create(
        name=name,
        slug=_unique_system_slug(vendor, name),
        vendor=vendor,
        description=description.strip(),
        website=website.strip(),
        is_approved=approved,
        proposed_by=by,
        created_at=timezone.now(),
    )
    system.sectors.set(list(sectors))
    if standards:
        system.standards.set([s.strip() for s in standards if s.strip()])
    return system


@transaction.atomic
@invalidates_public_pages
def update_system(
    *,
    system: System,
    by: User,
    vendor: Organisation,
    name: str,
    sectors: Iterable[Sector],
    description: str,
    website: str,
    standards: Iterable[str],
) -> System:
    if not permissions.can_edit_system(by, system):
        raise PermissionDenied
    if vendor.kind != Organisation.Kind.LEVERANDOR:
        raise ValidationError(
            {"vendor": _("Leverandøren må være en organisasjon av typen leverandør.")}
        )
    system = System.objects.select_for_update().get(pk=system.pk)
    system.name = _check_system_name(vendor, name, exclude_pk=system.pk)
    system.vendor = vendor
    system.description = description.strip()
    system.website = website.strip()
    system.save()
    system.sectors.set(list(sectors))
    system.standards.set([s.strip() for s in standards if s.strip()])
    return system


@transaction.atomic
@invalidates_public_pages
def approve_system(*, system: System, by: User) -> System:
    if not permissions.can_approve_system(by, system):
        raise PermissionDenied
    System.objects.filter(pk=system.pk).update(is_approved=True)
    system.is_approved = True
    return system


@transaction.atomic
@invalidates_public_pages
def reject_system(*, system: System, by: User) -> None:
    """Refuse a proposal. Only a proposal nobody uses yet can go."""
    if not permissions.can_approve_system(by, system) or system.is_approved:
        raise PermissionDenied
    system.delete()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
@invalidates_public_pages
def import_usages(*, by: User | None, content: bytes, dry_run: bool = False) -> ImportReport:
    """Load usages from the open-data CSV format. Any bad row: nothing changes at all.

    A row for an organisation, system and sector that is already there updates that usage
    (with history); a row identical to what is stored changes nothing.
    """
    from directory.opendata import parse_usage_csv

    if by is not None and not permissions.can_import_usages(by):
        raise PermissionDenied
    rows, errors = parse_usage_csv(content)
    report = ImportReport(rows=len(rows), errors=errors, dry_run=dry_run)
    if errors or dry_run:
        return report
    existing = {
        (u.organisation_id, u.system_id, u.sector_id): u
        for u in Usage.objects.filter(
            organisation__in={r.organisation.pk for r in rows}
        ).select_related("organisation", "system", "sector")
    }
    for row in rows:
        usage = existing.get((row.organisation.pk, row.system.pk, row.sector.pk))
        values = {
            "system": row.system,
            "sector": row.sector,
            "status": row.status,
            "since": row.since,
            "until": row.until,
            "note": row.note,
        }
        if usage is None:
            create_usage(by=by, organisation=row.organisation, check_permission=False, **values)
            report.created += 1
        elif all(getattr(usage, k) == v for k, v in values.items()):
            report.unchanged += 1
        else:
            update_usage(usage=usage, by=by, check_permission=False, **values)
            report.updated += 1
    return report
