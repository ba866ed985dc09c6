"""Area profiles and rankings from stored scores. Reads only; never computes a score.

Labels come from the methodology version the build recorded. Numbers are returned as stored;
callers show them through wijkradar.compute.disclosure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, cast

import duckdb

from wijkradar.compute import disclosure, reasons
from wijkradar.domain import Level, WijkradarError
from wijkradar.domain.methodology import Methodology
from wijkradar.domain.region import NATIONAL_CODE, NATIONAL_NAME, code_prefix_within, is_national
from wijkradar.methodology import load_cached
from wijkradar.store import constants
from wijkradar.store.constants import SeriesBreak, Spread


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
    # Every source is published open data (its kind, compute.disclosure.is_published): such a
    # figure passes the small-number rules unchanged.
    published: bool = False
    # Units the sources declared for the variable this value was taken from unchanged (a local
    # mapping's `unit: aantal`): with them the release decides count or share.
    declared_units: tuple[str, ...] = ()
    # A count the build's families withhold to protect a sibling (store.withheld): shown as any
    # count below the threshold, whatever its value.
    withheld: bool = False


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
    # The scores of all areas of the level and year (national reference) for the spine chart;
    # None when the profile ranks against another reference.
    spread: Spread | None = None
    # Score change since the previous year (None: no score, or a series break in between).
    change: float | None = None


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
    # The code the area had that year, when it was renumbered since (a one-to-one recode or
    # merger, see area_changes.base_code); None when it is the area's own code.
    code: str | None = None
    # The area changed between the previous point and this one while its code stayed: the two
    # are not one series (a trend line has a gap here).
    series_break: SeriesBreak | None = None


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
    # Why there is no score, as a code with parameters (compute.reasons) and worded in the
    # profile's language; empty for an area with status ok (or a build from before the codes).
    status_reason_code: str = ""
    status_reason_params: Mapping[str, int] = field(default_factory=dict)
    status_reason_text: str = ""
    demo: bool = False  # the build is the synthetic demo: every output says DEMO

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
    gemeente_code: str | None = None  # the area's gemeente: buurt names repeat across gemeenten
    gemeente_name: str | None = None


class _AreaYear(NamedTuple):
    """One year of an area's area_scores row, with its status reason code."""

    period: int
    stacking: int | None
    toxic_mix: bool | None
    overall_index: float | None
    protective: float | None
    status: str
    status_reason: str
    reason_code: str | None
    reason_params: str | None


class _IndicatorRow(NamedTuple):
    indicator: str
    value: float | None
    unit: str
    status: str
    percentile: float | None
    source_ids: list[str] | None
    publisher: str | None
    table_id: str | None
    source_year: int | None


class _RankedRow(NamedTuple):
    code: str
    name: str
    level: str
    period: int
    stacking: int | None
    toxic_mix: bool | None
    overall_index: float | None
    value: float | None
    status: str
    gemeente_code: str | None
    gemeente_name: str | None


RowT = TypeVar("RowT", bound=tuple[Any, ...])


def _named(rows: list[tuple[Any, ...]], row_type: type[RowT]) -> list[RowT]:
    """Query rows as named rows: callers read fields by name, never by position."""
    make = cast(Any, row_type)._make
    return [make(r) for r in rows]


def build_methodology(con: duckdb.DuckDBPyConnection) -> Methodology:
    """The methodology the build used (the latest on disk if the build recorded none).

    Cached per methodology folder and version (methodology.load_cached): a released version
    does not change, and validating its YAML took most of a profile request.
    """
    return load_cached(constants.of(con).methodology_version)


