"""What does not change within a build, read once per build instead of once per request.

A published build is immutable (pipeline/build.py replaces the file atomically), so its years,
frameworks, references, themes, characteristics, sources, build row, national averages and the
spread of characteristic scores per level are the same for every request it serves. `of(con)`
costs one small query (the build id) and returns the cached constants of that build; a new build
has a new build id and is read afresh.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import duckdb

from wijkradar.domain import WijkradarError
from wijkradar.domain.region import NATIONAL_CODE, NATIONAL_CODES, is_national
from wijkradar.store.withheld import withheld

#: (mean stacking, mean overall index, number of areas with status ok)
Average = tuple[float | None, float | None, int]


@dataclass(frozen=True)
class Spread:
    """Characteristic scores of every scored area of one level and year (national reference):
    the ends and quartiles a spine chart draws one area against."""

    low: float
    q1: float
    median: float
    q3: float
    high: float
    n: int


class RegionYear(NamedTuple):
    """A region as it was in one year (the regions table's row)."""

    code: str
    year: int
    level: str
    name: str
    parent_code: str | None
    gemeente_code: str | None
    provincie_code: str | None


@dataclass(frozen=True)
class SeriesBreak:
    """A region whose area changed between two years while its code stayed: its figures before
    and after are not one series."""

    year_from: int
    year_to: int
    note: str


@dataclass(frozen=True)
class BuildConstants:
    build_id: str
    build: dict[str, Any]  # the build row, options parsed
    methodology_version: str | None
    demo: bool
    score_years: tuple[int, ...]  # newest first
    frameworks: tuple[str, ...]  # default first
    references: frozenset[str]
    national: str  # the country's reference code in this build (NL01; CBS KWB writes NL00)
    themes: dict[str, tuple[str, ...]]  # framework -> theme ids
    characteristics: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    source_kinds: dict[str, str]
    region_codes: frozenset[str]  # every code of any year, and every code named as a parent
    #: protective factors of the build's methodology: they leave as protection (see protection())
    protective_ids: frozenset[str]
    #: (indicator, source id) -> the unit that source declared for the variable the indicator
    #: takes unchanged (a derivation without denominator); what makes a figure a count
    declared: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (level, year, framework) -> national average; (level, year, framework, gemeente) too
    averages: dict[tuple[str, ...] | tuple[Any, ...], Average] = field(default_factory=dict)
    #: (level, year, characteristic) -> Spread against the national reference
    spreads: dict[tuple[str, int, str], Spread] = field(default_factory=dict)
    #: region code -> its series breaks, oldest first
    breaks: dict[str, tuple[SeriesBreak, ...]] = field(default_factory=dict)
    #: codes whose earlier years are scored under a predecessor's code (area_changes.base_code)
    renumbered: frozenset[str] = frozenset()
    #: code -> year -> the region that year (a national build: ~70 000 rows, a few MB)
    regions: dict[str, dict[int, RegionYear]] = field(default_factory=dict)
    #: (region code, indicator, period) of local counts withheld to protect a sibling
    #: (store.withheld: the families of the build)
    withheld: frozenset[tuple[str, str, int]] = frozenset()
    #: (region code, level, reference, period) -> (reason code, its parameters as stored) of
    #: the areas without a score (area_status_reasons; empty for a build from before the codes)
    reasons: dict[tuple[str, str, str, int], tuple[str, str | None]] = field(default_factory=dict)

    def region(self, code: str, year: int | None = None) -> RegionYear | None:
        """The region in `year`, or in its latest year when year is None."""
        years = self.regions.get(code)
        if not years:
            return None
        return years[max(years)] if year is None else years.get(year)

    def declared_units(self, indicator: str, source_ids: Sequence[str]) -> tuple[str, ...]:
        """Units the figure's sources declared for the variable it was taken from unchanged."""
        return tuple(
            self.declared[(indicator, s)] for s in source_ids if (indicator, s) in self.declared
        )

    def reference(self, code: str | None) -> str:
        """`code` as this build stores it: the country is NL01 to most sources and NL00 to CBS
        KWB, so either name reaches the build's national reference; None means the country."""
        if code is None or (code in NATIONAL_CODES and code not in self.references):
            return self.national
        return code

    def national_average(self, level: str, year: int, framework: str) -> Average:
        return self.averages.get((level, year, framework), (None, None, 0))

    def gemeente_average(self, level: str, year: int, framework: str, gemeente: str) -> Average:
        return self.averages.get((level, year, framework, gemeente), (None, None, 0))


def protection(score: float | None) -> float | None:
    """A protective factor's stored score S (oriented like every score: higher = more
    vulnerable, i.e. less protection) as the protection it measures, 100 − S.

    The headline protection P is 100 − mean S over the protective factors (the methodology), so
    the protective section reads in one direction: higher = better protected, and P is the mean
    of the factors shown beside it. Every channel shows protective factors this way."""
    return None if score is None else 100.0 - float(score)


def protection_spread(spread: Spread | None) -> Spread | None:
    if spread is None:
        return None
    return Spread(
        100 - spread.high,
        100 - spread.q3,
        100 - spread.median,
        100 - spread.q1,
        100 - spread.low,
        spread.n,
    )


_CACHE: dict[tuple[str, str, int, int, int], BuildConstants] = {}
_LOCK = threading.Lock()


#: Cursors on a published build opened read-only (store.reader.LiveDatabase.cursor): the build
#: they read cannot change under them, so their constants are found once per cursor rather than
#: once per call (a profile request asks four times).
_PINNED: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, BuildConstants | None] = (
    weakref.WeakKeyDictionary()
)


