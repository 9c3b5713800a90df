"""What changed between two versions of a post, word by word, for the edit history."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    op: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[Change]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            changes.append(Change("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            changes.append(Change("removed", "".join(a[i1:i2])))
        if j2 > j1:
            changes.append(Change("added", "".join(b[j1:j2])))
    return changes
