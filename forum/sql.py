"""Plain SQL for the few reads that run on every page a member gets from the shared pages
(forum/member_cache.py): their read marks, «Nyttig» marks and watches. Each is a lookup by
key that the ORM answers just as well, but building and compiling the ORM's query costs
about four times what the database takes to run it (0.8 against 0.2 ms), and a member
pays that on every page they read. The statements use only the models' own table and
column names, so they run on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

# A NULL in a hole query's integer columns (forum/member_cache.hole_query): a bare NULL in a
# subquery is text to PostgreSQL, which then cannot join it to integers in a UNION.
NULL_INTEGER = "CAST(NULL AS integer)"


def rows(sql: str, params: Sequence[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def placeholders(values: Sequence[object]) -> str:
    """ "%s, %s, …" for an IN list of these values."""
    return ", ".join(["%s"] * len(values))


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)
