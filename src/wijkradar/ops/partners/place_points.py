"""Points of vindplaatsen: the buurt of the monitor's boundaries a point lies in, a buurt's
centre for places known only by postcode, and the markers drawn over the radar and places
maps (plain SVG: each marker is a link with a <title>, its shape says the kind, so neither
colour nor hovering is needed to read it)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from wijkradar.reports import svg

#: a point outside these (latitude, longitude) ranges is not in the Netherlands: most often
#: latitude and longitude swapped, or RD metres given as degrees
NL_LAT = (50.7, 53.6)
NL_LON = (3.3, 7.3)
MARKER_FILL = "#b35806"
GAP_STROKE = "#c00000"


class BuurtShapes:
    """Buurt boundaries of one gemeente: buurt -> (wijk, GeoJSON text)."""

    def __init__(self, rows: dict[str, tuple[str, str]]) -> None:
        self.wijk = {b: w for b, (w, _) in rows.items()}
        self.rings: dict[str, list[list[tuple[float, float]]]] = {}
        for buurt, (_, text) in rows.items():
            geometry = json.loads(text)
            self.rings[buurt] = [
                [(float(p[0]), float(p[1])) for p in ring] for ring in svg._rings(geometry)
            ]

    def __bool__(self) -> bool:
        return bool(self.rings)

    def locate(self, lat: float, lon: float) -> tuple[str, str] | None:
        """(buurt, wijk) whose boundary holds the point, or None."""
        for buurt, rings in self.rings.items():
            if _inside(lon, lat, rings):
                return buurt, self.wijk[buurt]
        return None

    def centre(self, buurt: str) -> tuple[float, float] | None:
        """(lat, lon) of the area-weighted centroid of the buurt's largest ring."""
        rings = self.rings.get(buurt)
        if not rings:
            return None
        ring = max(rings, key=lambda r: abs(_area(r)))
        a = _area(ring)
        if abs(a) < 1e-15:
            lon = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
            return lat, lon
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return cy / (6 * a), cx / (6 * a)


def _area(ring: list[tuple[float, float]]) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd rule over all rings, so holes (and the parts of a multipolygon) count right."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


@dataclass(frozen=True)
class Marker:
    id: int
    kind: str
    title: str  # kind and name as the page's language writes them
    lat: float
    lon: float
    approximate: bool


def _shape(kind: str, x: float, y: float, r: float = 5.0) -> str:
    """One marker shape per kind (circle, square, diamond, triangle, cross, hexagon)."""
    if kind == "voedselbank":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    if kind == "buurthuis":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"/>'
    if kind == "bibliotheek":
        d = r * 1.3
        pts = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    elif kind == "school":
        d = r * 1.3
        pts = [(x, y - d), (x + d, y + d * 0.8), (x - d, y + d * 0.8)]
    elif kind == "huisarts":
        a, b = r * 0.45, r * 1.2
        pts = [
            (x - a, y - b), (x + a, y - b), (x + a, y - a), (x + b, y - a), (x + b, y + a),
            (x + a, y + a), (x + a, y + b), (x - a, y + b), (x - a, y + a), (x - b, y + a),
            (x - b, y - a), (x - a, y - a),
        ]  # fmt: skip
    else:
        pts = [
            (x + r * 1.15 * math.cos(math.pi / 3 * i), y + r * 1.15 * math.sin(math.pi / 3 * i))
            for i in range(6)
        ]
    return '<polygon points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts) + '"/>'


def symbol(kind: str) -> str:
    """A small stand-alone SVG of a kind's marker, for the legend beside the map."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" '
        f'aria-hidden="true"><g fill="{MARKER_FILL}" stroke="#ffffff" stroke-width="1.2">'
        f"{_shape(kind, 8, 8)}</g></svg>"
    )


def overlay(
    outlines: svg.Outlines,
    markers: Sequence[Marker],
    gaps: Sequence[str] = (),
    gap_title: str = "",
    href: str = "/werk/vindplaatsen",
) -> str:
    """SVG to lay over a choropleth drawn from the same `outlines`: a dashed outline around each
    wijk in `gaps`, and a marker per vindplaats linking to its row in the register. Places
    placed only by postcode stand at their buurt's centre, fanned out so none hides another."""
    out = []
    for code in gaps:
        d = outlines.paths.get(code)
        if d is not None:
            out.append(
                f'<path class="wr-gap" d="{d}" fill="none" stroke="{GAP_STROKE}" '
                'stroke-width="2.5" stroke-dasharray="5 3" pointer-events="none">'
                f"<title>{escape(gap_title)}</title></path>"
            )
    seen: dict[tuple[int, int], int] = {}
    out.append(f'<g class="wr-places" fill="{MARKER_FILL}" stroke="#ffffff" stroke-width="1.2">')
    for m in markers:
        x, y = outlines.point(m.lon, m.lat)
        key = (round(x), round(y))
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:  # another marker stands here: fan out on a small circle
            angle = n * 2.4
            x, y = x + 9 * math.cos(angle), y + 9 * math.sin(angle)
        out.append(
            f'<a href="{escape(href)}#place-{m.id}" class="wr-place" data-kind="{m.kind}">'
            f"<title>{escape(m.title)}</title>{_shape(m.kind, x, y)}</a>"
        )
    out.append("</g>")
    return "".join(out)
