"""Export columns for uncertainty (issue 12): flag certainty per characteristic, the stacking
interval, P(toxic mix) and the rank interval of the index. Added only when the build has them."""

from __future__ import annotations

from typing import Any

import duckdb

from wijkradar.reports.outgoing import release
from wijkradar.store import analysis

STACK_COLUMNS = {
    "stacking_lower": "lower end of the 95 % interval of stacking (simulated chance variation)",
    "stacking_upper": "upper end of the 95 % interval of stacking",
    "p_toxic_mix": "probability (0-1) that stacking is at or above the toxic-mix threshold",
    "rank_lower": "best plausible rank of the overall index (1 = most vulnerable), 95 %",
    "rank_upper": "worst plausible rank of the overall index, 95 %",
}


def add_uncertainty(
    con: duckdb.DuckDBPyConnection,
    columns: dict[str, str],
    rows: list[dict[str, Any]],
    level: str,
    year: int,
    reference: str,
) -> None:
    """Extend export columns and rows in place (no change when the build has no results)."""
    certainty = analysis.certainty_table(con, level, year, reference)
    stacking = analysis.stacking_table(con, level, year, reference)
    if not certainty and not stacking:
        return
    chars = sorted({char for _, char in certainty})
    for char in chars:
        columns[f"certainty_{char}"] = (
            f"{char}: certain | likely | uncertain — share of simulated draws agreeing with the "
            "flag shown (thresholds in the methodology's uncertainty.yml)"
        )
    columns.update(STACK_COLUMNS)
    for row in rows:
        code = row["code"]
        for char in chars:
            row[f"certainty_{char}"] = certainty.get((code, char))
        found = stacking.get(code, {})
        shown = row.get("stacking") is not None  # intervals only beside a released stacking
        for key in STACK_COLUMNS:
            value = found.get(key) if shown else None
            out = release(None if value is None else float(value), "probability", "ok")
            row[key] = None if out.value is None else round(out.value, 4)
