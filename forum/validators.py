"""Validators for any text a member types: they turn hostile input into a clear form error."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Django decodes request bodies with errors="replace": invalid UTF-8 arrives as U+FFFD.
_REPLACEMENT_CHARACTER = "\ufffd"
# C0/C1 control characters other than tab, newline and carriage return (NUL has its own check).
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_clean_text(value: str) -> None:
    if _REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _(
                "Teksten inneholder tegn som ikke er gyldig UTF-8 (vises som �). "
                "Lim den inn på nytt fra kilden, eller fjern tegnene."
            ),
            code="invalid_utf8",
        )
    if _CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Teksten inneholder usynlige kontrolltegn. Fjern dem og prøv igjen."),
            code="control_characters",
        )


# Bidirectional embeddings, overrides, isolates and marks: invisible, they change the order
# the characters around them are shown in, so «Faktura\u202egpj.exe» reads «Faktura» + «exe.jpg».
_DIRECTION_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def validate_no_direction_controls(value: str) -> None:
    """For names, titles and tags: one line, shown among other text, where a character that
    turns the text around can make it pass for something else."""
    if found := _DIRECTION_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Teksten inneholder et usynlig tegn som endrer skriveretningen (%(character)s). "
                "Fjern det og prøv igjen."
            ),
            code="direction_controls",
            params={"character": f"U+{ord(found.group()):04X}"},
        )
