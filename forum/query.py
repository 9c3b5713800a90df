"""Values read from the query string (filters, pre-filled choices).

What cannot be what it claims to be is treated as absent, before it reaches the database:
a slug with a NUL byte, say, is an error on PostgreSQL, not just no match.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug


def slug_or_none(value: str | None) -> str | None:
    """The value when it is a slug (what every <slug:...> in the URLs accepts), else None."""
    if not value:
        return None
    try:
        validate_slug(value)
    except ValidationError:
        return None
    return value
