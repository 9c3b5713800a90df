"""Small SVG charts drawn on the server: bars for counts per week, a line for a share or a
duration. Each is shown beside a table of the same numbers (the page's, not the chart's)."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
BAR = "#2c7fb8"
LINE = "#253494"
AXIS = "#4d4d4d"


def _nice_top(maximum: float) -> float:
    if maximum <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(maximum))
    for step in (1, 2, 2.5, 5, 10):
        if maximum <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _frame(title_id: str, top: float, labels: list[str], unit: str) -> list[str]:
    inner_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="insight-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" role="img" aria-labelledby="{escape(title_id)}" focusable="false">'
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + inner_h * (1 - fraction)
        value = top * fraction
        text = f"{value:g}{unit}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{AXIS}" stroke-width="{1 if fraction == 0 else 0.4}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{AXIS}">{escape(text)}</text>'
        )
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, label in enumerate(labels):
        # Every fourth week, and the last when it does not crowd the one before it.
        if index % 4 == 0 or (index == len(labels) - 1 and index % 4 >= 2):
            x = LEFT + step * (index + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="12" fill="{AXIS}">{escape(label)}</text>'
            )
    return parts


def bars(*, title_id: str, labels: list[str], values: list[float], unit: str = "") -> SafeString:
    top = _nice_top(max(values, default=0))
    parts = _frame(title_id, top, labels, unit)
    inner_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = inner_h * value / top
        x = LEFT + step * index + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + inner_h - height:.1f}" width="{step * 0.7:.1f}" '
            f'height="{height:.1f}" fill="{BAR}"><title>{escape(label)}: {value:g}{unit}</title>'
            f"</rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built from escaped labels and numbers


def line(
    *,
    title_id: str,
    labels: list[str],
    values: list[float | None],
    unit: str = "",
    top: float | None = None,
) -> SafeString:
    """A line through the weeks that have a value; a week without one breaks the line."""
    present = [v for v in values if v is not None]
    top = top or _nice_top(max(present, default=0))
    parts = _frame(title_id, top, labels, unit)
    inner_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    segments: list[list[tuple[float, float]]] = [[]]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        if value is None:
            segments.append([])
            continue
        x, y = LEFT + step * (index + 0.5), TOP + inner_h * (1 - value / top)
        segments[-1].append((x, y))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}">'
            f"<title>{escape(label)}: {value:g}{unit}</title></circle>"
        )
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built from escaped labels and numbers
