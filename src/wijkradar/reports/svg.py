"""Server-rendered SVG: choropleth maps from stored simplified boundaries, and small trend charts.

The same SVG goes into pages and printable reports. No JavaScript needed: every area is an <a>
link with its name and value in a <title>, and the caller puts a <table> of the same figures
beside it.

Projection: equirectangular around the map's mean latitude φ0,
    x = (lon - lon_min) · cos φ0 · s,   y = (lat_max - lat) · s,
with s chosen so the width is `width` px. At Dutch latitudes (51–53.5°) the distortion against
RD New is a few percent, invisible at this scale and free of a pyproj dependency on request.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

#: Sequential palette, light to dark (ColorBrewer "Purples"-like, 5 classes). Every fill is
#: separated from its neighbours by a dark outline, and each class is also named in the legend,
#: so colour is never the only carrier of the value (WCAG 1.4.1).
PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
OUTLINE = "#333333"
SUPPRESSED_FILL = "url(#wr-suppressed)"
MISSING_FILL = "url(#wr-missing)"


@dataclass(frozen=True)
class Area:
    """One area on the map. `status` ok | suppressed | missing | too_small | ..."""

    code: str
    name: str
    value: float | None
    status: str
    href: str
    label: str  # the value as text, e.g. "3" or "72,5" or "onderdrukt"


@dataclass(frozen=True)
class Scale:
    """Class breaks: value v falls in class i when breaks[i] <= v < breaks[i+1]."""

    breaks: tuple[float, ...]  # len(PALETTE) + 1 edges, the last one open-ended
    labels: tuple[str, ...]
    #: True for protection (higher = better protected): the darkest colour stays the most
    #: vulnerable end, so a map never reads in two directions.
    reverse: bool = False

    def colour_of_class(self, i: int) -> str:
        return PALETTE[len(PALETTE) - 1 - i] if self.reverse else PALETTE[i]

    def colour(self, value: float) -> str:
        for i in range(len(self.labels) - 1, -1, -1):
            if value >= self.breaks[i]:
                return self.colour_of_class(i)
        return self.colour_of_class(0)


STACKING_SCALE = Scale((0, 1, 2, 3, 5, math.inf), ("0", "1", "2", "3–4", "5+"))
PERCENTILE_SCALE = Scale(
    (0, 20, 40, 60, 80, math.inf), ("0–20", "20–40", "40–60", "60–80", "80–100")
)


PROTECTION_SCALE = Scale(PERCENTILE_SCALE.breaks, PERCENTILE_SCALE.labels, reverse=True)


def scale_for(metric: str, protection: bool = False) -> Scale:
    """protection: the metric is a protection score (higher = better protected)."""
    if metric == "stacking":
        return STACKING_SCALE
    return PROTECTION_SCALE if protection or metric == "protective" else PERCENTILE_SCALE


def _rings(geometry: dict[str, object]) -> Iterable[Sequence[Sequence[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coords, list):
        yield from coords
    elif kind == "MultiPolygon" and isinstance(coords, list):
        for polygon in coords:
            yield from polygon


@dataclass(frozen=True)
class Outlines:
    """Projected SVG path data per area code, and the map's pixel height for its width.

    Depends only on the boundaries and the size, so a server can keep it per build and level
    while the colours change with the metric.
    """

    paths: dict[str, str]
    width: int
    height: float
    #: the projection, so points (e.g. vindplaatsen) can be drawn over the same map
    lon_min: float = 0.0
    lat_max: float = 0.0
    k: float = 1.0
    s: float = 1.0

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a WGS84 point on this map."""
        return (lon - self.lon_min) * self.k * self.s, (self.lat_max - lat) * self.s


