"""Area profiles and rankings from stored scores. Reads only; never computes a score.

Labels come from the methodology version the build recorded. Numbers are returned as stored;
callers show them through wijkradar.compute.disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from wijkradar.domain import WijkradarError
from wijkradar.domain.methodology import Methodology
from wijkradar.methodology import load


@dataclass(frozen=True)
class IndicatorDetail:
    id: str
    label: str
    unit: str
    value: float | None  # raw indicator value; None unless status ok
    status: str  # ok | suppressed | missing | too_small | unranked
    percentile: float | None  # oriented: higher = more vulnerable
    measure: str  # direct | proxy
    source_ids: tuple[str, ...]
    publisher: str | None
    table_id: str | None
    source_year: int | None


@dataclass(frozen=True)
class CharacteristicDetail:
    id: str
    label: str
    protective: bool
    score: float | None
    flagged: bool | None
    status: str
    n_indicators: int
    gap: str  # what open data lacks for this characteristic, from the methodology
    indicators: tuple[IndicatorDetail, ...]


@dataclass(frozen=True)
class ThemeScore:
    id: str
    label: str
    score: float | None
    status: str


@dataclass(frozen=True)
class TrendPoint:
    period: int
    stacking: int | None
    overall_index: float | None
    status: str


@dataclass(frozen=True)
class Comparison:
    """The average area of the same level and year in the parent gemeente or the country."""

    code: str
    name: str
    level: str
    stacking: int | None
    overall_index: float | None
    status: str


@dataclass(frozen=True)
class AreaProfile:
    code: str
    name: str
    level: str
    period: int
    reference: str
    framework: str
    methodology_version: str
    status: str  # ok | too_small | insufficient_data
    status_reason: str
    stacking: int | None
    toxic_mix: bool | None
    toxic_mix_threshold: int
    overall_index: float | None
    protective: float | None
    characteristics: tuple[CharacteristicDetail, ...]  # risk characteristics, then protective
    themes: tuple[ThemeScore, ...]
    trend: tuple[TrendPoint, ...]
    parent: Comparison | None
    country: Comparison | None

    @property
    def why_flagged(self) -> tuple[CharacteristicDetail, ...]:
        """The flagged risk characteristics with their indicators: why this area is flagged."""
        return tuple(c for c in self.characteristics if c.flagged and not c.protective)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    code: str
    name: str
    level: str
    period: int
    stacking: int | None
    toxic_mix: bool | None
    overall_index: float | None
    value: float | None  # the value ranked by
    status: str


def build_methodology(con: duckdb.DuckDBPyConnection) -> Methodology:
    """The methodology the build used (the latest on disk if the build recorded none)."""
    row = con.execute(
        "SELECT methodology_version FROM build ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    version = None if row is None else row[0]
    return load(version)


def _latest_year(con: duckdb.DuckDBPyConnection, code: str | None, level: str | None) -> int:
    if code is not None:
        row = con.execute(
            "SELECT max(period) FROM area_scores WHERE region_code = ?", [code]
        ).fetchone()
    else:
        row = con.execute("SELECT max(period) FROM area_scores WHERE level = ?", [level]).fetchone()
    if row is None or row[0] is None:
        raise WijkradarError(f"no scores stored for {code or level}")
    return int(row[0])


def _region(con: duckdb.DuckDBPyConnection, code: str, year: int) -> tuple[str, str, str | None]:
    row = con.execute(
        "SELECT name, level, coalesce(gemeente_code, parent_code) FROM regions "
        "WHERE code = ? ORDER BY abs(year - ?) LIMIT 1",
        [code, year],
    ).fetchone()
    if row is None:
        from wijkradar.domain import Level

        try:
            level = Level.from_code(code).value
        except ValueError:
            raise WijkradarError(f"unknown region code {code!r}") from None
        return code, level, None
    return str(row[0]), str(row[1]), None if row[2] is None else str(row[2])


def _average(
    con: duckdb.DuckDBPyConnection,
    level: str,
    year: int,
    framework: str,
    gemeente: str | None,
) -> Comparison | None:
    """The average area of this level nationally, or within one gemeente (reference NL01).

    Mean stacking (rounded to a whole number of characteristics) and mean overall index over the
    areas with status ok, so a buurt is compared with buurten, not with a gemeente's own score.
    """
    code = gemeente or "NL01"
    row = con.execute(
        "SELECT avg(a.stacking), avg(a.overall_index), count(*) FROM area_scores a "
        "LEFT JOIN regions g ON g.code = a.region_code AND g.year = a.period "
        "WHERE a.level = ? AND a.period = ? AND a.framework = ? AND a.reference = 'NL01' "
        "AND a.status = 'ok' AND (? IS NULL OR g.gemeente_code = ?)",
        [level, year, framework, gemeente, gemeente],
    ).fetchone()
    if row is None or not row[2]:
        return None
    name = _region(con, code, year)[0] if gemeente else "Nederland"
    stacking = None if row[0] is None else round(float(row[0]))
    return Comparison(code, name, level, stacking, row[1], "ok")


def area_profile(
    con: duckdb.DuckDBPyConnection,
    code: str,
    year: int | None = None,
    reference: str = "NL01",
    framework: str = "tno",
    lang: str = "nl",
) -> AreaProfile:
    """Everything known about one area in one year against one reference population.

    Raises WijkradarError when the area has no stored scores for that reference and year.
    """
    m = build_methodology(con)
    year = year or _latest_year(con, code, None)
    name, level, gemeente = _region(con, code, year)
    area = con.execute(
        "SELECT stacking, toxic_mix, overall_index, protective, status, status_reason "
        "FROM area_scores WHERE region_code=? AND period=? AND reference=? AND framework=?",
        [code, year, reference, framework],
    ).fetchone()
    if area is None:
        raise WijkradarError(
            f"no scores for {code} in {year} against {reference} ({framework}); "
            "try another --year or --reference"
        )
    chars = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT characteristic, score, flagged, status, n_indicators FROM "
            "characteristic_scores WHERE region_code=? AND period=? AND reference=?",
            [code, year, reference],
        ).fetchall()
    }
    indicator_rows = con.execute(
        """
        SELECT v.indicator, v.value, v.unit, coalesce(r.status, v.status), r.percentile,
               v.source_ids, s.publisher, s.table_id, s.year
        FROM indicator_values v
        LEFT JOIN indicator_ranks r ON r.region_code = v.region_code AND r.period = v.period
             AND r.indicator = v.indicator AND r.reference = ?
        LEFT JOIN sources s ON s.source_id = v.source_ids[1]
        WHERE v.region_code = ? AND v.period = ?
        """,
        [reference, code, year],
    ).fetchall()
    by_indicator = {r[0]: r for r in indicator_rows}
    details = []
    for c in (*m.risk_characteristics, *m.protective_factors):
        inds = []
        for ind in m.indicators_for(c.id):
            r = by_indicator.get(ind.id)
            if r is None:
                continue
            inds.append(
                IndicatorDetail(
                    id=ind.id,
                    label=ind.labels.get(lang),
                    unit=str(r[2]),
                    value=r[1],
                    status=str(r[3]),
                    percentile=r[4],
                    measure=ind.measure,
                    source_ids=tuple(r[5] or ()),
                    publisher=r[6],
                    table_id=r[7],
                    source_year=r[8],
                )
            )
        score, flagged, status, n_used = chars.get(c.id, (None, None, "missing", 0))
        details.append(
            CharacteristicDetail(
                id=c.id,
                label=c.labels.get(lang),
                protective=c.protective,
                score=score,
                flagged=flagged,
                status=str(status),
                n_indicators=int(n_used),
                gap=c.gap,
                indicators=tuple(inds),
            )
        )
    fw = m.framework(framework)
    theme_rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT theme, score, status FROM theme_scores WHERE region_code=? AND period=? "
            "AND reference=? AND framework=?",
            [code, year, reference, framework],
        ).fetchall()
    }
    themes = tuple(
        ThemeScore(t.id, t.labels.get(lang), *theme_rows.get(t.id, (None, "missing")))
        for t in fw.themes
    )
    trend = tuple(
        TrendPoint(int(r[0]), r[1], r[2], str(r[3]))
        for r in con.execute(
            "SELECT period, stacking, overall_index, status FROM area_scores WHERE region_code=? "
            "AND reference=? AND framework=? ORDER BY period",
            [code, reference, framework],
        ).fetchall()
    )
    parent = None
    if gemeente and level in ("wijk", "buurt"):
        parent = _average(con, level, year, framework, gemeente)
    country = _average(con, level, year, framework, None)
    return AreaProfile(
        code=code,
        name=name,
        level=level,
        period=year,
        reference=reference,
        framework=framework,
        methodology_version=m.version,
        status=str(area[4]),
        status_reason=str(area[5]),
        stacking=area[0],
        toxic_mix=area[1],
        toxic_mix_threshold=m.settings.toxic_mix_threshold,
        overall_index=area[2],
        protective=area[3],
        characteristics=tuple(details),
        themes=themes,
        trend=trend,
        parent=parent,
        country=country,
    )


def ranking(
    con: duckdb.DuckDBPyConnection,
    level: str,
    year: int | None = None,
    within: str | None = None,
    by: str = "stacking",
    framework: str = "tno",
    reference: str = "NL01",
    limit: int | None = None,
) -> list[RankingRow]:
    """Areas of a level, most vulnerable first.

    by: "stacking" (ties broken by the overall index), "index", or "theme:<id>". within: a
    gemeente or provincie code limiting the rows (the ranking population stays `reference`).
    Areas without a score (too small, insufficient data) come last.
    """
    year = year or _latest_year(con, None, level)
    params: list[Any] = [framework, reference, level, year]
    if by == "stacking":
        value = "a.stacking"
        order = "a.stacking DESC NULLS LAST, a.overall_index DESC NULLS LAST"
        join = ""
    elif by == "index":
        value = "a.overall_index"
        order = "a.overall_index DESC NULLS LAST"
        join = ""
    elif by.startswith("theme:"):
        value = "t.score"
        order = "t.score DESC NULLS LAST"
        join = (
            "LEFT JOIN theme_scores t ON t.region_code = a.region_code AND t.period = a.period "
            "AND t.reference = a.reference AND t.framework = a.framework AND t.theme = ?"
        )
        params.insert(0, by.split(":", 1)[1])
    else:
        raise WijkradarError(f"cannot rank by {by!r}; use stacking, index or theme:<id>")
    where = ""
    if within:
        where = (
            "AND (g.gemeente_code = ? OR g.provincie_code = ? OR g.parent_code = ? "
            "OR a.region_code LIKE ?)"
        )
        params += [within, within, within, _prefix(within, level)]
    sql = f"""
        SELECT a.region_code, coalesce(g.name, a.region_code), a.level, a.period, a.stacking,
               a.toxic_mix, a.overall_index, {value}, a.status
        FROM area_scores a
        {join}
        LEFT JOIN regions g ON g.code = a.region_code AND g.year = a.period
        WHERE a.framework = ? AND a.reference = ? AND a.level = ? AND a.period = ? {where}
        ORDER BY {order}, a.region_code
        {"LIMIT " + str(int(limit)) if limit else ""}
    """
    rows = con.execute(sql, params).fetchall()
    return [
        RankingRow(
            i + 1, str(r[0]), str(r[1]), str(r[2]), int(r[3]), r[4], r[5], r[6], r[7], str(r[8])
        )
        for i, r in enumerate(rows)
    ]


def _prefix(within: str, level: str) -> str:
    """WK/BU codes start with their gemeente's digits: GM0363 holds WK0363%, BU0363%."""
    if within.startswith("GM") and level in ("wijk", "buurt"):
        return ("WK" if level == "wijk" else "BU") + within[2:] + "%"
    return "\0"
