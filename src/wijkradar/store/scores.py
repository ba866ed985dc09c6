"""Read scoring inputs from, and write score rows to, the monitor database."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from wijkradar.store.load import insert_arrow

SCORE_TABLES = (
    "indicator_values",
    "indicator_ranks",
    "characteristic_scores",
    "theme_scores",
    "area_scores",
    "area_status_reasons",
    "area_changes",
)


def levels_and_periods(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Every (level, period) with observations, coarse levels first."""
    order = (
        "CASE level WHEN 'land' THEN 0 WHEN 'provincie' THEN 1 WHEN 'gemeente' THEN 2 "
        "WHEN 'wijk' THEN 3 ELSE 4 END"
    )
    rows = con.execute(
        f"SELECT DISTINCT level, period, {order} AS o FROM observations ORDER BY o, period"
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def read_areas(con: duckdb.DuckDBPyConnection, level: str, period: int) -> pa.Table:
    """code, gemeente_code, provincie_code of the level's areas in `period`.

    From the regions table; areas that only appear in observations are added with NULL parents.
    """
    return con.sql(
        """
        WITH r AS (SELECT code, gemeente_code, provincie_code FROM regions
                   WHERE level = $level AND year = $period),
             o AS (SELECT DISTINCT region_code AS code FROM observations
                   WHERE level = $level AND period = $period)
        SELECT code, gemeente_code, provincie_code FROM r
        UNION ALL
        SELECT code, NULL, NULL FROM o WHERE code NOT IN (SELECT code FROM r)
        ORDER BY code
        """,
        params={"level": level, "period": period},
    ).to_arrow_table()


def read_observations(
    con: duckdb.DuckDBPyConnection, level: str, period: int, variables: Sequence[str]
) -> pa.Table:
    """Long rows (region_code, variable, value, status, source_id) for these variables."""
    return con.sql(
        """
        SELECT region_code, variable, value, status, source_id FROM observations
        WHERE level = ? AND period = ? AND list_contains(?, variable)
        """,
        params=[level, period, list(variables)],
    ).to_arrow_table()


def read_links(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple[str, int, str, int]]:
    """One-to-one recodings (code_from, year_from, code_to, year_to) of a level.

    A "recoded" or "merged" row with weight 1 whose new code has no other predecessor and whose
    old code has no other successor (and does not continue itself): the same area, renamed.
    """
    rows = con.execute(
        """
        WITH c AS (SELECT * FROM region_changes WHERE level = $level
                   AND code_from <> '' AND code_to <> ''),
             incoming AS (SELECT code_to, year_to, count(*) AS n FROM c GROUP BY ALL),
             outgoing AS (SELECT code_from, year_from, count(*) AS n FROM c GROUP BY ALL)
        SELECT c.code_from, c.year_from, c.code_to, c.year_to FROM c
        JOIN incoming i USING (code_to, year_to)
        JOIN outgoing o USING (code_from, year_from)
        WHERE c.kind IN ('recoded', 'merged') AND c.weight = 1 AND c.code_from <> c.code_to
          AND i.n = 1 AND o.n = 1
        ORDER BY c.year_to, c.code_to
        """,
        {"level": level},
    ).fetchall()
    return [(str(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]


def read_breaks(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple[str, int]]:
    """(code, year) pairs where the region with that code changed going into that year."""
    rows = con.execute(
        "SELECT DISTINCT code_to, year_to FROM region_changes WHERE level = ? AND kind <> 'same'",
        [level],
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def write_table(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> None:
    """Append Arrow rows to one of the score tables (columns named as in the table)."""
    if name not in SCORE_TABLES:
        raise ValueError(f"not a score table: {name}")
    insert_arrow(con, name, rows)


def read_area_scores(con: duckdb.DuckDBPyConnection, level: str) -> pa.Table:
    """All stored area_scores rows of a level (input for the change computation)."""
    return con.sql(
        "SELECT * FROM area_scores WHERE level = ? ORDER BY framework, reference, region_code, "
        "period",
        params=[level],
    ).to_arrow_table()


def methodology_version(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "SELECT methodology_version FROM build ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])
