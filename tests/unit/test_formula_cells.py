"""Exports never carry a formula: text a spreadsheet would evaluate is neutralised in CSV and
XLSX alike, while numbers (negative ones too) stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wijkradar.reports import exports
from wijkradar.reports.cells import neutralise

HOSTILE = [
    '=HYPERLINK("http://x","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
]


@pytest.mark.parametrize("text", [*HOSTILE, "\r=1+1"])
def test_formula_text_is_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-3, -2.5, 0, 12.5, None, True, "-3", "+1,5", "-0.25", "Amsterdam", "a=b", "", "'="]
)
def test_everything_else_is_unchanged(value: object) -> None:
    assert neutralise(value) == value


def _table() -> exports.ExportTable:
    rows = [
        {"code": "WK036300", "name": name, "delta": -1.5, "count": -3}
        for name in [*HOSTILE, "Centrum"]
    ]
    columns = {
        "code": "",
        "name": "",
        "delta": "",
        "count": "",
    }
    metadata = {
        "query": {"level": "wijk", "year": 2023},
        "licence": ["=cc"],
        "sources": [{"publisher": "@evil", "table_id": "-t", "year": 2023, "licence": "+l"}],
    }
    return exports.ExportTable(columns=columns, rows=rows, metadata=metadata)


def test_csv_export(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(_table()).decode("utf-8"), newline="")))
    assert [r["name"] for r in rows] == ["'" + text for text in HOSTILE] + ["Centrum"]
    assert {r["delta"] for r in rows} == {"-1.5"} and {r["count"] for r in rows} == {"-3"}


def test_xlsx_export(tmp_path: Path) -> None:
    out = tmp_path / "wijken.xlsx"
    exports._write_xlsx(_table(), out)
    book = load_workbook(out)
    data = book["data"]
    cells = [row for row in data.iter_rows(min_row=2)]
    assert all(row[1].data_type == "s" for row in cells)  # no formula ("f") anywhere
    assert [row[1].value for row in cells] == ["'" + text for text in HOSTILE] + ["Centrum"]
    assert {row[2].value for row in cells} == {-1.5} and {row[3].value for row in cells} == {-3}
    about = [cell for row in book["metadata"].iter_rows() for cell in row if cell.value]
    assert not any(cell.data_type == "f" for cell in about)
    assert "'=cc" in [cell.value for cell in about]
