"""Topics like the one a member is about to start, so they find the answer before asking.

Word overlap over titles, Norwegian stop words removed: simple, the same on SQLite and
PostgreSQL, and good enough for short titles. The candidates come from the member's own
visible topics, so nothing hidden is ever suggested.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q

from topics.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

MAX_RESULTS = 5
MIN_WORD_LENGTH = 3
_CANDIDATES = 300
_WORD = re.compile(r"\w+")

STOP_WORDS = frozenset(
    {
        "alle",
        "andre",
        "at",
        "av",
        "bare",
        "begge",
        "ble",
        "blei",
        "bli",
        "blir",
        "blitt",
        "bort",
        "da",
        "dag",
        "de",
        "dei",
        "deim",
        "deira",
        "deires",
        "dem",
        "den",
        "denne",
        "der",
        "dere",
        "deres",
        "det",
        "dette",
        "di",
        "din",
        "disse",
        "dit",
        "ditt",
        "du",
        "dykk",
        "dykkar",
        "då",
        "eg",
        "ein",
        "eit",
        "eitt",
        "eller",
        "elles",
        "en",
        "enn",
        "er",
        "erfaring",
        "løsning",
        "løsninger",
        "erfaringer",
        "et",
        "ett",
        "etter",
        "for",
        "fordi",
        "fra",
        "får",
        "før",
        "gjør",
        "gjøre",
        "god",
        "ha",
        "hadde",
        "han",
        "hans",
        "har",
        "hennar",
        "henne",
        "hennes",
        "her",
        "hjå",
        "ho",
        "hoe",
        "honom",
        "hoss",
        "hossen",
        "hva",
        "hvem",
        "hver",
        "hvilke",
        "hvilken",
        "hvis",
        "hvor",
        "hvordan",
        "hvorfor",
        "i",
        "ikke",
        "ikkje",
        "ingen",
        "ingi",
        "inkje",
        "inn",
        "inni",
        "ja",
        "jeg",
        "kan",
        "kom",
        "korleis",
        "korso",
        "kun",
        "kunne",
        "kva",
        "kvar",
        "kvarhelst",
        "kven",
        "kvi",
        "kvifor",
        "man",
        "mange",
        "me",
        "med",
        "medan",
        "meg",
        "meget",
        "mellom",
        "men",
        "mi",
        "min",
        "mine",
        "mitt",
        "mot",
        "mye",
        "mykje",
        "må",
        "måtte",
        "na",
        "nei",
        "no",
        "noe",
        "noen",
        "noka",
        "noko",
        "nokon",
        "nokor",
        "nokre",
        "nå",
        "når",
        "og",
        "også",
        "om",
        "opp",
        "oss",
        "over",
        "på",
        "samme",
        "seg",
        "selv",
        "si",
        "sia",
        "sidan",
        "siden",
        "sin",
        "sine",
        "sitt",
        "sjøl",
        "skal",
        "skulle",
        "slik",
        "so",
        "som",
        "somme",
        "somt",
        "spørsmål",
        "til",
        "tips",
        "uten",
        "var",
        "vart",
        "varte",
        "ved",
        "vere",
        "verte",
        "vi",
        "vil",
        "ville",
        "vore",
        "vors",
        "vort",
        "vår",
        "være",
        "vært",
        "å",
    }
)


def keywords(title: str) -> list[str]:
    """The words of a title that say what it is about, lower-case, in order, no repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(title.lower()):
        if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def _stem(word: str) -> str:
    # Norwegian plural and definite endings, so "arkivet" finds "arkiv" and "systemer" "system".
    for ending in ("ene", "ane", "er", "en", "et", "ar", "a", "e"):
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def similar_topics(
    user: User | AnonymousUser, title: str, *, limit: int = MAX_RESULTS
) -> list[Topic]:
    words = keywords(title)
    if not words:
        return []
    stems = {_stem(w) for w in words}
    condition = Q()
    for stem in stems:
        condition |= Q(title__icontains=stem)
    candidates = (
        Topic.objects.visible_to(user)
        .filter(condition)
        .select_related("category")
        .order_by("-last_activity_at")[:_CANDIDATES]
    )
    scored = []
    for topic in candidates:
        topic_stems = {_stem(w) for w in keywords(topic.title)}
        overlap = len(stems & topic_stems)
        if overlap:
            score = overlap / len(stems | topic_stems)
            scored.append((score, topic.is_solved, topic.last_activity_at, topic))
    scored.sort(key=lambda item: item[:3], reverse=True)
    return [item[3] for item in scored[:limit]]
