"""Hand-made CBS KWB OData dumps (two years, Amsterdam and Weesp) for the build and CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TABLES = {2022: "85318NED", 2023: "85618NED"}

# (code, kind, gemeente name, inhabitants as CBS writes it untyped, % rented)
ROWS: dict[int, list[tuple[str, str, str, str, str]]] = {
    2022: [
        ("NL00", "Land", "Nederland", "  17590672", "    43"),
        ("GM0363", "Gemeente", "Amsterdam", "    882633", "    70"),
        ("GM0457", "Gemeente", "Weesp", "     20000", "    35"),
        ("WK036300", "Wijk", "Amsterdam", "      9000", "       ."),
        ("BU03630000", "Buurt", "Amsterdam", "       .", "     x"),
        ("BU03630001", "Buurt", "Amsterdam", "      -", "    "),
    ],
    2023: [
        ("NL00", "Land", "Nederland", "  17811291", "    42"),
        ("GM0363", "Gemeente", "Amsterdam", "    918117", "    69"),
        ("WK036300", "Wijk", "Amsterdam", "      9100", "    80"),
        ("BU03630000", "Buurt", "Amsterdam", "      5000", "       ."),
        ("BU03630001", "Buurt", "Amsterdam", "      4100", "    -99997"),
    ],
}


def write_dump(
    root: Path,
    year: int,
    rows: list[tuple[str, str, str, str, str]],
    flags: dict[str, str] | None = None,
) -> Path:
    """One OData dump folder; `flags` sets IndelingswijzigingWijkenEnBuurten per code (else 1)."""
    flags = flags or {}
    folder = root / TABLES[year]
    folder.mkdir(parents=True)

    def dump(name: str, value: list[dict[str, Any]]) -> None:
        (folder / name).write_text(json.dumps({"value": value}), encoding="utf-8")

    dump(
        "TableInfos.json",
        [
            {
                "Identifier": TABLES[year],
                "Title": f"Kerncijfers wijken en buurten {year}",
                "Period": str(year),
            }
        ],
    )
    dump(
        "DataProperties.json",
        [
            {"Key": "AantalInwoners_5", "Title": "Aantal inwoners", "Unit": "aantal"},
            {"Key": "HuurwoningenTotaal_41", "Title": "Huurwoningen totaal", "Unit": "%"},
        ],
    )
    dump(
        "WijkenEnBuurten.json",
        [
            {"Key": "WK036300", "Title": "Burgwallen-Oude Zijde"},
            {"Key": "BU03630000", "Title": "Kop Zeedijk"},
            {"Key": "BU03630001", "Title": "Oudekennissteeg"},
        ],
    )
    dump(
        "UntypedDataSet.json",
        [
            {
                "ID": i,
                "WijkenEnBuurten": f"{code:<10}",
                "Gemeentenaam_1": f"{name:<20}",
                "SoortRegio_2": f"{kind:<9}",
                "Codering_3": f"{code:<10}",
                "IndelingswijzigingWijkenEnBuurten_4": flags.get(
                    code, "1" if kind in ("Wijk", "Buurt") else "."
                ),
                "AantalInwoners_5": inhabitants,
                "HuurwoningenTotaal_41": rented,
            }
            for i, (code, kind, name, inhabitants, rented) in enumerate(rows)
        ],
    )
    return folder
