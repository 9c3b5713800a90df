"""Turning what people type into safe search terms and highlighted excerpts."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Markers that PostgreSQL's ts_headline puts around a match. Control characters never
# occur in a sanitised excerpt, so they cannot be forged by a post's author.
START_MARK = "\x02"
STOP_MARK = "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKED = re.compile(f"{START_MARK}([^{START_MARK}{STOP_MARK}]*){STOP_MARK}")
_WORD = re.compile(r"\w+", re.UNICODE)

# The commonest Norwegian function words: a query of nothing else finds nothing useful.
STOP_WORDS = frozenset(
    {
        *("og", "i", "det", "som", "en", "på", "er", "til", "av", "for", "med", "at"),
        *("ikke", "den", "har", "de", "om", "et", "var", "jeg", "men", "så", "fra", "vi"),
        *("kan", "du", "seg", "han", "hun", "eller", "hvor", "hva", "når", "der", "denne"),
        *("dette", "være", "bli", "ble", "blir", "hadde", "skal", "vil", "må", "kunne"),
    }
)
# Light Norwegian stemming for the SQLite fallback: "kommunene" and "kommune" share
# "kommun", "arkivene" and "arkiv" share "arkiv".
_SUFFIXES = ("heten", "ene", "ane", "ers", "ets", "er", "en", "et", "es", "e", "a", "s")


def clean_query(text: str) -> str:
    """Drop characters a database cannot store (NUL) or that mean nothing in a search."""
    return " ".join(_CONTROL.sub(" ", text).split())


def words(text: str) -> list[str]:
    """The words a simple search must all find: no stop words, no «or», no «-excluded»."""
    kept = " ".join(t for t in text.lower().split() if not t.startswith("-") and t != "or")
    return [w for w in _WORD.findall(kept) if len(w) > 1 and w not in STOP_WORDS]


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def marked_to_html(text: str) -> SafeString:
    """Escape everything, then turn only our own markers into <mark> elements."""
    escaped = escape(text)
    html = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(START_MARK, "").replace(STOP_MARK, ""))


def excerpt_around(text: str, stems: list[str], width: int = 240) -> SafeString:
    """The SQLite fallback's excerpt: a window around the first match, matches marked."""
    text = _CONTROL.sub(" ", text)
    lower = text.lower()
    hits = [i for s in stems if (i := lower.find(s)) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    window = text[start : start + width]
    if stems:
        pattern = re.compile(
            r"\w*(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE
        )
        window = pattern.sub(lambda m: f"{START_MARK}{m.group(0)}{STOP_MARK}", window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return marked_to_html(prefix + window + suffix)
