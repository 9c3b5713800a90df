"""A small demo set so a newcomer sees the forum with people in it. Never for production."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts import actions as account_actions
from accounts.models import Organisation, OrganisationTenant, User
from directory.models import Sector
from topics import actions
from topics.models import Category, Topic


@dataclass(frozen=True)
class DemoMember:
    email: str
    password: str
    display_name: str
    job_title: str
    role: str


DEMO_MEMBERS = [
    DemoMember(
        "kari.nordmann@drammen.kommune.no",
        "Demo-kommune-2020",
        "Kari Nordmann",
        "IT-rådgiver",
        "kommune",
    ),
    DemoMember(
        "ola.leverandor@acos.no", "Demo-leverandor-2020", "Ola Hansen", "Produktsjef", "leverandør"
    ),
    DemoMember(
        "moderator@kartverket.no",
        "Demo-moderator-2020",
        "Ingrid Kartverket",
        "Rådgiver",
        "moderator",
    ),
]


def _member(demo: DemoMember) -> User:
    user = User.objects.filter(email=demo.email).first()
    if user is None:
        user = User.objects.create_user(
            email=demo.email,
            password=demo.password,
            display_name=demo.display_name,
            job_title=demo.job_title,
        )
    EmailAddress.objects.update_or_create(
        user=user, email=demo.email, defaults={"verified": True, "primary": True}
    )
    return account_actions.refresh_domain_verification(user=user, email=demo.email)


# The Entra ID tenant that scripts/serve.sh's local OpenID Connect provider (make run) puts in
# its demo members' sign-ins: recorded on Drammen, so «Logg inn med Microsoft» verifies them.
DEMO_TENANT = "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21"
DRAMMEN_ORG_NUMBER = "939214895"  # Enhetsregisteret's number for Drammen kommune


def _demo_sign_in(moderator: User) -> None:
    drammen = Organisation.objects.current().filter(municipality_number="3005").first()
    if drammen is None:
        return
    if not drammen.org_number:
        drammen.org_number = DRAMMEN_ORG_NUMBER
        drammen.save(update_fields=["org_number"])
    if not OrganisationTenant.objects.filter(tenant_id=DEMO_TENANT).exists():
        account_actions.add_organisation_tenant(
            organisation=drammen, tenant_id=uuid.UUID(DEMO_TENANT), by=moderator
        )


@transaction.atomic
def load_demo_data() -> list[DemoMember]:
    kari, ola, moderator = (_member(m) for m in DEMO_MEMBERS)
    account_actions.make_moderator(user=moderator)
    _demo_sign_in(moderator)
    if not Topic.objects.filter(author=kari).exists():
        question = actions.create_topic(
            author=kari,
            category=Category.objects.get(slug="sporsmal-og-svar"),
            title="Erfaringer med å migrere sak/arkiv til Noark 5 ved sammenslåing?",
            body=(
                "Vi slår sammen tre sak/arkiv-baser og skal velge én løsning for den nye "
                "kommunen.\n\n- Hvordan avsluttet dere de gamle arkivene?\n"
                "- Tok dere med åpne saker, eller ble de avsluttet før 1.1.?\n\n"
                "Alle erfaringer, gode og dårlige, mottas med takk."
            ),
            kind=Topic.Kind.SPORSMAL,
            sectors=[Sector.objects.get(slug="sak-arkiv")],
        )
        actions.reply(
            author=ola,
            topic=question,
            body=(
                "Vi har hjulpet flere kommuner med dette. Det som fungerer best er å avslutte "
                "arkivene per 31.12., ta ut et **Noark 5-uttrekk** for deponering, og flytte "
                "bare de åpne sakene til den nye basen."
            ),
        )
    return DEMO_MEMBERS


@transaction.atomic
def load_closed_spaces_demo() -> None:
    """A municipalities-only room, a vendor-questions room and the «Nye Drammen» group room."""
    from accounts.models import MemberGroup, MemberGroupMembership

    kari = User.objects.get(email=DEMO_MEMBERS[0].email)
    rooms = [
        (
            ("Bare for kommuner", "Municipalities only"),
            "bare-for-kommuner",
            Category.Visibility.KOMMUNER,
            "alle",
            "Et lukket rom der kommunene kan snakke fritt, også om leverandører.",
        ),
        (
            ("Spørsmål til leverandørene", "Questions for the vendors"),
            "sporsmal-til-leverandorene",
            Category.Visibility.OFFENTLIG,
            "kommuner",
            "Kommunene spør, leverandørene svarer.",
        ),
        (
            ("Nye Drammen", "Nye Drammen"),
            "nye-drammen",
            Category.Visibility.GRUPPE,
            "alle",
            "Planlegging av sammenslåingen av Drammen, Nedre Eiker og Svelvik.",
        ),
    ]
    group, _ = MemberGroup.objects.get_or_create(name="Nye Drammen", slug="nye-drammen")
    MemberGroupMembership.objects.get_or_create(group=group, user=kari)
    for position, ((name, name_en), slug, visibility, start, description) in enumerate(
        rooms, start=1
    ):
        category, created = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "visibility": visibility,
                "start_audience": start,
                "description": description,
                "position": 200 + position,
            },
        )
        if visibility == Category.Visibility.GRUPPE:
            category.groups.add(group)
        if created:
            actions.create_topic(
                author=kari,
                category=category,
                title=f"Velkommen til «{name}»",
                body=f"{description}\n\nHer kan vi dele erfaringer med arkivene i kommunene.",
                check_permission=False,
            )
