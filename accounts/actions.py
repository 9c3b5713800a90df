"""Everything that changes members and organisations. One transaction per action."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import IO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import avatars, permissions
from accounts.enhetsregisteret import MUNICIPALITY_FORM, RegistryUnit
from accounts.models import (
    GroupInvitation,
    MemberGroup,
    MemberGroupMembership,
    Organisation,
    OrganisationTenant,
    User,
)
from accounts.orgnumber import is_valid_org_number, normalise_org_number
from accounts.tasks import send_account_email
from forum.page_cache import invalidates_public_pages
from forum.text import norwegian_slugify


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


@transaction.atomic
@invalidates_public_pages
def refresh_domain_verification(*, user: User, email: str) -> User:
    """Verify the member's organisation from their verified e-mail's domain.

    If the domain belongs to an organisation, the member is placed there and verified
    (unless they already chose another organisation, which then stays unverified). A
    member verified by domain who moves to another domain loses that verification; a
    moderator's verification is kept.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    match = Organisation.objects.for_email_domain(email_domain(email)).first()
    if match is not None and user.organisation_id in (None, match.pk):
        user.organisation = match
        user.organisation_verification = User.Verification.DOMAIN
        user.organisation_verified_at = timezone.now()
        user.save(
            update_fields=["organisation", "organisation_verification", "organisation_verified_at"]
        )
    elif user.organisation_verification == User.Verification.DOMAIN and (
        match is None or match.pk != user.organisation_id
    ):
        _withdraw_verification(user)
    return user


def _withdraw_verification(user: User) -> None:
    """The member stays with the organisation they chose, unverified: what only verified
    members see (the «kommuner» spaces, writing in the directory) closes on their next request,
    since every visibility check reads these fields."""
    user.organisation_verification = User.Verification.NONE
    user.organisation_verified_at = None
    user.organisation_verified_through = ""
    user.save(
        update_fields=[
            "organisation_verification",
            "organisation_verified_at",
            "organisation_verified_through",
        ]
    )


class SsoOutcome(StrEnum):
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"  # the sign-in named no organisation the forum knows


@transaction.atomic
@invalidates_public_pages
def refresh_sso_verification(
    *, user: User, through: str, organisation: Organisation | None
) -> SsoOutcome:
    """Verify the member from what a sign-in said (`through` is the provider, e.g. «entra»).

    An organisation the sign-in names (a known tenant, a known organisation number) verifies
    the member for it at once. A later sign-in through the same provider that no longer names
    it withdraws the verification that provider gave; other verifications (domain, moderator)
    are not the sign-in's to take away.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if organisation is not None:
        user.organisation = organisation
        user.organisation_verification = User.Verification.SSO
        user.organisation_verified_at = timezone.now()
        user.organisation_verified_through = through
        user.save(
            update_fields=[
                "organisation",
                "organisation_verification",
                "organisation_verified_at",
                "organisation_verified_through",
            ]
        )
        return SsoOutcome.VERIFIED
    if (
        user.organisation_verification == User.Verification.SSO
        and user.organisation_verified_through == through
    ):
        _withdraw_verification(user)
        return SsoOutcome.WITHDRAWN
    return SsoOutcome.UNKNOWN


@transaction.atomic
@invalidates_public_pages
def add_organisation_tenant(
    *, organisation: Organisation, tenant_id: uuid.UUID, by: User
) -> OrganisationTenant:
    """A moderator records an Entra ID tenant as the organisation's."""
    if not permissions.can_manage_tenants(by):
        raise PermissionDenied
    if OrganisationTenant.objects.filter(tenant_id=tenant_id).exists():
        raise ValidationError(
            {"tenant_id": _("Denne tenanten hører allerede til en organisasjon.")}
        )
    return OrganisationTenant.objects.create(
        organisation=organisation, tenant_id=tenant_id, added_by=by
    )


@transaction.atomic
@invalidates_public_pages
def remove_organisation_tenant(*, tenant: OrganisationTenant, by: User) -> None:
    if not permissions.can_manage_tenants(by):
        raise PermissionDenied
    tenant.delete()


