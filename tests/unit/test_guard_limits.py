"""The cell limit that bounds a build's memory, in every reader (small limits, small files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from wijkradar.domain import InputError
from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb import CbsKwbFiles
from wijkradar.sources.local_csv import LocalCsv

MAPPING = """publisher: t
title: t
licence: CC BY 4.0
region_column: code
period: 2023
columns:
  a: {variable: a, unit: aantal, title: a}
  b: {variable: b, unit: aantal, title: b}
"""


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(guard, "MAX_CELLS", 40)
    return 40


def _rows(n: int) -> list[str]:
    return [f"BU0363{i:04d};{i};{i}" for i in range(n)]


def test_local_csv_observations(tmp_path: Path, small_limit: int) -> None:
    csv, mapping = tmp_path / "l.csv", tmp_path / "l.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    csv.write_text("\n".join(["code;a;b", *_rows(20)]) + "\n", encoding="utf-8")
    (result,) = LocalCsv(csv, mapping).read()
    assert result.observations.num_rows == 40
    csv.write_text("\n".join(["code;a;b", *_rows(21)]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="too large") as info:
        list(LocalCsv(csv, mapping).read())
    assert info.value.row == 22


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cbs_cells(tmp_path: Path, small_limit: int, kind: str) -> None:
    rows = [["gwb_code_10", "a_inw"], *[[f"BU0363{i:04d}", str(i)] for i in range(25)]]
    if kind == "csv":
        (tmp_path / "kwb-2023.csv").write_text(
            "\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8"
        )
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        book.save(tmp_path / "kwb-2023.xlsx")
    with pytest.raises(InputError, match="too large to read safely") as info:
        list(CbsKwbFiles(tmp_path).read())
    assert info.value.expected is not None and "40 cells" in info.value.expected
