"""A member's own data (GDPR): what the export contains and what deleting an account erases.

Accounts knows only its own models. Each other app registers the part of a member's data it
holds (posts, usages, notifications, reports) in its AppConfig.ready(), so nothing here
imports topics or directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import User

DELETED_DISPLAY_NAME = "Slettet bruker"


@dataclass(frozen=True)
class DataSection:
    name: str
    export: Callable[[User], object]
    # Called inside the deletion's transaction, before the member is anonymised.
    erase: Callable[[User], None] | None = None


_sections: dict[str, DataSection] = {}


def register(
    name: str,
    *,
    export: Callable[[User], object],
    erase: Callable[[User], None] | None = None,
) -> None:
    _sections[name] = DataSection(name=name, export=export, erase=erase)


def sections() -> list[DataSection]:
    return list(_sections.values())


def _profile(user: User) -> dict[str, object]:
    from allauth.account.models import EmailAddress

    return {
        "id": user.pk,
        "e_post": user.email,
        "visningsnavn": user.display_name,
        "stilling": user.job_title,
        "profilbilde": user.avatar_url or None,
        "organisasjon": (
            {"id": user.organisation_id, "navn": user.organisation.name}
            if user.organisation
            else None
        ),
        "organisasjon_verifisert": user.organisation_verification or None,
        "organisasjon_verifisert_tidspunkt": user.organisation_verified_at,
        "registrert": user.date_joined,
        "sist_innlogget": user.last_login,
        "moderator": user.is_moderator,
        "e_postadresser": [
            {"adresse": a.email, "bekreftet": a.verified, "primaer": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def _memberships(user: User) -> dict[str, object]:
    from allauth.account.models import EmailAddress

    from accounts.models import GroupInvitation, MemberGroupMembership

    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    addresses.add(user.email)
    return {
        "grupper": [
            {"gruppe": m.group.name, "lagt_til": m.added_at}
            for m in MemberGroupMembership.objects.filter(user=user).select_related("group")
        ],
        "invitasjoner": [
            {"gruppe": i.group.name, "e_post": i.email, "godtatt": i.accepted_at}
            for i in GroupInvitation.objects.filter(email__in=addresses).select_related("group")
        ],
        "skrivepause_til": user.silenced_until,
        "skrivepause_grunn": user.silence_reason,
        "utestengt": user.suspended_at,
        "utestengt_grunn": user.suspension_reason,
    }


def _erase_profile(user: User) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import GroupInvitation, MemberGroupMembership

    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    addresses.add(user.email)
    GroupInvitation.objects.filter(email__in=addresses).delete()
    MemberGroupMembership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()


register("profil", export=_profile)
register("medlemskap", export=_memberships, erase=_erase_profile)
