"""One-off: simplify Kartverket's 2020 municipality boundaries into insight/data/kommuner_2020.json.

    python insight/data/build_map.py Kommuner-large.json > insight/data/kommuner_2020.json

The input is `2020/Kommuner-large.json` of github.com/robhop/fylker-og-kommuner (see
SOURCES.md): WGS 84 longitude/latitude, one MultiPolygon per municipality. Each ring is
projected (Lambert azimuthal equal-area centred on 15° E, 65° N, so Finnmark and Agder keep
their shapes), simplified with Douglas–Peucker, rings smaller than a few square kilometres
dropped (but never a municipality's largest), and written as an SVG path in a 1000-wide
view box with whole-number relative coordinates. Run by hand; nothing imports it.
"""

from __future__ import annotations

import itertools
import json
import math
import sys

EARTH_RADIUS = 6_371_000.0
LON0, LAT0 = math.radians(15.0), math.radians(65.0)
TOLERANCE_M = 600.0  # Douglas–Peucker tolerance in metres
MIN_RING_KM2 = 6.0
WIDTH = 1000


def project(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    k = math.sqrt(
        2
        / (
            1
            + math.sin(LAT0) * math.sin(phi)
            + math.cos(LAT0) * math.cos(phi) * math.cos(lam - LON0)
        )
    )
    x = EARTH_RADIUS * k * math.cos(phi) * math.sin(lam - LON0)
    y = (
        EARTH_RADIUS
        * k
        * (math.cos(LAT0) * math.sin(phi) - math.sin(LAT0) * math.cos(phi) * math.cos(lam - LON0))
    )
    return x, -y  # SVG's y grows downwards


def _distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: list, tolerance: float) -> list:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        source = json.load(f)
    shapes = {}
    for feature in source["features"]:
        number = str(feature["properties"]["kommunenummer"]).zfill(4)
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [
            [project(lon, lat) for lon, lat in ring[:-1]] for poly in polygons for ring in poly
        ]
        rings.sort(key=area, reverse=True)
        kept = [rings[0]] + [r for r in rings[1:] if area(r) >= MIN_RING_KM2 * 1e6]
        simplified = []
        for ring in kept:
            closed = douglas_peucker([*ring, ring[0]], TOLERANCE_M)[:-1]
            if len(closed) >= 3:
                simplified.append(closed)
            elif not simplified:  # a tiny island municipality: keep a triangle of it
                simplified.append(ring[:: max(1, len(ring) // 3)][:3])
        shapes[number] = (feature["properties"]["navn"], simplified)
    xs = [x for _, rings in shapes.values() for ring in rings for x, _ in ring]
    ys = [y for _, rings in shapes.values() for ring in rings for _, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    height = math.ceil((max(ys) - min(ys)) * scale)
    out = {}
    for number, (name, rings) in sorted(shapes.items()):
        parts = []
        for ring in rings:
            pts = [(round((x - min(xs)) * scale), round((y - min(ys)) * scale)) for x, y in ring]
            deduped = [pts[0]] + [p for prev, p in itertools.pairwise(pts) if p != prev]
            if len(deduped) < 3:
                # Smaller than a unit: a mark one unit wide, so the municipality can be seen.
                x, y = deduped[0]
                parts.append(f"M{x} {y}h2v2h-2z")
                continue
            steps = [f"M{deduped[0][0]} {deduped[0][1]}"]
            steps += [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(deduped)]
            parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
        out[number] = {"name": name, "d": "".join(parts)}
    json.dump(
        {
            "source": "Kartverket, Administrative enheter (kommuner) 2020, via "
            "github.com/robhop/fylker-og-kommuner 2020/Kommuner-large.json",
            "licence": "CC BY 4.0",
            "view_box": [0, 0, WIDTH, height],
            "municipalities": out,
        },
        sys.stdout,
        ensure_ascii=False,
        separators=(",", ":"),
    )


if __name__ == "__main__":
    main(sys.argv[1])
