"""Limits on the shape of a Markdown text, so that no post is too deep, wide or long to show."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from topics.markdown import parse_markdown

MAX_LINE_LENGTH = 10_000
MAX_NESTING = 8
MAX_TABLE_ROWS = 200
MAX_TABLE_COLUMNS = 20

_NESTING_OPENERS = {"blockquote_open", "bullet_list_open", "ordered_list_open"}
_NESTING_CLOSERS = {"blockquote_close", "bullet_list_close", "ordered_list_close"}


def validate_markdown_shape(value: str) -> None:
    longest = max((len(line) for line in value.splitlines()), default=0)
    if longest > MAX_LINE_LENGTH:
        raise ValidationError(
            _(
                "En linje kan ha høyst %(limit)d tegn (den lengste har %(length)d). "
                "Del den opp med linjeskift."
            ),
            code="line_too_long",
            params={"limit": MAX_LINE_LENGTH, "length": longest},
        )
    depth = deepest = rows = columns = 0
    for token in parse_markdown(value):
        if token.type in _NESTING_OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in _NESTING_CLOSERS:
            depth -= 1
        elif token.type == "tr_open":
            rows += 1
            columns = 0
        elif token.type in {"td_open", "th_open"}:
            columns += 1
            if columns > MAX_TABLE_COLUMNS:
                raise ValidationError(
                    _("En tabell kan ha høyst %(limit)d kolonner."),
                    code="table_too_wide",
                    params={"limit": MAX_TABLE_COLUMNS},
                )
    if deepest > MAX_NESTING:
        raise ValidationError(
            ngettext_lazy(
                "Sitater og lister kan ligge høyst %(limit)d nivå inni hverandre.",
                "Sitater og lister kan ligge høyst %(limit)d nivåer inni hverandre.",
                "limit",
            ),
            code="too_deep",
            params={"limit": MAX_NESTING},
        )
    if rows > MAX_TABLE_ROWS:
        raise ValidationError(
            _("Tabellene kan til sammen ha høyst %(limit)d rader (teksten har %(rows)d)."),
            code="table_too_long",
            params={"limit": MAX_TABLE_ROWS, "rows": rows},
        )
