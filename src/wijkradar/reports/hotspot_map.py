"""An SVG map of hot and cold spots (Getis-Ord Gi*), with a legend that states the test."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from wijkradar.reports import svg

COLOURS = {"hot": "#b2182b", "cold": "#2166ac", "none": "#e0e0e0", "not_tested": "#ffffff"}
ORDER = ("hot", "cold", "none", "not_tested")


def hotspot_svg(
    rows: Sequence[Mapping[str, Any]], *, title: str, labels: Mapping[str, str], note: str
) -> str:
    """rows: region_code, name, cluster, gi_z, geometry (GeoJSON text or None)."""
    geometries = {str(r["region_code"]): str(r["geometry"]) for r in rows if r.get("geometry")}
    if not geometries:
        return ""
    shapes = svg.outlines(geometries, width=560)
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
