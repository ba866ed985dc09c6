"""Display boundaries from a GeoJSON FeatureCollection or a GeoPackage (CBS wijk- en buurtkaart).

Load → Process → Save:
- load the file; the CRS comes from a GeoJSON "crs" member or the GeoPackage's srs_id, else from
  the coordinate ranges (RD New metres or WGS84 lon/lat); a GeoPackage's feature layers
  (gemeenten, wijken, buurten) are read together;
- per feature: the code (statcode/buurtcode/wijkcode/gemeentecode, BU_CODE-style, or the given
  property), the level from the code, the year (argument, "jaar" property, or a year in the file
  name); invalid geometry is repaired with make_valid;
- simplify in RD New (tolerance per level, shared edges kept where the layer is a clean
  coverage), project to WGS84, round to 5 decimals (about 1 m);
- yield Boundary objects and Regions (names from the name properties, parents from the code) so
  boundaries alone can seed a region hierarchy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from wijkradar.domain import Boundary, InputError, Level, Provenance, Region
from wijkradar.domain.provenance import sha256_bytes
from wijkradar.domain.region import (
    REGION_CODE_EXAMPLES,
    gemeente_of,
    is_region_code,
    normalise_code,
    parent_from_code,
)
from wijkradar.sources import geo, geopackage, guard
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.registry import register

# Metres in RD New; a buurt map is read at closer zoom than a gemeente map.
DEFAULT_TOLERANCE_M = {Level.GEMEENTE: 50.0, Level.WIJK: 20.0, Level.BUURT: 10.0}
DECIMALS = 5
CODE_PROPERTIES = (
    "statcode",
    "buurtcode",
    "bu_code",
    "wijkcode",
    "wk_code",
    "gemeentecode",
    "gm_code",
)
NAME_PROPERTIES = {
    Level.BUURT: ("statnaam", "buurtnaam", "bu_naam"),
    Level.WIJK: ("statnaam", "wijknaam", "wk_naam"),
    Level.GEMEENTE: ("statnaam", "gemeentenaam", "gm_naam"),
    Level.PROVINCIE: ("statnaam", "provincienaam"),
    Level.LAND: ("statnaam",),
}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


@register("boundaries")
class BoundariesFile:
    """One GeoJSON or GeoPackage file of boundaries; see the module docstring."""

    name = "boundaries"

    def __init__(
        self,
        path: str | Path,
        level: Level | str | None = None,
        year: int | None = None,
        code_property: str | None = None,
        tolerance_m: float | None = None,
        publisher: str = "CBS/Kadaster",
        licence: str = "CC BY 4.0",
        region_names: bool = True,
        name_property: str | None = None,
    ) -> None:
        self.path = Path(path)
        # False: the layer's names are not given to regions (code only, which gives way to the
        # names a statistical source gives); for layers whose names are abbreviated differently.
        self.region_names = region_names
        self.name_property = name_property  # e.g. "name" in tmap's layers
        self.level = Level(level) if level is not None else None
        self.year = year
        self.code_property = code_property
        self.tolerance_m = tolerance_m
        self.publisher = publisher
        self.licence = licence

    def fingerprint(self) -> str:
        options = (
            f"{self.level}|{self.year}|{self.code_property}|{self.tolerance_m}|{self.region_names}"
            f"|{self.name_property}"
        )
        return sha256_bytes(self.path.read_bytes() + options.encode())

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        raw = guard.read_input(self.path, "a GeoJSON or GeoPackage boundary file")
        if self.path.suffix.lower() == ".gpkg":
            features, crs = geopackage.read_layers(self.path)
        else:
            features, crs = self._load(raw)
        total = len(features)
        parsed: list[tuple[str, Level, BaseGeometry, str]] = []
        years: set[int] = set()
        for number, feature in enumerate(features, start=1):
            props = feature.get("properties") or {}
            if str(_get(props, "water") or "").upper() == "JA":
                continue  # CBS layers carry water areas as separate features
            code = self._code(props, number)
            try:
                level = Level.from_code(code)
            except ValueError:
                raise self._error("not a CBS region code", number, "code", code) from None
            if self.level is not None and level is not self.level:
                raise self._error(
                    "feature of another level", number, "code", code, f"a {self.level} code"
                )
            years.add(self._feature_year(props, number))
            name = ""
            if self.region_names:
                given = _get(props, self.name_property) if self.name_property else None
                name = str(given).strip() if given else _name(props, level)
            parsed.append((code, level, self._geometry(feature, number), name))
            if number % 500 == 0:
                progress(f"grenzen {self.path.name}", number, total)
        if len(years) > 1:
            raise InputError(
                self.path,
                "features of more than one year",
                column="jaar",
                expected="one year per file",
                found=", ".join(map(str, sorted(years))),
            )
        year = years.pop()
        provenance = Provenance(
            publisher=self.publisher,
            table_id=self.path.stem,
            title=f"Grenzen {self.path.stem}",
            year=year,
            retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            licence=self.licence,
            checksum=sha256_bytes(raw),
            url=self.path.resolve().as_uri(),
            kind="boundaries",
        )
        shapes = self._display_shapes(parsed, crs)
        boundaries = tuple(
            Boundary(code, level, year, shapely.to_geojson(shape), provenance.source_id)
            for (code, level, _, _), shape in zip(parsed, shapes, strict=True)
        )
        regions = tuple(_region(code, level, year, name) for code, level, _, name in parsed)
        progress(f"grenzen {self.path.name}", total, total)
        yield SourceResult(provenance=provenance, regions=regions, boundaries=boundaries)

    # -- load -------------------------------------------------------------------------------

    def _load(self, raw: bytes) -> tuple[list[dict[str, Any]], str]:
        data = guard.parse_json(self.path, raw)
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise InputError(
                self.path, "not a GeoJSON FeatureCollection", expected='"type": "FeatureCollection"'
            )
        features = data.get("features") or []
        if not features:
            raise InputError(self.path, "no features", expected="at least one feature")
        if "crs" in data:
            crs = geo.crs_from_member(data["crs"])
            if crs is None:
                raise InputError(
                    self.path,
                    "unknown CRS",
                    column="crs",
                    expected="EPSG:28992 or EPSG:4326",
                    found=json.dumps(data["crs"]),
                )
            return features, crs
        bounds = self._bounds(features)
        crs = geo.crs_from_bounds(bounds)
        if crs is None:
            raise InputError(
                self.path,
                "unknown CRS: no crs member and coordinates fit neither RD New "
                "nor WGS84 around the Netherlands",
                found=str(bounds),
            )
        return features, crs

    def _bounds(self, features: list[dict[str, Any]]) -> tuple[float, float, float, float]:
        boxes = []
        for number, feature in enumerate(features, start=1):
            geometry = self._geometry(feature, number, repair=False)
            if not geometry.is_empty:
                boxes.append(geometry.bounds)
        if not boxes:
            raise InputError(self.path, "no feature has a geometry")
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    # -- per feature ------------------------------------------------------------------------

    def _code(self, props: dict[str, Any], number: int) -> str:
        names = (self.code_property,) if self.code_property else CODE_PROPERTIES
        for name in names:
            value = _get(props, name)
            if value is not None and str(value).strip():
                code = normalise_code(value)
                if not is_region_code(code):
                    raise self._error(
                        "not a CBS region code", number, name, code, REGION_CODE_EXAMPLES
                    )
                return code
        raise self._error(
            "feature without a region code",
            number,
            self.code_property or "statcode",
            None,
            " or ".join(names),
        )

    def _feature_year(self, props: dict[str, Any], number: int) -> int:
        if self.year is not None:
            return self.year
        value = _get(props, "jaar")
        if value is not None:
            try:
                return int(value)
            except (TypeError, ValueError):
                raise self._error("year is not a number", number, "jaar", str(value)) from None
        match = _YEAR_IN_NAME.search(self.path.name)
        if match is None:
            raise self._error(
                "no year: give year=, a 'jaar' property or a year in the file name",
                number,
                "jaar",
                None,
            )
        return int(match.group(1))

    def _geometry(self, feature: dict[str, Any], number: int, repair: bool = True) -> BaseGeometry:
        raw = feature.get("geometry")
        if not raw:
            raise self._error("feature without geometry", number, "geometry", None)
        try:
            geometry = shapely.from_geojson(json.dumps(raw))
        except Exception as exc:  # shapely raises GEOSException for malformed input
            raise self._error(f"unreadable geometry ({exc})", number, "geometry", None) from None
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise self._error(
                "not a polygon", number, "geometry", geometry.geom_type, "Polygon or MultiPolygon"
            )
        if not repair:
            return geometry
        fixed = geo.repair(geometry)
        if fixed.is_empty:
            raise self._error(
                "invalid geometry that make_valid cannot repair",
                number,
                "geometry",
                shapely.is_valid_reason(geometry),
            )
        return fixed

    # -- process ----------------------------------------------------------------------------

    def _display_shapes(
        self, parsed: list[tuple[str, Level, BaseGeometry, str]], crs: str
    ) -> list[BaseGeometry]:
        rd = [g if crs == geo.RD_NEW else geo.wgs84_to_rd(g) for _, _, g, _ in parsed]
        out: list[BaseGeometry] = list(rd)
        for level in {level for _, level, _, _ in parsed}:
            index = [i for i, (_, lv, _, _) in enumerate(parsed) if lv is level]
            tolerance = self.tolerance_m
            if tolerance is None:
                tolerance = DEFAULT_TOLERANCE_M.get(level, 50.0)
            simplified = geo.simplify_rd([rd[i] for i in index], tolerance)
            for i, shape in zip(index, simplified, strict=True):
                out[i] = shape
        return [geo.round_coordinates(geo.rd_to_wgs84(g), DECIMALS) for g in out]

    def _error(
        self,
        problem: str,
        number: int,
        column: str,
        found: str | None,
        expected: str | None = None,
    ) -> InputError:
        return InputError(
            self.path,
            f"feature {number}: {problem}",
            row=number,
            column=column,
            expected=expected,
            found=found,
        )


def _get(props: dict[str, Any], name: str) -> Any:
    """A property by name, ignoring case (CBS used BU_CODE, PDOK uses buurtcode)."""
    if name in props:
        return props[name]
    lowered = name.lower()
    for key, value in props.items():
        if key.lower() == lowered:
            return value
    return None


def _name(props: dict[str, Any], level: Level) -> str:
    for name in NAME_PROPERTIES.get(level, ()):
        value = _get(props, name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _region(code: str, level: Level, year: int, name: str) -> Region:
    """A Region with the parents its CBS code implies (domain.region)."""
    gemeente = gemeente_of(code) if level in (Level.GEMEENTE, Level.WIJK, Level.BUURT) else None
    return Region(code, name or code, level, year, parent_from_code(code), gemeente)
