"""Changes of region codes between years.

Three kinds of evidence, merged into one list of RegionChange:
1. Codes per level in consecutive years: a code present in both is "same"; one that vanishes is
   "disappeared" (code_to ""), one that is new is "appeared" (code_from "") unless a known
   reorganisation explains it.
2. Municipal reorganisations from `gemeente_changes.yml` (CBS list) and from sources: "merged"
   and "split".
3. CBS's IndelingswijzigingWijkenEnBuurten flag (1 unchanged, 2 code changed, 3 boundary
   changed): a wijk/buurt code present in both years with a flag other than 1 becomes "changed",
   a series break. Sources hand the flag over as RegionChange records of kind "flagged"
   (code_from == code_to, year_from = year_to - 1); they never reach the database as such.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from wijkradar.domain import Level, RegionChange

# CBS code: 1 = wijk/buurt unchanged since last year; any other value means code or area changed.
UNCHANGED_FLAG = 1.0
FLAG_VARIABLE = "IndelingswijzigingWijkenEnBuurten"
# Kind of a source's RegionChange that only says "the publisher flagged this code in year_to".
FLAGGED = "flagged"
FLAG_NOTE = "CBS flag"

BREAK_KINDS = frozenset({"changed", "disappeared", "appeared", "split"})


@dataclass(frozen=True)
class Reorganisations:
    source: str
    changes: tuple[RegionChange, ...]


def kwb_year(effective: dt.date) -> int:
    """First KWB year that shows a change: KWB Y describes the indeling of 1 January Y."""
    if (effective.month, effective.day) == (1, 1):
        return effective.year
    return effective.year + 1


def parse_reorganisations(document: Mapping[str, Any]) -> Reorganisations:
    """Turn the YAML document (see gemeente_changes.yml) into RegionChange records."""
    changes: list[RegionChange] = []
    for entry in document.get("changes", []):
        effective = entry["effective"]
        if isinstance(effective, str):
            effective = dt.date.fromisoformat(effective)
        year_to = kwb_year(effective)
        note = f"{entry.get('name', '')} ({effective.isoformat()})".strip()
        if entry["kind"] == "merged":
            for code in entry["from"]:
                into = entry["into"]
                merge = RegionChange(Level.GEMEENTE, year_to - 1, code, year_to, into, "merged")
                changes.append(merge if not note else _with_note(merge, note))
        elif entry["kind"] == "split":
            targets = list(entry["into"])
            for code in targets:
                changes.append(
                    RegionChange(
                        Level.GEMEENTE,
                        year_to - 1,
                        entry["from"],
                        year_to,
                        code,
                        "split",
                        1.0 / len(targets),
                        note + "; shares not known, weight is a placeholder",
                    )
                )
        else:
            raise ValueError(f"unknown reorganisation kind {entry['kind']!r} in {entry}")
    return Reorganisations(source=str(document.get("source", "")), changes=tuple(changes))


def _with_note(change: RegionChange, note: str) -> RegionChange:
    return dataclasses.replace(change, note=note)


@cache
def known_reorganisations() -> Reorganisations:
    """The CBS municipal reorganisations shipped with Wijkradar."""
    text = files("wijkradar.regions").joinpath("gemeente_changes.yml").read_text(encoding="utf-8")
    return parse_reorganisations(yaml.safe_load(text))


def detect_changes(
    codes_by_year: Mapping[int, Iterable[str]],
    *,
    known: Iterable[RegionChange] = (),
    flagged: Mapping[int, Iterable[str] | Mapping[str, str]] | None = None,
) -> list[RegionChange]:
    """Changes between each pair of consecutive years present, per level.

    `known` are merges/splits (reorganisation list, sources); those whose year pair lies within
    the years present are kept, and the codes they explain are not reported as appeared or
    disappeared. `flagged` maps a year to codes CBS flagged as changed since the year before
    (optionally code -> note); "flagged" records in `known` add to it. A flag on a code that is
    new that year is not a "changed" record: the code "appeared" (or a known change explains it).
    A known change for the same pair (e.g. a source's weighted "changed") wins over the flag.
    """
    years = sorted(codes_by_year)
    sets = {year: set(codes_by_year[year]) for year in years}
    flagged_sets: dict[int, dict[str, str]] = {}
    for year, codes in (flagged or {}).items():
        notes = codes if isinstance(codes, Mapping) else dict.fromkeys(codes, FLAG_NOTE)
        flagged_sets.setdefault(year, {}).update(notes)
    known = list(known)
    for change in known:
        if change.kind == FLAGGED:
            flagged_sets.setdefault(change.year_to, {})[change.code_to] = change.note or FLAG_NOTE
    known = [change for change in known if change.kind != FLAGGED]
    result: list[RegionChange] = []
    seen: set[tuple[int, str, int, str, str]] = set()

    def add(change: RegionChange) -> None:
        key = (change.year_from, change.code_from, change.year_to, change.code_to, change.kind)
        if key not in seen:
            seen.add(key)
            result.append(change)

    for before, after in itertools.pairwise(years):
        old, new = sets[before], sets[after]
        # Reorganisations in any year between the two (a gap year still had its changes).
        bridging = [
            c
            for c in known
            if before <= c.year_from
            and c.year_to <= after
            and (c.code_from in old or c.code_to in new)
        ]
        explained_from = {c.code_from for c in bridging}
        explained_to = {c.code_to for c in bridging}
        for change in bridging:
            add(change)
        for code in sorted(old & new):
            level = Level.from_code(code)
            note = flagged_sets.get(after, {}).get(code)
            if note is not None and level in (Level.WIJK, Level.BUURT):
                if code not in explained_to:
                    add(RegionChange(level, before, code, after, code, "changed", 1.0, note))
            elif code not in explained_from:
                add(RegionChange(level, before, code, after, code, "same"))
        for code in sorted(old - new):
            if code not in explained_from:
                add(RegionChange(Level.from_code(code), before, code, after, "", "disappeared"))
        for code in sorted(new - old):
            if code not in explained_to:
                add(RegionChange(Level.from_code(code), before, "", after, code, "appeared"))
    return result


def flagged_codes(rows: Iterable[tuple[str, int, float | None]]) -> dict[int, set[str]]:
    """Codes per year whose IndelingswijzigingWijkenEnBuurten value says 'changed'.

    `rows` are (region_code, period, value) of that variable; NULL means not known, not changed.
    """
    flagged: dict[int, set[str]] = {}
    for code, period, value in rows:
        if value is not None and value != UNCHANGED_FLAG:
            flagged.setdefault(period, set()).add(code)
    return flagged
