"""Change of an area's stacking and overall index against every earlier year.

d_stacking = stacking(period) − stacking(base), d_overall = index(period) − index(base), for each
base_period < period with the same framework, reference and region code. Status:
  break   — the code did not exist in the base year, or the region changed (merged, split,
            boundary change) between the two years: the numbers describe different areas;
  missing — either year has no score (too small, insufficient data);
  ok      — otherwise.
Both indices are relative (percentiles within their own year), so a change says the area moved
against the other areas, not that absolute vulnerability rose.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CHANGE_SCHEMA = pa.schema(
    [
        ("framework", pa.string()),
        ("reference", pa.string()),
        ("region_code", pa.string()),
        ("level", pa.string()),
        ("period", pa.int32()),
        ("base_period", pa.int32()),
        ("d_stacking", pa.int32()),
        ("d_overall", pa.float64()),
        ("status", pa.string()),
    ]
)

_KEYS = ["framework", "reference", "region_code", "level"]


def area_changes(area_scores: pa.Table, broken: Iterable[tuple[str, int]] = ()) -> pa.Table:
    """Rows of area_changes from all years' area_scores of one level.

    broken: (region_code, year) pairs where the region with that code changed going into that
    year (from region_changes); a change across such a year is a break.
    """
    if area_scores.num_rows == 0:
        return CHANGE_SCHEMA.empty_table()
    cols = [*_KEYS, "period", "stacking", "overall_index", "status"]
    current = area_scores.select(cols)
    base = current.rename_columns([*_KEYS, "base_period", "b_stacking", "b_overall", "b_status"])
    joined = current.join(base, keys=_KEYS, join_type="inner")
    joined = joined.filter(pc.less(joined["base_period"], joined["period"]))
    # All earlier periods in which the level had any area: an area absent there is a break.
    periods = sorted(set(area_scores.column("period").to_pylist()))
    firsts = current.group_by(_KEYS).aggregate([("period", "min")])
    missing_base = _absent_rows(current, firsts, periods)

    codes = np.asarray(joined["region_code"].to_pylist(), dtype=object)
    period = joined["period"].to_numpy()
    base_period = joined["base_period"].to_numpy()
    is_break = np.zeros(joined.num_rows, dtype=bool)
    broken_by_code: dict[str, list[int]] = {}
    for code, year in broken:
        broken_by_code.setdefault(code, []).append(year)
    if broken_by_code:
        for i, code in enumerate(codes):
            years = broken_by_code.get(code)
            if years and any(base_period[i] < y <= period[i] for y in years):
                is_break[i] = True
    both_ok = pc.and_(pc.equal(joined["status"], "ok"), pc.equal(joined["b_status"], "ok"))
    both_ok_np = both_ok.to_numpy(zero_copy_only=False)
    status = np.where(is_break, "break", np.where(both_ok_np, "ok", "missing")).astype(object)
    usable = status == "ok"
    stack = joined["stacking"].to_numpy(zero_copy_only=False).astype(float)
    b_stack = joined["b_stacking"].to_numpy(zero_copy_only=False).astype(float)
    d_stack = np.where(usable, stack - b_stack, np.nan)
    d_overall = np.where(
        usable,
        joined["overall_index"].to_numpy(zero_copy_only=False).astype(float)
        - joined["b_overall"].to_numpy(zero_copy_only=False).astype(float),
        np.nan,
    )
    out = pa.table(
        {
            "framework": joined["framework"],
            "reference": joined["reference"],
            "region_code": joined["region_code"],
            "level": joined["level"],
            "period": joined["period"],
            "base_period": joined["base_period"],
            "d_stacking": pa.array(
                [None if np.isnan(x) else int(x) for x in d_stack], type=pa.int32()
            ),
            "d_overall": pa.array(d_overall, from_pandas=True),
            "status": pa.array(status.tolist(), type=pa.string()),
        },
        schema=CHANGE_SCHEMA,
    )
    return pa.concat_tables([out, missing_base])


def _absent_rows(current: pa.Table, firsts: pa.Table, periods: list[int]) -> pa.Table:
    """A 'break' row for each earlier period before an area's first appearance (new code)."""
    rows: dict[str, list[object]] = {name: [] for name in CHANGE_SCHEMA.names}
    first_period = firsts["period_min"].to_pylist()
    key_cols = {k: firsts[k].to_pylist() for k in _KEYS}
    by_key: dict[tuple[object, ...], list[int]] = {}
    for f, r, c, lv, p in zip(
        current["framework"].to_pylist(),
        current["reference"].to_pylist(),
        current["region_code"].to_pylist(),
        current["level"].to_pylist(),
        current["period"].to_pylist(),
        strict=True,
    ):
        by_key.setdefault((f, r, c, lv), []).append(p)
    for i, first in enumerate(first_period):
        earlier = [p for p in periods if p < first]
        if not earlier:
            continue
        key = tuple(key_cols[k][i] for k in _KEYS)
        for p in by_key[key]:
            for b in earlier:
                for name, value in zip(_KEYS, key, strict=True):
                    rows[name].append(value)
                rows["period"].append(p)
                rows["base_period"].append(b)
                rows["d_stacking"].append(None)
                rows["d_overall"].append(None)
                rows["status"].append("break")
    return pa.table(rows, schema=CHANGE_SCHEMA)
