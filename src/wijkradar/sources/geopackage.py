"""Read the feature layers of an OGC GeoPackage (how CBS publishes its wijk- en buurtkaart).

A GeoPackage is an SQLite file; we read it with the standard library instead of GDAL, which is not
on PyPI as a wheel for every platform. Geometries are "GeoPackage binary": a small header then
standard WKB (OGC GeoPackage 1.3, clause 2.1.3). Features come out as GeoJSON-like dicts so the
boundaries source treats a GeoPackage exactly like a GeoJSON file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

from wijkradar.domain import InputError

# Envelope sizes in bytes by the header's envelope indicator (flags bits 1-3).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_KNOWN_SRS = {28992: "EPSG:28992", 4326: "EPSG:4326"}


def read_layers(path: Path) -> tuple[list[dict[str, Any]], str]:
    """All features of all feature layers, and their CRS (one CRS for the whole file)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            layers = con.execute(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c"
                " JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
                " WHERE c.data_type = 'features' ORDER BY c.table_name"
            ).fetchall()
            if not layers:
                raise InputError(path, "no feature layers", expected="a GeoPackage feature table")
            srs = {int(srs_id) for _, _, srs_id in layers}
            if len(srs) != 1 or next(iter(srs)) not in _KNOWN_SRS:
                raise InputError(
                    path,
                    "unknown or mixed CRS",
                    column="gpkg_geometry_columns.srs_id",
                    expected="28992 (RD New) or 4326 (WGS84) for every layer",
                    found=", ".join(map(str, sorted(srs))),
                )
            features: list[dict[str, Any]] = []
            for table, geometry_column, _ in layers:
                features.extend(_layer(con, path, str(table), str(geometry_column)))
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"not a readable GeoPackage ({exc})") from None
    return features, _KNOWN_SRS[next(iter(srs))]


def _layer(
    con: sqlite3.Connection, path: Path, table: str, geometry_column: str
) -> list[dict[str, Any]]:
    cursor = con.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    features = []
    for number, row in enumerate(cursor, start=1):
        props = dict(zip(names, row, strict=True))
        blob = props.pop(geometry_column)
        geometry = None if blob is None else _geometry(blob, path, table, number)
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


def _geometry(blob: bytes, path: Path, table: str, number: int) -> dict[str, Any] | None:
    if len(blob) < 8 or blob[:2] != b"GP":
        raise InputError(
            path,
            f"layer {table}, feature {number}: not GeoPackage binary geometry",
            row=number,
            expected="a blob starting with 'GP'",
        )
    flags = blob[3]
    if flags & 0b10000:  # empty geometry
        return None
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None:
        raise InputError(
            path, f"layer {table}, feature {number}: bad envelope indicator", row=number
        )
    shape = shapely.from_wkb(blob[8 + envelope :])
    return dict(mapping(shape))