def _bounds(rings: Iterable[Sequence[Sequence[float]]]) -> tuple[float, float, float, float]:
    lon_min = lat_min = math.inf
    lon_max = lat_max = -math.inf
    for ring in rings:
        for point in ring:
            lon, lat = float(point[0]), float(point[1])
            lon_min, lon_max = min(lon_min, lon), max(lon_max, lon)
            lat_min, lat_max = min(lat_min, lat), max(lat_max, lat)
    return lon_min, lat_min, lon_max, lat_max


def outlines(geometries: dict[str, str], width: int = 560, decimals: int = 1) -> Outlines:
    """Project GeoJSON geometries (code -> text) into relative SVG path data.

    Coordinates are rounded to `decimals` (1 = 0.1 px for a detailed map; 0 = whole pixels,
    enough for a national map of thousands of areas), then each point that rounds onto the
    previous one is dropped: at that size it cannot be seen, and it would only cost bytes.
    Paths use relative moves (`m`/`l` with deltas), which are shorter than absolute ones.
    """
    parsed = {code: json.loads(text) for code, text in geometries.items()}
    lon_min, lat_min, lon_max, lat_max = _bounds(
        ring for geometry in parsed.values() for ring in _rings(geometry)
    )
    if lon_min == math.inf:
        return Outlines({}, width, 0.0)
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    s = width / max((lon_max - lon_min) * k, 1e-9)
    factor = 10**decimals
    paths = {}
    for code, geometry in parsed.items():
        parts = []
        for ring in _rings(geometry):
            # integer grid in units of 10^-decimals px, so deltas stay exact
            grid = [
                (
                    round((float(p[0]) - lon_min) * k * s * factor),
                    round((lat_max - float(p[1])) * s * factor),
                )
                for p in ring
            ]
            kept = [grid[0]] if grid else []
            for point in grid[1:]:
                if point != kept[-1]:
                    kept.append(point)
            if len(kept) > 1 and kept[-1] == kept[0]:
                kept.pop()  # Z closes the ring
            if len(kept) < 3:
                continue
            deltas = [kept[0]] + [(x - px, y - py) for (px, py), (x, y) in itertools.pairwise(kept)]
            nums = [f"{_num(dx, factor)},{_num(dy, factor)}" for dx, dy in deltas]
            parts.append(f"M{nums[0]}l" + " ".join(nums[1:]) + "z")
        if parts:
            paths[code] = "".join(parts)
    return Outlines(paths, width, (lat_max - lat_min) * s, lon_min, lat_max, k, s)


def _num(units: int, factor: int) -> str:
    """An integer count of 1/factor px as the shortest decimal text (15 -> "1.5", 10 -> "1")."""
    if factor == 1:
        return str(units)
    text = f"{units / factor:.{len(str(factor)) - 1}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


_PATTERNS = (
    '<defs><pattern id="wr-suppressed" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#ffffff"/>'
    '<path d="M0,6L6,0" stroke="#555555" stroke-width="1.2"/></pattern>'
    '<pattern id="wr-missing" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#ffffff"/>'
    '<circle cx="3" cy="3" r="1" fill="#555555"/></pattern></defs>'
)

#: One style rule per fill class, written once per map instead of on every path.
_CLASS_FILLS = {f"c{i}": colour for i, colour in enumerate(PALETTE)} | {
    "cs": SUPPRESSED_FILL,
    "cm": MISSING_FILL,
}
_STYLE = (
    "<style>" + "".join(f".wr-map .{k}{{fill:{v}}}" for k, v in _CLASS_FILLS.items()) + "</style>"
)


def fill_class(area: Area, scale: Scale) -> str:
    """The fill class of an area: c0..c4 by the scale, cs suppressed, cm missing or other."""
    if area.value is not None and area.status == "ok":
        return f"c{PALETTE.index(scale.colour(area.value))}"
    return "cs" if area.status == "suppressed" else "cm"


