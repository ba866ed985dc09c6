"""GeoPackage boundaries, as CBS publishes the wijk- en buurtkaart, written here by hand with
sqlite3 following the OGC GeoPackage 1.3 layout (gpkg_contents, gpkg_geometry_columns, binary
geometry header + WKB)."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest
import shapely
from shapely.geometry import box

from wijkradar.domain import InputError, Level
from wijkradar.sources.boundaries import BoundariesFile


def _blob(geometry: shapely.Geometry, srs_id: int, envelope: bool = True) -> bytes:
    flags = 0b1 | (0b010 if envelope else 0)  # little endian; envelope indicator 1 (xy)
    header = b"GP" + bytes([0, flags]) + struct.pack("<i", srs_id)
    if envelope:
        minx, miny, maxx, maxy = geometry.bounds
        header += struct.pack("<4d", minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geometry)


def _write_gpkg(path: Path, layers: dict[str, list[dict[str, object]]], srs_id: int) -> None:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, srs_id INTEGER)"
    )
    con.execute(
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,"
        " geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER)"
    )
    for name, rows in layers.items():
        columns = [c for c in rows[0] if c != "geom"]
        con.execute(
            f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY, geom BLOB, '
            + ", ".join(f"{c} TEXT" for c in columns)
            + ")"
        )
        con.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?)", (name, srs_id))
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)",
            (name, srs_id),
        )
        for number, row in enumerate(rows, start=1):
            blob = _blob(row["geom"], srs_id, envelope=number % 2 == 1)  # type: ignore[arg-type]
            values = [row[c] for c in columns]
            con.execute(
                f'INSERT INTO "{name}" (fid, geom, {", ".join(columns)}) VALUES '
                f"(?, ?, {', '.join('?' for _ in columns)})",
                (number, blob, *values),
            )
    con.commit()
    con.close()


def _rd_layers() -> dict[str, list[dict[str, object]]]:
    # Around Utrecht in RD New metres: one gemeente split into two buurten, plus a water feature.
    west, east = box(135_000, 455_000, 137_000, 457_000), box(137_000, 455_000, 139_000, 457_000)
    return {
        "gemeenten": [
            {
                "geom": west.union(east),
                "gemeentecode": "GM0344",
                "gemeentenaam": "Utrecht",
                "water": "NEE",
            },
        ],
        "buurten": [
            {"geom": west, "buurtcode": "BU03440001", "buurtnaam": "West", "water": "NEE"},
            {"geom": east, "buurtcode": "BU03440002", "buurtnaam": "Oost", "water": "NEE"},
            {
                "geom": box(139_000, 455_000, 139_500, 455_500),
                "buurtcode": "BU03440099",
                "buurtnaam": "Water",
                "water": "JA",
            },
        ],
    }


def test_geopackage_layers_become_wgs84_boundaries_and_regions(tmp_path: Path) -> None:
    path = tmp_path / "wijkbuurtkaart_2023_v1.gpkg"
    _write_gpkg(path, _rd_layers(), 28992)

    (result,) = list(BoundariesFile(path).read())

    by_code = {b.code: b for b in result.boundaries}
    assert set(by_code) == {"GM0344", "BU03440001", "BU03440002"}  # water feature skipped
    assert {b.year for b in result.boundaries} == {2023}  # from the file name
    assert by_code["BU03440001"].level is Level.BUURT
    lon, lat = shapely.from_geojson(by_code["GM0344"].geometry).centroid.coords[0]
    assert 5.0 < lon < 5.2 and 52.0 < lat < 52.2  # RD New was projected to WGS84 (Utrecht)
    names = {r.code: r.name for r in result.regions}
    assert names["BU03440002"] == "Oost"
    assert result.provenance.kind == "boundaries"


def test_geopackage_with_unknown_srs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "grenzen_2023.gpkg"
    _write_gpkg(path, _rd_layers(), 3857)
    with pytest.raises(InputError, match="srs_id") as caught:
        list(BoundariesFile(path).read())
    assert "3857" in str(caught.value)


def test_file_that_is_not_a_geopackage_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kapot_2023.gpkg"
    path.write_bytes(b"this is not sqlite at all" * 10)
    with pytest.raises(InputError, match="not a readable GeoPackage") as caught:
        list(BoundariesFile(path).read())
    assert "kapot_2023.gpkg" in str(caught.value)
