"""Fit-gap: flagged characteristics (and the groups they point to) per wijk against the
initiatives that serve them there. A white spot is a flagged characteristic (or a group in
need) with no local initiative in the wijk's gemeente serving it. National measures are listed
but do not close a local white spot: they are not a place to go.

The monitor side comes from the monitor DuckDB through the store's read functions; the
initiatives from the operational store (the register).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.ops.arrears import reach
from wijkradar.registers import initiatives
from wijkradar.registers.models import Group
from wijkradar.store import queries
from wijkradar.store.reader import open_read

#: a group is in need in a wijk when at least this share of its characteristics is flagged
GROUP_NEED_SHARE = 0.5


@dataclass
class AreaGap:
    code: str
    name: str
    level: str
    stacking: int | None
    flagged: list[str]
    covered: dict[str, list[str]]  # characteristic -> initiative names serving it here
    white_spots: list[str]  # flagged characteristics nothing serves
    groups_in_need: list[str] = field(default_factory=list)
    group_white_spots: list[str] = field(default_factory=list)
    signalled: bool = False  # any arrears signal in the wijk (all months)
    #: arrears signals in the wijk (all months), released (None: hidden, or none at all)
    signals: int | None = None
    unmet_signals: int | None = None  # of which in a wijk where nothing serves the buffer


@dataclass(frozen=True)
class Coverage:
    """National view per characteristic: flagged areas and how many have a local initiative."""

    characteristic: str
    flagged_areas: int
    covered_areas: int

    @property
    def share(self) -> float | None:
        if self.flagged_areas == 0:
            return None
        return round(100 * self.covered_areas / self.flagged_areas, 1)


def _group_characteristics(session: Session) -> dict[str, list[str]]:
    return {
        g.id: json.loads(g.characteristics)
        for g in session.scalars(select(Group).order_by(Group.id))
    }


def _serving(items: Iterable[initiatives.Initiative]) -> dict[str, dict[str, list[str]]]:
    """gemeente -> characteristic/group key -> initiative names (local only)."""
    out: dict[str, dict[str, list[str]]] = {}
    for item in items:
        if item.kind != "local":
            continue
        for code in item.gemeenten:
            bucket = out.setdefault(code, {})
            for key in [*item.characteristics, *(f"group:{g}" for g in item.groups)]:
                bucket.setdefault(key, []).append(item.name)
    return out


def serving(session: Session, gemeente: str) -> dict[str, list[str]]:
    """characteristic (or "group:<id>") -> names of the local initiatives serving it in
    `gemeente`: what closes a white spot there."""
    return _serving(initiatives.search(session, gemeente=gemeente)).get(gemeente, {})


def flagged_at(con: duckdb.DuckDBPyConnection, code: str, year: int) -> list[str]:
    """The risk characteristics flagged for one area in `year` (national reference)."""
    return [
        c
        for (c,) in con.execute(
            "SELECT characteristic FROM characteristic_scores WHERE region_code = ? "
            "AND period = ? AND reference = 'NL01' AND flagged ORDER BY characteristic",
            [code, year],
        ).fetchall()
        if not c.startswith("nearby_")
    ]


def area_gap(
    con: duckdb.DuckDBPyConnection,
    session: Session,
    code: str,
    year: int | None = None,
    served: dict[str, list[str]] | None = None,
) -> AreaGap | None:
    """The fit-gap of one gemeente, wijk or buurt (the area profile's panel), read for that
    area alone; None for another level or an area the monitor lacks in `year`. `served`: the
    gemeente's `serving(...)` when the caller has it already."""
    level = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}.get(code[:2])
    year = year or _latest(con)
    area = queries.region(con, code, year) if level and year else None
    if area is None or level is None or year is None or area["level"] != level:
        return None
    flagged = flagged_at(con, code, year)
    found = con.execute(
        "SELECT stacking FROM area_scores WHERE region_code = ? AND period = ? "
        "AND framework = ? AND reference = 'NL01'",
        [code, year, _framework(con)],
    ).fetchone()
    gemeente = "GM" + code[2:6]
    return _gap(
        area,
        level,
        found[0] if found else None,
        flagged,
        serving(session, gemeente) if served is None else served,
        _group_characteristics(session),
        _signals(session, gemeente),
    )


def _latest(con: duckdb.DuckDBPyConnection) -> int | None:
    return queries.latest_year(con)