def choropleth(
    areas: Sequence[Area],
    geometries: dict[str, str] | Outlines,
    *,
    title: str,
    scale: Scale,
    legend_title: str,
    status_labels: dict[str, str],
    width: int = 560,
    overlay: str = "",
) -> str:
    """An SVG map: one <a><title/><path/></a> per area with a boundary, plus a legend.

    `overlay`: SVG drawn over the areas (points or outlines projected with the same Outlines).

    `geometries` is code -> GeoJSON text, or Outlines already projected (then `width` is
    theirs). Areas without a boundary are skipped on the map (they stay in the table beside
    it). status_labels gives the legend text for 'suppressed' and 'missing'. Fill and outline
    come from a class and the group, not from each path, to keep large maps small.
    """
    shapes = geometries if isinstance(geometries, Outlines) else outlines(geometries, width)
    width = shapes.width
    legend_h = 22 * (len(scale.labels) + 3)
    total_h = math.ceil(shapes.height) + legend_h + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wr-map" viewBox="0 0 {width} {total_h}" '
        f'width="100%" role="group" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _STYLE,
        _PATTERNS,
        f'<g stroke="{OUTLINE}" stroke-width="0.8" stroke-linejoin="round">',
    ]
    for area in areas:
        d = shapes.paths.get(area.code)
        if d is None:
            continue
        text = escape(f"{area.name}: {area.label}")
        out.append(
            f'<a href="{escape(area.href)}"><title>{text}</title>'
            f'<path class="{fill_class(area, scale)}" d="{d}"/></a>'
        )
    out.append("</g>")
    out.append(overlay)
    out.append(_legend(scale, legend_title, status_labels, y0=math.ceil(shapes.height) + 10))
    out.append("</svg>")
    return "".join(out)


def _legend(scale: Scale, legend_title: str, status_labels: dict[str, str], y0: int) -> str:
    rows = [f'<g class="wr-legend" transform="translate(0,{y0})">']
    rows.append(f'<text x="0" y="14" font-weight="bold">{escape(legend_title)}</text>')
    entries = [(scale.colour_of_class(i), label) for i, label in enumerate(scale.labels)]
    entries += [
        (SUPPRESSED_FILL, status_labels.get("suppressed", "suppressed")),
        (MISSING_FILL, status_labels.get("missing", "missing")),
    ]
    for i, (fill, label) in enumerate(entries):
        y = 22 * (i + 1)
        rows.append(
            f'<rect x="0" y="{y}" width="18" height="16" fill="{fill}" stroke="{OUTLINE}"/>'
            f'<text x="26" y="{y + 13}">{escape(label)}</text>'
        )
    rows.append("</g>")
    return "".join(rows)


def sparkline(
    points: Sequence[tuple[int, float | None]],
    *,
    label: str,
    width: int = 160,
    height: int = 40,
    y_max: float | None = None,
    breaks: Sequence[tuple[int, str]] = (),
) -> str:
    """A small line chart of (year, value); gaps where the value is None.

    breaks: (year, note) for each point that follows a series break (the area changed while its
    code stayed): the line stops before that year, a dashed marker stands between the two years,
    and the note is part of the text alternative. role="img" with an aria-label that states every
    value, so the chart has a full text alternative (WCAG 1.1.1).
    """
    known = [(x, y) for x, y in points if y is not None]
    text = label + ": " + ", ".join(f"{x} {'–' if y is None else _fmt(y)}" for x, y in points)
    for year, note in breaks:
        text += f"; series break before {year}: {note}" if note else f"; series break before {year}"
    break_years = {year for year, _ in breaks}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wr-spark" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(text)}">'
        f"<title>{escape(text)}</title>"
    ]
    if known:
        xs = [x for x, _ in points]
        x0, x1 = min(xs), max(xs)
        top = y_max if y_max is not None else max(max(y for _, y in known), 1e-9)
        pad = 4

        def px(x: int) -> float:
            return pad + (x - x0) / max(x1 - x0, 1) * (width - 2 * pad)

        def py(y: float) -> float:
            return height - pad - (y / top) * (height - 2 * pad)

        segment: list[str] = []
        segments: list[list[str]] = [segment]
        previous: int | None = None
        for x, y in points:
            if x in break_years and segment:
                segment = []
                segments.append(segment)
                if previous is not None:
                    mid = (px(previous) + px(x)) / 2
                    out.append(
                        f'<line class="wr-break" x1="{mid:.1f}" y1="0" x2="{mid:.1f}" '
                        f'y2="{height}" stroke="#444" stroke-dasharray="3 2"/>'
                    )
            if y is None:
                segment = []
                segments.append(segment)
            else:
                segment.append(f"{px(x):.1f},{py(y):.1f}")
            previous = x
        for seg in segments:
            if len(seg) > 1:
                out.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="#54278f" '
                    'stroke-width="2"/>'
                )
        for x, y in known:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.5" fill="#54278f"/>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class SpineRow:
    """One characteristic of an area against the spread of all areas of its level."""

    label: str
    value: float | None  # the area's score, 0-100, higher = more vulnerable
    low: float
    q1: float
    q3: float
    high: float
    median: float
    flagged: bool
    direction: str  # "up" (more vulnerable than last year), "down", "same" or "" (unknown)
    value_text: str  # the score as the page writes it