def check_view(
    k: constants.BuildConstants,
    *,
    year: int | None = None,
    reference: str | None = None,
    framework: str | None = None,
    within: str | None = None,
) -> None:
    """Refuse a year, reference, framework or `within` area the build does not hold, naming
    what it does hold: an unknown parameter is an error, never an empty answer."""
    if year is not None and year not in k.score_years:
        years = ", ".join(str(y) for y in k.score_years)
        raise WijkradarError(f"no scores for year {year}; available: {years}")
    if framework is not None and framework not in k.frameworks:
        raise WijkradarError(
            f"unknown framework {framework!r}; available: {', '.join(k.frameworks)}"
        )
    if reference is not None and reference not in k.references:
        raise WijkradarError(
            f"unknown reference {reference!r}: scores are ranked against {k.national} "
            "(the country), a province (PVxx) or a gemeente (GMxxxx) the build holds"
        )
    if within is not None and within not in k.region_codes and not is_national(within):
        raise WijkradarError(f"unknown area {within!r} for within: no region with that code")


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
        return code, _level_of(code), None
    return str(row[0]), str(row[1]), None if row[2] is None else str(row[2])


def _level_of(code: str) -> str:
    try:
        return Level.from_code(code).value
    except ValueError:
        raise WijkradarError(f"unknown region code {code!r}") from None


@dataclass(frozen=True)
class _RegionRow:
    year: int
    name: str
    level: str
    parent: str | None
    parent_name: str | None


def _region_rows(k: constants.BuildConstants, code: str) -> list[_RegionRow]:
    """Every year's row of the region, with its gemeente (or parent) and that one's name
    (from the build constants: no query)."""
    out = []
    for year, r in sorted(k.regions.get(code, {}).items()):
        parent = r.gemeente_code or r.parent_code
        above = k.region(parent, year) if parent else None
        out.append(_RegionRow(year, r.name, r.level, parent, None if above is None else above.name))
    return out


def _comparison(code: str, name: str, level: str, mean: tuple[Any, ...]) -> Comparison | None:
    """Mean stacking is rounded to a whole number of characteristics."""
    if not mean[2]:
        return None
    stacking = None if mean[0] is None else round(float(mean[0]))
    return Comparison(code, name, level, stacking, mean[1], "ok")


def _predecessor_points(
    con: duckdb.DuckDBPyConnection,
    code: str,
    level: str,
    reference: str,
    framework: str,
    first_period: int,
) -> tuple[TrendPoint, ...]:
    """The years before the area had its code, scored under its predecessor's code.

    Only where the build linked the two without a series break (area_changes status 'ok' with a
    base_code: a renumbering or a one-to-one merger); a real boundary change leaves the trend
    starting at the new code.
    """
    rows = con.execute(
        "SELECT c.base_period, s.stacking, s.overall_index, s.status, c.base_code "
        "FROM area_changes c JOIN area_scores s ON s.region_code = c.base_code "
        "AND s.period = c.base_period AND s.level = c.level AND s.reference = c.reference "
        "AND s.framework = c.framework "
        "WHERE c.region_code = $code AND c.level = $level AND c.reference = $reference "
        "AND c.framework = $framework AND c.period = $first AND c.status = 'ok' "
        "AND c.base_code IS NOT NULL AND c.base_code <> $code ORDER BY c.base_period",
        {
            "code": code,
            "level": level,
            "reference": reference,
            "framework": framework,
            "first": first_period,
        },
    ).fetchall()
    return tuple(TrendPoint(int(r[0]), r[1], r[2], str(r[3]), str(r[4])) for r in rows)


def _area_rows(
    con: duckdb.DuckDBPyConnection,
    k: constants.BuildConstants,
    code: str,
    level: str,
    reference: str,
    framework: str,
) -> list[_AreaYear]:
    """Every year of the area, oldest first, with its status reason code from the build
    constants (only areas without a score have one)."""
    rows = con.execute(
        "SELECT period, stacking, toxic_mix, overall_index, protective, status, status_reason "
        "FROM area_scores WHERE region_code = $code AND level = $level "
        "AND reference = $reference AND framework = $framework ORDER BY period",
        {"code": code, "level": level, "reference": reference, "framework": framework},
    ).fetchall()
    return [
        _AreaYear._make((*row, *k.reasons.get((code, level, reference, int(row[0])), (None, None))))
        for row in rows
    ]


