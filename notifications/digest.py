"""What a digest carries besides notifications: lines other apps add.

A notification belongs to a topic; conversations (which notifications must not import) add
their own lines with `register_lines`: a source gives, for a member and the time of their
last digest, what is new for them, each line a text and an absolute address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DigestLine:
    text: str
    url: str


type Source = Callable[[object, datetime | None], list[DigestLine]]

_SOURCES: dict[str, Source] = {}


def register_lines(name: str, source: Source) -> None:
    _SOURCES[name] = source


def lines_for(user, *, since: datetime | None) -> list[DigestLine]:
    return [line for source in _SOURCES.values() for line in source(user, since)]
