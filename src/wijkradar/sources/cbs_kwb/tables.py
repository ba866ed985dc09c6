"""Which CBS OData table holds the KWB figures of which reference year (data in tables.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

TABLE_ID = re.compile(r"^\d{5}NED$")


@dataclass(frozen=True)
class KwbTable:
    year: int
    table_id: str
    confirmed: bool
    note: str = ""


def parse_tables(data: Any) -> dict[int, KwbTable]:
    """Validate the YAML structure: years are integers, ids look like '85618NED' and are unique."""
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise ValueError("tables.yml: expected a mapping 'tables: {year: {id: ...}}'")
    tables: dict[int, KwbTable] = {}
    seen: dict[str, int] = {}
    for year, entry in data["tables"].items():
        if not isinstance(year, int) or not 1990 <= year <= 2100:
            raise ValueError(f"tables.yml: year must be an integer like 2023, found {year!r}")
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError(
                f"tables.yml: {year}: expected {{id: '<5 digits>NED'}}, found {entry!r}"
            )
        table_id = entry["id"]
        if not TABLE_ID.match(table_id):
            raise ValueError(
                f"tables.yml: {year}: table id must look like 85618NED, found {table_id}"
            )
        if table_id in seen:
            raise ValueError(
                f"tables.yml: {table_id} is given for both {seen[table_id]} and {year}"
            )
        confirmed = entry.get("confirmed")
        if not isinstance(confirmed, bool):
            raise ValueError(f"tables.yml: {year}: 'confirmed' must be true or false")
        seen[table_id] = year
        tables[year] = KwbTable(year, table_id, confirmed, str(entry.get("note", "")))
    return tables


@cache
def kwb_tables() -> dict[int, KwbTable]:
    text = files("wijkradar.sources.cbs_kwb").joinpath("tables.yml").read_text(encoding="utf-8")
    return parse_tables(yaml.safe_load(text))


def table_for_year(year: int) -> KwbTable:
    try:
        return kwb_tables()[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(kwb_tables()))
        raise KeyError(f"no KWB table known for {year}; known years: {known}") from None


def year_for_table(table_id: str) -> int | None:
    for table in kwb_tables().values():
        if table.table_id.upper() == table_id.upper():
            return table.year
    return None
