"""Rank status and percentile per (area, indicator) as the readers take them."""

from __future__ import annotations

from wijkradar.compute.scoring import ScoreTables


def ranks_as_read(tables: ScoreTables) -> dict[tuple[str, str], tuple[float | None, str]]:
    """(region_code, indicator) -> (percentile, status). A value that is not ok has no rank row
    (schema.sql) and its own status as rank status, as store.profiles takes it."""
    ranks: dict[tuple[str, str], tuple[float | None, str]] = {
        (r["region_code"], r["indicator"]): (None, r["status"])
        for r in tables.indicator_values.to_pylist()
        if r["status"] != "ok"
    }
    for r in tables.indicator_ranks.to_pylist():
        key = (r["region_code"], r["indicator"])
        assert key not in ranks, f"a rank row for a value that is not ok: {key}"
        ranks[key] = (r["percentile"], r["status"])
    return ranks
