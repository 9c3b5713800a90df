"""The signed-in member is read from SQL compiled once per process (accounts/backends.py):
it must come out exactly as the ORM would build it, for every kind of member."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import ForumAuthenticationBackend, fetch_member, members_with_roles
from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def _as_orm_builds_it(pk: int) -> User:
    return members_with_roles().get(pk=pk)


def _same_member(fetched: User, expected: User) -> None:
    for field in User._meta.concrete_fields:
        assert getattr(fetched, field.attname) == getattr(expected, field.attname), field.name
    assert fetched.annotated_is_moderator is expected.annotated_is_moderator
    assert fetched.annotated_has_verified_email is expected.annotated_has_verified_email
    assert fetched._state.adding is False
    assert fetched._state.db == expected._state.db


@pytest.mark.parametrize("kind", ["municipal", "moderator", "unverified", "no organisation"])
def test_member_comes_out_as_the_orm_builds_it(kind, kommune, kartverket):
    member = {
        "municipal": lambda: factories.member(email="kari@drammen.kommune.no"),
        "moderator": lambda: factories.member(email="mod@kartverket.no", moderator=True),
        "unverified": lambda: factories.member(email="ola@gmail.com", email_verified=False),
        "no organisation": lambda: factories.member(email="per@example.org"),
    }[kind]()
    fetched = fetch_member(member.pk)
    expected = _as_orm_builds_it(member.pk)
    _same_member(fetched, expected)
    with CaptureQueriesContext(connection) as queries:
        organisation = fetched.organisation  # came with the member: no second query
    assert len(queries) == 0
    if expected.organisation_id is None:
        assert organisation is None
    else:
        assert organisation == expected.organisation
        assert organisation.name == expected.organisation.name
        assert organisation.kind == expected.organisation.kind
    assert fetched.is_moderator is (kind == "moderator")
    assert fetched.organisation_is_verified is expected.organisation_is_verified


def test_dates_and_flags_keep_their_types(kommune):
    member = factories.member(email="kari@drammen.kommune.no")
    until = timezone.now() + datetime.timedelta(days=2)
    User.objects.filter(pk=member.pk).update(silenced_until=until, is_staff=True)
    fetched = fetch_member(member.pk)
    assert fetched.silenced_until == until  # an aware datetime on SQLite too, not a string
    assert fetched.is_staff is True
    assert fetched.is_silenced


def test_each_member_gets_their_own_row(kommune):
    first = factories.member(email="a@drammen.kommune.no")
    second = factories.member(email="b@example.org", moderator=True)
    assert fetch_member(first.pk).email == "a@drammen.kommune.no"
    assert fetch_member(second.pk).email == "b@example.org"
    assert fetch_member(first.pk).annotated_is_moderator is False
    assert fetch_member(second.pk).annotated_is_moderator is True


def test_unknown_or_malformed_id_is_nobody():
    backend = ForumAuthenticationBackend()
    assert fetch_member(10**12) is None
    assert backend.get_user(10**12) is None
    assert backend.get_user("not a number") is None


def test_inactive_member_is_nobody(kommune):
    member = factories.member(email="kari@drammen.kommune.no")
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert ForumAuthenticationBackend().get_user(member.pk) is None
    assert ForumAuthenticationBackend().get_user(str(member.pk)) is None


def test_a_signed_in_request_reads_the_member_once_and_sees_changes_at_once(client, kommune):
    member = factories.member(email="kari@drammen.kommune.no")
    client.force_login(member)
    assert client.session[SESSION_KEY] == str(member.pk)
    response = client.get("/")
    assert response.wsgi_request.user.pk == member.pk
    assert response.wsgi_request.user.is_moderator is False
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    member_queries = [q for q in queries if q["sql"].startswith('SELECT "accounts_user".')]
    assert len(member_queries) == 1
    # Made a moderator between two requests: the next request knows.
    from accounts import actions

    actions.make_moderator(user=member)
    response = client.get("/")
    assert response.wsgi_request.user.is_moderator is True
