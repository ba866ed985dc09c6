"""Geometry helpers shared by the boundaries source and the demo generator.

Coordinates in RD New (EPSG:28992, metres) are used for anything metric (tiling, simplifying,
areas); WGS84 (EPSG:4326, lon/lat, always x=lon) is what the display layer gets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"

# RD New's valid area (EPSG:28992 bounds, metres) and the Netherlands in lon/lat; used to guess
# the CRS of a file without a "crs" member.
RD_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)
WGS84_NL_BOUNDS = (3.2, 50.7, 7.3, 53.7)


@lru_cache(maxsize=2)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def rd_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """Project a geometry from RD New to WGS84 (lon, lat)."""
    transformer = _transformer(RD_NEW, WGS84)

    def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, project)


def wgs84_to_rd(geometry: BaseGeometry) -> BaseGeometry:
    """Project a geometry from WGS84 (lon, lat) to RD New."""
    transformer = _transformer(WGS84, RD_NEW)

    def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def rd_shapes_from_geojson(texts: list[str]) -> list[BaseGeometry]:
    """Stored WGS84 GeoJSON texts as valid RD New polygons: parsed and projected as one array
    (one pyproj call for every coordinate instead of one per area), repaired where invalid."""
    array = shapely.from_geojson(np.asarray(texts, dtype=object))
    transformer = _transformer(WGS84, RD_NEW)

    def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    projected = shapely.transform(array, project)
    valid = shapely.is_valid(projected)
    return [polygonal(g) if ok else repair(g) for g, ok in zip(projected, valid, strict=True)]


def crs_from_member(member: Any) -> str | None:
    """The CRS named by a GeoJSON (2008) "crs" member, or None when it names none we know.

    Accepts "EPSG:28992", "urn:ogc:def:crs:EPSG::28992", "urn:ogc:def:crs:OGC:1.3:CRS84", ...
    """
    if not isinstance(member, dict):
        return None
    name = str((member.get("properties") or {}).get("name", "")).upper()
    if name.endswith(":28992") or name.endswith("::28992"):
        return RD_NEW
    if name.endswith(":4326") or name.endswith("CRS84"):
        return WGS84
    return None


def crs_from_bounds(bounds: tuple[float, float, float, float]) -> str | None:
    """Guess the CRS from coordinate ranges: RD New metres or lon/lat around the Netherlands."""
    minx, miny, maxx, maxy = bounds
    rx0, ry0, rx1, ry1 = RD_BOUNDS
    if rx0 <= minx and maxx <= rx1 and ry0 <= miny and maxy <= ry1 and maxy > 1000:
        return RD_NEW
    wx0, wy0, wx1, wy1 = WGS84_NL_BOUNDS
    if wx0 - 5 <= minx and maxx <= wx1 + 5 and wy0 - 5 <= miny and maxy <= wy1 + 5:
        return WGS84
    return None


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the (multi)polygon parts of a geometry; an empty polygon when there are none.

    make_valid and intersections can return collections with stray lines or points.
    """
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def repair(geometry: BaseGeometry) -> BaseGeometry:
    """A valid polygonal geometry, or an empty one when make_valid leaves no area."""
    if geometry.is_valid:
        return polygonal(geometry)
    return polygonal(shapely.make_valid(geometry))


def simplify_rd(geometries: list[BaseGeometry], tolerance_m: float) -> list[BaseGeometry]:
    """Simplify RD New polygons for display, keeping shared edges shared where possible.

    When the polygons form a valid coverage (no overlaps, as a CBS layer does) GEOS's coverage
    simplifier (Visvalingam-Whyatt, tolerance ~ square root of the removed triangle areas, in
    metres) simplifies each shared edge once, so neighbours keep meeting without gaps or overlaps.
    Otherwise each polygon is simplified on its own (Douglas-Peucker, max. deviation
    `tolerance_m`, preserve_topology so no polygon self-intersects).
    """
    if tolerance_m <= 0 or not geometries:
        return list(geometries)
    array = np.asarray(geometries, dtype=object)
    try:
        coverage_ok = bool(shapely.coverage_is_valid(array))
    except Exception:  # GEOS without coverage support, or unusable input
        coverage_ok = False
    if coverage_ok:
        simplified = shapely.coverage_simplify(array, tolerance_m, simplify_boundary=True)
    else:
        simplified = shapely.simplify(array, tolerance_m, preserve_topology=True)
    out: list[BaseGeometry] = []
    for before, after in zip(geometries, simplified, strict=True):
        after = repair(after)
        # A tiny polygon can collapse entirely; keep the original rather than lose the area.
        out.append(before if after.is_empty else after)
    return out


def round_coordinates(geometry: BaseGeometry, decimals: int) -> BaseGeometry:
    """Round every coordinate; repair the rare polygon this makes invalid."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, decimals))
    return rounded if rounded.is_valid else repair(rounded)


def vertex_count(geometries: list[BaseGeometry]) -> int:
    """Total number of coordinates, to report what simplification saved."""
    return int(shapely.get_num_coordinates(np.asarray(geometries, dtype=object)).sum())


def voronoi_tiles(points: NDArray[np.float64], outline: BaseGeometry) -> list[BaseGeometry]:
    """Cells of the points' Voronoi diagram clipped to `outline`, in the points' order.

    The cells tile the outline without gaps; coordinates are snapped to 1 cm so that edges two
    cells share are exactly equal (and their unions leave no slivers).
    """
    if len(points) == 1:
        return [shapely.set_precision(outline, 0.01)]
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline, ordered=True)
    clipped = shapely.intersection(shapely.get_parts(cells), outline)
    snapped = shapely.set_precision(clipped, 0.01)
    return [polygonal(cell) for cell in snapped]


def random_points_in(
    outline: BaseGeometry, count: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """`count` uniformly random points inside a polygon (rejection sampling on its bounds)."""
    minx, miny, maxx, maxy = outline.bounds
    found: list[NDArray[np.float64]] = []
    have = 0
    while have < count:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(max(16, 2 * (count - have)), 2))
        inside = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        found.append(inside)
        have += len(inside)
    return np.concatenate(found)[:count]
