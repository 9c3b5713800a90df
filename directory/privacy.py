"""The part of a member's data that the system directory holds (see accounts.privacy)."""

from __future__ import annotations

from accounts import privacy
from accounts.models import User
from directory.models import Usage, UsageChange


def export(user: User) -> dict[str, object]:
    return {
        "endringer_i_systemoversikten": [
            {
                "gjelder": c.summary,
                "organisasjon": c.organisation_id,
                "handling": c.get_action_display(),
                "endringer": c.changes,
                "tidspunkt": c.changed_at,
            }
            for c in UsageChange.objects.filter(changed_by=user).order_by("changed_at")
        ],
        "bekreftet_systembruk": [
            {"system": u.system.name, "organisasjon": u.organisation.name, "merknad": u.note}
            for u in Usage.objects.filter(confirmed_by=user).select_related(
                "system", "organisation"
            )
        ],
    }


def register() -> None:
    # The directory describes organisations, not people: entries stay, their history
    # names «Slettet bruker».
    privacy.register("systemoversikt", export=export)