@transaction.atomic
@invalidates_public_pages
def update_profile(
    *, user: User, display_name: str, job_title: str, organisation: Organisation | None
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    organisation_changed = (organisation.pk if organisation else None) != user.organisation_id
    user.display_name = display_name.strip()
    user.job_title = job_title.strip()
    if organisation_changed:
        user.organisation = organisation
        user.organisation_verification = User.Verification.NONE
        user.organisation_verified_at = None
    user.save()
    if organisation_changed and permissions.has_verified_email(user):
        user = refresh_domain_verification(user=user, email=user.email)
    return user


@transaction.atomic
@invalidates_public_pages
def verify_member(*, member: User, organisation: Organisation, by: User) -> User:
    """A moderator confirms that the member speaks for the organisation.

    Verification never gives a role, not even for the host organisation: only a superuser
    makes moderators (set_moderator_role)."""
    if not permissions.can_verify_member(by):
        raise PermissionDenied
    member = User.objects.select_for_update().get(pk=member.pk)
    member.organisation = organisation
    member.organisation_verification = User.Verification.MODERATOR
    member.organisation_verified_at = timezone.now()
    member.save(
        update_fields=["organisation", "organisation_verification", "organisation_verified_at"]
    )
    return member


@transaction.atomic
@invalidates_public_pages
def make_moderator(*, user: User) -> User:
    group, _ = Group.objects.get_or_create(name=settings.MODERATOR_GROUP)
    user.groups.add(group)
    user.__dict__.pop("is_moderator", None)
    return user


@transaction.atomic
@invalidates_public_pages
def remove_moderator(*, user: User) -> User:
    group = Group.objects.filter(name=settings.MODERATOR_GROUP).first()
    if group is not None:
        user.groups.remove(group)
    user.__dict__.pop("is_moderator", None)
    return user


def export_member_data(*, user: User) -> dict[str, object]:
    """Everything the forum holds about the member, as JSON-ready data (GDPR art. 15/20)."""
    from accounts import privacy

    return {
        "format": "reformforum-eksport-1",
        "eksportert": timezone.now(),
        **{section.name: section.export(user) for section in privacy.sections()},
    }


@transaction.atomic
@invalidates_public_pages
def delete_account(*, user: User) -> User:
    """Erase the member's personal data (GDPR art. 17). What they wrote stays, under the
    name «Slettet bruker», so that threads still make sense; the account can't sign in."""
    from accounts import privacy

    user = User.objects.select_for_update().get(pk=user.pk)
    for section in privacy.sections():
        if section.erase is not None:
            section.erase(user)
    if old_avatar := user.avatar.name:
        transaction.on_commit(lambda: default_storage.delete(old_avatar))
    user.avatar = ""
    user.email = f"slettet-{user.pk}@slettet.invalid"
    user.display_name = privacy.DELETED_DISPLAY_NAME
    user.job_title = ""
    user.organisation = None
    user.organisation_verification = User.Verification.NONE
    user.organisation_verified_at = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.__dict__.pop("is_moderator", None)
    return user


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv en grunn; medlemmet ser den.")})
    return reason[:500]


def _sanction(member: User, **fields: object) -> User:
    """Set a sanction's fields on the member, its row locked (the caller checked who asks)."""
    member = User.objects.select_for_update().get(pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    member.save(update_fields=list(fields))
    return member


@transaction.atomic
@invalidates_public_pages
def silence_member(*, member: User, by: User, until: datetime, reason: str) -> User:
    """Read-only until `until`: the member sees the reason wherever they would write."""
    if not permissions.can_sanction_member(by, member):
        raise PermissionDenied
    if until <= timezone.now():
        raise ValidationError({"until": _("Velg et tidspunkt fram i tid.")})
    return _sanction(member, silenced_until=until, silence_reason=_required_reason(reason))


@transaction.atomic
@invalidates_public_pages
def lift_silence(*, member: User, by: User) -> User:
    if not permissions.can_sanction_member(by, member):
        raise PermissionDenied
    return _sanction(member, silenced_until=None, silence_reason="")


@transaction.atomic
@invalidates_public_pages
def suspend_member(*, member: User, by: User, reason: str) -> User:
    """Suspended members cannot sign in (see accounts.adapter) and are signed out."""
    if not permissions.can_sanction_member(by, member):
        raise PermissionDenied
    return _sanction(
        member, suspended_at=timezone.now(), suspension_reason=_required_reason(reason)
    )


@transaction.atomic
@invalidates_public_pages
def lift_suspension(*, member: User, by: User) -> User:
    if not permissions.can_sanction_member(by, member):
        raise PermissionDenied
    return _sanction(member, suspended_at=None, suspension_reason="")


@transaction.atomic
@invalidates_public_pages
def set_moderator_role(*, member: User, by: User, moderator: bool) -> User:
    """Only superusers grant or revoke the moderator role."""
    if not permissions.can_change_moderator_role(by, member):
        raise PermissionDenied
    return make_moderator(user=member) if moderator else remove_moderator(user=member)


# ---- Groups (closed spaces such as a merger's «Nye Drammen») ---------------------------

INVITATION_SALT = "accounts.group-invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14


class InvalidInvitation(Exception):
    """The link is broken, expired, used, or meant for another e-mail address."""


def _require_group_manager(by: User) -> None:
    if not permissions.can_manage_groups(by):
        raise PermissionDenied


@transaction.atomic
@invalidates_public_pages
def create_group(*, name: str, description: str = "", by: User) -> MemberGroup:
    _require_group_manager(by)
    name = name.strip()
    return MemberGroup.objects.create(
        name=name,
        slug=norwegian_slugify(name)[:100] or "gruppe",
        description=description.strip(),
        created_by=by,
    )


@transaction.atomic
@invalidates_public_pages
def add_group_member(*, group: MemberGroup, user: User, by: User) -> MemberGroupMembership:
    _require_group_manager(by)
    membership, _ = MemberGroupMembership.objects.get_or_create(
        group=group, user=user, defaults={"added_by": by}
    )
    return membership


@transaction.atomic
@invalidates_public_pages
def remove_group_member(*, group: MemberGroup, user: User, by: User) -> None:
    _require_group_manager(by)
    MemberGroupMembership.objects.filter(group=group, user=user).delete()


def invitation_token(invitation: GroupInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


@transaction.atomic
@invalidates_public_pages
def invite_to_group(
    *, group: MemberGroup, email: str, by: User, accept_url: Callable[[str], str]
) -> GroupInvitation:
    """Create an invitation and send its signed link once the transaction has committed."""
    _require_group_manager(by)
    invitation = GroupInvitation.objects.create(
        group=group, email=email.strip().lower(), invited_by=by
    )
    link = accept_url(invitation_token(invitation))
    subject = _("Invitasjon til gruppen «%(group)s» på Reformforum") % {"group": group.name}
    body = _(
        "%(inviter)s har invitert deg til gruppen «%(group)s» på Reformforum.\n\n"
        "Logg inn eller bli medlem med denne e-postadressen (%(email)s), og åpne lenken:\n"
        "%(link)s\n\nLenken virker i 14 dager."
    ) % {"inviter": by.display_name, "group": group.name, "email": invitation.email, "link": link}
    # Queued in this transaction: the task worker sends it once it commits.
    send_account_email.enqueue(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    return invitation


def invitation_from_token(token: str) -> GroupInvitation:
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidInvitation(_("Invitasjonen er utløpt. Be om en ny.")) from None
    except signing.BadSignature:
        raise InvalidInvitation(_("Lenken er ikke gyldig.")) from None
    invitation = GroupInvitation.objects.select_related("group").filter(pk=pk).first()
    if invitation is None:
        raise InvalidInvitation(_("Invitasjonen finnes ikke lenger."))
    return invitation


@transaction.atomic
@invalidates_public_pages
def accept_group_invitation(*, token: str, user: User) -> MemberGroup:
    """Join the group, if the signed-in member owns the invited (verified) e-mail address."""
    invitation = invitation_from_token(token)
    invitation = GroupInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvalidInvitation(_("Invitasjonen er allerede brukt."))
    owns_address = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not owns_address:
        raise InvalidInvitation(
            _("Invitasjonen gjelder %(email)s. Logg inn med den adressen for å godta den.")
            % {"email": invitation.email}
        )
    MemberGroupMembership.objects.get_or_create(
        group=invitation.group, user=user, defaults={"added_by": invitation.invited_by}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.group


# ---- Organisation numbers from Enhetsregisteret ---------------------------------------


@dataclass
class RegistryImport:
    """What an import from Enhetsregisteret did, line by line for the operator."""

    recorded: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


@transaction.atomic
@invalidates_public_pages
def import_registry_numbers(
    *, units: Iterable[RegistryUnit], dry_run: bool = False
) -> RegistryImport:
    """Give each current municipality the organisation number of the registry's KOMM unit with
    its kommunenummer. Nothing is created: the municipalities come from SSB's list; the
    registry's name (the legal name, «DRAMMEN KOMMUNE») is shown beside ours, not copied."""
    report = RegistryImport()
    municipalities = {
        org.municipality_number: org
        for org in Organisation.objects.current().municipalities().exclude(municipality_number="")
    }
    taken = dict(Organisation.objects.exclude(org_number="").values_list("org_number", "pk"))
    for unit in units:
        if unit.form != MUNICIPALITY_FORM:
            continue
        number = normalise_org_number(unit.org_number)
        if not is_valid_org_number(number):
            report.problems.append(
                f"{unit.org_number} {unit.name}: not a valid organisation number (modulus 11)"
            )
            continue
        org = municipalities.get(unit.municipality_number)
        if org is None:
            report.problems.append(
                f"{number} {unit.name}: no current municipality with kommunenummer "
                f"«{unit.municipality_number}»"
            )
            continue
        if org.org_number == number:
            report.unchanged += 1
            continue
        if taken.get(number, org.pk) != org.pk:
            report.problems.append(
                f"{number} {unit.name}: already given to organisation {taken[number]}"
            )
            continue
        previous = org.org_number or "—"
        org.org_number = number
        if not dry_run:
            org.save(update_fields=["org_number"])
        taken[number] = org.pk
        report.recorded.append(f"{org} ({unit.name}): {previous} → {number}")
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
@invalidates_public_pages
def set_avatar(*, user: User, upload: IO[bytes], name: str) -> User:
    """Check the picture, draw it again (accounts/avatars.py) and store it as the member's.
    The old file is deleted once the new one is committed."""
    picture = avatars.reencoded(upload, name=name)
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.avatar.name
    stored = default_storage.save(avatars.file_name(user.pk, picture), ContentFile(picture))
    User.objects.filter(pk=user.pk).update(avatar=stored)
    user.avatar.name = stored
    if old and old != stored:
        transaction.on_commit(lambda: default_storage.delete(old))
    return user


@transaction.atomic
@invalidates_public_pages
def remove_avatar(*, user: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.avatar.name
    if old:
        User.objects.filter(pk=user.pk).update(avatar="")
        user.avatar.name = ""
        transaction.on_commit(lambda: default_storage.delete(old))
    return user