def pin(cursor: duckdb.DuckDBPyConnection, found: BuildConstants | None = None) -> None:
    """Mark `cursor` as reading one read-only build for its whole life (see _PINNED); `found`:
    that build's constants when the caller already has them (then `of` asks nothing)."""
    with _LOCK:
        _PINNED[cursor] = found


def of(con: duckdb.DuckDBPyConnection) -> BuildConstants:
    """The constants of the build `con` reads: loaded on first use, then cached by build id and
    file identity (path, inode, size, modification time), so two files with the same build id
    (copies, test fixtures) or a file changed in place never share constants. Costs one small
    query and one stat; nothing on a pinned cursor's second call."""
    pinned = _PINNED.get(con)
    if pinned is not None:
        return pinned
    found = _of(con)
    if con in _PINNED:
        with _LOCK:
            _PINNED[con] = found
    return found


def _of(con: duckdb.DuckDBPyConnection) -> BuildConstants:
    row = con.execute(
        "SELECT (SELECT max(build_id) FROM build), "
        "(SELECT path FROM duckdb_databases() WHERE database_name = current_database())"
    ).fetchone()
    if row is None or row[0] is None:
        raise WijkradarError("the monitor database has no build record")
    key = (str(row[0]), *_identity(row[1]))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            hit = load(con)
            if len(_CACHE) >= 8:  # a long-running server sees a few builds; keep the latest
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = hit
    return hit


def _identity(path: str | None) -> tuple[str, int, int, int]:
    if not path:
        return ("", 0, 0, 0)  # an in-memory database
    try:
        st = os.stat(path)
    except OSError:
        return (path, 0, 0, 0)
    return (path, st.st_ino, st.st_size, st.st_mtime_ns)


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[Any]:
    return [r[0] for r in con.execute(sql, params or []).fetchall()]


