"""Validity checks: does the monitor rank areas the way an outcome measured elsewhere does?

- **Spearman's ρ** between a monitor measure and the outcome over the n areas that have both:
  the Pearson correlation of their average ranks (ties averaged). With it an approximate 95 %
  interval by Fisher's z with the Spearman standard error of Fieller, Hartley & Pearson (1957):
  tanh(atanh ρ ± 1.96 × √(1.06 / (n − 3))).
- **AUC** of a measure for an area set against the other areas: the probability that a random
  area of the set has a higher value than a random other area (ties count half), i.e. the
  Mann–Whitney U / (n_set × n_rest). 0.5 = the measure does not tell the set apart.

Neither is a causal statement; with few areas the interval is wide, and it is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wijkradar.compute.ranks import grouped_ranks

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Correlation:
    rho: float | None
    n: int
    lower: float | None  # approximate 95 % interval
    upper: float | None


def _ranks(x: FloatArray) -> FloatArray:
    rank, _ = grouped_ranks(x, np.zeros(x.size, dtype=np.int64))
    return rank


def spearman(x: FloatArray, y: FloatArray) -> Correlation:
    """Spearman's ρ over the pairs where both are present, with n and a 95 % interval."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    both = ~np.isnan(x) & ~np.isnan(y)
    n = int(both.sum())
    if n < 3:
        return Correlation(None, n, None, None)
    rx, ry = _ranks(x[both]), _ranks(y[both])
    rx, ry = rx - rx.mean(), ry - ry.mean()
    den = math.sqrt(float((rx**2).sum() * (ry**2).sum()))
    if den == 0:
        return Correlation(None, n, None, None)
    rho = float((rx * ry).sum() / den)
    if n <= 3 or abs(rho) >= 1:
        return Correlation(rho, n, None, None)
    half = 1.959964 * math.sqrt(1.06 / (n - 3))
    z = math.atanh(rho)
    return Correlation(rho, n, math.tanh(z - half), math.tanh(z + half))


def auc(values: FloatArray, in_set: npt.NDArray[np.bool_]) -> tuple[float | None, int, int]:
    """(AUC, n in set, n rest) over the areas with a value; None when either side is empty."""
    v = np.asarray(values, dtype=np.float64)
    s = np.asarray(in_set, dtype=bool)
    have = ~np.isnan(v)
    v, s = v[have], s[have]
    n1, n0 = int(s.sum()), int((~s).sum())
    if n1 == 0 or n0 == 0:
        return None, n1, n0
    r = _ranks(v)
    u = float(r[s].sum()) - n1 * (n1 + 1) / 2.0
    return u / (n1 * n0), n1, n0


@dataclass(frozen=True)
class ValidityRow:
    measure: str
    correlation: Correlation
    auc: float | None = None  # of the area set against the rest, when a set is given
    n_set: int = 0
    n_rest: int = 0


def validity_rows(
    measures: dict[str, dict[str, float]],
    outcome: dict[str, float],
    members: set[str] | None = None,
) -> list[ValidityRow]:
    """Spearman of each measure ({code: value}) with the outcome over the areas with both, and
    with an area set the AUC of each measure (and of the outcome) for the set against the rest."""
    rows = []
    for name, values in measures.items():
        codes = sorted(values)
        x = np.array([values[c] for c in codes], dtype=np.float64)
        y = np.array([outcome.get(c, np.nan) for c in codes], dtype=np.float64)
        corr = spearman(x, y)
        area_auc, n1, n0 = (None, 0, 0)
        if members is not None:
            area_auc, n1, n0 = auc(x, np.array([c in members for c in codes], dtype=bool))
        rows.append(ValidityRow(name, corr, area_auc, n1, n0))
    if members is not None:
        # The outcome's own AUC over the same areas (an outcome file may hold other levels).
        scored = {c for values in measures.values() for c in values}
        codes = sorted(c for c in outcome if c in scored)
        area_auc, n1, n0 = auc(
            np.array([outcome[c] for c in codes], dtype=np.float64),
            np.array([c in members for c in codes], dtype=bool),
        )
        rows.append(ValidityRow("outcome", Correlation(None, 0, None, None), area_auc, n1, n0))
    return rows
