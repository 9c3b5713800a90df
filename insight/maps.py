"""Norway's municipalities as an SVG map, coloured by a measure, drawn on the server.

The shapes are Kartverket's 2020 boundaries, simplified once (insight/data/build_map.py,
insight/data/SOURCES.md). A drawn map depends only on the measure and the values it shows,
which are all public, so it is cached under a key made of both and served to every viewer.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

DATA = Path(__file__).parent / "data" / "kommuner_2020.json"
# ColorBrewer YlGnBu, five classes (colour-blind safe, sequential); "no value" is a grey
# with a hatch-free light tone. Every shape has a dark outline, so it stands out from
# the page whatever its fill (non-text contrast).
SCALE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_VALUE = "#d9d9d9"
OUTLINE = "#4d4d4d"
CACHE_SECONDS = 24 * 3600


@functools.cache
def shapes() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


def classes(maximum: float, *, percent: bool) -> list[int]:
    """The upper bounds of the four classes above nothing: quarters of 100 for a share,
    of the largest value (rounded up) for a count."""
    step = 25 if percent else max(1, -(-int(maximum) // 4))
    return [step, 2 * step, 3 * step, 4 * step]


def colour_for(value: float | None, bounds: list[int]) -> str:
    if value is None:
        return NO_VALUE
    if value <= 0:
        return SCALE[0]
    for index, bound in enumerate(bounds, start=1):
        if value <= bound:
            return SCALE[index]
    return SCALE[-1]


def legend(bounds: list[int], *, percent: bool) -> list[LegendEntry]:
    unit = " %" if percent else ""
    entries = [LegendEntry(SCALE[0], f"0{unit}")]
    low = 0
    for index, bound in enumerate(bounds, start=1):
        label = f"{bound}{unit}" if bound == low + 1 else f"{low + 1}–{bound}{unit}"
        entries.append(LegendEntry(SCALE[index], label))
        low = bound
    entries.append(LegendEntry(NO_VALUE, gettext("Ingen verdi")))
    return entries


def digest(measure: str, values: dict, names: dict, percent: bool) -> str:
    """What a map (and the table of its numbers) shows, in 40 characters."""
    return hashlib.sha1(
        json.dumps([measure, percent, sorted(values.items()), sorted(names.items())]).encode(),
        usedforsecurity=False,
    ).hexdigest()


def draw(
    *,
    measure: str,
    values: dict[str, float | None],
    names: dict[str, str],
    title_id: str,
    percent: bool,
) -> SafeString:
    """The map's <svg> element: one path per municipality with a <title> (name and value).

    `values` and `names` are keyed by municipality number. Cached by what it shows."""
    key = f"insight:map:{get_language()}:{title_id}:{digest(measure, values, names, percent)}"
    if (svg := cache.get(key)) is None:
        svg = _draw(values=values, names=names, title_id=title_id, percent=percent)
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # built from escaped names and numbers


def _draw(
    *, values: dict[str, float | None], names: dict[str, str], title_id: str, percent: bool
) -> str:
    data = shapes()
    present = [v for v in values.values() if v is not None]
    bounds = classes(max(present, default=0), percent=percent)
    unit = " %" if percent else ""
    no_value = gettext("ingen verdi")
    parts = [
        f'<svg class="insight-map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{" ".join(map(str, data["view_box"]))}" role="img" '
        f'aria-labelledby="{escape(title_id)}" focusable="false">'
    ]
    for number, shape in data["municipalities"].items():
        value = values.get(number)
        name = names.get(number, shape["name"])
        shown = no_value if value is None else f"{value:g}{unit}"
        parts.append(
            f'<path d="{shape["d"]}" fill="{colour_for(value, bounds)}" stroke="{OUTLINE}" '
            f'stroke-width="0.4" stroke-linejoin="round">'
            f"<title>{escape(name)} ({number}): {escape(shown)}</title></path>"
        )
    parts.append("</svg>")
    return "".join(parts)
