from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from accounts import actions
from accounts.models import County, Organisation, User
from accounts.reference_data import load_reference_data, municipality_domains
from tests import factories

pytestmark = pytest.mark.django_db


def test_member_is_verified_by_their_email_domain(kommune):
    member = factories.member(email="kari@drammen.kommune.no")
    assert member.organisation == kommune
    assert member.organisation_verification == User.Verification.DOMAIN
    assert member.organisation_is_verified


def test_domain_matching_ignores_case(kommune):
    member = factories.member(email="Kari@Drammen.Kommune.NO")
    assert member.organisation == kommune


def test_member_with_unverified_email_is_not_verified(kommune):
    member = factories.member(email="kari@drammen.kommune.no", email_verified=False)
    assert not member.organisation_is_verified


def test_member_who_chose_another_organisation_stays_unverified(kommune, vendor_org):
    member = factories.member(email="kari@drammen.kommune.no", organisation=vendor_org)
    assert member.organisation == vendor_org
    assert not member.organisation_is_verified


def test_changing_organisation_in_profile_drops_and_rechecks_verification(kommune, vendor_org):
    member = factories.member(email="kari@drammen.kommune.no")
    member = actions.update_profile(
        user=member, display_name="Kari", job_title="", organisation=vendor_org
    )
    assert not member.organisation_is_verified
    member = actions.update_profile(
        user=member, display_name="Kari", job_title="", organisation=kommune
    )
    assert member.organisation_is_verified


def test_moving_to_another_domain_drops_domain_verification(kommune):
    member = factories.member(email="kari@drammen.kommune.no")
    member = actions.refresh_domain_verification(user=member, email="kari@gmail.com")
    assert not member.organisation_is_verified


def test_moderator_verifies_a_member_by_hand(moderator, vendor_org):
    member = factories.member(email="ola@gmail.com")
    member = actions.verify_member(member=member, organisation=vendor_org, by=moderator)
    assert member.organisation == vendor_org
    assert member.organisation_verification == User.Verification.MODERATOR


def test_member_cannot_verify_others(municipal_member, vendor_org):
    other = factories.member(email="ola@gmail.com")
    with pytest.raises(PermissionDenied):
        actions.verify_member(member=other, organisation=vendor_org, by=municipal_member)
    other.refresh_from_db()
    assert not other.organisation_is_verified


def test_make_moderator_command_grants_and_removes_the_role(municipal_member):
    call_command("make_moderator", "KARI@drammen.kommune.no")
    assert User.objects.get(pk=municipal_member.pk).is_moderator
    call_command("make_moderator", "kari@drammen.kommune.no", "--remove")
    assert not User.objects.get(pk=municipal_member.pk).is_moderator


def test_make_moderator_command_rejects_unknown_email(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No member"):
        call_command("make_moderator", "nobody@example.org")


def test_reference_data_loads_real_municipalities_and_is_idempotent(db):
    first = load_reference_data()
    assert first.created > 500
    assert Organisation.objects.municipalities().current().count() == 356
    assert Organisation.objects.municipalities().filter(valid_to__isnull=False).count() == 109
    drammen = Organisation.objects.current().get(municipality_number="3005")
    assert drammen.name == "Drammen"
    assert drammen.county.name == "Viken"
    assert sorted(p.name for p in drammen.predecessors.all()) == [
        "Drammen",
        "Nedre Eiker",
        "Svelvik",
    ]
    assert Organisation.objects.get(slug="kartverket").org_number == "971040238"
    assert County.objects.filter(valid_to__isnull=True).count() == 11
    snapshot = list(Organisation.objects.order_by("slug").values())
    second = load_reference_data()
    assert second.created == 0 and second.updated == 0
    assert list(Organisation.objects.order_by("slug").values()) == snapshot


def test_municipality_domains_fold_norwegian_letters():
    assert municipality_domains("Ålesund") == {"aalesund.kommune.no", "alesund.kommune.no"}
    assert municipality_domains("Bærum") == {"baerum.kommune.no"}
    assert municipality_domains("Våler (Viken)") == set()


def test_profile_form_shows_errors_and_keeps_input(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post(
        "/profil/", {"display_name": "", "job_title": "x" * 101, "organisation": ""}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert "x" * 101 in response.text
    municipal_member.refresh_from_db()
    assert municipal_member.display_name == "Kari Nordmann"


def test_profile_saves(client, municipal_member):
    client.force_login(municipal_member)
    response = client.post(
        "/profil/", {"display_name": "Kari N.", "job_title": "Arkivar", "organisation": ""}
    )
    assert response.status_code == 302
    municipal_member.refresh_from_db()
    assert municipal_member.display_name == "Kari N."
    assert municipal_member.job_title == "Arkivar"


def test_organisation_page_shows_predecessors_and_verified_members(client, kommune):
    old = factories.organisation(name="Svelvik", municipality_number="0711")
    kommune.predecessors.add(old)
    factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")
    response = client.get(kommune.get_absolute_url())
    assert response.status_code == 200
    assert "Svelvik" in response.text
    assert "Kari Nordmann" in response.text


def test_demo_moderator_is_given_the_role_explicitly(kartverket):
    from topics.demo import DEMO_MEMBERS, load_demo_data

    load_demo_data()
    roles = {m.role: User.objects.get(email=m.email).is_moderator for m in DEMO_MEMBERS}
    assert roles == {"kommune": False, "leverandør": False, "moderator": True}
