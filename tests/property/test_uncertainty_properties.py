"""Properties of the uncertainty simulation: more uncertainty never makes a flag more certain;
the same seed gives the same result."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkradar.compute.uncertainty import (
    Design,
    Spread,
    agreement,
    binomial_interval,
    certainty_class,
    simulate,
)

values_st = st.lists(
    st.floats(min_value=0, max_value=100, allow_nan=False), min_size=6, max_size=25
)


def _run(values: np.ndarray, sd: np.ndarray, seed: int, draws: int = 60):  # type: ignore[no-untyped-def]
    n, k = values.shape
    spread = Spread(
        sd=sd,
        lower=values,
        upper=values,
        model=np.zeros(values.shape, dtype=np.int8),
        floor=np.zeros(k),
        ceiling=np.full(k, 100.0),
    )
    design = Design(
        higher_is_better=np.array([False, True][:k]),
        char_of=np.arange(k),
        risk=np.ones(k, dtype=bool),
        top_share=0.2,
    )
    return simulate(
        values,
        spread,
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=bool),
        design,
        draws=draws,
        seed=seed,
    )


@settings(max_examples=40)
@given(
    a=values_st,
    b=values_st,
    who=st.integers(min_value=0, max_value=100),
    sd=st.floats(min_value=0.0, max_value=30.0),
    more=st.floats(min_value=0.0, max_value=30.0),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_a_wider_interval_never_makes_a_flag_more_certain(
    a: list[float], b: list[float], who: int, sd: float, more: float, seed: int
) -> None:
    """One area's interval widens (its characteristics have one indicator each, every other
    area is exact): the share of draws agreeing with its flag never rises, nor its class."""
    n = min(len(a), len(b))
    values = np.column_stack([a[:n], b[:n]])
    i = who % n
    narrow = np.zeros_like(values)
    narrow[i] = sd
    wide = narrow.copy()
    wide[i] = sd + more
    s_narrow = _run(values, narrow, seed)
    s_wide = _run(values, wide, seed)
    agree_narrow = agreement(s_narrow.observed_flag[i], s_narrow.p_flag[i])
    agree_wide = agreement(s_wide.observed_flag[i], s_wide.p_flag[i])
    assert (agree_wide <= agree_narrow + 1e-12).all()
    assert (certainty_class(agree_wide, 0.9, 0.6) >= certainty_class(agree_narrow, 0.9, 0.6)).all()


@settings(max_examples=25)
@given(a=values_st, seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_same_seed_gives_the_same_probabilities(a: list[float], seed: int) -> None:
    values = np.column_stack([a, a[::-1]])
    sd = np.full(values.shape, 5.0)
    first, second = _run(values, sd, seed), _run(values, sd, seed)
    assert np.array_equal(first.p_flag, second.p_flag, equal_nan=True)
    assert np.array_equal(first.p_stacking_ge, second.p_stacking_ge)
    assert np.array_equal(first.rank_lower, second.rank_lower, equal_nan=True)


@given(
    p=st.floats(min_value=0, max_value=100),
    n=st.integers(min_value=1, max_value=100_000),
    extra=st.integers(min_value=1, max_value=100_000),
)
def test_a_smaller_population_never_gives_a_narrower_binomial_interval(
    p: float, n: int, extra: int
) -> None:
    _, lo_big, hi_big = binomial_interval(np.array([p]), np.array([float(n + extra)]), 100, 1.96)
    _, lo_small, hi_small = binomial_interval(np.array([p]), np.array([float(n)]), 100, 1.96)
    assert hi_small[0] - lo_small[0] >= hi_big[0] - lo_big[0] - 1e-9
    assert 0.0 <= lo_small[0] <= hi_small[0] <= 100.0


@given(
    x=st.floats(min_value=0, max_value=1),
    y=st.floats(min_value=0, max_value=1),
)
def test_certainty_class_follows_agreement(x: float, y: float) -> None:
    lo, hi = sorted((x, y))
    classes = certainty_class(np.array([lo, hi]), 0.9, 0.6)
    assert classes[1] <= classes[0]
