"""Write the demo's boundaries like the CBS wijk- en buurtkaart: one GeoJSON per level per year.

Coordinates are RD New (EPSG:28992) with a GeoJSON-2008 "crs" member, as CBS/PDOK exports do.
Buurten are Voronoi cells inside their gemeente; a wijk is the union of its buurten that year, so
the wijk whose buurt moved changes shape, and the merged gemeente is the union of the two old ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from wijkradar.sources.demo.geography import Geography, Unit, YearLayout

CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
FILE_NAMES = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def boundary_path(directory: Path, level: str, year: int) -> Path:
    return directory / f"{FILE_NAMES[level]}_{year}.geojson"


def write_year(
    directory: Path,
    geography: Geography,
    layout: YearLayout,
    cells: list[BaseGeometry],
    cache: dict[tuple[int, ...], BaseGeometry],
) -> list[Path]:
    """Write gemeenten/wijken/buurten for one year; `cache` keeps unions between years."""
    directory.mkdir(parents=True, exist_ok=True)
    names = {u.code: u.name for u in layout.units()}

    def shape(unit: Unit) -> BaseGeometry:
        if unit.uids not in cache:
            parts = [cells[uid] for uid in unit.uids]
            cache[unit.uids] = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        return cache[unit.uids]

    written = []
    for level, units in (
        ("gemeente", layout.gemeenten),
        ("wijk", layout.wijken),
        ("buurt", layout.buurten),
    ):
        features = []
        geometries = shapely.to_geojson(np.asarray([shape(u) for u in units], dtype=object))
        for unit, geometry in zip(units, geometries, strict=True):
            props: dict[str, object] = {}
            if level == "buurt":
                props["buurtcode"], props["buurtnaam"] = unit.code, unit.name
                props["wijkcode"] = unit.parent
                props["wijknaam"] = names.get(unit.parent or "", "")
            if level == "wijk":
                props["wijkcode"], props["wijknaam"] = unit.code, unit.name
            props["gemeentecode"] = unit.gemeente_code
            props["gemeentenaam"] = unit.gemeente_name
            props["jaar"] = layout.year
            features.append(
                '{"type":"Feature","properties":'
                + json.dumps(props, ensure_ascii=False)
                + ',"geometry":'
                + str(geometry)
                + "}"
            )
        path = boundary_path(directory, level, layout.year)
        head = json.dumps(
            {"type": "FeatureCollection", "name": f"{FILE_NAMES[level]}_{layout.year}",
             "crs": CRS_MEMBER}
        )[:-1]  # fmt: skip
        path.write_text(head + ',"features":[' + ",".join(features) + "]}", encoding="utf-8")
        written.append(path)
    return written
