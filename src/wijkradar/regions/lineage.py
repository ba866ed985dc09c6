"""What did code X become, and where did it come from?"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wijkradar.domain import RegionChange


@dataclass(frozen=True)
class Step:
    """One link in a code's history: `code` in `year`, reached through `kind`."""

    year: int
    code: str
    kind: str
    weight: float = 1.0
    note: str = ""


def became(changes: Iterable[RegionChange], code: str, year: int) -> list[Step]:
    """Every code that `code` (as it was in `year`) turned into later, nearest year first.

    From (year, code) the next link is the earliest change from that code at or after `year`
    (years without a change may lie between). "same" links are followed silently; a code that
    disappeared without a known successor ends in a step with code "".
    """
    by_code: dict[str, list[RegionChange]] = {}
    for change in changes:
        by_code.setdefault(change.code_from, []).append(change)

    def next_links(key: tuple[int, str]) -> list[RegionChange]:
        later = [c for c in by_code.get(key[1], []) if c.year_from >= key[0]]
        first = min((c.year_from for c in later), default=None)
        return [c for c in later if c.year_from == first]

    steps: list[Step] = []
    for change in _walk((year, code), next_links, lambda c: (c.year_to, c.code_to)):
        steps.append(Step(change.year_to, change.code_to, change.kind, change.weight, change.note))
    return sorted(steps, key=lambda s: (s.year, s.code))


def came_from(changes: Iterable[RegionChange], code: str, year: int) -> list[Step]:
    """Every earlier code that went (wholly or partly) into `code` as it is in `year`."""
    by_code: dict[str, list[RegionChange]] = {}
    for change in changes:
        by_code.setdefault(change.code_to, []).append(change)

    def previous_links(key: tuple[int, str]) -> list[RegionChange]:
        earlier = [c for c in by_code.get(key[1], []) if c.year_to <= key[0]]
        last = max((c.year_to for c in earlier), default=None)
        return [c for c in earlier if c.year_to == last]

    steps: list[Step] = []
    for change in _walk((year, code), previous_links, lambda c: (c.year_from, c.code_from)):
        step = Step(change.year_from, change.code_from, change.kind, change.weight, change.note)
        steps.append(step)
    return sorted(steps, key=lambda s: (-s.year, s.code))


def _walk(
    start: tuple[int, str],
    links: Callable[[tuple[int, str]], list[RegionChange]],
    other_end: Callable[[RegionChange], tuple[int, str]],
) -> list[RegionChange]:
    """Breadth-first over changes; returns the non-"same" ones met on the way."""
    found: list[RegionChange] = []
    frontier = [start]
    visited: set[tuple[int, str]] = set()
    while frontier:
        key = frontier.pop(0)
        if key in visited or not key[1]:
            continue
        visited.add(key)
        for change in links(key):
            if change.kind != "same":
                found.append(change)
            frontier.append(other_end(change))
    return found


def code_in_year(changes: Iterable[RegionChange], code: str, year: int, target: int) -> str | None:
    """The single code `code` (in `year`) is part of in `target` (later), or None when it was
    split, disappeared, or its trail is lost. Used to map gemeente series onto one year."""
    if target < year:
        raise ValueError("target year must not precede the code's year")
    return _follow(_trail_index(changes, year, target), code, year)


def codes_in_year(changes: Iterable[RegionChange], target: int) -> Callable[[str, int], str | None]:
    """code_in_year(changes, code, year, target) for many codes: the changes are filtered,
    sorted and indexed once per start year instead of once per code."""
    kept = list(changes)
    indexes: dict[int, _TrailIndex] = {}

    def find(code: str, year: int) -> str | None:
        if target < year:
            raise ValueError("target year must not precede the code's year")
        if year not in indexes:
            indexes[year] = _trail_index(kept, year, target)
        return _follow(indexes[year], code, year)

    return find


# (changes by code_from in the order they apply, the years changes take effect)
_TrailIndex = tuple[dict[str, list[RegionChange]], list[int]]


def _trail_index(changes: Iterable[RegionChange], year: int, target: int) -> _TrailIndex:
    by_from: dict[str, list[RegionChange]] = {}
    ordered = sorted(
        (c for c in changes if year <= c.year_from and c.year_to <= target),
        key=lambda c: (c.year_to, c.year_from),
    )
    for change in ordered:
        by_from.setdefault(change.code_from, []).append(change)
    return by_from, sorted({c.year_to for c in ordered})


def _follow(index: _TrailIndex, code: str, year: int) -> str | None:
    by_from, change_years = index
    current, current_year = code, year
    for change_year in change_years:
        moves = [
            c
            for c in by_from.get(current, [])
            if c.year_to == change_year and c.year_from >= current_year
        ]
        if not moves:
            continue
        kinds = {c.kind for c in moves}
        targets = {c.code_to for c in moves}
        if kinds & {"split", "disappeared"} or len(targets) != 1:
            return None
        current, current_year = targets.pop(), change_year
    return current
