"""Which CBS OData table is "Gebieden in Nederland" of which year (data in tables.yml).

The file has the shape of the KWB tables.yml, so the same validation reads it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from wijkradar.sources.cbs_kwb.tables import KwbTable, parse_tables


@cache
def gebieden_tables() -> dict[int, KwbTable]:
    text = files("wijkradar.sources.cbs_gebieden").joinpath("tables.yml").read_text("utf-8")
    return parse_tables(yaml.safe_load(text))


def table_for_year(year: int) -> KwbTable:
    try:
        return gebieden_tables()[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(gebieden_tables()))
        raise KeyError(
            f"no 'Gebieden in Nederland' table known for {year}; known: {known}"
        ) from None


def year_for_table(table_id: str) -> int | None:
    for table in gebieden_tables().values():
        if table.table_id.upper() == table_id.upper():
            return table.year
    return None
