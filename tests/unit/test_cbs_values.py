"""CBS markers become statuses, never zeros; decimal commas read as decimals."""

from __future__ import annotations

import pytest

from wijkradar.sources.cbs_kwb.values import NotNumeric, parse_column


def test_markers_and_numbers() -> None:
    cells = ["  17811291", "       .", "x", "-", "", None, "12,5", "-99997", "0", " 3.25"]
    parsed = parse_column(cells)
    assert parsed.values.to_pylist() == [
        17811291.0,
        None,
        None,
        None,
        None,
        None,
        12.5,
        None,
        0.0,
        3.25,
    ]
    assert parsed.status.to_pylist() == [
        "ok",
        "suppressed",
        "suppressed",
        "missing",
        "missing",
        "missing",
        "ok",
        "suppressed",
        "ok",
        "ok",
    ]
    assert (parsed.suppressed, parsed.missing) == (3, 3)


def test_typed_null_is_missing_not_suppressed() -> None:
    parsed = parse_column([1, None, 2.5], typed=True)
    assert parsed.values.to_pylist() == [1.0, None, 2.5]
    assert parsed.status.to_pylist() == ["ok", "missing", "ok"]


def test_mixed_spreadsheet_cells() -> None:
    parsed = parse_column([5, ".", 2.5, None, "7,5"])
    assert parsed.values.to_pylist() == [5.0, None, 2.5, None, 7.5]
    assert parsed.status.to_pylist() == ["ok", "suppressed", "ok", "missing", "ok"]


@pytest.mark.parametrize("bad", ["abc", "12a", "nan", "1,2,3"])
def test_first_non_numeric_cell_is_named(bad: str) -> None:
    with pytest.raises(NotNumeric) as caught:
        parse_column(["1", ".", bad, "x"])
    assert caught.value.index == 2
    assert caught.value.found == bad
