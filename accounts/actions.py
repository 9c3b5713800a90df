"""Everything that changes members and organisations. One transaction per action."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import Organisation, User


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def _join_moderators_if_staff(user: User) -> None:
    org = user.organisation
    if org is not None and org.slug == settings.MODERATOR_ORGANISATION_SLUG:
        group, _ = Group.objects.get_or_create(name=settings.MODERATOR_GROUP)
        user.groups.add(group)
        user.__dict__.pop("is_moderator", None)


@transaction.atomic
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
        _join_moderators_if_staff(user)
    elif user.organisation_verification == User.Verification.DOMAIN and (
        match is None or match.pk != user.organisation_id
    ):
        user.organisation_verification = User.Verification.NONE
        user.organisation_verified_at = None
        user.save(update_fields=["organisation_verification", "organisation_verified_at"])
    return user


@transaction.atomic
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
def verify_member(*, member: User, organisation: Organisation, by: User) -> User:
    """A moderator confirms that the member speaks for the organisation."""
    if not permissions.can_verify_member(by):
        raise PermissionDenied
    member = User.objects.select_for_update().get(pk=member.pk)
    member.organisation = organisation
    member.organisation_verification = User.Verification.MODERATOR
    member.organisation_verified_at = timezone.now()
    member.save(
        update_fields=["organisation", "organisation_verification", "organisation_verified_at"]
    )
    _join_moderators_if_staff(member)
    return member


@transaction.atomic
def make_moderator(*, user: User) -> User:
    group, _ = Group.objects.get_or_create(name=settings.MODERATOR_GROUP)
    user.groups.add(group)
    user.__dict__.pop("is_moderator", None)
    return user


@transaction.atomic
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
def delete_account(*, user: User) -> User:
    """Erase the member's personal data (GDPR art. 17). What they wrote stays, under the
    name «Slettet bruker», so that threads still make sense; the account can't sign in."""
    from accounts import privacy

    user = User.objects.select_for_update().get(pk=user.pk)
    for section in privacy.sections():
        if section.erase is not None:
            section.erase(user)
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
