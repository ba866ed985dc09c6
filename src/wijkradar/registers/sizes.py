"""How big a group is per area, where open data allow: the group's size indicator (a monitor
indicator, usually a share of inhabitants) for a gemeente and its wijken, through the disclosure
rules. A group without an indicator says so (its size_note explains why none exists)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from wijkradar.compute.disclosure import disclose_value, is_published
from wijkradar.registers.models import Group
from wijkradar.store import constants, queries


@dataclass(frozen=True)
class SizeRow:
    code: str
    name: str
    level: str
    value: float | None
    unit: str
    status: str  # ok | suppressed | missing | no_indicator


def estimates(con: duckdb.DuckDBPyConnection, group: Group, gemeente: str) -> list[SizeRow]:
    """The gemeente first, then its wijken (latest scored year)."""
    year = queries.latest_year(con)
    region = queries.region(con, gemeente, year) if year else None
    if year is None or region is None:
        return []
    areas = [region, *queries.regions_at(con, "wijk", year, within=gemeente)]
    if not group.size_indicator:
        return [SizeRow(a["code"], a["name"], a["level"], None, "", "no_indicator") for a in areas]
    kinds = queries.source_kinds(con)
    k = constants.of(con)
    out = []
    for area in areas:
        found = [
            v
            for v in queries.indicator_values(con, area["code"], year)
            if v["indicator"] == group.size_indicator
        ]
        if not found:
            out.append(SizeRow(area["code"], area["name"], area["level"], None, "", "missing"))
            continue
        row = found[0]
        ids = tuple(row["source_ids"] or ())
        published = is_published(kinds.get(s, "") for s in ids)
        # the gemeente and its wijken leave together: a count the build's families withhold
        # (store.withheld) is hidden like a small one; a declared count is a count
        withheld = (area["code"], group.size_indicator, year) in k.withheld
        value = (
            disclose_value(
                row["value"],
                row["unit"] or "",
                published,
                k.declared_units(group.size_indicator, ids),
            )
            if row["status"] == "ok" and not withheld
            else None
        )
        status = (
            "ok"
            if value is not None
            else ("suppressed" if row["status"] == "ok" else row["status"])
        )
        out.append(
            SizeRow(area["code"], area["name"], area["level"], value, row["unit"] or "", status)
        )
    return out
