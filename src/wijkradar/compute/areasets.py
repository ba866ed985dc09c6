"""An area set against the other areas of its level over the years (000 §7.1, 'effect over time').

Per measure (overall index, stacking, each characteristic score; national reference) and year:
gap = mean over the set − mean over the other areas with a value. Over the years: the
least-squares slope of the gap per year, and whether it narrows, i.e. |gap| in the last year is
smaller than in the first (by more than 1e-6). Scores are percentiles of their own year, so a gap
is a difference in position, not in level.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

CAVEATS = {
    "nl": (
        "Een kleiner verschil is geen bewijs dat beleid werkte: er is geen vergelijkingsgroep "
        "die het beleid niet kreeg, en andere oorzaken (verhuizingen, nieuwbouw, de economie) "
        "spelen mee.",
        "Regressie naar het gemiddelde: gebieden die gekozen zijn omdat ze hoog scoorden, zakken "
        "vaak vanzelf terug naar het midden, ook zonder enig effect.",
        "Scores zijn percentielen per jaar: een kleiner verschil betekent dat de set ten opzichte "
        "van de andere gebieden verschoof, niet dat de problemen absoluut afnamen.",
        "Bij een reeksbreuk (herindeling, nieuwe wijkgrenzen, een nieuwe CBS-maat) is een jaar "
        "niet met het vorige te vergelijken.",
    ),
    "en": (
        "A smaller gap does not show that policy worked: there is no comparison group that did "
        "not get the policy, and other causes (moves, new housing, the economy) play a part.",
        "Regression to the mean: areas chosen because they scored high often drift back towards "
        "the middle by themselves, without any effect.",
        "Scores are percentiles per year: a smaller gap means the set moved relative to the "
        "other areas, not that problems fell in absolute terms.",
        "At a series break (merger, new wijk boundaries, a new CBS measure) a year cannot be "
        "compared with the one before.",
    ),
}


@dataclass(frozen=True)
class GapPoint:
    year: int
    mean_set: float | None
    mean_rest: float | None
    gap: float | None
    n_set: int
    n_rest: int


@dataclass(frozen=True)
class GapSeries:
    measure: str
    points: tuple[GapPoint, ...]
    slope: float | None  # change of the gap per year (least squares)
    narrows: bool | None  # |gap| last year < |gap| first year


def gap_series(
    measure: str, by_year: Mapping[int, Mapping[str, float]], members: Collection[str]
) -> GapSeries:
    """The gap of one measure for every year in by_year ({year: {code: value}})."""
    points = []
    for year in sorted(by_year):
        values = by_year[year]
        inside = [v for c, v in values.items() if c in members]
        outside = [v for c, v in values.items() if c not in members]
        mean_set = float(np.mean(inside)) if inside else None
        mean_rest = float(np.mean(outside)) if outside else None
        gap = mean_set - mean_rest if mean_set is not None and mean_rest is not None else None
        points.append(GapPoint(year, mean_set, mean_rest, gap, len(inside), len(outside)))
    known = [p for p in points if p.gap is not None]
    slope: float | None = None
    narrows: bool | None = None
    if len(known) >= 2:
        years = np.array([p.year for p in known], dtype=float)
        gaps = np.array([p.gap for p in known], dtype=float)
        slope = float(np.polyfit(years, gaps, 1)[0])
        # A tolerance, so that equal gaps read back from floats never count as narrowing.
        narrows = bool(abs(gaps[-1]) < abs(gaps[0]) - 1e-6)
    return GapSeries(measure, tuple(points), slope, narrows)