class _Part(NamedTuple):
    """One row of one of the five score tables for an area (_area_parts): each table fills its
    own columns, the others are NULL."""

    part: str  # area | characteristic | rank | value | theme
    id: str | None  # characteristic, indicator or theme
    period: int
    stacking: int | None
    toxic_mix: bool | None
    overall_index: float | None
    protective: float | None
    status: str
    status_reason: str | None
    number: float | None  # score, percentile or value
    flagged: bool | None
    n_indicators: int | None
    unit: str | None
    source_ids: list[str] | None


_PART_COLUMNS = (
    ("id", "VARCHAR"),
    ("period", "INTEGER"),
    ("stacking", "INTEGER"),
    ("toxic_mix", "BOOLEAN"),
    ("overall_index", "DOUBLE"),
    ("protective", "DOUBLE"),
    ("status", "VARCHAR"),
    ("status_reason", "VARCHAR"),
    ("number", "DOUBLE"),
    ("flagged", "BOOLEAN"),
    ("n_indicators", "INTEGER"),
    ("unit", "VARCHAR"),
    ("source_ids", "VARCHAR[]"),
)


def _part(part: str, table: str, where: str, **own: str) -> str:
    """One branch of _area_parts' query; `own` names this table's column for each _Part field
    it fills (each cast to the type the field has in every branch)."""
    columns = ", ".join(f"{own.get(n, 'NULL')}::{t} AS {n}" for n, t in _PART_COLUMNS)
    return (
        f"SELECT '{part}' AS part, {columns} FROM {table} "
        f"WHERE region_code = $code AND level = $level AND {where}"
    )


_SCORED = {"period": "period", "status": "status"}
_PART_SQL = {
    "area": _part(
        "area",
        "area_scores",
        "reference = $reference AND framework = $framework",
        **_SCORED,
        stacking="stacking",
        toxic_mix="toxic_mix",
        overall_index="overall_index",
        protective="protective",
        status_reason="status_reason",
    ),
    "characteristic": _part(
        "characteristic",
        "characteristic_scores",
        "period IN ($year, $previous) AND reference = $reference",
        **_SCORED,
        id="characteristic",
        number="score",
        flagged="flagged",
        n_indicators="n_indicators",
    ),
    "rank": _part(
        "rank",
        "indicator_ranks",
        "period = $year AND reference = $reference",
        **_SCORED,
        id="indicator",
        number="percentile",
    ),
    "value": _part(
        "value",
        "indicator_values",
        "period = $year",
        **_SCORED,
        id="indicator",
        number="value",
        unit="unit",
        source_ids="source_ids",
    ),
    "theme": _part(
        "theme",
        "theme_scores",
        "period = $year AND reference = $reference AND framework = $framework",
        **_SCORED,
        id="theme",
        number="score",
    ),
}


def _area_parts(
    con: duckdb.DuckDBPyConnection, *, with_area: bool, **params: Any
) -> dict[str, list[_Part]]:
    """An area's rows of the score tables in one query: its area_scores rows of every year
    (with_area), its characteristic scores of `year` and `previous`, and its indicator ranks,
    indicator values and theme scores of `year`. Each branch filters on level and period as
    well as the area, so DuckDB skips the row groups of other levels and years (the tables are
    written level by level, year by year); one query instead of five saves ~0.3 ms of planning
    each."""
    names = [n for n in _PART_SQL if with_area or n != "area"]
    sql = " UNION ALL ".join(_PART_SQL[n] for n in names)
    out: dict[str, list[_Part]] = {n: [] for n in _PART_SQL}
    for row in con.execute(sql, params).fetchall():
        part = _Part._make(row)
        out[part.part].append(part)
    return out


