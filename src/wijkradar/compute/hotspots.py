"""Hotspots: Getis-Ord Gi* on queen contiguity, with a multiple-testing correction.

Weights: binary queen contiguity, w_ij = 1 when areas i and j share a border or a corner (within
a tolerance, since stored boundaries are simplified one by one), and w_ii = 1 (the "star": an
area counts in its own neighbourhood).

Statistic (Ord & Getis 1995, eq. 14, the form esda.G_Local(star=True) reports as Zs):

    Gi* = (Σ_j w_ij x_j − x̄ W_i) / (s √((n S1_i − W_i²) / (n − 1)))

with W_i = Σ_j w_ij, S1_i = Σ_j w_ij², x̄ the mean and s = √(Σ x_j² / n − x̄²) over the n areas
with a value. Under the null hypothesis of no spatial association Gi* is approximately standard
normal; p is two-sided. Areas without any neighbour are not tested (their Gi* would only restate
their own value). Benjamini–Hochberg (fdr_bh) turns p into q over the tested areas of one
level, year and measure; an area is a hot spot when q ≤ alpha and Gi* > 0, a cold spot when
Gi* < 0.

We implement it with numpy instead of esda/libpysal: those install from PyPI but bring pandas,
geopandas, scikit-learn and scipy (well over 100 MB) for one formula; the spec test checks it
against a hand-computed case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CLUSTERS = ("none", "hot", "cold", "not_tested")


def queen_pairs(geometries: Sequence[BaseGeometry], tolerance: float = 0.0) -> IntArray:
    """(m, 2) index pairs i < j of geometries that touch or overlap (or lie within `tolerance`,
    in the geometries' units), sorted."""
    left, right = touching(geometries, geometries, tolerance)
    keep = left < right
    pairs = np.column_stack([left[keep], right[keep]]).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs


def touching(
    queries: Sequence[BaseGeometry], among: Sequence[BaseGeometry], tolerance: float = 0.0
) -> tuple[IntArray, IntArray]:
    """(i, j) for every queries[i] that touches or overlaps among[j] (or lies within
    `tolerance` of it); a geometry touches itself."""
    geoms = np.asarray(among, dtype=object)
    asked = np.asarray(queries, dtype=object)
    if geoms.size == 0 or asked.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geoms)
    if tolerance > 0:
        left, right = tree.query(asked, predicate="dwithin", distance=tolerance)
    else:
        left, right = tree.query(asked, predicate="intersects")
    return left.astype(np.int64), right.astype(np.int64)


def gi_star(values: FloatArray, pairs: IntArray) -> FloatArray:
    """Gi* z-score per area; NaN for areas without a value or without a neighbour with one."""
    x = np.asarray(values, dtype=np.float64)
    out = np.full(x.size, np.nan)
    have = np.flatnonzero(~np.isnan(x))
    if have.size < 3:
        return out
    position = np.full(x.size, -1)
    position[have] = np.arange(have.size)
    if len(pairs):
        both = (position[pairs[:, 0]] >= 0) & (position[pairs[:, 1]] >= 0)
        sub = position[pairs[both]]
    else:
        sub = np.zeros((0, 2), dtype=np.int64)
    n = have.size
    xv = x[have]
    mean = xv.mean()
    s = np.sqrt((xv**2).mean() - mean**2)
    if s <= 0:
        return out
    # Sparse: Σ_j w_ij x_j = x_i + Σ over neighbours; binary weights make S1_i = W_i.
    lag = xv.copy()
    lag += np.bincount(sub[:, 0], weights=xv[sub[:, 1]], minlength=n)
    lag += np.bincount(sub[:, 1], weights=xv[sub[:, 0]], minlength=n)
    w_sum = 1.0 + np.bincount(sub.ravel(), minlength=n).astype(np.float64)
    s1 = w_sum
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (lag - mean * w_sum) / (s * np.sqrt((n * s1 - w_sum**2) / (n - 1)))
    z = np.where(w_sum > 1, z, np.nan)  # only itself: not tested
    out[have] = z
    return out


def p_two_sided(z: FloatArray) -> FloatArray:
    """2 (1 − Φ(|z|)) = erfc(|z| / √2); NaN stays NaN."""
    z = np.asarray(z, dtype=np.float64)
    out = np.full(z.shape, np.nan)
    ok = ~np.isnan(z)
    if ok.any():
        out[ok] = np.asarray(_ERFC(np.abs(z[ok]) / math.sqrt(2.0)), dtype=np.float64)
    return out


# erfc over an array: math.erfc is C, so one call per area costs little next to
# statistics.NormalDist (pure Python), and it keeps the tail exact where 1 − Φ would cancel.
_ERFC = np.frompyfunc(math.erfc, 1, 1)


def adjust(p: FloatArray, method: str) -> FloatArray:
    """Adjusted p (q) over the non-NaN entries: fdr_bh (Benjamini–Hochberg), bonferroni, none."""
    p = np.asarray(p, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return q
    pv = p[ok]
    if method == "none":
        q[ok] = pv
    elif method == "bonferroni":
        q[ok] = np.minimum(pv * m, 1.0)
    elif method == "fdr_bh":
        order = np.argsort(pv)
        ranked = pv[order] * m / np.arange(1, m + 1)
        # q_(i) = min over j ≥ i of p_(j) m / j
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(ranked, 1.0)
        q[ok] = adjusted
    else:
        raise ValueError(f"unknown correction {method}")
    return q


def classify(z: FloatArray, q: FloatArray, alpha: float) -> IntArray:
    """Index into CLUSTERS: hot (q ≤ alpha, z > 0), cold (q ≤ alpha, z < 0), none, not_tested."""
    z = np.asarray(z, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    significant = np.nan_to_num(q, nan=1.0) <= alpha
    out = np.where(significant & (z > 0), 1, np.where(significant & (z < 0), 2, 0))
    return np.where(np.isnan(z), 3, out).astype(np.int64)
