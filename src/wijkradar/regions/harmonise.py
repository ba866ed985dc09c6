"""Gemeente series on one year's municipalities.

A municipality that was formed by a merger has no figures of its own for the years before; for
counts we can add up its predecessors:

    value(G, p) = sum of value(c, p) over all codes c of year p that lie wholly in G (year T)

Method per harmonised value:
- "same": G consists of exactly one code of year p (unchanged or only renamed): value copied.
- "summed": G consists of several codes of year p and the variable is a count; the sum is OK only
  when every predecessor has an OK value, otherwise NULL with the worst status (suppressed beats
  missing).
- "break": the value cannot be carried over: a ratio, average or percentage of a merged
  municipality (these do not add up), or G received part of a split municipality (shares unknown).
  Value NULL, status "missing".
Wijk and buurt series are never harmonised here: their changes are recorded as breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import pyarrow as pa

from wijkradar.domain import RegionChange, Status
from wijkradar.regions.changes import FLAG_VARIABLE
from wijkradar.regions.lineage import code_in_year, codes_in_year

HARMONISED_SCHEMA = pa.schema(
    [
        pa.field("target_year", pa.int32(), nullable=False),
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("level", pa.string(), nullable=False),
        pa.field("period", pa.int32(), nullable=False),
        pa.field("variable", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("method", pa.string(), nullable=False),
    ]
)

COUNT_UNIT = "aantal"


def summable(key: str, unit: str) -> bool:
    """Counts add up; CBS also labels averages such as GemiddeldeHuishoudensgrootte 'aantal'."""
    return unit == COUNT_UNIT and not key.startswith("Gemiddeld") and key != FLAG_VARIABLE


def harmonise_gemeenten(
    observations: pa.Table,
    units: Mapping[str, str],
    changes: Iterable[RegionChange],
    target_year: int,
    target_codes: Iterable[str],
) -> pa.Table:
    """Harmonise gemeente observations (OBSERVATION_SCHEMA columns) to `target_year`'s gemeenten.

    Periods after the target year are carried only for codes unchanged since the target year.
    """
    changes = [c for c in changes if c.level == "gemeente"]
    targets = set(target_codes)
    rows = observations.select(["region_code", "period", "variable", "value", "status"])
    cells: dict[tuple[int, str, str], tuple[float | None, str]] = {}
    codes_by_period: dict[int, set[str]] = {}
    variables: set[str] = set()
    for code, period, variable, value, status in zip(
        *(rows.column(i).to_pylist() for i in range(5)), strict=True
    ):
        cells[(period, code, variable)] = (value, status)
        codes_by_period.setdefault(period, set()).add(code)
        variables.add(variable)

    to_target = codes_in_year(changes, target_year)

    @cache
    def mapped(code: str, period: int) -> str | None:
        if period <= target_year:
            return to_target(code, period)
        # Later than the target: only an unchanged code carries back.
        touched = any(
            target_year <= c.year_from
            and c.year_to <= period
            and c.kind != "same"
            and code in (c.code_from, c.code_to)
            for c in changes
        )
        return None if touched else code

    out: dict[str, list[object]] = {name: [] for name in HARMONISED_SCHEMA.names}
    for period in sorted(codes_by_period):
        members: dict[str, set[str]] = {}
        candidates = set(codes_by_period[period])
        # Predecessors that should be there even when a source left them out.
        candidates |= _expected_predecessors(changes, period, target_year)
        for code in candidates:
            target = mapped(code, period)
            if target is not None and target in targets:
                members.setdefault(target, set()).add(code)
        broken = _split_receivers(changes, period, target_year)
        for target in sorted(members):
            parts = sorted(members[target])
            for variable in sorted(variables):
                present = [cells.get((period, code, variable)) for code in parts]
                if all(cell is None for cell in present):
                    continue
                value, status, method = _combine(
                    variable, units.get(variable, ""), present, target in broken
                )
                for name, item in (
                    ("target_year", target_year),
                    ("region_code", target),
                    ("level", "gemeente"),
                    ("period", period),
                    ("variable", variable),
                    ("value", value),
                    ("status", status),
                    ("method", method),
                ):
                    out[name].append(item)
    return pa.table(out, schema=HARMONISED_SCHEMA)


def _combine(
    variable: str,
    unit: str,
    present: list[tuple[float | None, str] | None],
    broken: bool,
) -> tuple[float | None, str, str]:
    if broken:
        return None, Status.MISSING.value, "break"
    if len(present) == 1:
        cell = present[0]
        assert cell is not None
        return cell[0], cell[1], "same"
    if not summable(variable, unit):
        return None, Status.MISSING.value, "break"
    statuses = [Status.MISSING.value if cell is None else cell[1] for cell in present]
    if all(status == Status.OK.value for status in statuses):
        return sum(cell[0] or 0.0 for cell in present if cell is not None), "ok", "summed"
    worst = Status.SUPPRESSED if Status.SUPPRESSED.value in statuses else Status.MISSING
    return None, worst.value, "summed"


def _expected_predecessors(changes: list[RegionChange], period: int, target_year: int) -> set[str]:
    """Codes that existed in `period` and later merged: each should have a row to sum.

    A code created by a merger after `period` (and merged again later) did not exist yet.
    """
    merges = [
        c
        for c in changes
        if c.kind == "merged" and period <= c.year_from and c.year_to <= target_year
    ]
    continuing = {(c.year_to, c.code_to) for c in merges if c.code_from == c.code_to}
    created = {
        c.code_to for c in merges if period < c.year_to and (c.year_to, c.code_to) not in continuing
    }
    return {c.code_from for c in merges} - created


def _split_receivers(changes: list[RegionChange], period: int, target_year: int) -> set[str]:
    """Target-year codes that received part of a municipality split after `period`."""
    receivers: set[str] = set()
    for change in changes:
        if change.kind == "split" and period <= change.year_from and change.year_to <= target_year:
            later = code_in_year(changes, change.code_to, change.year_to, target_year)
            if later is not None:
                receivers.add(later)
    return receivers