def area_gaps(
    con: duckdb.DuckDBPyConnection,
    session: Session,
    gemeente: str,
    level: str = "wijk",
    year: int | None = None,
) -> list[AreaGap]:
    """One row per wijk (or buurt) of `gemeente` in the latest scored year."""
    year = year or _latest(con)
    if year is None:
        return []
    areas = queries.regions_at(con, level, year, within=gemeente)
    scores = queries.characteristic_scores_at(con, level, year, "NL01")
    stack = queries.area_scores_at(con, level, year, _framework(con), "NL01")
    serving = _serving(initiatives.search(session, gemeente=gemeente)).get(gemeente, {})
    group_chars = _group_characteristics(session)
    signals = _signals(session, gemeente)
    out: list[AreaGap] = []
    for area in areas:
        code = area["code"]
        flagged = sorted(
            char
            for (region, char), row in scores.items()
            if region == code and row["flagged"] and not char.startswith("nearby_")
        )
        stacking = (stack.get(code) or {}).get("stacking")
        out.append(_gap(area, level, stacking, flagged, serving, group_chars, signals))
    return out


def _gap(
    area: Mapping[str, Any],
    level: str,
    stacking: int | None,
    flagged: list[str],
    serving: dict[str, list[str]],
    group_chars: dict[str, list[str]],
    signals: dict[str, int | None],
) -> AreaGap:
    code = area["code"]
    in_need = [
        g
        for g, chars in group_chars.items()
        if chars and sum(c in flagged for c in chars) / len(chars) >= GROUP_NEED_SHARE
    ]
    gap = AreaGap(
        code=code,
        name=area["name"],
        level=level,
        stacking=stacking,
        flagged=flagged,
        covered={c: serving[c] for c in flagged if c in serving},
        white_spots=[c for c in flagged if c not in serving],
        groups_in_need=in_need,
        group_white_spots=[g for g in in_need if f"group:{g}" not in serving],
    )
    if code in signals:
        gap.signalled = True
        gap.signals = signals[code]
        gap.unmet_signals = signals[code] if "financial_buffer" not in serving else 0
    return gap


def _framework(con: duckdb.DuckDBPyConnection) -> str:
    found = queries.frameworks(con)
    return "characteristics" if "characteristics" in found else (found[0] if found else "")


def _signals(session: Session, gemeente: str) -> dict[str, int | None]:
    """Arrears signals per wijk over all months (live signals plus what purges kept), released
    as the reach page releases them (reach.released_signals: linked with the gemeente's total,
    the months and their partner kinds), so the two pages never differ and no combination of
    their sums pins a hidden count."""
    totals = reach.released_signals(reach.counts(session, gemeente)).totals
    return {wijk: n for wijk, n in totals.items() if wijk}


def national(
    con: duckdb.DuckDBPyConnection, session: Session, level: str = "wijk"
) -> list[Coverage]:
    """Per characteristic, over every area of `level`: flagged areas and how many of those lie
    in a gemeente with a local initiative serving the characteristic; least covered first."""
    year = _latest(con)
    if year is None:
        return []
    gemeente_of = {r["code"]: r["gemeente_code"] for r in queries.regions_at(con, level, year)}
    serving = _serving(initiatives.search(session))
    flagged: dict[str, int] = {}
    covered: dict[str, int] = {}
    for (code, char), row in queries.characteristic_scores_at(con, level, year, "NL01").items():
        if not row["flagged"] or char.startswith("nearby_"):
            continue
        flagged[char] = flagged.get(char, 0) + 1
        if char in serving.get(gemeente_of.get(code) or "", {}):
            covered[char] = covered.get(char, 0) + 1
    rows = [Coverage(c, n, covered.get(c, 0)) for c, n in flagged.items()]
    return sorted(
        rows, key=lambda r: (r.share if r.share is not None else math.inf, r.characteristic)
    )


def white_spots_per_gemeente(
    con: duckdb.DuckDBPyConnection, session: Session, level: str = "wijk"
) -> dict[str, int]:
    """gemeente -> number of (area, characteristic) white spots in it: the national map."""
    year = _latest(con)
    if year is None:
        return {}
    gemeente_of = {r["code"]: r["gemeente_code"] for r in queries.regions_at(con, level, year)}
    serving = _serving(initiatives.search(session))
    out: dict[str, int] = {}
    for (code, char), row in queries.characteristic_scores_at(con, level, year, "NL01").items():
        if not row["flagged"] or char.startswith("nearby_"):
            continue
        gemeente = gemeente_of.get(code) or ""
        if gemeente and char not in serving.get(gemeente, {}):
            out[gemeente] = out.get(gemeente, 0) + 1
    return out


def open_monitor(db: Path) -> duckdb.DuckDBPyConnection | None:
    return open_read(db) if db.exists() else None