def load(con: duckdb.DuckDBPyConnection) -> BuildConstants:
    """Read every constant of the build (a handful of queries, once per build)."""
    cursor = con.execute("SELECT * FROM build ORDER BY created_at DESC LIMIT 1")
    names = [d[0] for d in cursor.description]
    values = cursor.fetchone()
    if values is None:
        raise WijkradarError("the monitor database has no build record")
    build = dict(zip(names, values, strict=True))
    if isinstance(build.get("options"), str):
        build["options"] = json.loads(build["options"])
    years = tuple(
        int(y) for y in _column(con, "SELECT DISTINCT period FROM area_scores ORDER BY 1 DESC")
    ) or tuple(int(y) for y in _column(con, "SELECT DISTINCT year FROM regions ORDER BY 1 DESC"))
    frameworks = tuple(
        _column(con, "SELECT DISTINCT framework FROM area_scores ORDER BY framework DESC")
    )
    references = frozenset(
        str(r) for r in _column(con, "SELECT DISTINCT reference FROM area_scores")
    )
    national = next((r for r in sorted(references, reverse=True) if is_national(r)), NATIONAL_CODE)
    themes: dict[str, list[str]] = {}
    for fw, theme in con.execute(
        "SELECT DISTINCT framework, theme FROM theme_scores ORDER BY framework, theme"
    ).fetchall():
        themes.setdefault(str(fw), []).append(str(theme))
    characteristics = tuple(
        _column(con, "SELECT DISTINCT characteristic FROM characteristic_scores ORDER BY 1")
    )
    cursor = con.execute(
        "SELECT source_id, publisher, table_id, title, year, licence, checksum, retrieved_at,"
        " url, kind, n_observations, n_suppressed, n_missing FROM sources"
        " ORDER BY publisher, table_id, year, source_id"
    )
    src_names = [d[0] for d in cursor.description]
    sources = tuple(dict(zip(src_names, r, strict=True)) for r in cursor.fetchall())
    found = BuildConstants(
        build_id=str(build["build_id"]),
        build=build,
        methodology_version=build.get("methodology_version"),
        demo=bool(build.get("demo")),
        score_years=years,
        frameworks=frameworks,
        references=references,
        national=national,
        themes={k: tuple(v) for k, v in themes.items()},
        characteristics=characteristics,
        sources=sources,
        source_kinds={str(s["source_id"]): str(s["kind"]) for s in sources},
        region_codes=frozenset(
            str(c)
            for c in _column(
                con,
                "SELECT code FROM regions UNION SELECT parent_code FROM regions "
                "UNION SELECT gemeente_code FROM regions UNION SELECT provincie_code FROM regions",
            )
            if c
        ),
        protective_ids=_protective_ids(build.get("methodology_version")),
        declared=_declared(con, build.get("methodology_version")),
        averages=_averages(con, national),
        spreads=_spreads(con, national),
        breaks=_breaks(con),
        regions=_regions(con),
        renumbered=frozenset(
            str(c)
            for c in _column(
                con,
                "SELECT DISTINCT region_code FROM area_changes WHERE status = 'ok' "
                "AND base_code IS NOT NULL AND base_code <> region_code",
            )
        ),
        reasons=_reasons(con),
    )
    return dataclasses.replace(
        found, withheld=withheld(con, found.source_kinds, found.declared_units)
    )


def _protective_ids(version: str | None) -> frozenset[str]:
    from wijkradar.methodology import load_cached

    try:
        return frozenset(c.id for c in load_cached(version).protective_factors)
    except WijkradarError:
        return frozenset()


def _declared(con: duckdb.DuckDBPyConnection, version: str | None) -> dict[tuple[str, str], str]:
    """(indicator, source id) -> declared unit, for indicators a derivation takes unchanged
    from one variable (value = scale × numerator): the figure is what the source declared."""
    from wijkradar.methodology import load_cached

    try:
        m = load_cached(version)
    except WijkradarError:
        return {}
    direct: dict[str, set[str]] = {}
    for ind in m.indicators:
        for d in ind.derivations:
            if not d.denominator:
                direct.setdefault(d.numerator, set()).add(ind.id)
    if not direct:
        return {}
    out: dict[tuple[str, str], str] = {}
    for key, source_id, unit in con.execute(
        "SELECT key, source_id, unit FROM variables WHERE key IN (SELECT unnest(?))",
        [sorted(direct)],
    ).fetchall():
        for indicator in direct.get(str(key), ()):
            out[(indicator, str(source_id))] = str(unit or "")
    return out


