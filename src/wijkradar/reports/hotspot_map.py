"""An SVG map of hot and cold spots (Getis-Ord Gi*), with a legend that states the test."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from wijkradar.reports import svg

COLOURS = {"hot": "#b2182b", "cold": "#2166ac", "none": "#e0e0e0", "not_tested": "#ffffff"}
ORDER = ("hot", "cold", "none", "not_tested")


LARGE = 1000  # areas; like the map pages, a large map is drawn wider with whole pixels
_CACHE: dict[tuple[str, str, int], svg.Outlines] = {}


def outlines_for(
    key: tuple[str, str, int], rows: Sequence[Mapping[str, Any]]
) -> svg.Outlines | None:
    """Projected outlines of the rows' boundaries, kept per (build, level, year): a published
    build never changes."""
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    geometries = {str(r["region_code"]): str(r["geometry"]) for r in rows if r.get("geometry")}
    if not geometries:
        return None
    large = len(geometries) >= LARGE
    hit = svg.outlines(geometries, width=800 if large else 560, decimals=0 if large else 1)
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = hit
    return hit


def hotspot_svg(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    labels: Mapping[str, str],
    note: str,
    shapes: svg.Outlines | None,
) -> str:
    """rows: region_code, name, cluster, gi_z; shapes: their projected outlines."""
    if shapes is None:
        return ""
    legend_h = 22 * (len(ORDER) + 2)
    total_h = math.ceil(shapes.height) + legend_h + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wr-map" viewBox="0 0 {shapes.width} '
        f'{total_h}" width="100%" role="group" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<g stroke="#555" stroke-width="0.5" stroke-linejoin="round">',
    ]
    for r in rows:
        d = shapes.paths.get(str(r["region_code"]))
        if d is None:
            continue
        z = r.get("gi_z")
        z_text = "" if z is None or (isinstance(z, float) and math.isnan(z)) else f" (Gi* {z:.2f})"
        text = escape(f"{r.get('name') or r['region_code']}: {labels[r['cluster']]}{z_text}")
        out.append(
            f'<path data-cluster="{r["cluster"]}" fill="{COLOURS[r["cluster"]]}" d="{d}">'
            f"<title>{text}</title></path>"
        )
    out.append("</g>")
    y = math.ceil(shapes.height) + 10
    for i, cluster in enumerate(ORDER):
        yy = y + 22 * i
        out.append(
            f'<rect x="4" y="{yy}" width="16" height="16" fill="{COLOURS[cluster]}" '
            f'stroke="#555"/><text x="26" y="{yy + 13}" font-size="13">'
            f"{escape(labels[cluster])}</text>"
        )
    out.append(f'<text x="4" y="{y + 22 * len(ORDER) + 13}" font-size="12">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out)
