"""The badge shown beside a member's name: what kind of organisation they speak for."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User


@dataclass(frozen=True)
class Badge:
    label: str
    color: str  # a Designsystemet data-color


_KIND_BADGES = {
    Organisation.Kind.KOMMUNE: Badge(_("Kommune"), "accent"),
    Organisation.Kind.FYLKESKOMMUNE: Badge(_("Fylkeskommune"), "accent"),
    Organisation.Kind.IKT_SAMARBEID: Badge(_("IKT-samarbeid"), "accent"),
    Organisation.Kind.LEVERANDOR: Badge(_("Leverandør"), "warning"),
    Organisation.Kind.STATLIG: Badge(_("Statlig"), "info"),
    Organisation.Kind.ANNEN: Badge(_("Organisasjon"), "neutral"),
}
MODERATOR_BADGE = Badge(_("Kartverket moderator"), "success")
UNVERIFIED_BADGE = Badge(_("Ikke verifisert"), "neutral")


def badges_for(user: User) -> list[Badge]:
    """Kind badge (or unverified), plus the moderator badge. Needs organisation and groups loaded."""
    badges: list[Badge] = []
    if user.is_moderator:
        badges.append(MODERATOR_BADGE)
    if user.organisation_id and user.organisation_is_verified:
        badge = _KIND_BADGES[Organisation.Kind(user.organisation.kind)]
        if not (user.is_moderator and user.organisation.kind == Organisation.Kind.STATLIG):
            badges.append(badge)
    else:
        badges.append(UNVERIFIED_BADGE)
    return badges
