"""Read queries for the web, the API and exports: regions, boundaries, sources, build info, and
the score tables where maps and exports need a whole level at once. Area profiles, explanations
and rankings come from wijkradar.store.profiles. Only reads what a build wrote; never computes.

Every function takes an open (read-only) connection and returns plain dicts, so callers outside
wijkradar.store need no duckdb import.
"""

from __future__ import annotations

from typing import Any

import duckdb

from wijkradar.domain import WijkradarError
from wijkradar.domain.region import NATIONAL_CODE, NATIONAL_CODES, is_national
from wijkradar.store import constants

Row = dict[str, Any]

#: Region level below each level, for drill-down.
CHILD_LEVEL = {"land": "gemeente", "provincie": "gemeente", "gemeente": "wijk", "wijk": "buurt"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[Row]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Row | None:
    rows = _rows(con, sql, params)
    return rows[0] if rows else None


def build_info(con: duckdb.DuckDBPyConnection) -> Row | None:
    """The build row (created_at, code and methodology version, demo flag), options parsed;
    read once per build (store.constants)."""
    try:
        return dict(constants.of(con).build)
    except WijkradarError:
        return None


def source_kinds(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source_id -> kind (Provenance.kind): what decides whether a figure is published open data
    (compute.disclosure.is_published). Read once per build."""
    return constants.of(con).source_kinds


def years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years that have regions, newest first."""
    return [r["year"] for r in _rows(con, "SELECT DISTINCT year FROM regions ORDER BY year DESC")]


def score_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with scores, newest first (read once per build)."""
    return list(constants.of(con).score_years)


def latest_year(con: duckdb.DuckDBPyConnection) -> int | None:
    found = score_years(con)
    return found[0] if found else None


def region(con: duckdb.DuckDBPyConnection, code: str, year: int | None = None) -> Row | None:
    """One region in `year` (or its latest year); from the build constants when there are."""
    try:
        found = constants.of(con).region(code, year)
    except WijkradarError:
        found = None
    else:
        return None if found is None else found._asdict()
    if year is None:
        return _one(con, "SELECT * FROM regions WHERE code = ? ORDER BY year DESC LIMIT 1", [code])
    return _one(con, "SELECT * FROM regions WHERE code = ? AND year = ?", [code, year])


def reference_names(con: duckdb.DuckDBPyConnection, year: int | None) -> dict[str, str]:
    """Names of every area that can be a reference (land, provincie, gemeente), in one query.

    A code takes its name in `year` when it existed then, else its latest name. The country is
    also listed under both NL00 and NL01 (CBS KWB writes NL00, other sources NL01).
    """
    rows = _rows(
        con,
        "SELECT code, name, level, year FROM regions "
        "WHERE level IN ('land', 'provincie', 'gemeente') ORDER BY year",
    )
    names = {r["code"]: r["name"] for r in rows}  # later years overwrite earlier ones
    names.update({r["code"]: r["name"] for r in rows if r["year"] == year})
    land = [r["name"] for r in rows if r["level"] == "land" and r["year"] == year]
    for code in sorted(NATIONAL_CODES):
        if land and code not in names:
            names[code] = land[0]
    return names


def ancestors(con: duckdb.DuckDBPyConnection, code: str, year: int) -> list[Row]:
    """The chain from the country down to (excluding) `code`, for breadcrumbs."""
    chain: list[Row] = []
    current = region(con, code, year)
    seen = {code}
    while current is not None and current.get("parent_code") and current["parent_code"] not in seen:
        seen.add(current["parent_code"])
        current = region(con, current["parent_code"], year)
        if current is not None:
            chain.append(current)
    chain.reverse()
    if not chain or chain[0]["level"] != "land":
        land = _one(con, "SELECT * FROM regions WHERE level = 'land' AND year = ?", [year])
        if land is not None and land["code"] != code:
            chain.insert(0, land)
    return chain


def land_code(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """The country's code in `year` (CBS KWB writes NL00; other sources NL01)."""
    row = _one(con, "SELECT code FROM regions WHERE level = 'land' AND year = ?", [year])
    return NATIONAL_CODE if row is None else str(row["code"])


def regions_at(
    con: duckdb.DuckDBPyConnection, level: str, year: int, within: str | None = None
) -> list[Row]:
    """Regions of `level` in `year`, optionally within a gemeente/provincie/wijk code."""
    sql = "SELECT * FROM regions WHERE level = ? AND year = ?"
    params: list[Any] = [level, year]
    if within and not is_national(within):
        sql += " AND (parent_code = ? OR gemeente_code = ? OR provincie_code = ?)"
        params += [within, within, within]
    return _rows(con, sql + " ORDER BY code", params)


def children(con: duckdb.DuckDBPyConnection, code: str, year: int) -> list[Row]:
    """The next level down inside `code` (country -> gemeenten, gemeente -> wijken, ...)."""
    parent = region(con, code, year)
    if parent is None or parent["level"] not in CHILD_LEVEL:
        return []
    return regions_at(con, CHILD_LEVEL[parent["level"]], year, within=code)


def boundaries(
    con: duckdb.DuckDBPyConnection, level: str, year: int, within: str | None = None
) -> dict[str, str]:
    """code -> GeoJSON geometry text. Falls back to the latest earlier boundary year."""
    codes = {r["code"] for r in regions_at(con, level, year, within)}
    rows = _rows(
        con,
        "SELECT code, geometry FROM boundaries WHERE level = ? AND year <= ? "
        "QUALIFY row_number() OVER (PARTITION BY code ORDER BY year DESC) = 1",
        [level, year],
    )
    return {r["code"]: r["geometry"] for r in rows if r["code"] in codes}


def indicators(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """Indicators present in the build, with unit, levels and years covered."""
    return _rows(
        con,
        "SELECT indicator, any_value(unit) AS unit, list(DISTINCT level ORDER BY level) AS levels, "
        "list(DISTINCT period ORDER BY period) AS years, count(*) AS n_values "
        "FROM indicator_values GROUP BY indicator ORDER BY indicator",
    )


def indicator_values(
    con: duckdb.DuckDBPyConnection, code: str, year: int, reference: str = NATIONAL_CODE
) -> list[Row]:
    """Indicator values of one region and year with their oriented percentile (if ranked)."""
    return _rows(
        con,
        "SELECT v.indicator, v.value, v.status, v.unit, v.source_ids, v.period, "
        "r.percentile, r.status AS rank_status FROM indicator_values v "
        "LEFT JOIN indicator_ranks r ON r.region_code = v.region_code AND r.period = v.period "
        "AND r.indicator = v.indicator AND r.reference = ? "
        "WHERE v.region_code = ? AND v.period = ? ORDER BY v.indicator",
        [reference, code, year],
    )


def area_scores_at(
    con: duckdb.DuckDBPyConnection, level: str, year: int, framework: str, reference: str
) -> dict[str, Row]:
    """code -> stored area score row, for every scored region of a level (one query)."""
    rows = _rows(
        con,
        "SELECT * FROM area_scores WHERE level = ? AND period = ? AND framework = ? "
        "AND reference = ?",
        [level, year, framework, reference],
    )
    return {r["region_code"]: r for r in rows}


def characteristic_scores_at(
    con: duckdb.DuckDBPyConnection, level: str, year: int, reference: str
) -> dict[tuple[str, str], Row]:
    """(code, characteristic) -> score, flagged, status, for a whole level (one query)."""
    rows = _rows(
        con,
        "SELECT region_code, characteristic, score, flagged, status FROM characteristic_scores "
        "WHERE level = ? AND period = ? AND reference = ?",
        [level, year, reference],
    )
    return {(r["region_code"], r["characteristic"]): r for r in rows}


def frameworks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Frameworks with scores, the default first (read once per build)."""
    return list(constants.of(con).frameworks)


def references(con: duckdb.DuckDBPyConnection, level: str | None = None) -> list[str]:
    if level is None:
        return sorted(constants.of(con).references, reverse=True)
    sql = "SELECT DISTINCT reference FROM area_scores WHERE level = ?"
    return [r["reference"] for r in _rows(con, sql + " ORDER BY reference DESC", [level])]


def themes(con: duckdb.DuckDBPyConnection, framework: str) -> list[str]:
    """Theme ids of a framework with scores (read once per build)."""
    return list(constants.of(con).themes.get(framework, ()))


def characteristics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Characteristics with scores (read once per build)."""
    return list(constants.of(con).characteristics)


#: Metric names a map can show: stacking | index | protective | theme:<id> | char:<id>
METRICS = ("stacking", "index", "protective")


def metric_values(
    con: duckdb.DuckDBPyConnection,
    level: str,
    year: int,
    *,
    within: str | None,
    metric: str,
    framework: str,
    reference: str,
) -> list[Row]:
    """Per region of `level` in `year` (within an area): code, name, value, status.

    Regions without a stored score keep value NULL and a status saying why (never 0).
    """
    base = regions_at(con, level, year, within)
    if metric.startswith("theme:"):
        sql = (
            "SELECT region_code, score AS value, status FROM theme_scores WHERE level = ? "
            "AND period = ? AND framework = ? AND reference = ? AND theme = ?"
        )
        params: list[Any] = [level, year, framework, reference, metric[6:]]
    elif metric.startswith("char:"):
        sql = (
            "SELECT region_code, score AS value, status, flagged FROM characteristic_scores "
            "WHERE level = ? AND period = ? AND reference = ? AND characteristic = ?"
        )
        params = [level, year, reference, metric[5:]]
    else:
        column = {"stacking": "stacking", "index": "overall_index", "protective": "protective"}
        if metric not in column:
            raise ValueError(f"unknown metric {metric!r}")
        sql = (
            f"SELECT region_code, {column[metric]} AS value, status, status_reason, toxic_mix "
            "FROM area_scores WHERE level = ? AND period = ? AND framework = ? AND reference = ?"
        )
        params = [level, year, framework, reference]
    scored = {r["region_code"]: r for r in _rows(con, sql, params)}
    if metric.startswith("char:") and metric[5:] in constants.of(con).protective_ids:
        for r in scored.values():
            r["value"] = constants.protection(r["value"])
    out: list[Row] = []
    for reg in base:
        score = scored.get(reg["code"], {"value": None, "status": "missing"})
        value = score.get("value")
        out.append(
            {
                "code": reg["code"],
                "name": reg["name"],
                "level": reg["level"],
                "value": None if value is None else float(value),
                "status": score.get("status", "missing"),
                "status_reason": score.get("status_reason", ""),
                "toxic_mix": score.get("toxic_mix"),
            }
        )
    return out