def area_profile(
    con: duckdb.DuckDBPyConnection,
    code: str,
    year: int | None = None,
    reference: str = NATIONAL_CODE,
    framework: str = "tno",
    lang: str = "nl",
) -> AreaProfile:
    """Everything known about one area in one year against one reference population.

    The area's rows of the five score tables in one query (_area_parts), the rest from the
    build constants. Raises WijkradarError when the area has no stored scores for that
    reference and year.
    """
    k = constants.of(con)
    reference = k.reference(reference)
    check_view(k, year=year, reference=reference, framework=framework)
    m = load_cached(k.methodology_version)
    regions = _region_rows(k, code)
    level = regions[0].level if regions else _level_of(code)
    area_rows: list[_AreaYear] | None = None
    if year is None:  # the area's latest year: its rows first, to know which that is
        area_rows = _area_rows(con, k, code, level, reference, framework)
        year = area_rows[-1].period if area_rows else _latest_year(con, code, None)
    breaks = k.breaks.get(code, ())
    earlier = [y for y in k.score_years if y < year]
    previous = earlier[0] if earlier else None
    # The year asked for and the one before it (for the direction of each characteristic),
    # unless the area's series breaks in between.
    if previous is not None and any(previous < b.year_to <= year for b in breaks):
        previous = None
    parts = _area_parts(
        con,
        with_area=area_rows is None,
        code=code,
        level=level,
        reference=reference,
        framework=framework,
        year=year,
        previous=previous if previous is not None else year,
    )
    if area_rows is None:
        area_rows = sorted(
            (
                _AreaYear._make(
                    (
                        int(r.period),
                        r.stacking,
                        r.toxic_mix,
                        r.overall_index,
                        r.protective,
                        r.status,
                        r.status_reason,
                        *k.reasons.get((code, level, reference, int(r.period)), (None, None)),
                    )
                )
                for r in parts["area"]
            ),
            key=lambda r: r.period,
        )
    area = next((r for r in area_rows if r.period == year), None)
    if area is None:
        raise WijkradarError(
            f"no scores for {code} in {year} against {reference} ({framework}); "
            "try another --year or --reference"
        )
    nearest = min(regions, key=lambda r: abs(r.year - year), default=None)
    name = code if nearest is None else nearest.name
    gemeente = None if nearest is None else nearest.parent
    chars: dict[str, tuple[Any, ...]] = {}
    before: dict[str, float | None] = {}
    for row in parts["characteristic"]:
        if row.period == year:
            chars[str(row.id)] = (row.number, row.flagged, row.status, row.n_indicators)
        else:
            before[str(row.id)] = row.number
    # Values and ranks apart, the source from the build constants: a join of the two largest
    # tables cost two to four times as much as both lookups.
    ranks = {str(r.id): (r.status, r.number) for r in parts["rank"]}
    source_of = {str(s["source_id"]): s for s in k.sources}
    indicator_rows = []
    for v in parts["value"]:
        rank_status, percentile = ranks.get(str(v.id), (None, None))
        source = source_of.get(str(v.source_ids[0])) if v.source_ids else None
        indicator_rows.append(
            _IndicatorRow(
                str(v.id),
                v.number,
                cast(str, v.unit),  # as stored (str() is applied where it is shown)
                v.status if rank_status is None else rank_status,
                percentile,
                v.source_ids,
                None if source is None else source["publisher"],
                None if source is None else source["table_id"],
                None if source is None else source["year"],
            )
        )
    by_indicator = {r.indicator: r for r in indicator_rows}
    kinds = k.source_kinds
    spreads = reference == k.national
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
                    unit=str(r.unit),
                    value=r.value,
                    status=str(r.status),
                    percentile=r.percentile,
                    measure=ind.measure,
                    source_ids=tuple(r.source_ids or ()),
                    publisher=r.publisher,
                    table_id=r.table_id,
                    source_year=r.source_year,
                    published=disclosure.is_published(kinds.get(x, "") for x in r.source_ids or ()),
                    declared_units=k.declared_units(ind.id, tuple(r.source_ids or ())),
                    withheld=(code, ind.id, year) in k.withheld,
                )
            )
        score, flagged, status, n_used = chars.get(c.id, (None, None, "missing", 0))
        last = before.get(c.id)
        spread = k.spreads.get((level, year, c.id)) if spreads else None
        if c.protective:  # protection, higher = better protected (constants.protection)
            score, last = constants.protection(score), constants.protection(last)
            spread = constants.protection_spread(spread)
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
                spread=spread,
                change=None if score is None or last is None else float(score) - float(last),
            )
        )
    fw = m.framework(framework)
    theme_rows = {r.id: (r.number, r.status) for r in parts["theme"]}
    themes = tuple(
        ThemeScore(t.id, t.labels.get(lang), *theme_rows.get(t.id, (None, "missing")))
        for t in fw.themes
    )
    trend: tuple[TrendPoint, ...] = ()
    if code in k.renumbered:  # most areas kept their code: no query for predecessors
        trend = _predecessor_points(con, code, level, reference, framework, area_rows[0].period)
    trend += tuple(
        TrendPoint(int(r.period), r.stacking, r.overall_index, str(r.status)) for r in area_rows
    )
    trend = _mark_breaks(trend, breaks)
    with_parent = gemeente is not None and level in ("wijk", "buurt")
    country = k.national_average(level, year, framework)
    parent = None
    if with_parent and gemeente is not None:
        parent_name = nearest.parent_name if nearest is not None else None
        parent = _comparison(
            gemeente,
            parent_name or _region(con, gemeente, year)[0],
            level,
            k.gemeente_average(level, year, framework, gemeente),
        )
    reason_code = "" if area.reason_code is None else str(area.reason_code)
    reason_params = reasons.decode_params(area.reason_params)
    return AreaProfile(
        code=code,
        name=name,
        level=level,
        period=year,
        reference=reference,
        framework=framework,
        methodology_version=m.version,
        status=str(area.status),
        status_reason=str(area.status_reason),
        stacking=area.stacking,
        toxic_mix=area.toxic_mix,
        toxic_mix_threshold=m.settings.toxic_mix_threshold,
        overall_index=area.overall_index,
        protective=area.protective,
        characteristics=tuple(details),
        themes=themes,
        trend=trend,
        parent=parent,
        country=_comparison(k.national, NATIONAL_NAME, level, country),
        status_reason_code=reason_code,
        status_reason_params=reason_params,
        status_reason_text=(
            reasons.text(reason_code, reason_params, lang) if reason_code else area.status_reason
        ),
        demo=k.demo,
    )


