"""Percentile ranks within groups (the reference populations), vectorised.

Rule: percent rank p = 100 × (r − 1) / (n − 1), where r is the 1-based rank of the value among
the n valid values of its group and ties get the average of the ranks they span (so equal values
get equal percentiles). The lowest value gets 0, the highest 100 (as Excel's PERCENTRANK, which the
CDC Social Vulnerability Index uses). NaN (missing, suppressed, too small) is excluded from n and
stays NaN: a value that is not there is never ranked as zero. A group with one valid value has
no percentile (NaN).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def grouped_ranks(values: FloatArray, groups: IntArray) -> tuple[FloatArray, FloatArray]:
    """Average 1-based rank of each value within its group, and the group's valid count.

    values: NaN = excluded. groups: an int per row; a negative group excludes the row.
    Returns (rank, n), both NaN for excluded rows.
    """
    values = np.asarray(values, dtype=np.float64)
    groups = np.asarray(groups, dtype=np.int64)
    rank = np.full(values.shape, np.nan)
    size = np.full(values.shape, np.nan)
    idx = np.flatnonzero(~np.isnan(values) & (groups >= 0))
    if idx.size == 0:
        return rank, size
    v = values[idx]
    g = groups[idx]
    order = _group_value_order(v, g)
    vs, gs = v[order], g[order]
    n = vs.size
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = gs[1:] != gs[:-1]
    group_start = np.flatnonzero(new_group)
    group_of = np.cumsum(new_group) - 1
    group_size = np.diff(np.append(group_start, n))
    pos = np.arange(n) - group_start[group_of]  # 0-based position within the group
    new_run = new_group.copy()
    new_run[1:] |= vs[1:] != vs[:-1]
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], n) - 1
    run_of = np.cumsum(new_run) - 1
    avg_pos = (pos[run_start] + pos[run_end]) / 2.0
    target = idx[order]
    rank[target] = avg_pos[run_of] + 1.0
    size[target] = group_size[group_of]
    return rank, size


def _group_value_order(v: FloatArray, g: IntArray) -> IntArray:
    """The order of np.lexsort((v, g)): by group, then by value.

    With fewer than 2**15 groups, one unstable sort by value and a stable sort by a 16-bit group
    id (numpy radix-sorts those) does the same about twice as fast; the order among equal values
    does not matter, as tied values get the average of their ranks.
    """
    if g.size and int(g.max()) < 2**15:
        by_value = np.argsort(v)
        order: IntArray = by_value[np.argsort(g[by_value].astype(np.int16), kind="stable")]
        return order
    return np.lexsort((v, g))


def percent_ranks(values: FloatArray, groups: IntArray) -> FloatArray:
    """p = 100 × (r − 1) / (n − 1) within each group; NaN where excluded or n < 2."""
    rank, size = grouped_ranks(values, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(size > 1, 100.0 * (rank - 1.0) / (size - 1.0), np.nan)
    return pct


def imd_exponential(values: FloatArray, groups: IntArray) -> FloatArray:
    """The English Indices of Deprivation exponential transform of a score's rank.

    R = r / n in (0, 1] (1 = most vulnerable), X = −23 × ln(1 − R × (1 − e^(−100/23))),
    so X runs from about 0 to 100 and stretches the most vulnerable tail: a high score on one
    characteristic is only partly cancelled by a low score on another when X values are averaged
    (Ministry of Housing, Communities & Local Government, English Indices of Deprivation 2019,
    Technical report, exponential transformation of domain ranks).
    """
    rank, size = grouped_ranks(values, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = rank / size
        out: FloatArray = -23.0 * np.log(1.0 - r * (1.0 - np.exp(-100.0 / 23.0)))
    return out


def row_grouped_ranks(values: FloatArray, groups: IntArray) -> tuple[FloatArray, FloatArray]:
    """grouped_ranks of every row of `values` (b, n) on its own, all rows sharing `groups` (n,).

    The same ranks as grouped_ranks over the rows laid end to end with a group number per row
    and group, for the simulation's b draws at once. When every row misses the same values (as
    draws of the same areas do), the valid columns are taken out once and each row is sorted by
    itself without NaN (numpy's SIMD sort gives up on NaN), then stably by a 16-bit group key.
    """
    values = np.asarray(values, dtype=np.float64)
    groups = np.asarray(groups, dtype=np.int64)
    b, n = values.shape
    valid = ~np.isnan(values) & (groups >= 0)[None, :]
    if b == 0 or not (valid == valid[0]).all():
        draw_groups = np.where(
            valid, groups[None, :] + (int(groups.max()) + 1) * np.arange(b)[:, None], -1
        )
        rank, size = grouped_ranks(values.ravel(), draw_groups.ravel())
        return rank.reshape(b, n), size.reshape(b, n)
    rank = np.full((b, n), np.nan)
    size = np.full((b, n), np.nan)
    cols = np.flatnonzero(valid[0])
    m = cols.size
    if m == 0:
        return rank, size
    sub = values[:, cols]
    g = groups[cols]
    n_groups = int(g.max()) + 1
    order = np.argsort(sub, axis=1)
    if n_groups > 1:
        key = g.astype(np.int16) if n_groups < 2**15 else g
        by_group = key[order]
        second = np.argsort(by_group, axis=1, kind="stable")
        order = np.take_along_axis(order, second, axis=1)
        gs = np.take_along_axis(by_group, second, axis=1).astype(np.int64)
        gs += (np.arange(b) * n_groups)[:, None]
    else:
        gs = np.broadcast_to(np.arange(b)[:, None], (b, m))
    vs = np.take_along_axis(sub, order, axis=1).ravel()
    gs = gs.ravel()
    target = (cols[order] + (np.arange(b) * n)[:, None]).ravel()
    total = b * m
    new_group = np.ones(total, dtype=bool)
    new_group[1:] = gs[1:] != gs[:-1]
    group_start = np.flatnonzero(new_group)
    group_of = np.cumsum(new_group) - 1
    group_size = np.diff(np.append(group_start, total))
    pos = np.arange(total) - group_start[group_of]
    new_run = new_group.copy()
    new_run[1:] |= vs[1:] != vs[:-1]
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], total) - 1
    run_of = np.cumsum(new_run) - 1
    avg_pos = (pos[run_start] + pos[run_end]) / 2.0
    rank.ravel()[target] = avg_pos[run_of] + 1.0
    size.ravel()[target] = group_size[group_of]
    return rank, size


def row_percent_ranks(values: FloatArray, groups: IntArray) -> FloatArray:
    """percent_ranks of every row of `values` (b, n) on its own (see row_grouped_ranks)."""
    rank, size = row_grouped_ranks(values, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct: FloatArray = np.where(size > 1, 100.0 * (rank - 1.0) / (size - 1.0), np.nan)
    return pct


def row_imd_exponential(values: FloatArray, groups: IntArray) -> FloatArray:
    """imd_exponential of every row of `values` (b, n) on its own."""
    rank, size = row_grouped_ranks(values, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = rank / size
        out: FloatArray = -23.0 * np.log(1.0 - r * (1.0 - np.exp(-100.0 / 23.0)))
    return out
