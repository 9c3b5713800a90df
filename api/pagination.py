"""Keyset pagination with signed cursors.

A cursor is the sort key of the last row shown, signed with the site's secret, so a
changed or made-up cursor is refused with a clear error instead of reaching the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja.errors import HttpError

CURSOR_MAX_AGE = 60 * 60 * 24 * 30


def _field_value(row: Model, field: str) -> Any:
    value = getattr(row, field)
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def encode_cursor(row: Model, ordering: Sequence[str], *, salt: str) -> str:
    values = [_field_value(row, field.lstrip("-")) for field in ordering]
    return signing.dumps(values, salt=f"api.cursor.{salt}", compress=True)


def decode_cursor(cursor: str, ordering: Sequence[str], *, salt: str) -> list[Any]:
    try:
        values = signing.loads(cursor, salt=f"api.cursor.{salt}", max_age=CURSOR_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise HttpError(400, _("Sidemarkøren er for gammel. Start fra første side.")) from exc
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise HttpError(
            400, _("Sidemarkøren (cursor) er ugyldig. Bruk lenken «next» slik den er.")
        ) from exc
    if not isinstance(values, list) or len(values) != len(ordering):
        raise HttpError(400, _("Sidemarkøren (cursor) hører ikke til denne listen."))
    return values


def _after(ordering: Sequence[str], values: list[Any], queryset: QuerySet) -> Q:
    """Rows that come after `values` in `ordering` (lexicographic, each field asc or desc)."""
    model = queryset.model
    parsed = []
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        internal = model._meta.get_field("id" if name == "pk" else name).get_internal_type()
        if internal == "DateTimeField" and isinstance(value, str):
            value = parse_datetime(value)
        parsed.append((name, field.startswith("-"), value))
    condition = Q()
    for i, (name, descending, value) in enumerate(parsed):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        for earlier, _desc, earlier_value in parsed[:i]:
            step &= Q(**{earlier: earlier_value})
        condition |= step
    return condition


def paginate(
    queryset: QuerySet,
    *,
    ordering: Sequence[str],
    cursor: str | None,
    page_size: int,
    salt: str,
) -> tuple[list[Model], str | None]:
    """One page of `queryset` and the cursor for the next page (None on the last page)."""
    queryset = queryset.order_by(*ordering)
    if cursor:
        queryset = queryset.filter(
            _after(ordering, decode_cursor(cursor, ordering, salt=salt), queryset)
        )
    rows = list(queryset[: page_size + 1])
    if len(rows) <= page_size:
        return rows, None
    rows = rows[:page_size]
    return rows, encode_cursor(rows[-1], ordering, salt=salt)
