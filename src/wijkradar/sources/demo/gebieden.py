"""Write one year of the demo's "Gebieden in Nederland" table: each gemeente and its provincie.

The demo's gemeenten are invented (GM98xx small, GM9xxx national), so their provinces are too:
codes from PV98 downwards, named "Demo-provincie" (real provinces are PV20-PV31, so a demo
province can never be taken for a real one). Small scale has one, national one per ~70
gemeenten, in contiguous blocks; the merged gemeente lies in the province of its predecessors.
Written in the dump format CBS's OData API returns (padded codes, Code_n / Naam_n+1 pairs).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from wijkradar.sources.demo.geography import Geography, YearLayout
from wijkradar.sources.demo.odata import DEMO_TITLE

FIRST_PROVINCE = 98  # PV98, then PV97, ...
GEMEENTEN_PER_PROVINCE = 70


def table_id(year: int) -> str:
    return f"DEMOGEB{year}"


def provinces(geography: Geography) -> dict[str, tuple[str, str]]:
    """Gemeente code -> (provincie code, name), for every gemeente of any year."""
    count = max(1, len(geography.gemeenten) // GEMEENTEN_PER_PROVINCE)
    block = math.ceil(len(geography.gemeenten) / count)
    result: dict[str, tuple[str, str]] = {}
    for gemeente in geography.gemeenten:
        number = gemeente.index // block
        name = "Demo-provincie" if count == 1 else f"Demo-provincie {number + 1}"
        result[gemeente.code] = (f"PV{FIRST_PROVINCE - number}", name)
    result[f"GM{geography.merged_number:04d}"] = result[geography.gemeenten[-1].code]
    return result


def write_year(folder: Path, layout: YearLayout, geography: Geography) -> None:
    """TableInfos, DataProperties and UntypedDataSet for `layout.year`'s gemeenten."""
    folder.mkdir(parents=True, exist_ok=True)
    year = layout.year
    mapping = provinces(geography)
    info = {
        "ID": 0,
        "Identifier": table_id(year),
        "Title": f"Gebieden in Nederland {year} — {DEMO_TITLE}",
        "ShortTitle": f"Demo gebieden {year}",
        "Summary": "Verzonnen provincies (PV98 en lager), verzonnen gemeenten; geen echte data.",
        "Period": str(year),
        "Language": "nl",
        "Catalog": "DEMO",
    }
    properties = [
        {"ID": 0, "Type": "GeoDimension", "Key": "RegioS", "Title": "Regio's"},
        {"ID": 1, "Type": "TopicGroup", "Key": "", "Title": "Gemeenten"},
        {"ID": 2, "ParentID": 1, "Type": "Topic", "Key": "Code_1", "Title": "Code", "Unit": ""},
        {"ID": 3, "ParentID": 1, "Type": "Topic", "Key": "Naam_2", "Title": "Naam", "Unit": ""},
        {"ID": 4, "Type": "TopicGroup", "Key": "", "Title": "Provincies"},
        {"ID": 5, "ParentID": 4, "Type": "Topic", "Key": "Code_3", "Title": "Code", "Unit": ""},
        {"ID": 6, "ParentID": 4, "Type": "Topic", "Key": "Naam_4", "Title": "Naam", "Unit": ""},
    ]
    rows: list[dict[str, Any]] = []
    for i, unit in enumerate(layout.gemeenten):
        code, name = mapping[unit.code]
        rows.append(
            {
                "ID": i,
                "RegioS": unit.code.ljust(8),
                "Code_1": unit.code.ljust(8),
                "Naam_2": unit.name.ljust(40),
                "Code_3": code.ljust(6),
                "Naam_4": name.ljust(40),
            }
        )
    for name, value in (
        ("TableInfos.json", [info]),
        ("DataProperties.json", properties),
        ("UntypedDataSet.json", rows),
    ):
        text = json.dumps({"odata.metadata": "", "value": value}, ensure_ascii=False)
        (folder / name).write_text(text, encoding="utf-8")