def _mark_breaks(
    trend: tuple[TrendPoint, ...], breaks: tuple[SeriesBreak, ...]
) -> tuple[TrendPoint, ...]:
    """Each point that follows a series break carries it, so every channel can draw a gap."""
    out = []
    last: int | None = None
    for p in trend:
        hit = next((b for b in breaks if last is not None and last < b.year_to <= p.period), None)
        out.append(TrendPoint(p.period, p.stacking, p.overall_index, p.status, p.code, hit))
        last = p.period
    return tuple(out)


def ranking(
    con: duckdb.DuckDBPyConnection,
    level: str,
    year: int | None = None,
    within: str | None = None,
    by: str = "stacking",
    framework: str = "tno",
    reference: str = NATIONAL_CODE,
    limit: int | None = None,
) -> list[RankingRow]:
    """Areas of a level, most vulnerable first.

    by (the exact values):
    - "stacking": number of flagged risk characteristics, ties broken by the overall index;
    - "index": the overall index;
    - "theme:<id>": a theme score of `framework` (e.g. "theme:work_income");
    - "protective": the protection score P = 100 − mean protective-factor score, *lowest* first
      (least protected = most vulnerable);
    - "char:<id>": one characteristic's score S_c (mean oriented percentile of its indicators),
      highest first; a protective factor's value is its protection 100 − S_c (as everywhere),
      least protected first (e.g. "char:nearby_care"). An id the build's methodology lacks is
      refused.
    RankingRow.value holds the value ranked by. within: a gemeente or provincie code limiting the
    rows (the ranking population stays `reference`). Areas without that value (too small,
    insufficient data, no score) come last.
    """
    k = constants.of(con)
    reference = k.reference(reference)
    check_view(k, year=year, reference=reference, framework=framework, within=within)
    if within is not None and is_national(within):
        within = None  # the whole country
    year = year or _latest_year(con, None, level)
    params: list[Any] = [framework, reference, level, year]
    join = ""
    if by == "stacking":
        value = "a.stacking"
        order = "a.stacking DESC NULLS LAST, a.overall_index DESC NULLS LAST"
    elif by == "index":
        value = "a.overall_index"
        order = "a.overall_index DESC NULLS LAST"
    elif by == "protective":
        value = "a.protective"
        order = "a.protective ASC NULLS LAST"
    elif by.startswith("theme:"):
        theme = by.split(":", 1)[1]
        known_themes = k.themes.get(framework, ())
        if theme not in known_themes:
            raise WijkradarError(
                f"cannot rank by {by!r}: no theme {theme!r} in {framework}; "
                f"use one of {', '.join(known_themes)}"
            )
        value = "t.score"
        order = "t.score DESC NULLS LAST"
        join = (
            "LEFT JOIN theme_scores t ON t.region_code = a.region_code AND t.period = a.period "
            "AND t.level = a.level AND t.reference = a.reference AND t.framework = a.framework "
            "AND t.theme = ?"
        )
        params.insert(0, by.split(":", 1)[1])
    elif by.startswith("char:"):
        characteristic = by.split(":", 1)[1]
        known = [c.id for c in build_methodology(con).characteristics]
        if characteristic not in known:
            raise WijkradarError(
                f"cannot rank by {by!r}: no characteristic {characteristic!r}; "
                f"use one of {', '.join(known)}"
            )
        value = "c.score"
        order = "c.score DESC NULLS LAST"
        if characteristic in k.protective_ids:
            # shown as protection (100 − S): the least protected still come first
            value = "100 - c.score"
            order = "c.score DESC NULLS LAST"
        join = (
            "LEFT JOIN characteristic_scores c ON c.region_code = a.region_code "
            "AND c.period = a.period AND c.level = a.level AND c.reference = a.reference "
            "AND c.characteristic = ?"
        )
        params.insert(0, characteristic)
    else:
        raise WijkradarError(
            f"cannot rank by {by!r}; use stacking, index, protective, theme:<id> or char:<id>"
        )
    where = ""
    if within:
        where = (
            "AND (g.gemeente_code = ? OR g.provincie_code = ? OR g.parent_code = ? "
            "OR a.region_code LIKE ?)"
        )
        params += [within, within, within, _prefix(within, level)]
    sql = f"""
        SELECT a.region_code, coalesce(g.name, a.region_code), a.level, a.period, a.stacking,
               a.toxic_mix, a.overall_index, {value}, a.status, g.gemeente_code, gm.name
        FROM area_scores a
        {join}
        LEFT JOIN regions g ON g.code = a.region_code AND g.year = a.period
        LEFT JOIN regions gm ON gm.code = g.gemeente_code AND gm.year = a.period
        WHERE a.framework = ? AND a.reference = ? AND a.level = ? AND a.period = ? {where}
        ORDER BY {order}, a.region_code
        {"LIMIT " + str(int(limit)) if limit else ""}
    """
    rows = _named(con.execute(sql, params).fetchall(), _RankedRow)
    return [
        RankingRow(
            i + 1,
            str(r.code),
            str(r.name),
            str(r.level),
            int(r.period),
            r.stacking,
            r.toxic_mix,
            r.overall_index,
            r.value,
            str(r.status),
            gemeente_code=r.gemeente_code,
            gemeente_name=r.gemeente_name,
        )
        for i, r in enumerate(rows)
    ]


def _prefix(within: str, level: str) -> str:
    """WK/BU codes start with their gemeente's digits (domain.region.code_prefix_within)."""
    prefix = code_prefix_within(within, level)
    return "\0" if prefix is None else prefix + "%"
