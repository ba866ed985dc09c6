"""Percentile ranks: hand-computed values."""

from __future__ import annotations

import numpy as np

from wijkradar.compute.ranks import grouped_ranks, imd_exponential, percent_ranks

NAN = float("nan")


def test_average_ranks_for_ties_and_missing_excluded() -> None:
    values = np.array([10.0, 20.0, 20.0, 40.0, NAN])
    groups = np.zeros(5, dtype=np.int64)
    rank, n = grouped_ranks(values, groups)
    assert rank[:4].tolist() == [1.0, 2.5, 2.5, 4.0]
    assert n[:4].tolist() == [4.0] * 4
    pct = percent_ranks(values, groups)
    assert pct[:4].tolist() == [0.0, 50.0, 50.0, 100.0]
    assert np.isnan(pct[4])


def test_groups_rank_separately_and_singletons_get_none() -> None:
    values = np.array([5.0, 1.0, 3.0, 100.0, 7.0])
    groups = np.array([0, 0, 0, 1, -1])
    pct = percent_ranks(values, groups)
    assert pct[:3].tolist() == [100.0, 0.0, 50.0]
    assert np.isnan(pct[3])  # alone in its group
    assert np.isnan(pct[4])  # in no group


def test_imd_exponential_endpoints() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0])
    x = imd_exponential(values, np.zeros(4, dtype=np.int64))
    assert np.isclose(x[-1], 100.0)
    # R = 0.25: -23 ln(1 - 0.25 (1 - e^(-100/23)))
    assert np.isclose(x[0], -23 * np.log(1 - 0.25 * (1 - np.exp(-100 / 23))))
    assert np.all(np.diff(x) > 0)
