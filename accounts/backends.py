"""Load the signed-in member once per request with what every page asks of them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Exists, OuterRef
from django.db.models.query import get_related_populators

from accounts.models import User


def members_with_roles():
    """Members with their organisation, whether they moderate and whether their e-mail is
    verified, in one query."""
    return User._default_manager.select_related("organisation").annotate(
        annotated_is_moderator=Exists(
            Group.objects.filter(user=OuterRef("pk"), name=settings.MODERATOR_GROUP)
        ),
        annotated_has_verified_email=Exists(
            EmailAddress.objects.filter(user=OuterRef("pk"), email=OuterRef("email"), verified=True)
        ),
    )


# Stands in for the member's id while the query is compiled; found again among the parameters.
_PK_PLACEHOLDER = -7_391_528_846


@dataclass(frozen=True)
class _CompiledMemberQuery:
    """`members_with_roles().filter(pk=…)` compiled to SQL once per process.

    Django compiles a query on every run; for this one (a join and two EXISTS) that took
    0.8 ms of every signed-in request, four times as long as running it. The SQL and the
    recipe for turning a row into the member (the columns, the organisation, the
    annotations and the database's converters) are kept; each request only fills in the id.

    A short cut past Django's internals, kept because it is measured to be worth it: 7-9 %
    of the CPU time of members' pages in the mixed load's mix (bench/internals_ab.py, on
    the national data set; issue 19 asks for more than 5 %). tests/test_member_loading.py
    compares what it builds with the ORM's member, field by field, for every kind of member.
    """

    sql: str
    params: tuple[Any, ...]
    pk_index: int
    member_columns: slice
    member_fields: list[str]
    annotation_col_map: dict[str, int]
    converters: dict
    populators: list
    from_db: Callable[..., User]

    @classmethod
    @functools.cache
    def for_database(cls, alias: str) -> _CompiledMemberQuery:
        queryset = members_with_roles().using(alias).filter(pk=_PK_PLACEHOLDER)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        (pk_index,) = (i for i, value in enumerate(params) if value == _PK_PLACEHOLDER)
        # What Django's ModelIterable works out before turning rows into objects.
        fields = compiler.klass_info["select_fields"]
        member_columns = slice(fields[0], fields[-1] + 1)
        return cls(
            sql=sql,
            params=tuple(params),
            pk_index=pk_index,
            member_columns=member_columns,
            member_fields=[column.target.attname for column, *_ in compiler.select[member_columns]],
            annotation_col_map=compiler.annotation_col_map,
            converters=compiler.get_converters(
                [column for column, _sql, _alias in compiler.select]
            ),
            populators=get_related_populators(
                compiler.klass_info, compiler.select, alias, queryset._fetch_mode
            ),
            from_db=functools.partial(User.from_db, fetch_mode=queryset._fetch_mode),
        )

    def fetch(self, alias: str, pk: int) -> User | None:
        params = list(self.params)
        params[self.pk_index] = pk
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in self.converters.items():
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        # What Django's ModelIterable does with each row.
        member = self.from_db(alias, self.member_fields, row[self.member_columns])
        for populator in self.populators:
            populator.populate(row, member)
        for name, position in self.annotation_col_map.items():
            setattr(member, name, row[position])
        return member


def fetch_member(pk: int) -> User | None:
    alias = router.db_for_read(User)
    return _CompiledMemberQuery.for_database(alias).fetch(alias, pk)


class ForumAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, but `get_user` fetches the member, their organisation, whether
    they are a moderator and whether their e-mail is verified in one query, instead of
    one query per question on every page, from SQL compiled once per process."""

    def get_user(self, user_id: int | str) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = fetch_member(pk)
        if user is None or not self.user_can_authenticate(user):
            return None
        user._has_verified_email = user.annotated_has_verified_email
        return user
