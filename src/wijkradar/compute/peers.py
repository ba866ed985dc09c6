"""Peer groups of gemeenten: the most similar gemeenten by size, urbanity and income.

Each variable is transformed (log for sizes and densities, which span orders of magnitude) and
standardised over the gemeenten of the year that have it: u = (t(x) − mean) / sd. The distance
between two gemeenten is the root mean square of the differences over the variables both have,
d = √(Σ (u_a − u_b)² / m), so a gemeente missing income is still compared on size and urbanity.
The peers of a gemeente are the `size` nearest others (ties by code); a gemeente without any of
the variables has no peers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def standardise(columns: Sequence[FloatArray], transforms: Sequence[str]) -> FloatArray:
    """(n, m) standardised variables; NaN where absent (or not positive before a log)."""
    out = []
    for col, transform in zip(columns, transforms, strict=True):
        x = np.asarray(col, dtype=np.float64)
        if transform == "log":
            x = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        ok = ~np.isnan(x)
        if ok.sum() < 2 or np.nanstd(x) == 0:
            out.append(np.full(x.shape, np.nan))
            continue
        out.append((x - np.nanmean(x)) / np.nanstd(x))
    return np.column_stack(out) if out else np.zeros((0, 0))


def distances(u: FloatArray) -> FloatArray:
    """(n, n) root-mean-square distance over the variables both areas have; NaN when none."""
    have = ~np.isnan(u)
    filled = np.where(have, u, 0.0)
    both = have.astype(np.float64) @ have.T.astype(np.float64)
    sq = (
        (filled**2) @ have.T.astype(np.float64)
        + have.astype(np.float64) @ (filled**2).T
        - 2.0 * filled @ filled.T
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(np.maximum(sq, 0.0) / both)
    return np.where(both > 0, d, np.nan)


def peer_groups(
    codes: Sequence[str], u: FloatArray, size: int
) -> list[tuple[str, str, int, float]]:
    """(code, peer_code, rank 1.., distance) for every gemeente with peers."""
    n = len(codes)
    if n < 2:
        return []
    d = distances(u)
    np.fill_diagonal(d, np.nan)
    order_codes = np.asarray(codes, dtype=object)
    rows: list[tuple[str, str, int, float]] = []
    tie = np.argsort(np.argsort(order_codes))  # code order breaks distance ties
    for i in range(n):
        ok = np.flatnonzero(~np.isnan(d[i]))
        if ok.size == 0:
            continue
        pick = ok[np.lexsort((tie[ok], d[i, ok]))][:size]
        for rank, j in enumerate(pick, start=1):
            rows.append((str(codes[i]), str(codes[j]), rank, float(d[i, j])))
    return rows
