"""Change of an area's stacking and overall index against every earlier year.

d_stacking = stacking(period) − stacking(base), d_overall = index(period) − index(base), for each
base_period < period with the same framework and reference, and the same area: the same region
code, or its predecessor when the code was recoded. Status:
  break   — the area did not exist in the base year, or it changed (merged, split, boundary
            change) between the two years: the numbers describe different areas;
  missing — either year has no score (too small, insufficient data);
  ok      — otherwise.
Recoded: when region_changes links a new code one-to-one to an old code (kind "recoded" or
"merged" with weight 1, the only predecessor of the new code and the old code's only successor),
the area continues under its new code; the change is computed against the old code's earlier
scores and base_code names that old code (NULL when the code did not change).
Both indices are relative (percentiles within their own year), so a change says the area moved
against the other areas, not that absolute vulnerability rose.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
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
        ("base_code", pa.string()),
    ]
)

# A link: (old code, year it was last used, new code, first year of the new code).
Link = tuple[str, int, str, int]
IntArray = npt.NDArray[np.int64]
_COLUMNS = [
    "framework",
    "reference",
    "region_code",
    "level",
    "period",
    "stacking",
    "overall_index",
    "status",
]
_YEARS = 10_000  # periods are calendar years, so code × _YEARS + year is a unique key


def _encoded(column: pa.ChunkedArray | pa.Array) -> tuple[IntArray, list[str]]:
    encoded = pc.dictionary_encode(column).combine_chunks()
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return indices, [str(x) for x in encoded.dictionary.to_pylist()]


def lineage(codes: list[str], links: Iterable[Link]) -> IntArray:
    """Per code (position in `codes`) the position of the oldest code of its area.

    Links are followed in year order, so a code recoded twice leads back to the first one.
    """
    position = {code: i for i, code in enumerate(codes)}
    root = np.arange(len(codes), dtype=np.int64)
    for old, _, new, _ in sorted(links, key=lambda link: link[3]):
        if old in position and new in position:
            root[position[new]] = root[position[old]]
    return root


def area_changes(
    area_scores: pa.Table,
    broken: Iterable[tuple[str, int]] = (),
    links: Iterable[Link] = (),
) -> pa.Table:
    """Rows of area_changes from all years' area_scores of one level.

    broken: (region_code, year) pairs where the region with that code changed going into that
    year (from region_changes); a change across such a year is a break. links: one-to-one
    recodings (see the module docstring); their new codes are not breaks.
    """
    if area_scores.num_rows == 0:
        return CHANGE_SCHEMA.empty_table()
    links = list(links)
    linked = {(new, year) for _, _, new, year in links}
    scores = area_scores.select(_COLUMNS).combine_chunks()
    code_idx, codes = _encoded(scores["region_code"])
    root = lineage(codes, links)
    area = root[code_idx]
    fw_idx, _ = _encoded(scores["framework"])
    ref_idx, refs = _encoded(scores["reference"])
    key = (fw_idx * len(refs) + ref_idx) * len(codes) + area
    period = np.asarray(scores["period"].to_numpy(zero_copy_only=False), dtype=np.int64)

    # Rows sorted by area key and period; pairs are rows d places apart within one key.
    order = np.lexsort((period, key))
    k_sorted = key[order]
    new_key = np.ones(order.size, dtype=bool)
    new_key[1:] = k_sorted[1:] != k_sorted[:-1]
    group_start = np.flatnonzero(new_key)
    group_of = np.cumsum(new_key) - 1
    longest = int(np.diff(np.append(group_start, order.size)).max())
    current_parts, base_parts = [], []
    for d in range(1, longest):
        same = k_sorted[d:] == k_sorted[:-d]
        current_parts.append(order[d:][same])
        base_parts.append(order[:-d][same])
    cur = np.concatenate(current_parts) if current_parts else np.zeros(0, np.int64)
    base = np.concatenate(base_parts) if base_parts else np.zeros(0, np.int64)
    earlier_only = period[base] < period[cur]  # an old code overlapping its successor: no pair
    cur, base = cur[earlier_only], base[earlier_only]

    position = {code: i for i, code in enumerate(codes)}
    break_keys = np.sort(
        np.array(
            [
                root[position[code]] * _YEARS + year
                for code, year in set(broken) - linked
                if code in position
            ],
            dtype=np.int64,
        )
    )
    is_break = _count_between(break_keys, area[cur], period[base], period[cur]) > 0
    status_ok = pc.equal(scores["status"], "ok").to_numpy(zero_copy_only=False)
    both_ok = status_ok[cur] & status_ok[base]
    status = np.where(is_break, 0, np.where(both_ok, 1, 2))
    usable = status == 1
    stacking = _floats(scores["stacking"])
    overall = _floats(scores["overall_index"])
    d_stack = np.where(usable, stacking[cur] - stacking[base], np.nan)
    d_overall = np.where(usable, overall[cur] - overall[base], np.nan)
    renamed = code_idx[cur] != code_idx[base]
    pairs = pa.table(
        _pair_columns(scores, cur, base, d_stack, d_overall, status, renamed),
        schema=CHANGE_SCHEMA,
    )
    # Every earlier period of the level before an area's first year: the area did not exist.
    first = period[order][group_start][group_of]  # per sorted row: its key's first period
    absent_parts = []
    for earlier in np.unique(period):
        rows = order[first > earlier]
        if rows.size:
            absent_parts.append(_absent(scores, rows, int(earlier)))
    return pa.concat_tables([pairs, *absent_parts])


def _floats(column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    return np.asarray(column.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _count_between(keys: IntArray, area: IntArray, low: IntArray, high: IntArray) -> IntArray:
    """How many of the sorted area × _YEARS + year keys fall in (low, high] for each area."""
    if keys.size == 0:
        return np.zeros(area.size, dtype=np.int64)
    upper = np.searchsorted(keys, area * _YEARS + high, side="right")
    lower = np.searchsorted(keys, area * _YEARS + low, side="right")
    return np.asarray(upper - lower, dtype=np.int64)


def _pair_columns(
    scores: pa.Table,
    cur: IntArray,
    base: IntArray,
    d_stack: npt.NDArray[np.float64],
    d_overall: npt.NDArray[np.float64],
    status: IntArray,
    renamed: npt.NDArray[np.bool_],
) -> dict[str, pa.Array]:
    base_code = pc.if_else(
        pa.array(renamed), scores["region_code"].take(base), pa.nulls(cur.size, pa.string())
    )
    return {
        "framework": scores["framework"].take(cur),
        "reference": scores["reference"].take(cur),
        "region_code": scores["region_code"].take(cur),
        "level": scores["level"].take(cur),
        "period": scores["period"].take(cur),
        "base_period": scores["period"].take(base),
        "d_stacking": pa.array(d_stack, from_pandas=True).cast(pa.int32()),
        "d_overall": pa.array(d_overall, from_pandas=True),
        "status": pc.take(pa.array(["break", "ok", "missing"]), pa.array(status)),
        "base_code": base_code,
    }


def _absent(scores: pa.Table, rows: IntArray, earlier: int) -> pa.Table:
    n = rows.size
    return pa.table(
        {
            "framework": scores["framework"].take(rows),
            "reference": scores["reference"].take(rows),
            "region_code": scores["region_code"].take(rows),
            "level": scores["level"].take(rows),
            "period": scores["period"].take(rows),
            "base_period": pa.array(np.full(n, earlier, dtype=np.int32)),
            "d_stacking": pa.nulls(n, pa.int32()),
            "d_overall": pa.nulls(n, pa.float64()),
            "status": pc.take(pa.array(["break"]), pa.array(np.zeros(n, dtype=np.int32))),
            "base_code": pa.nulls(n, pa.string()),
        },
        schema=CHANGE_SCHEMA,
    )