def spine_chart(rows: Sequence[SpineRow], *, title: str, width: int = 560) -> str:
    """A spine chart (as Public Health England's Fingertips draws one): per row the range of all
    areas (light bar), their middle half (darker bar), the median (line) and the area itself (a
    dot, filled when flagged), with an arrow for the change since last year. Static SVG; the
    text alternative lists every row."""
    row_h, label_w, right_w = 24, 220, 70
    bar_w = width - label_w - right_w
    height = row_h * len(rows) + 28
    arrow = {"up": "▲", "down": "▼", "same": "=", "": ""}
    alt = "; ".join(
        f"{r.label}: {r.value_text or '–'}"
        + (" (flagged)" if r.flagged else "")
        + (f", {arrow[r.direction]}" if r.direction else "")
        for r in rows
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wr-spine" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title + ": " + alt)}"><title>{escape(title)}</title>'
    ]

    def x(v: float) -> float:
        return label_w + max(0.0, min(100.0, v)) / 100 * bar_w

    for i, r in enumerate(rows):
        y = 8 + i * row_h
        mid = y + row_h / 2
        out.append(
            f'<text x="{label_w - 6}" y="{mid + 4:.1f}" text-anchor="end" font-size="12">'
            f"{escape(r.label)}</text>"
            f'<rect x="{x(r.low):.1f}" y="{y + 5}" width="{x(r.high) - x(r.low):.1f}" '
            f'height="{row_h - 10}" fill="#dadaeb"/>'
            f'<rect x="{x(r.q1):.1f}" y="{y + 5}" width="{x(r.q3) - x(r.q1):.1f}" '
            f'height="{row_h - 10}" fill="#9e9ac8"/>'
            f'<line x1="{x(r.median):.1f}" y1="{y + 3}" x2="{x(r.median):.1f}" '
            f'y2="{y + row_h - 3}" stroke="#3f007d" stroke-width="2"/>'
        )
        if r.value is not None:
            fill = "#cb181d" if r.flagged else "#fff"
            out.append(
                f'<circle class="wr-spine-area" cx="{x(r.value):.1f}" cy="{mid:.1f}" r="6" '
                f'fill="{fill}" stroke="#000" stroke-width="1.5"/>'
            )
        out.append(
            f'<text x="{width - right_w + 6}" y="{mid + 4:.1f}" font-size="12">'
            f"{escape(r.value_text or '–')} {arrow[r.direction]}</text>"
        )
    axis_y = 8 + len(rows) * row_h + 14
    for tick in (0, 50, 100):
        out.append(
            f'<text x="{x(tick):.1f}" y="{axis_y}" text-anchor="middle" font-size="10">'
            f"{tick}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"
