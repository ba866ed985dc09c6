"""Indicators from source variables, per the methodology's derivations.

value = scale × numerator / Σ denominator  (or the numerator itself when there is none).
Status: suppressed if any input is suppressed, else missing if any input is missing or the
denominator is 0; areas below the minimum population are too_small, with a NULL value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wijkradar.compute.inputs import MISSING, OK, SUPPRESSED, TOO_SMALL, LevelYear, ObjArray
from wijkradar.domain.methodology import Derivation, Indicator, Methodology


@dataclass(frozen=True)
class IndicatorMatrix:
    """Areas × indicators for one level and year."""

    ids: tuple[str, ...]
    values: npt.NDArray[np.float64]  # (n, k), NaN unless status OK
    status: npt.NDArray[np.int8]  # (n, k)
    sources: tuple[ObjArray, ...]  # per indicator: per area a tuple of source ids
    too_small: npt.NDArray[np.bool_]  # (n,) below the minimum population
    population_known: npt.NDArray[np.bool_]  # (n,)


def derive_one(
    data: LevelYear, derivation: Derivation
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], ObjArray]:
    """One derivation: value, status and source ids per area."""
    num, num_s, num_src = data.variable(derivation.numerator)
    status = num_s.copy()
    src_lists = [num_src]
    if derivation.denominator:
        den = np.zeros(data.n)
        for key in derivation.denominator:
            v, s, src = data.variable(key)
            den = den + np.where(s == OK, v, 0.0)
            status = np.maximum(status, s)  # SUPPRESSED (1) < MISSING (2): see below
            src_lists.append(src)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = derivation.scale * num / den
        status = np.where((status == OK) & (den == 0), MISSING, status).astype(np.int8)
    else:
        value = derivation.scale * num
    # A suppressed input wins over a missing one: the publisher hid a number that exists.
    any_suppressed = num_s == SUPPRESSED
    for key in derivation.denominator:
        any_suppressed |= data.variable(key)[1] == SUPPRESSED
    status = np.where(any_suppressed, SUPPRESSED, status).astype(np.int8)
    value = np.where(status == OK, value, np.nan)
    return value, status, _source_tuples(src_lists)


def _source_tuples(src_lists: list[ObjArray]) -> ObjArray:
    first = src_lists[0]
    if all(np.array_equal(first, other) for other in src_lists[1:]):
        out = np.empty(first.size, dtype=object)
        out[:] = [() if s is None else (s,) for s in first]
        return out
    out = np.empty(first.size, dtype=object)
    out[:] = [
        tuple(dict.fromkeys(s for s in row if s is not None))
        for row in zip(*src_lists, strict=True)
    ]
    return out


def derive(
    data: LevelYear, indicator: Indicator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], ObjArray]:
    """The first derivation valid in this year whose numerator was delivered wins."""
    candidates = indicator.derivation_for(data.period)
    for derivation in candidates:
        if derivation.numerator in data.values:
            return derive_one(data, derivation)
    empty = np.empty(data.n, dtype=object)
    empty[:] = [()] * data.n
    return np.full(data.n, np.nan), np.full(data.n, MISSING, dtype=np.int8), empty


def indicator_matrix(data: LevelYear, methodology: Methodology) -> IndicatorMatrix:
    """All indicators of the methodology that apply to this level."""
    settings = methodology.settings
    inds = [i for i in methodology.indicators if data.level in i.levels]
    pop, pop_s, _ = data.variable(settings.population_variable)
    population_known = pop_s == OK
    too_small = population_known & (pop < settings.min_population)
    values = np.full((data.n, len(inds)), np.nan)
    status = np.full((data.n, len(inds)), MISSING, dtype=np.int8)
    sources = []
    for j, ind in enumerate(inds):
        v, s, src = derive(data, ind)
        values[:, j] = np.where(too_small, np.nan, v)
        status[:, j] = np.where(too_small, TOO_SMALL, s)
        sources.append(src)
    return IndicatorMatrix(
        ids=tuple(i.id for i in inds),
        values=values,
        status=status,
        sources=tuple(sources),
        too_small=too_small,
        population_known=population_known,
    )
