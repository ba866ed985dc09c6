"""What a published build holds: its build row, sources, counts and regions (read side)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from wijkradar.domain import Level, Region, RegionChange, WijkradarError
from wijkradar.store.reader import open_read


def stored_input_hash(path: Path) -> str | None:
    """The input hash of the build at `path`, or None when there is no readable build."""
    if not Path(path).is_file():
        return None
    try:
        con = open_read(path)
    except (duckdb.Error, OSError):
        return None
    with contextlib.closing(con):
        try:
            row = con.execute("SELECT input_hash FROM build LIMIT 1").fetchone()
        except duckdb.Error:
            return None
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class BuildInfo:
    build_id: str
    created_at: str
    code_version: str
    methodology_version: str | None
    input_hash: str
    options: dict[str, Any]
    demo: bool


def build_info(con: duckdb.DuckDBPyConnection) -> BuildInfo | None:
    row = con.execute(
        "SELECT build_id, created_at, code_version, methodology_version, input_hash, options, demo"
        " FROM build LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return BuildInfo(
        build_id=row[0],
        created_at=str(row[1]),
        code_version=row[2],
        methodology_version=row[3],
        input_hash=row[4],
        options=json.loads(row[5]) if row[5] else {},
        demo=bool(row[6]),
    )


def sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every source of the build (read once per build, store.constants)."""
    from wijkradar.store import constants

    try:
        return [dict(s) for s in constants.of(con).sources]
    except WijkradarError:
        return source_rows(con)  # a database without a build record (being built)


def source_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The sources table itself: for a build that is still being written, whose constants (all
    of them, withheld counts included) are not worth loading for one table."""
    cursor = con.execute(
        "SELECT source_id, publisher, table_id, title, year, licence, checksum, retrieved_at,"
        " url, kind, n_observations, n_suppressed, n_missing FROM sources"
        " ORDER BY publisher, table_id, year, source_id"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def region_counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], int]:
    """Number of regions per (level, year)."""
    rows = con.execute("SELECT level, year, count(*) FROM regions GROUP BY level, year").fetchall()
    return {(r[0], int(r[1])): int(r[2]) for r in rows}


def observation_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM observations").fetchone()
    return 0 if row is None else int(row[0])


def find_regions(
    con: duckdb.DuckDBPyConnection, query: str, year: int | None = None, limit: int = 50
) -> list[Region]:
    """Regions whose code starts with `query` (any case) or whose name contains it."""
    sql = (
        "SELECT code, name, level, year, parent_code, gemeente_code, provincie_code FROM regions"
        " WHERE (upper(code) LIKE upper(?) OR name ILIKE ?)"
    )
    params: list[Any] = [f"{query.strip()}%", f"%{query.strip()}%"]
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    sql += " ORDER BY upper(code) = upper(?) DESC, code, year DESC LIMIT ?"
    params += [query.strip(), limit]
    return [
        Region(
            code=r[0],
            name=r[1],
            level=Level(r[2]),
            year=int(r[3]),
            parent_code=r[4],
            gemeente_code=r[5],
            provincie_code=r[6],
        )
        for r in con.execute(sql, params).fetchall()
    ]


def region_years(con: duckdb.DuckDBPyConnection, code: str) -> list[int]:
    rows = con.execute("SELECT year FROM regions WHERE code = ? ORDER BY year", [code]).fetchall()
    return [int(r[0]) for r in rows]


def children_count(con: duckdb.DuckDBPyConnection, code: str, year: int) -> int:
    row = con.execute(
        "SELECT count(*) FROM regions WHERE parent_code = ? AND year = ?", [code, year]
    ).fetchone()
    return 0 if row is None else int(row[0])


def region_name(con: duckdb.DuckDBPyConnection, code: str, year: int) -> str | None:
    row = con.execute(
        "SELECT name FROM regions WHERE code = ? ORDER BY abs(year - ?) LIMIT 1", [code, year]
    ).fetchone()
    return None if row is None else str(row[0])


def region_changes(con: duckdb.DuckDBPyConnection) -> list[RegionChange]:
    rows = con.execute(
        "SELECT level, year_from, code_from, year_to, code_to, kind, weight, note"
        " FROM region_changes WHERE kind <> 'same'"
    ).fetchall()
    return [
        RegionChange(Level(r[0]), int(r[1]), r[2], int(r[3]), r[4], r[5], float(r[6]), r[7])
        for r in rows
    ]