def _averages(con: duckdb.DuckDBPyConnection, national: str) -> dict[Any, Average]:
    """Mean stacking and index of the areas with status ok, per level, year and framework,
    nationally and per gemeente, in one scan."""
    rows = con.execute(
        """
        SELECT a.level, a.period, a.framework, g.gemeente_code,
               avg(a.stacking), avg(a.overall_index), count(*), grouping(g.gemeente_code)
        FROM area_scores a
        LEFT JOIN regions g ON g.code = a.region_code AND g.year = a.period
        WHERE a.reference = ? AND a.status = 'ok'
        GROUP BY GROUPING SETS ((a.level, a.period, a.framework),
                                (a.level, a.period, a.framework, g.gemeente_code))
        """,
        [national],
    ).fetchall()
    out: dict[Any, Average] = {}
    for level, period, framework, gemeente, stacking, index, n, national_row in rows:
        key: tuple[Any, ...] = (str(level), int(period), str(framework))
        if not national_row:
            if gemeente is None:
                continue  # areas without a gemeente (gemeenten themselves)
            key += (str(gemeente),)
        out[key] = (stacking, index, int(n))
    return out


def _spreads(con: duckdb.DuckDBPyConnection, national: str) -> dict[tuple[str, int, str], Spread]:
    rows = con.execute(
        """
        SELECT level, period, characteristic, min(score),
               quantile_cont(score, 0.25), median(score), quantile_cont(score, 0.75),
               max(score), count(score)
        FROM characteristic_scores
        WHERE reference = ? AND score IS NOT NULL
        GROUP BY level, period, characteristic
        """,
        [national],
    ).fetchall()
    return {
        (str(r[0]), int(r[1]), str(r[2])): Spread(
            float(r[3]), float(r[4]), float(r[5]), float(r[6]), float(r[7]), int(r[8])
        )
        for r in rows
    }


def _reasons(
    con: duckdb.DuckDBPyConnection,
) -> dict[tuple[str, str, str, int], tuple[str, str | None]]:
    """Status reason codes of the areas without a score (a national build: ~60 000 rows, one
    per too-small area, level, reference and year), so a profile needs no join for them."""
    try:
        rows = con.execute(
            "SELECT region_code, level, reference, period, reason_code, reason_params "
            "FROM area_status_reasons"
        ).fetchall()
    except duckdb.CatalogException:
        return {}  # a build from before reason codes: its English status_reason is all there is
    return {
        (str(code), str(level), str(ref), int(period)): (str(reason), params)
        for code, level, ref, period, reason, params in rows
    }


def _regions(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, RegionYear]]:
    out: dict[str, dict[int, RegionYear]] = {}
    for row in con.execute(
        "SELECT code, year, level, name, parent_code, gemeente_code, provincie_code FROM regions"
    ).fetchall():
        region = RegionYear._make(row)
        out.setdefault(region.code, {})[int(region.year)] = region
    return out


def _breaks(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[SeriesBreak, ...]]:
    """Codes that stayed while their area changed (region_changes kind 'changed'): the series
    breaks `wijkradar regions` lists."""
    rows = con.execute(
        "SELECT code_from, year_from, year_to, any_value(note) FROM region_changes "
        "WHERE kind = 'changed' AND code_from = code_to "
        "GROUP BY code_from, year_from, year_to ORDER BY code_from, year_to"
    ).fetchall()
    out: dict[str, list[SeriesBreak]] = {}
    for code, year_from, year_to, note in rows:
        out.setdefault(str(code), []).append(
            SeriesBreak(int(year_from), int(year_to), str(note or ""))
        )
    return {k: tuple(v) for k, v in out.items()}
