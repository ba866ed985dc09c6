"""Small-number rules."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from wijkradar.compute.disclosure import (
    ROUND_TO,
    SUPPRESS_BELOW,
    disclose_count,
    disclose_value,
    is_published,
)


def test_counts() -> None:
    assert disclose_count(0) is None
    assert disclose_count(9) is None
    assert disclose_count(10) == 10
    assert disclose_count(12) == 10
    assert disclose_count(13) == 15
    assert disclose_count(1234) == 1235
    assert disclose_count(float("nan")) is None


def test_values_by_unit_and_origin() -> None:
    assert disclose_value(7.0, "aantal", published=False) is None
    assert disclose_value(7.0, "aantal", published=True) == 7.0  # CBS controlled it already
    assert disclose_value(7.0, "%", published=False) == 7.0


def test_published_is_decided_by_kind() -> None:
    assert is_published(["observations"])
    assert is_published(["observations", "observations"])
    assert not is_published([])
    assert not is_published(["observations", "local"])
    assert not is_published(["local"])


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_no_disclosed_count_below_threshold(count: float) -> None:
    shown = disclose_count(count)
    if shown is not None:
        assert shown >= SUPPRESS_BELOW
        assert shown % ROUND_TO == 0
        assert math.isclose(shown, count, abs_tol=ROUND_TO / 2 + 1e-9)
    else:
        assert count < SUPPRESS_BELOW
