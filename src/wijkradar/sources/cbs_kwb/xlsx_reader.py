"""kwb-YYYY.xlsx as CBS publishes it: one sheet, a header row of short codes, one row per region."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from wijkradar.domain import InputError
from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.rawtable import RawTable, from_rows


def peek_xlsx_header(path: Path) -> list[str]:
    """The first non-empty row of the first sheet; [] when the workbook cannot be read."""
    if zipfile.is_zipfile(path):  # openpyxl reads all shared strings even for one row
        guard.check_size(path)
        guard.check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError):
        return []
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_row=20):
            if any(cell is not None for cell in row):
                return [("" if cell is None else str(cell)).strip() for cell in row]
        return []
    finally:
        workbook.close()


def read_xlsx(path: Path) -> RawTable:
    guard.check_size(path)
    guard.check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            cells = 0
            for row in sheet.iter_rows(values_only=True):
                rows.append(row)
                cells += len(row)
                if cells > guard.MAX_CELLS:
                    guard.check_cells(path, cells, len(rows))
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError) as error:
        raise InputError(
            path,
            "not a readable .xlsx workbook (corrupt or cut off)",
            expected="an Excel (Office Open XML) workbook",
            found=f"{type(error).__name__}: {error}",
        ) from None
    header_index = next((i for i, row in enumerate(rows) if any(c is not None for c in row)), None)
    if header_index is None:
        raise InputError(path, "empty workbook", row=1, expected="a header row")
    header = [("" if c is None else str(c)).strip() for c in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    data: list[tuple[object, ...]] = []
    row_numbers: list[int] = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if all(cell is None for cell in row):
            continue
        data.append(tuple(row[:width]) + (None,) * (width - len(row)))
        row_numbers.append(offset)
    return from_rows(path, header, data, row_numbers)
