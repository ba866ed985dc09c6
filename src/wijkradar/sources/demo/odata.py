"""Write one year of demo figures as an offline CBS OData (v3) dump folder.

Files: TableInfos.json, DataProperties.json, WijkenEnBuurten.json, UntypedDataSet.json, shaped
like CBS's Kerncijfers wijken en buurten: suffixed keys ("AantalInwoners_5"), codes padded with
trailing spaces, values as right-aligned strings, and CBS's markers for hidden or absent cells.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from wijkradar.domain import Level
from wijkradar.sources.demo.figures import SECRET_WHEN_TINY, VARIABLES, Spec
from wijkradar.sources.demo.geography import YearLayout

Array = np.ndarray[Any, np.dtype[np.float64]]

DEMO_TITLE = "SYNTHETISCHE DEMO / synthetic demo"
SECRET = "       ."
MISSING_DASH = "       -"
NEGATIVE_PLACEHOLDER = "    -99997"
# Cells left empty or '-' on purpose, from these variables only (as if not collected there).
_MAY_BE_MISSING = (
    "GemiddeldeWOZWaardeVanWoningen",
    "PercentageZelfstandigen",
    "GeweldsEnSeksueleMisdrijven",
    "AfstandTotKinderdagverblijf",
    "AfstandTotSchool",
)
_SOORT = {Level.LAND: "Land", Level.GEMEENTE: "Gemeente", Level.WIJK: "Wijk", Level.BUURT: "Buurt"}
_IDENTIFIERS = (
    ("Gemeentenaam", "Gemeentenaam", "naam"),
    ("SoortRegio", "Soort regio", "omschrijving"),
    ("Codering", "Codering", "code"),
    ("IndelingswijzigingWijkenEnBuurten", "Indelingswijziging wijken en buurten", "code"),
)
_GROUPS = (
    "Bevolking", "Wonen", "Onderwijs", "Arbeid", "Inkomen", "Sociale zekerheid", "Zorg",
    "Criminaliteit", "Bedrijven", "Nabijheid voorzieningen", "Oppervlakte", "Stedelijkheid",
)  # fmt: skip


def table_id(year: int) -> str:
    return f"DEMO{year}"


def group_order(year: int) -> list[str]:
    """CBS reorders topic groups between editions, so suffix numbers differ by year; so do we."""
    order = list(_GROUPS)
    if year % 2 == 1:
        i, j = order.index("Inkomen"), order.index("Sociale zekerheid")
        order[i], order[j] = order[j], order[i]
    if year >= 2022:
        order.remove("Zorg")
        order.insert(order.index("Arbeid"), "Zorg")
    return order


def suffixed_keys(year: int) -> dict[str, str]:
    """Canonical key -> this year's OData key (identifiers first, numbered from 1)."""
    keys: dict[str, str] = {}
    position = 1
    for key, _, _ in _IDENTIFIERS:
        keys[key] = f"{key}_{position}"
        position += 1
    for group in group_order(year):
        for spec in VARIABLES:
            if spec.group == group:
                keys[spec.key] = f"{spec.key}_{position}"
                position += 1
    return keys


def write_year(
    folder: Path,
    layout: YearLayout,
    figures: dict[Level, dict[str, Array]],
    tiny: set[str],
    seed: int,
) -> None:
    """Write the four JSON files for one year into `folder` (created if needed).

    `figures` holds per level the aggregated values, in the order of the layout's units; `tiny`
    the codes of buurten whose income and benefit cells are secret.
    """
    folder.mkdir(parents=True, exist_ok=True)
    year = layout.year
    keys = suffixed_keys(year)
    _dump(folder / "TableInfos.json", {"value": [_table_info(year)]})
    _dump(folder / "DataProperties.json", {"value": _data_properties(year, keys)})
    units = layout.units()
    _dump(
        folder / "WijkenEnBuurten.json",
        {
            "value": [
                {"Key": _pad(u.code), "Title": u.name, "Description": None, "CategoryGroupID": None}
                for u in units
            ]
        },
    )
    by_level = {
        Level.LAND: (layout.land,),
        Level.GEMEENTE: layout.gemeenten,
        Level.WIJK: layout.wijken,
        Level.BUURT: layout.buurten,
    }
    rows: list[dict[str, Any]] = []
    for level, level_units in by_level.items():
        values = figures[level]
        for i, unit in enumerate(level_units):
            row: dict[str, Any] = {
                "ID": len(rows),
                "WijkenEnBuurten": _pad(unit.code),
                keys["Gemeentenaam"]: unit.gemeente_name.ljust(40),
                keys["SoortRegio"]: _SOORT[level].ljust(9),
                keys["Codering"]: _pad(unit.code),
                keys["IndelingswijzigingWijkenEnBuurten"]: unit.flag,
            }
            secret = unit.code in tiny
            for spec in VARIABLES:
                hidden = secret and spec.key in SECRET_WHEN_TINY
                row[keys[spec.key]] = SECRET if hidden else _format(spec, values[spec.key][i])
            rows.append(row)
    _blank_some_cells(rows, keys, year, seed)
    _dump(folder / "UntypedDataSet.json", {"odata.metadata": "", "value": rows})


