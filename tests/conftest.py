from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Organisation
from tests import factories


@pytest.fixture
def kommune(db) -> Organisation:  # noqa: ANN001
    return factories.organisation(
        name="Drammen", slug="drammen", municipality_number="3005", domain="drammen.kommune.no"
    )


@pytest.fixture
def vendor_org(db) -> Organisation:  # noqa: ANN001
    return factories.organisation(
        name="Acos", slug="acos", kind=Organisation.Kind.LEVERANDOR, domain="acos.no"
    )


@pytest.fixture
def kartverket(db) -> Organisation:  # noqa: ANN001
    return factories.organisation(
        name="Kartverket", slug="kartverket", kind=Organisation.Kind.STATLIG, domain="kartverket.no"
    )


@pytest.fixture
def municipal_member(kommune):  # noqa: ANN001, ANN201
    return factories.member(email="kari@drammen.kommune.no", display_name="Kari Nordmann")


@pytest.fixture
def vendor_member(vendor_org):  # noqa: ANN001, ANN201
    return factories.member(email="ola@acos.no", display_name="Ola Hansen")


@pytest.fixture
def moderator(kartverket):  # noqa: ANN001, ANN201
    return factories.member(email="ingrid@kartverket.no", display_name="Ingrid Moderator")


@pytest.fixture
def unverified_member(db):  # noqa: ANN001, ANN201
    return factories.member(email="ny@example.org", email_verified=False)


@pytest.fixture
def category(db):  # noqa: ANN001, ANN201
    return factories.category(name="Spørsmål", slug="sporsmal")


@pytest.fixture
def topic(municipal_member, category):  # noqa: ANN001, ANN201
    return factories.topic(author=municipal_member, category=category, title="Noark 5-migrering")


def login(client: Client, user) -> Client:  # noqa: ANN001
    client.force_login(user)
    return client
