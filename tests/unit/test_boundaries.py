"""BoundariesFile: GeoJSON in RD New or WGS84 -> simplified WGS84 Boundary objects + Regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely

from wijkradar.domain import InputError, Level
from wijkradar.sources import geo, registry
from wijkradar.sources.boundaries import BoundariesFile

RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def _wiggly_pair() -> list[shapely.Polygon]:
    """Two buurten sharing a wiggly edge of 400 vertices (amplitude 2 m) in RD New."""
    y = np.linspace(450000, 452000, 400)
    x = 150000 + 2.0 * np.sin(np.arange(400))
    edge = list(zip(x, y, strict=True))
    west = shapely.Polygon([(148000, 452000), (148000, 450000), *edge])
    east = shapely.Polygon([*edge, (152000, 452000), (152000, 450000)])
    return [west.normalize(), east.normalize()]


def _write(path: Path, features: list[dict[str, Any]], crs: dict[str, Any] | None = RD_CRS) -> Path:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        data["crs"] = crs
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _feature(code: str, geometry: Any, **props: Any) -> dict[str, Any]:
    geojson = (
        json.loads(shapely.to_geojson(geometry)) if not isinstance(geometry, dict) else geometry
    )
    return {"type": "Feature", "properties": {"buurtcode": code, **props}, "geometry": geojson}


def test_rd_file_simplified_projected_rounded(tmp_path: Path) -> None:
    west, east = _wiggly_pair()
    path = _write(
        tmp_path / "buurten_2023.geojson",
        [_feature("BU99010101", west, buurtnaam="Westkant"), _feature("BU99010102", east)],
    )
    (result,) = BoundariesFile(path, publisher="test", licence="CC0").read()
    shapes = [shapely.from_geojson(b.geometry) for b in result.boundaries]
    before = geo.vertex_count([west, east])
    after = geo.vertex_count(shapes)
    print(f"simplification: {before} -> {after} vertices ({100 * (1 - after / before):.0f}% less)")
    assert after < before / 5
    assert [b.year for b in result.boundaries] == [2023, 2023]  # year from the file name
    lon, lat = shapely.get_coordinates(shapes[0]).T
    assert lon.min() > 4.9 and lon.max() < 5.5 and lat.min() > 51.9 and lat.max() < 52.3
    assert np.allclose(lon, np.round(lon, 5)) and np.allclose(lat, np.round(lat, 5))
    # The shared edge stays shared: the two shapes neither overlap nor leave a gap.
    union = shapely.union_all(shapes)
    assert shapes[0].intersection(shapes[1]).area < 1e-12
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    region = {r.code: r for r in result.regions}["BU99010101"]
    assert (region.name, region.parent_code, region.gemeente_code) == (
        "Westkant", "WK990101", "GM9901",
    )  # fmt: skip
    assert {r.name for r in result.regions} == {"Westkant", "BU99010102"}  # no name -> code


def test_wgs84_without_crs_member_and_water_skipped(fixtures: Path) -> None:
    source = registry.create("boundaries", path=fixtures / "boundaries" / "gemeenten_wgs84.geojson")
    (result,) = source.read()
    assert [b.code for b in result.boundaries] == ["GM9901", "GM9902"]  # the water part is left out
    assert {b.level for b in result.boundaries} == {Level.GEMEENTE}
    assert result.provenance.publisher == "CBS/Kadaster"
    assert result.provenance.year == 2022
    assert [r.name for r in result.regions] == ["Proefdorp", "Toetsstad"]
    area = shapely.from_geojson(result.boundaries[0].geometry).area
    assert area == pytest.approx(0.05 * 0.05, rel=0.02)  # a square stays a square


def test_self_intersecting_polygon_is_repaired(fixtures: Path) -> None:
    (result,) = BoundariesFile(fixtures / "boundaries" / "buurten_bowtie_2021.geojson").read()
    shape = shapely.from_geojson(result.boundaries[0].geometry)
    assert shape.is_valid and shape.geom_type == "MultiPolygon"
    assert result.boundaries[0].year == 2021


def test_explicit_code_property_and_year(tmp_path: Path) -> None:
    west, _ = _wiggly_pair()
    feature = {
        "type": "Feature",
        "properties": {"id": "wk990101"},
        "geometry": json.loads(shapely.to_geojson(west)),
    }
    path = _write(tmp_path / "kaart.geojson", [feature])
    (result,) = BoundariesFile(path, code_property="id", year=2020, level="wijk").read()
    assert (result.boundaries[0].code, result.boundaries[0].level) == ("WK990101", Level.WIJK)
    assert result.regions[0].parent_code == "GM9901"


def _error(path: Path, **options: Any) -> InputError:
    with pytest.raises(InputError) as info:
        list(BoundariesFile(path, **options).read())
    return info.value


def test_errors_name_file_feature_and_property(tmp_path: Path) -> None:
    west, east = _wiggly_pair()
    assert "no features" in str(_error(_write(tmp_path / "leeg_2020.geojson", [])))

    no_code = {
        "type": "Feature",
        "properties": {"naam": "x"},
        "geometry": json.loads(shapely.to_geojson(east)),
    }
    err = _error(_write(tmp_path / "b_2020.geojson", [_feature("BU99010101", west), no_code]))
    assert (err.row, err.column) == (2, "statcode") and "without a region code" in err.problem
    assert err.path.endswith("b_2020.geojson")

    line = {
        "type": "Polygon",
        "coordinates": [[[150000, 450000], [151000, 450000], [150000, 450000], [150000, 450000]]],
    }
    err = _error(_write(tmp_path / "c_2020.geojson", [_feature("BU99010101", line)]))
    assert (err.row, err.column) == (1, "geometry") and "cannot repair" in err.problem

    err = _error(_write(tmp_path / "d_2020.geojson", [_feature("BU99010101", west)],
                        crs={"type": "name", "properties": {"name": "EPSG:3857"}}))  # fmt: skip
    assert "unknown CRS" in err.problem and err.column == "crs"

    err = _error(_write(tmp_path / "e.geojson", [_feature("BU99010101", west)], crs=None).parent
                 / "e.geojson", year=None)  # fmt: skip
    assert "no year" in err.problem

    mixed = [_feature("BU99010101", west, jaar=2021), _feature("BU99010102", east, jaar=2022)]
    err = _error(_write(tmp_path / "f.geojson", mixed))
    assert "more than one year" in err.problem and err.found == "2021, 2022"

    far = shapely.box(1e6, 1e6, 1e6 + 10, 1e6 + 10)
    err = _error(_write(tmp_path / "g_2020.geojson", [_feature("BU99010101", far)], crs=None))
    assert "unknown CRS" in err.problem

    err = _error(
        _write(tmp_path / "h_2020.geojson", [_feature("BU99010101", west)]), level="gemeente"
    )
    assert "another level" in err.problem


def test_region_names_can_be_left_to_statistical_sources(fixtures: Path) -> None:
    path = fixtures / "boundaries" / "gemeenten_wgs84.geojson"
    (result,) = BoundariesFile(path, region_names=False).read()
    assert [r.name for r in result.regions] == ["GM9901", "GM9902"]  # code = name unknown
    assert len(result.boundaries) == 2
    assert (
        BoundariesFile(path).fingerprint() != BoundariesFile(path, region_names=False).fingerprint()
    )


def test_name_property(tmp_path: Path) -> None:
    west, _ = _wiggly_pair()
    feature = {
        "type": "Feature",
        "properties": {"code": "WK990101", "name": "Westkant"},
        "geometry": json.loads(shapely.to_geojson(west)),
    }
    path = _write(tmp_path / "wijk_2022.geojson", [feature])
    (plain,) = BoundariesFile(path, code_property="code").read()
    (named,) = BoundariesFile(path, code_property="code", name_property="name").read()
    assert [r.name for r in plain.regions] == ["WK990101"]
    assert [r.name for r in named.regions] == ["Westkant"]
