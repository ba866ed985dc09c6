"""Write and read the uncertainty, hotspot and peer-group tables (issue 12; schema.sql end).

Databases built before these tables existed, or with a methodology without uncertainty.yml, have
no rows (or no tables): every reader then returns nothing rather than failing.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from wijkradar.store.load import insert_arrow

ANALYSIS_TABLES = (
    "indicator_intervals",
    "flag_certainty",
    "stacking_uncertainty",
    "hotspots",
    "peer_groups",
)


def write_table(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> None:
    if name not in ANALYSIS_TABLES:
        raise ValueError(f"not an analysis table: {name}")
    insert_arrow(con, name, rows)


def has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def boundaries(con: duckdb.DuckDBPyConnection, level: str, period: int) -> list[tuple[str, str]]:
    """(code, GeoJSON geometry) of a level in a year."""
    rows = con.execute(
        "SELECT code, geometry FROM boundaries WHERE level = ? AND year = ? ORDER BY code",
        [level, period],
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def hotspot_measures(con: duckdb.DuckDBPyConnection, level: str, period: int) -> pa.Table:
    """(measure, region_code, value) rows: stacking and every characteristic score of a level and
    year, national reference; stacking first, then the characteristics by name."""
    return con.sql(
        """SELECT measure, region_code, value FROM (
               SELECT DISTINCT 'stacking' AS measure, region_code,
                      CAST(stacking AS DOUBLE) AS value, 0 AS part
               FROM area_scores
               WHERE level = ? AND period = ? AND reference = 'NL01'
                 AND stacking IS NOT NULL
               UNION ALL
               SELECT characteristic, region_code, score, 1
               FROM characteristic_scores
               WHERE level = ? AND period = ? AND reference = 'NL01'
                 AND score IS NOT NULL)
           ORDER BY part, measure""",
        params=[level, period, level, period],
    ).to_arrow_table()


def flag_certainty(
    con: duckdb.DuckDBPyConnection, code: str, period: int, reference: str
) -> dict[str, dict[str, Any]]:
    """characteristic -> {flagged, p_flag, certainty} of one area."""
    if not has(con, "flag_certainty"):
        return {}
    rows = _dicts(
        con,
        """SELECT characteristic, flagged, p_flag, certainty FROM flag_certainty
           WHERE region_code = ? AND period = ? AND reference = ?""",
        [code, period, reference],
    )
    return {str(r.pop("characteristic")): r for r in rows}


def simulated_years(con: duckdb.DuckDBPyConnection, level: str) -> list[int]:
    """The years of a level with a simulation (uncertainty.yml periods: latest gives one)."""
    if not has(con, "flag_certainty"):
        return []
    rows = con.execute(
        "SELECT DISTINCT period FROM flag_certainty WHERE level = ? ORDER BY period", [level]
    ).fetchall()
    return [int(r[0]) for r in rows]


def stacking_uncertainty(
    con: duckdb.DuckDBPyConnection, code: str, period: int, reference: str
) -> dict[str, Any] | None:
    if not has(con, "stacking_uncertainty"):
        return None
    rows = _dicts(
        con,
        """SELECT stacking, stacking_lower, stacking_upper, p_toxic_mix, p_stacking_ge,
                  index_lower, index_upper, rank_lower, rank_upper, draws
           FROM stacking_uncertainty WHERE region_code = ? AND period = ? AND reference = ?""",
        [code, period, reference],
    )
    return rows[0] if rows else None


def indicator_intervals(
    con: duckdb.DuckDBPyConnection, code: str, period: int
) -> dict[str, dict[str, Any]]:
    if not has(con, "indicator_intervals"):
        return {}
    rows = _dicts(
        con,
        """SELECT indicator, lower, upper, model FROM indicator_intervals
           WHERE region_code = ? AND period = ?""",
        [code, period],
    )
    return {str(r.pop("indicator")): r for r in rows}


def certainty_table(
    con: duckdb.DuckDBPyConnection, level: str, period: int, reference: str
) -> dict[tuple[str, str], str]:
    """(region_code, characteristic) -> certainty, for exports."""
    if not has(con, "flag_certainty"):
        return {}
    rows = con.execute(
        """SELECT region_code, characteristic, certainty FROM flag_certainty
           WHERE level = ? AND period = ? AND reference = ?""",
        [level, period, reference],
    ).fetchall()
    return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}


def stacking_table(
    con: duckdb.DuckDBPyConnection, level: str, period: int, reference: str
) -> dict[str, dict[str, Any]]:
    """region_code -> stacking interval and P(toxic mix), for exports and maps."""
    if not has(con, "stacking_uncertainty"):
        return {}
    rows = _dicts(
        con,
        """SELECT region_code, stacking_lower, stacking_upper, p_toxic_mix, rank_lower,
                  rank_upper FROM stacking_uncertainty
           WHERE level = ? AND period = ? AND reference = ?""",
        [level, period, reference],
    )
    return {str(r.pop("region_code")): r for r in rows}


def hotspots(
    con: duckdb.DuckDBPyConnection, level: str, period: int, measure: str
) -> list[dict[str, Any]]:
    """Hotspot rows of one level, year and measure, with each area's boundary (or None)."""
    if not has(con, "hotspots"):
        return []
    return _dicts(
        con,
        """SELECT h.region_code, r.name, h.value, h.gi_z, h.p_value, h.q_value, h.cluster,
                  h.correction, h.alpha, b.geometry
           FROM hotspots h
           LEFT JOIN regions r ON r.code = h.region_code AND r.year = h.period
           LEFT JOIN boundaries b ON b.code = h.region_code AND b.year = h.period
           WHERE h.level = ? AND h.period = ? AND h.measure = ?
           ORDER BY h.region_code""",
        [level, period, measure],
    )


