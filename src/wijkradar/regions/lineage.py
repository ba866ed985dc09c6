"""What did code X become, and where did it come from?"""

from __future__ import annotations

from collections.abc import Iterable
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

    Follows merges, splits, recodings and breaks forward; "same" links are followed silently.
    A code that disappeared without a known successor ends in a step with code "".
    """
    forward: dict[tuple[int, str], list[RegionChange]] = {}
    for change in changes:
        forward.setdefault((change.year_from, change.code_from), []).append(change)
    steps: list[Step] = []
    frontier = [(year, code)]
    visited: set[tuple[int, str]] = set()
    while frontier:
        key = frontier.pop(0)
        if key in visited or not key[1]:
            continue
        visited.add(key)
        for change in forward.get(key, []):
            if change.kind != "same":
                steps.append(
                    Step(change.year_to, change.code_to, change.kind, change.weight, change.note)
                )
            frontier.append((change.year_to, change.code_to))
    return sorted(steps, key=lambda s: (s.year, s.code))


def came_from(changes: Iterable[RegionChange], code: str, year: int) -> list[Step]:
    """Every earlier code that went (wholly or partly) into `code` as it is in `year`."""
    backward: dict[tuple[int, str], list[RegionChange]] = {}
    for change in changes:
        backward.setdefault((change.year_to, change.code_to), []).append(change)
    steps: list[Step] = []
    frontier = [(year, code)]
    visited: set[tuple[int, str]] = set()
    while frontier:
        key = frontier.pop(0)
        if key in visited or not key[1]:
            continue
        visited.add(key)
        for change in backward.get(key, []):
            if change.kind != "same":
                step = Step(
                    change.year_from, change.code_from, change.kind, change.weight, change.note
                )
                steps.append(step)
            frontier.append((change.year_from, change.code_from))
    return sorted(steps, key=lambda s: (-s.year, s.code))


def code_in_year(changes: Iterable[RegionChange], code: str, year: int, target: int) -> str | None:
    """The single code `code` (in `year`) is part of in `target` (later), or None when it was
    split, disappeared, or its trail is lost. Used to map gemeente series onto one year."""
    if target < year:
        raise ValueError("target year must not precede the code's year")
    by_from: dict[str, list[RegionChange]] = {}
    ordered = sorted(
        (c for c in changes if year <= c.year_from and c.year_to <= target),
        key=lambda c: (c.year_to, c.year_from),
    )
    current, current_year = code, year
    for change in ordered:
        by_from.setdefault(change.code_from, []).append(change)
    for change_year in sorted({c.year_to for c in ordered}):
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
