"""Generative checks of the scoring rules."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.ranks import grouped_ranks, percent_ranks, row_grouped_ranks
from wijkradar.compute.scoring import score_level_year
from wijkradar.methodology import load

METHODOLOGY = load()
VARIABLES = (
    "PercentageZelfstandigen",
    "HuishoudensMetEenLaagInkomen",
    "GemiddeldInkomenPerInwoner",
    "PersonenPerSoortUitkeringAO",
    "WmoClientenRelatief",
    "k_65JaarOfOuder",
    "PercentageJongerenMetJeugdzorg",
    "Eenpersoonshuishoudens",
    "HuishoudensTotaal",
    "AfstandTotSchool",
)

values_lists = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=50).map(float)),
    min_size=2,
    max_size=40,
)


@given(values_lists)
def test_monotone_transform_keeps_percentiles(values: list[float | None]) -> None:
    x = np.array([np.nan if v is None else v for v in values])
    groups = np.zeros(x.size, dtype=np.int64)
    np.testing.assert_array_equal(percent_ranks(x, groups), percent_ranks(x * 3 + 7, groups))
    np.testing.assert_array_equal(percent_ranks(x, groups), percent_ranks(np.exp(x / 10), groups))


@given(values_lists, st.data())
def test_suppressed_is_excluded_not_zero(values: list[float | None], data: st.DataObject) -> None:
    x = np.array([np.nan if v is None else v for v in values])
    groups = np.zeros(x.size, dtype=np.int64)
    pct = percent_ranks(x, groups)
    assert np.all(np.isnan(pct[np.isnan(x)]))
    # Ranking the valid values alone gives the same percentiles: NaN took no place in the order.
    valid = ~np.isnan(x)
    alone = percent_ranks(x[valid], np.zeros(int(valid.sum()), dtype=np.int64))
    np.testing.assert_array_equal(pct[valid], alone)


def _level_year(matrix: np.ndarray, statuses: np.ndarray, order: np.ndarray) -> LevelYear:
    n = matrix.shape[0]
    codes = [f"BU0001{i:04d}" for i in range(n)]
    rows = []
    for i in order:
        rows.append((codes[i], "AantalInwoners", 1000.0, "ok"))
        for j, var in enumerate(VARIABLES):
            ok = statuses[i, j] == 0
            rows.append(
                (
                    codes[i],
                    var,
                    float(matrix[i, j]) if ok else None,
                    "ok" if ok else ("suppressed" if statuses[i, j] == 1 else "missing"),
                )
            )
    obs = pa.table(
        {
            "region_code": [r[0] for r in rows],
            "variable": [r[1] for r in rows],
            "value": pa.array([r[2] for r in rows], type=pa.float64()),
            "status": [r[3] for r in rows],
            "source_id": ["CBS/x/2022@000000000000"] * len(rows),
        }
    )
    ordered = [codes[i] for i in order]
    gem = ["GM0001" if i % 2 else "GM0002" for i in order]
    return LevelYear.from_long("buurt", 2022, ordered, gem, [None] * n, obs)


def _by_code(table: pa.Table, keys: tuple[str, ...]) -> list[tuple[object, ...]]:
    return sorted(tuple(r.values()) for r in table.select(list(keys)).to_pylist())


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=3, max_value=30), st.integers(min_value=0, max_value=2**32 - 1))
def test_reordering_areas_changes_nothing_and_stacking_in_range(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 20, size=(n, len(VARIABLES))).astype(float) + 1
    statuses = rng.choice([0, 0, 0, 0, 1, 2], size=matrix.shape)
    first = score_level_year(_level_year(matrix, statuses, np.arange(n)), METHODOLOGY)
    second = score_level_year(_level_year(matrix, statuses, rng.permutation(n)), METHODOLOGY)
    area_keys = ("framework", "reference", "region_code", "stacking", "overall_index", "status")
    assert _by_code(first.area_scores, area_keys) == _by_code(second.area_scores, area_keys)
    rank_keys = ("reference", "region_code", "indicator", "percentile", "status")
    assert _by_code(first.indicator_ranks, rank_keys) == _by_code(second.indicator_ranks, rank_keys)
    stacking = [s for s in first.area_scores.column("stacking").to_pylist() if s is not None]
    assert all(0 <= s <= 12 for s in stacking)
    # A suppressed input never carries a percentile.
    for r in first.indicator_ranks.to_pylist():
        if r["status"] != "ok":
            assert r["percentile"] is None


@given(
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=25),
    st.integers(min_value=1, max_value=4),
    st.booleans(),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_row_ranks_equal_ranks_of_the_rows_laid_end_to_end(
    b: int, n: int, n_groups: int, shared_gaps: bool, seed: int
) -> None:
    """The simulation ranks each draw on its own (row_grouped_ranks): the same ranks and
    counts as grouped_ranks with a group per draw and reference, ties and gaps included."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, size=(b, n)).astype(float)
    gaps = rng.random((1, n) if shared_gaps else (b, n)) < 0.25
    values[np.broadcast_to(gaps, (b, n))] = np.nan
    groups = rng.integers(-1, n_groups, size=n)
    draw_groups = np.where(
        groups[None, :] >= 0, groups[None, :] + n_groups * np.arange(b)[:, None], -1
    )
    rank, size = grouped_ranks(values.ravel(), draw_groups.ravel())
    row_rank, row_size = row_grouped_ranks(values, groups)
    assert np.array_equal(row_rank, rank.reshape(b, n), equal_nan=True)
    assert np.array_equal(row_size, size.reshape(b, n), equal_nan=True)