def hotspot_index(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """(level, period, measure, hot, cold) for every stored hotspot analysis."""
    if not has(con, "hotspots"):
        return []
    return _dicts(
        con,
        """SELECT level, period, measure, count(*) FILTER (cluster = 'hot') AS hot,
                  count(*) FILTER (cluster = 'cold') AS cold,
                  count(*) FILTER (cluster <> 'not_tested') AS tested
           FROM hotspots GROUP BY ALL ORDER BY level, period, measure""",
        [],
    )


def peers(con: duckdb.DuckDBPyConnection, code: str, period: int) -> list[dict[str, Any]]:
    """The peer gemeenten of a gemeente in a year, most similar first, with names."""
    if not has(con, "peer_groups"):
        return []
    return _dicts(
        con,
        """SELECT p.peer_code AS code, r.name, p.rank, p.distance FROM peer_groups p
           LEFT JOIN regions r ON r.code = p.peer_code AND r.year = p.period
           WHERE p.gemeente_code = ? AND p.period = ? ORDER BY p.rank""",
        [code, period],
    )


def measures(
    con: duckdb.DuckDBPyConnection, level: str, period: int, reference: str, framework: str
) -> dict[str, dict[str, float]]:
    """measure -> {code: value} for validate and area sets: overall_index, stacking and every
    characteristic score of the areas with a score."""
    out: dict[str, dict[str, float]] = {"overall_index": {}, "stacking": {}}
    rows = con.execute(
        """SELECT region_code, overall_index, stacking FROM area_scores
           WHERE level = ? AND period = ? AND reference = ? AND framework = ?
             AND status = 'ok'""",
        [level, period, reference, framework],
    ).fetchall()
    for code, index, stacking in rows:
        if index is not None:
            out["overall_index"][str(code)] = float(index)
        if stacking is not None:
            out["stacking"][str(code)] = float(stacking)
    rows = con.execute(
        """SELECT characteristic, region_code, score FROM characteristic_scores
           WHERE level = ? AND period = ? AND reference = ? AND score IS NOT NULL
           ORDER BY characteristic""",
        [level, period, reference],
    ).fetchall()
    for char, code, score in rows:
        out.setdefault(str(char), {})[str(code)] = float(score)
    return out


def scored_years(con: duckdb.DuckDBPyConnection, level: str) -> list[int]:
    rows = con.execute(
        "SELECT DISTINCT period FROM area_scores WHERE level = ? ORDER BY period", [level]
    ).fetchall()
    return [int(r[0]) for r in rows]


def region(con: duckdb.DuckDBPyConnection, code: str, year: int | None) -> dict[str, Any] | None:
    """code, name, level, year of a region (latest year when `year` is None)."""
    rows = _dicts(
        con,
        """SELECT code, name, level, year FROM regions WHERE code = ?
           AND (? IS NULL OR year = ?) ORDER BY year DESC LIMIT 1""",
        [code, year, year],
    )
    return rows[0] if rows else None


def outcome_variables(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Stored variables usable as an outcome: (variable, level, period, n) with values."""
    return _dicts(
        con,
        """SELECT variable, level, period, count(*) AS n FROM observations
           WHERE status = 'ok' AND level IN ('gemeente', 'wijk', 'buurt')
           GROUP BY ALL HAVING count(*) >= 10 ORDER BY variable, level, period""",
        [],
    )


def outcome_values(
    con: duckdb.DuckDBPyConnection, variable: str, level: str, period: int
) -> dict[str, float]:
    rows = con.execute(
        """SELECT region_code, value FROM observations WHERE variable = ? AND level = ?
           AND period = ? AND status = 'ok'""",
        [variable, level, period],
    ).fetchall()
    return {str(r[0]): float(r[1]) for r in rows}


def certainty_summary(
    con: duckdb.DuckDBPyConnection, level: str, period: int, reference: str
) -> dict[str, int]:
    """Flagged characteristics of a level and year per certainty class (map legends)."""
    if not has(con, "flag_certainty"):
        return {}
    rows = con.execute(
        """SELECT certainty, count(*) FROM flag_certainty WHERE level = ? AND period = ?
           AND reference = ? AND flagged GROUP BY 1""",
        [level, period, reference],
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}
