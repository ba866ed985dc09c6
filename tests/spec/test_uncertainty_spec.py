"""Spec tests: intervals, flag and stacking probabilities, Gi* and peers against hand-computed
cases (the numbers in the comments are worked out by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wijkradar.compute import hotspots as gi
from wijkradar.compute.peers import peer_groups, standardise
from wijkradar.compute.uncertainty import (
    Design,
    Spread,
    agreement,
    binomial_interval,
    certainty_class,
    margin_sd,
    simulate,
    z_value,
)

Z = 1.959963984540054


def test_z_of_a_95_percent_interval() -> None:
    assert z_value(0.95) == pytest.approx(Z, abs=1e-9)


def test_binomial_interval_is_agresti_coull() -> None:
    # 20 % of 200 persons: x = 40, ñ = 200 + z² = 203.8415, p̃ = (40 + 1.92073) / 203.8415
    # = 0.205654, sd = √(0.205654 × 0.794346 / 203.8415) = 0.028309, interval p̃ ± z sd
    # = [0.150169, 0.261139]; in % ×100.
    sd, lo, hi = binomial_interval(np.array([20.0]), np.array([200.0]), 100.0, Z)
    assert sd[0] == pytest.approx(2.8309, abs=1e-3)
    assert lo[0] == pytest.approx(15.0169, abs=1e-3)
    assert hi[0] == pytest.approx(26.1139, abs=1e-3)


def test_a_share_of_zero_still_has_a_width_and_stays_in_range() -> None:
    # x = 0 of n = 300: p̃ = 1.92073 / 303.8415 = 0.0063215; sd = √(p̃(1 − p̃)/ñ) = 0.0045488;
    # lower clipped to 0, upper 0.0063215 + 1.96 × 0.0045488 = 0.015237 → 15.24 per 1 000.
    sd, lo, hi = binomial_interval(np.array([0.0]), np.array([300.0]), 1000.0, Z)
    assert lo[0] == 0.0
    assert hi[0] == pytest.approx(15.237, abs=1e-2)
    assert sd[0] > 0


def test_binomial_interval_is_missing_without_a_population() -> None:
    sd, lo, hi = binomial_interval(np.array([20.0, np.nan]), np.array([np.nan, 100.0]), 100, Z)
    assert np.isnan(sd).all() and np.isnan(lo).all() and np.isnan(hi).all()


def test_margin_sd_from_published_bounds() -> None:
    # [10, 14]: (14 − 10) / (2 × 1.959964) = 1.020427
    assert margin_sd(np.array([10.0]), np.array([14.0]), Z)[0] == pytest.approx(1.020427, 1e-5)


def _case(sd_a: tuple[float, float]) -> tuple[np.ndarray, Spread, Design]:
    """Ten exact areas with values 0..9 on two one-indicator characteristics, and area A
    (row 10) with values 9.5 and 9.0 and the given standard errors."""
    values = np.array([[float(i), float(i)] for i in range(10)] + [[9.5, 9.0]])
    sd = np.zeros_like(values)
    sd[10] = sd_a
    spread = Spread(
        sd=sd,
        lower=values,
        upper=values,
        model=np.zeros(values.shape, dtype=np.int8),
        floor=np.full(2, -np.inf),
        ceiling=np.full(2, np.inf),
    )
    design = Design(
        higher_is_better=np.array([False, False]),
        char_of=np.array([0, 1]),
        risk=np.array([True, True]),
        top_share=0.1,
    )
    return values, spread, design


def test_flag_and_stacking_probabilities_match_the_normal_model() -> None:
    # Among 11 areas the top decile is percentile ≥ 90, i.e. rank ≥ 10: A is flagged on a
    # characteristic when its value beats the second highest of the others, 8. So
    # P(flag 1) = P(9.5 + Z > 8) = Φ(1.5) = 0.93319, P(flag 2) = Φ(1.0) = 0.84134, independent:
    # P(stacking ≥ 2) = 0.78513, P(stacking ≥ 1) = 1 − 0.06681 × 0.15866 = 0.98940.
    values, spread, design = _case((1.0, 1.0))
    sim = simulate(
        values,
        spread,
        np.zeros(11, dtype=np.int64),
        np.zeros(11, dtype=bool),
        design,
        draws=4000,
        seed=7,
    )
    assert sim.observed_flag[10].tolist() == [1.0, 1.0]
    assert sim.observed_stacking[10] == 2
    assert sim.p_flag[10, 0] == pytest.approx(0.93319, abs=0.015)
    assert sim.p_flag[10, 1] == pytest.approx(0.84134, abs=0.02)
    assert sim.p_stacking_ge[10, 0] == 1.0
    assert sim.p_stacking_ge[10, 1] == pytest.approx(0.98940, abs=0.01)
    assert sim.p_stacking_ge[10, 2] == pytest.approx(0.78513, abs=0.02)
    # The exact areas: 9 is always in the top two (A passes it or not), 0..7 never.
    assert sim.p_flag[9].tolist() == [1.0, 1.0]
    assert (sim.p_flag[:8] == 0).all()
    assert sim.stacking_lower[10] == 1 and sim.stacking_upper[10] == 2


def test_without_uncertainty_every_draw_is_the_observed_state() -> None:
    values, spread, design = _case((0.0, 0.0))
    sim = simulate(
        values,
        spread,
        np.zeros(11, dtype=np.int64),
        np.zeros(11, dtype=bool),
        design,
        draws=50,
        seed=1,
    )
    assert np.array_equal(sim.p_flag, sim.observed_flag)
    assert (sim.rank_lower == sim.rank_upper).all()
    assert sim.rank_lower[10] == 1  # A has the highest index (its two percentiles 100 and 90)


def test_certainty_classes_of_the_flag_shown() -> None:
    # Flagged with P = 0.93 agrees 93 %: certain; P = 0.7: likely; P = 0.4: uncertain.
    # Not flagged with P = 0.05 agrees 95 %: certain; P = 0.55 agrees 45 %: uncertain.
    observed = np.array([1.0, 1.0, 1.0, 0.0, 0.0, np.nan])
    p = np.array([0.93, 0.7, 0.4, 0.05, 0.55, np.nan])
    klass = certainty_class(agreement(observed, p), certain=0.9, likely=0.6)
    assert klass.tolist() == [0, 1, 2, 0, 2, -1]


def test_gi_star_on_a_path_of_five_areas() -> None:
    # Areas 0-1-2-3-4 in a row with x = 1, 2, 3, 4, 10: n = 5, x̄ = 4, s = √(130/5 − 16) = √10.
    # Area 4 (neighbour 3, itself): W = 2, S1 = 2, Σ w x = 14, Gi* = (14 − 8) / (√10 √((10 − 4)/4))
    # = 1.549193. Area 2 (1, 2, 3): W = 3, Σ w x = 9, Gi* = (9 − 12) / (√10 √((15 − 9)/4))
    # = −0.774597.
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    pairs = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
    z = gi.gi_star(x, pairs)
    assert z[4] == pytest.approx(1.549193, abs=1e-6)
    assert z[2] == pytest.approx(-0.774597, abs=1e-6)
    # p two-sided of 1.549193 = 2 (1 − Φ(1.549193)) = 0.121335
    assert gi.p_two_sided(z)[4] == pytest.approx(0.121335, abs=1e-5)


def test_an_area_without_neighbours_is_not_tested() -> None:
    z = gi.gi_star(np.array([1.0, 2.0, 3.0, 9.0]), np.array([[0, 1], [1, 2]]))
    assert math.isnan(z[3])
    assert gi.classify(z, gi.adjust(gi.p_two_sided(z), "fdr_bh"), 0.05)[3] == 3


def test_benjamini_hochberg() -> None:
    # p sorted 0.01, 0.03, 0.04, 0.2 (m = 4): p m / i = 0.04, 0.06, 0.0533, 0.2; running minimum
    # from the top: 0.04, 0.0533, 0.0533, 0.2.
    q = gi.adjust(np.array([0.01, 0.04, 0.03, 0.2]), "fdr_bh")
    assert q == pytest.approx([0.04, 0.053333, 0.053333, 0.2], abs=1e-6)
    assert gi.adjust(np.array([0.01, 0.3]), "bonferroni") == pytest.approx([0.02, 0.6])


def test_queen_contiguity_counts_a_shared_corner() -> None:
    from shapely.geometry import box

    squares = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(1, 1, 2, 2), box(5, 5, 6, 6)]
    pairs = {tuple(p) for p in gi.queen_pairs(squares).tolist()}
    assert pairs == {(0, 1), (0, 2), (1, 2)}  # 0 and 2 share only the corner (1, 1)
    near = {tuple(p) for p in gi.queen_pairs([box(0, 0, 1, 1), box(1.01, 0, 2, 1)], 0.05)}
    assert near == {(0, 1)}


def test_peers_are_the_nearest_on_standardised_variables() -> None:
    # size 100, 110, 1000 (log), density 1, 1, 1 → only size differs; A's peer is B.
    u = standardise(
        [np.array([100.0, 110.0, 1000.0]), np.array([5.0, 6.0, np.nan])], ["log", "none"]
    )
    rows = peer_groups(["A", "B", "C"], u, 1)
    assert [(r[0], r[1]) for r in rows] == [("A", "B"), ("B", "A"), ("C", "B")]


def test_spearman_by_hand() -> None:
    from wijkradar.compute.validity import spearman

    # x ranks 1 2 3 4 5, y ranks 2 1 4 3 5: Σd² = 4, ρ = 1 − 6 × 4 / (5 × 24) = 0.8.
    # Interval: atanh 0.8 = 1.098612 ± 1.959964 × √(1.06 / 2) = ± 1.426875 → tanh(−0.328263)
    # = −0.316959, tanh(2.525488) = 0.987275.
    c = spearman(
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]), np.array([20.0, 10.0, 40.0, 30.0, 50.0, 1.0])
    )
    assert c.n == 5
    assert c.rho == pytest.approx(0.8)
    assert c.lower == pytest.approx(-0.316959, abs=1e-5)
    assert c.upper == pytest.approx(0.987275, abs=1e-5)


def test_auc_by_hand() -> None:
    from wijkradar.compute.validity import auc

    # set {5, 3}, rest {4, 1, 3}: pairs set > rest: 5>4,5>1,5>3, 3>1, 3=3 (½) → 4.5 of 6 = 0.75
    value, n1, n0 = auc(
        np.array([5.0, 3.0, 4.0, 1.0, 3.0]), np.array([True, True, False, False, False])
    )
    assert (value, n1, n0) == (pytest.approx(0.75), 2, 3)


def test_area_set_gap_narrows_by_hand() -> None:
    from wijkradar.compute.areasets import gap_series

    # 2020: set {A: 80, B: 60} mean 70, rest {C: 40, D: 20} mean 30, gap 40.
    # 2021: set mean 60, rest mean 40, gap 20. Slope −20 per year; |20| < |40|: narrows.
    series = gap_series(
        "overall_index",
        {
            2020: {"A": 80.0, "B": 60.0, "C": 40.0, "D": 20.0},
            2021: {"A": 70.0, "B": 50.0, "C": 45.0, "D": 35.0},
        },
        {"A", "B"},
    )
    assert [p.gap for p in series.points] == [pytest.approx(40.0), pytest.approx(20.0)]
    assert series.slope == pytest.approx(-20.0)
    assert series.narrows is True
    assert series.points[0].n_set == 2 and series.points[0].n_rest == 2
