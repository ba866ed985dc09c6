"""Indicators from source variables, per the methodology's derivations.

value = scale × numerator / Σ denominator  (or the numerator itself when there is none).
Status: suppressed if any input is suppressed, else missing if any input is missing or the
denominator is 0; areas below the minimum population are too_small, with a NULL value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wijkradar.compute.inputs import MISSING, OK, SUPPRESSED, TOO_SMALL, LevelYear
from wijkradar.domain.methodology import Derivation, Indicator, Methodology


@dataclass(frozen=True)
class IndicatorMatrix:
    """Areas × indicators for one level and year."""

    ids: tuple[str, ...]
    values: npt.NDArray[np.float64]  # (n, k), NaN unless status OK
    status: npt.NDArray[np.int8]  # (n, k)
    sources: npt.NDArray[np.int32]  # (n, k) index into source_sets
    source_sets: tuple[tuple[str, ...], ...]  # distinct source-id tuples; 0 is ()
    too_small: npt.NDArray[np.bool_]  # (n,) below the minimum population
    population_known: npt.NDArray[np.bool_]  # (n,)


SourceIndex = npt.NDArray[np.int32]


def derive_one(
    data: LevelYear, derivation: Derivation
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], SourceIndex]:
    """One derivation: value, status and, per area, the source of each input variable
    ((n, inputs) indices into data.source_ids, -1 for none)."""
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
    return value, status, np.column_stack(src_lists).astype(np.int32)


def derive(
    data: LevelYear, indicator: Indicator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], SourceIndex]:
    """The first derivation valid in this year whose numerator was delivered wins."""
    candidates = indicator.derivation_for(data.period)
    for derivation in candidates:
        if derivation.numerator in data.values:
            return derive_one(data, derivation)
    return (
        np.full(data.n, np.nan),
        np.full(data.n, MISSING, dtype=np.int8),
        np.full((data.n, 1), -1, dtype=np.int32),
    )


def indicator_matrix(data: LevelYear, methodology: Methodology) -> IndicatorMatrix:
    """All indicators of the methodology that apply to this level."""
    settings = methodology.settings
    inds = [i for i in methodology.indicators if data.level in i.levels]
    pop, pop_s, _ = data.variable(settings.population_variable)
    population_known = pop_s == OK
    too_small = population_known & (pop < settings.min_population)
    values = np.full((data.n, len(inds)), np.nan)
    status = np.full((data.n, len(inds)), MISSING, dtype=np.int8)
    sources = np.zeros((data.n, len(inds)), dtype=np.int32)
    sets: dict[tuple[str, ...], int] = {(): 0}
    for j, ind in enumerate(inds):
        v, s, src = derive(data, ind)
        values[:, j] = np.where(too_small, np.nan, v)
        status[:, j] = np.where(too_small, TOO_SMALL, s)
        sources[:, j] = _source_sets(src, data.source_ids, sets)
    return IndicatorMatrix(
        ids=tuple(i.id for i in inds),
        values=values,
        status=status,
        sources=sources,
        source_sets=tuple(sets),
        too_small=too_small,
        population_known=population_known,
    )


def _source_sets(
    src: SourceIndex, source_ids: tuple[str, ...], sets: dict[tuple[str, ...], int]
) -> SourceIndex:
    """Per area the index (in `sets`, extended as needed) of its distinct source ids, in input
    order. Only the few distinct combinations are turned into strings."""
    combos, inverse = _unique_rows(src)
    index = np.empty(len(combos), dtype=np.int32)
    for c, combo in enumerate(combos):
        ids = tuple(dict.fromkeys(source_ids[i] for i in combo if i >= 0))
        index[c] = sets.setdefault(ids, len(sets))
    return index[inverse.reshape(-1)]


def _unique_rows(src: SourceIndex) -> tuple[SourceIndex, npt.NDArray[np.intp]]:
    """np.unique(src, axis=0, return_inverse=True), in the same (lexicographic) order: each row
    of small source indices packed into one integer, whose order is the rows' order, so the
    sort is of one int64 column instead of rows as byte strings."""
    n, m = src.shape
    base = int(src.max(initial=-1)) + 2  # indices run from -1 (no source)
    if n == 0 or m == 0 or m * math.log2(max(base, 2)) >= 62:
        combos, inverse = np.unique(src, axis=0, return_inverse=True)
        return combos, inverse.reshape(-1)
    key = np.zeros(n, dtype=np.int64)
    for j in range(m):
        key = key * base + (src[:, j].astype(np.int64) + 1)
    packed, inverse = np.unique(key, return_inverse=True)
    combos = np.empty((packed.size, m), dtype=src.dtype)
    rest = packed
    for j in range(m - 1, -1, -1):
        combos[:, j] = rest % base - 1
        rest = rest // base
    return combos, inverse.reshape(-1)