def _blank_some_cells(
    rows: list[dict[str, Any]], keys: dict[str, str], year: int, seed: int
) -> None:
    """A few buurt cells empty or '-', and one negative placeholder, as real tables have."""
    rng = np.random.default_rng([seed, 4, year])
    buurt_rows = [r for r in rows if r["WijkenEnBuurten"].startswith("BU")]
    count = max(3, round(0.003 * len(buurt_rows) * len(_MAY_BE_MISSING)))
    for n in range(count):
        row = buurt_rows[int(rng.integers(len(buurt_rows)))]
        key = keys[_MAY_BE_MISSING[int(rng.integers(len(_MAY_BE_MISSING)))]]
        if row[key] != SECRET:
            row[key] = "" if n % 2 == 0 else MISSING_DASH
    row = buurt_rows[int(rng.integers(len(buurt_rows)))]
    row[keys["AfstandTotHuisartsenpraktijk"]] = NEGATIVE_PLACEHOLDER


def _table_info(year: int) -> dict[str, Any]:
    return {
        "ID": 0,
        "Identifier": table_id(year),
        "Title": f"Kerncijfers wijken en buurten {year} — {DEMO_TITLE}",
        "ShortTitle": f"Demo wijken en buurten {year}",
        "Summary": "Verzonnen cijfers voor verzonnen gemeenten (GM98xx/GM9xxx); geen echte data.",
        "Period": str(year),
        "Language": "nl",
        "Catalog": "DEMO",
        "Frequency": "Perjaar",
        "Status": "Definitief",
        "Modified": f"{year + 1}-06-30T02:00:00",
        "Description": "Gegenereerd door wijkradar.sources.demo. Licentie: CC0 1.0 (synthetic).",
    }


def _data_properties(year: int, keys: dict[str, str]) -> list[dict[str, Any]]:
    props: list[dict[str, Any]] = [
        {
            "ID": 0, "Position": 0, "ParentID": None, "Type": "GeoDimension",
            "Key": "WijkenEnBuurten", "Title": "Wijken en buurten", "Description": None,
            "MapYear": str(year), "ReleasePolicy": False,
        },
        {"ID": 1, "Position": None, "ParentID": None, "Type": "TopicGroup",
         "Key": "", "Title": "Regioaanduiding", "Description": None},
    ]  # fmt: skip
    for key, title, unit in _IDENTIFIERS:
        props.append(
            {
                "ID": len(props), "Position": len(props) - 1, "ParentID": 1, "Type": "Topic",
                "Key": keys[key], "Title": title, "Description": None, "Datatype": "String",
                "Unit": unit, "Decimals": 0, "Default": "None",
            }
        )  # fmt: skip
    for group in group_order(year):
        group_id = len(props)
        props.append(
            {"ID": group_id, "Position": None, "ParentID": None, "Type": "TopicGroup",
             "Key": "", "Title": group, "Description": None}
        )  # fmt: skip
        for spec in VARIABLES:
            if spec.group != group:
                continue
            props.append(
                {
                    "ID": len(props), "Position": len(props) - 1, "ParentID": group_id,
                    "Type": "Topic", "Key": keys[spec.key], "Title": spec.title,
                    "Description": f"{spec.title} (synthetisch)",
                    "Datatype": "Long" if spec.decimals == 0 else "Double",
                    "Unit": spec.unit, "Decimals": spec.decimals, "Default": "Impossible",
                }
            )  # fmt: skip
    return props


def _format(spec: Spec, value: float) -> str:
    if not np.isfinite(value):
        return ""
    if spec.decimals == 0:
        return f"{round(float(value)):>10d}"
    return f"{float(value):>10.{spec.decimals}f}"


def _pad(code: str) -> str:
    return code.ljust(10)


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
