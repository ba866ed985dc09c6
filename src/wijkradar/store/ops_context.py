"""What the operational half needs from the monitor: per wijk and buurt of one gemeente, the
latest stacking, the small-financial-buffer score and the number of inhabitants.

Read once per request/import; the operational store never imports duckdb itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from wijkradar.store.reader import open_read


@dataclass(frozen=True)
class AreaContext:
    code: str
    name: str
    level: str
    stacking: int | None
    financial_buffer: float | None
    inhabitants: float | None


def area_context(db: Path, gemeente: str) -> dict[str, AreaContext]:
    """code -> context for the wijken and buurten of `gemeente` in the latest scored year; {}
    when there is no monitor database or no scores yet."""
    if not db.exists():
        return {}
    con = open_read(db)
    try:
        latest = con.execute(
            "SELECT max(period) FROM area_scores WHERE level IN ('wijk', 'buurt')"
        ).fetchone()
        if latest is None or latest[0] is None:
            return {}
        year = int(latest[0])
        rows = con.execute(
            """
            WITH s AS (
              SELECT region_code, level, stacking,
                     row_number() OVER (PARTITION BY region_code
                                        ORDER BY reference = 'NL01' DESC, framework) AS n
              FROM area_scores WHERE period = ? AND level IN ('wijk', 'buurt')),
            f AS (
              SELECT region_code, score,
                     row_number() OVER (PARTITION BY region_code
                                        ORDER BY reference = 'NL01' DESC) AS n
              FROM characteristic_scores
              WHERE period = ? AND characteristic = 'financial_buffer'),
            p AS (
              SELECT region_code, any_value(value) AS inhabitants FROM observations
              WHERE period = ? AND variable = 'AantalInwoners' AND status = 'ok'
              GROUP BY region_code)
            SELECT r.code, r.name, r.level, s.stacking, f.score, p.inhabitants
            FROM regions r
            LEFT JOIN s ON s.region_code = r.code AND s.n = 1
            LEFT JOIN f ON f.region_code = r.code AND f.n = 1
            LEFT JOIN p ON p.region_code = r.code
            WHERE r.year = ? AND r.gemeente_code = ? AND r.level IN ('wijk', 'buurt')
            """,
            [year, year, year, year, gemeente],
        ).fetchall()
    finally:
        con.close()
    return {
        code: AreaContext(code, name, level, stacking, score, inhabitants)
        for code, name, level, stacking, score, inhabitants in rows
    }


def buurt_stacking(context: dict[str, AreaContext]) -> dict[str, int]:
    return {
        c.code: c.stacking
        for c in context.values()
        if c.level == "buurt" and c.stacking is not None
    }


def wijk_boundaries(db: Path, gemeente: str) -> dict[str, str]:
    """wijk code -> simplified GeoJSON of the latest boundary year, for the reach map."""
    if not db.exists():
        return {}
    con = open_read(db)
    try:
        rows = con.execute(
            """
            SELECT b.code, b.geometry FROM boundaries b
            JOIN regions r ON r.code = b.code AND r.year = b.year
            WHERE b.level = 'wijk' AND r.gemeente_code = ?
            QUALIFY row_number() OVER (PARTITION BY b.code ORDER BY b.year DESC) = 1
            """,
            [gemeente],
        ).fetchall()
    finally:
        con.close()
    return {code: geometry for code, geometry in rows}


def buurt_boundaries(db: Path, gemeente: str) -> dict[str, tuple[str, str]]:
    """buurt code -> (wijk code, simplified GeoJSON) of the latest boundary year: places a
    vindplaats given by its point, and places one given by postcode at its buurt's centre."""
    if not db.exists():
        return {}
    con = open_read(db)
    try:
        rows = con.execute(
            """
            SELECT b.code, r.parent_code, b.geometry FROM boundaries b
            JOIN regions r ON r.code = b.code AND r.year = b.year
            WHERE b.level = 'buurt' AND r.gemeente_code = ?
            QUALIFY row_number() OVER (PARTITION BY b.code ORDER BY b.year DESC) = 1
            """,
            [gemeente],
        ).fetchall()
    finally:
        con.close()
    return {code: (wijk, geometry) for code, wijk, geometry in rows if wijk}


def buurten(db: Path) -> list[tuple[str, str, str]]:
    """(buurt, wijk, gemeente) of the latest year: the demo places its fictional addresses."""
    con = open_read(db)
    try:
        rows = con.execute(
            "SELECT code, parent_code, gemeente_code FROM regions WHERE level = 'buurt' "
            "AND year = (SELECT max(year) FROM regions) ORDER BY code"
        ).fetchall()
    finally:
        con.close()
    return [(b, w, g) for b, w, g in rows if w and g]


@dataclass(frozen=True)
class WijkFigures:
    """The monitor's latest word on a wijk, for the partner-signal triangulation."""

    code: str
    name: str
    gemeente: str
    stacking: int | None
    flags: tuple[str, ...]
    households: float | None


def wijk_figures(db: Path, gemeente: str | None = None) -> dict[str, WijkFigures]:
    """code -> figures for the wijken of `gemeente` (None: all of the Netherlands) in the latest
    scored year: stacking and the flagged characteristics (national reference first), and the
    number of households. {} without a monitor database or scores."""
    if not db.exists():
        return {}
    con = open_read(db)
    try:
        return wijk_figures_on(con, gemeente)
    finally:
        con.close()


def wijk_figures_on(
    con: duckdb.DuckDBPyConnection, gemeente: str | None = None
) -> dict[str, WijkFigures]:
    """As wijk_figures, on a connection the caller has open (a page's own)."""
    latest = con.execute("SELECT max(period) FROM area_scores WHERE level = 'wijk'").fetchone()
    if latest is None or latest[0] is None:
        return {}
    year = int(latest[0])
    where = "" if gemeente is None else "AND r.gemeente_code = ?"
    rows = con.execute(
        f"""
        WITH s AS (
          SELECT region_code, stacking, reference,
                 row_number() OVER (PARTITION BY region_code
                                    ORDER BY reference = 'NL01' DESC, framework) AS n
          FROM area_scores WHERE period = ? AND level = 'wijk'),
        f AS (
          SELECT c.region_code, list(c.characteristic ORDER BY c.characteristic) AS flags
          FROM characteristic_scores c JOIN s ON s.region_code = c.region_code
               AND s.reference = c.reference AND s.n = 1
          WHERE c.period = ? AND c.level = 'wijk' AND c.flagged
          GROUP BY c.region_code),
        h AS (
          SELECT region_code, any_value(value) AS households FROM observations
          WHERE period = ? AND variable = 'HuishoudensTotaal' AND status = 'ok'
          GROUP BY region_code)
        SELECT r.code, r.name, r.gemeente_code, s.stacking, f.flags, h.households
        FROM regions r
        LEFT JOIN s ON s.region_code = r.code AND s.n = 1
        LEFT JOIN f ON f.region_code = r.code
        LEFT JOIN h ON h.region_code = r.code
        WHERE r.year = ? AND r.level = 'wijk' {where}
        ORDER BY r.code
        """,
        [year, year, year, year] + ([] if gemeente is None else [gemeente]),
    ).fetchall()
    return {
        code: WijkFigures(code, name, gm or "", stacking, tuple(flags or ()), households)
        for code, name, gm, stacking, flags, households in rows
    }
