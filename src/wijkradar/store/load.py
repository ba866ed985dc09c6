"""Writing the data part of a build (observations, regions, sources, changes) in bulk.

Everything goes in as Arrow tables through DuckDB's replacement scans: one INSERT per batch,
never one per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from wijkradar.domain import Boundary, Provenance, Region, RegionChange, Variable


def insert_arrow(con: duckdb.DuckDBPyConnection, table_name: str, batch: pa.Table) -> None:
    """Append an Arrow table whose columns are named like `table_name`'s (a subset, any order).

    The one bulk insert of the store: the data part of a build and the score tables
    (store.scores.write_table) both go through it. The Arrow table is visible to DuckDB under a
    temporary name on this connection only, so a cursor on another thread can insert at the same
    time.
    """
    if batch.num_rows == 0:
        return
    con.register("_wijkradar_batch", batch)
    try:
        columns = ", ".join(batch.column_names)
        con.execute(f"INSERT INTO {table_name} ({columns}) SELECT {columns} FROM _wijkradar_batch")
    finally:
        con.unregister("_wijkradar_batch")


def _rows(records: Iterable[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(list(records), schema=schema)


_REGION_SCHEMA = pa.schema(
    [
        ("code", pa.string()),
        ("year", pa.int32()),
        ("level", pa.string()),
        ("name", pa.string()),
        ("parent_code", pa.string()),
        ("gemeente_code", pa.string()),
        ("provincie_code", pa.string()),
    ]
)


def insert_regions(con: duckdb.DuckDBPyConnection, regions: Iterable[Region]) -> None:
    records = (
        {
            "code": r.code,
            "year": r.year,
            "level": r.level.value,
            "name": r.name,
            "parent_code": r.parent_code,
            "gemeente_code": r.gemeente_code,
            "provincie_code": r.provincie_code,
        }
        for r in regions
    )
    insert_arrow(con, "regions", _rows(records, _REGION_SCHEMA))


def insert_variables(con: duckdb.DuckDBPyConnection, variables: Iterable[Variable]) -> None:
    schema = pa.schema(
        [(n, pa.string()) for n in ("key", "source_id", "title", "unit", "description")]
    )
    unique = {(v.key, v.source_id): v for v in variables}
    records = (
        {
            "key": v.key,
            "source_id": v.source_id,
            "title": v.title,
            "unit": v.unit,
            "description": v.description,
        }
        for v in unique.values()
    )
    insert_arrow(con, "variables", _rows(records, schema))


def insert_boundaries(con: duckdb.DuckDBPyConnection, boundaries: Iterable[Boundary]) -> None:
    schema = pa.schema(
        [
            ("code", pa.string()),
            ("year", pa.int32()),
            ("level", pa.string()),
            ("geometry", pa.string()),
            ("source_id", pa.string()),
        ]
    )
    records = (
        {
            "code": b.code,
            "year": b.year,
            "level": b.level.value,
            "geometry": b.geometry,
            "source_id": b.source_id,
        }
        for b in boundaries
    )
    insert_arrow(con, "boundaries", _rows(records, schema))


def insert_changes(con: duckdb.DuckDBPyConnection, changes: Iterable[RegionChange]) -> None:
    schema = pa.schema(
        [
            ("level", pa.string()),
            ("year_from", pa.int32()),
            ("code_from", pa.string()),
            ("year_to", pa.int32()),
            ("code_to", pa.string()),
            ("kind", pa.string()),
            ("weight", pa.float64()),
            ("note", pa.string()),
        ]
    )
    records = (
        {
            "level": str(c.level),
            "year_from": c.year_from,
            "code_from": c.code_from,
            "year_to": c.year_to,
            "code_to": c.code_to,
            "kind": c.kind,
            "weight": c.weight,
            "note": c.note,
        }
        for c in changes
    )
    insert_arrow(con, "region_changes", _rows(records, schema))


def insert_source(con: duckdb.DuckDBPyConnection, provenance: Provenance) -> None:
    """A sources row; its counts are filled by `count_source_cells` once all data is in."""
    con.execute(
        "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, licence,"
        " checksum, url, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            provenance.source_id,
            provenance.publisher,
            provenance.table_id,
            provenance.title,
            provenance.year,
            provenance.retrieved_at,
            provenance.licence,
            provenance.checksum,
            public_url(provenance.url),
            provenance.kind,
        ],
    )


def count_source_cells(con: duckdb.DuckDBPyConnection) -> None:
    """n_observations / n_suppressed / n_missing per source, from what was actually stored."""
    con.execute(
        """
        UPDATE sources SET
            n_observations = c.n, n_suppressed = c.suppressed, n_missing = c.missing
        FROM (
            SELECT source_id, count(*) AS n,
                   count(*) FILTER (WHERE status = 'suppressed') AS suppressed,
                   count(*) FILTER (WHERE status = 'missing') AS missing
            FROM observations GROUP BY source_id
        ) AS c
        WHERE sources.source_id = c.source_id
        """
    )


@dataclass(frozen=True)
class Duplicate:
    region_code: str
    period: int
    variable: str
    source_a: str
    source_b: str


def first_duplicate(con: duckdb.DuckDBPyConnection) -> Duplicate | None:
    """One (region, period, variable) that more than one observation holds, if any.

    Grouping millions of rows by three strings (and keeping min/max source per group) made the
    hash table the build's memory peak (~1.7 GB at national scale). Grouping by one 64-bit hash of
    the key needs a fraction of that; equal keys always share a hash, so no duplicate is missed,
    and the exact check then runs on the few rows whose hash repeats (a collision alone is not
    reported).
    """
    row = con.execute(
        """
        WITH repeated AS (
            SELECT hash(region_code, period, variable) AS h FROM observations
            GROUP BY h HAVING count(*) > 1
        )
        SELECT region_code, period, variable, min(source_id), max(source_id)
        FROM observations
        WHERE hash(region_code, period, variable) IN (SELECT h FROM repeated)
        GROUP BY region_code, period, variable
        HAVING count(*) > 1
        ORDER BY region_code, period, variable LIMIT 1
        """
    ).fetchone()
    if row is None:
        return None
    return Duplicate(row[0], int(row[1]), row[2], row[3], row[4])


def observed_codes(con: duckdb.DuckDBPyConnection) -> dict[int, set[str]]:
    """Region codes with at least one observation, per period."""
    codes: dict[int, set[str]] = {}
    for code, period in con.execute(
        "SELECT DISTINCT region_code, period FROM observations"
    ).fetchall():
        codes.setdefault(int(period), set()).add(code)
    return codes


def public_url(url: str | None) -> str | None:
    """A source's address as stored and shown: web addresses as given, local files by name only
    (the builder's directories mean nothing to a reader, and must not reach web responses)."""
    if url is None or not url.startswith("file:"):
        return url
    return "file:" + url.rstrip("/").rsplit("/", 1)[-1]


def source_codes(
    con: duckdb.DuckDBPyConnection, source_ids: list[str]
) -> list[tuple[str, int, str]]:
    """(source_id, period, region_code) observed in the given sources, each once."""
    if not source_ids:
        return []
    rows = con.execute(
        "SELECT DISTINCT source_id, period, region_code FROM observations"
        " WHERE list_contains(?, source_id) ORDER BY ALL",
        [source_ids],
    ).fetchall()
    return [(str(s), int(p), str(c)) for s, p, c in rows]


def variable_rows(
    con: duckdb.DuckDBPyConnection, variable: str
) -> list[tuple[str, int, float | None]]:
    rows = con.execute(
        "SELECT region_code, period, value FROM observations WHERE variable = ?", [variable]
    ).fetchall()
    return [(r[0], int(r[1]), r[2]) for r in rows]


def gemeente_observations(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        "SELECT region_code, period, variable, value, status FROM observations"
        " WHERE level = 'gemeente'"
    ).to_arrow_table()


def variable_units(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Unit per variable key; a key with conflicting units gets '' (so it is never summed)."""
    units: dict[str, str] = {}
    for key, unit in con.execute("SELECT DISTINCT key, unit FROM variables").fetchall():
        units[key] = unit if units.get(key, unit) == unit else ""
    return units


def insert_build(
    con: duckdb.DuckDBPyConnection,
    *,
    input_hash: str,
    code_version: str,
    methodology_version: str | None,
    options: Mapping[str, Any],
    demo: bool,
) -> None:
    con.execute(
        "INSERT INTO build (build_id, created_at, code_version, methodology_version, input_hash,"
        " options, demo) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            input_hash.removeprefix("sha256:")[:16],
            datetime.now(UTC).replace(tzinfo=None),
            code_version,
            methodology_version,
            input_hash,
            json.dumps(dict(options), sort_keys=True),
            demo,
        ],
    )
