"""CSV as CBS publishes it: kwb-YYYY.csv (short codes) and StatLine exports (OData keys).

';' or ',' (or tab) separated, fields possibly quoted, values possibly with a decimal comma.
"""

from __future__ import annotations

import csv
from pathlib import Path

from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.rawtable import RawTable, table_id_in
from wijkradar.sources.cbs_kwb.textio import decode_utf8


def read_csv(path: Path, encoding: str = "utf-8") -> RawTable:
    data = guard.read_input(path, "a CBS KWB CSV file")
    text = decode_utf8(path, data, encoding)
    del data
    header, rows = guard.iter_csv(path, text, _delimiter(text[: text.find("\n")]))
    # Straight into columns: a list per row as well would double the memory of a large file.
    columns: list[list[object]] = [[] for _ in header]
    row_numbers: list[int] = []
    for number, row in rows:
        for column, cell in zip(columns, row, strict=True):
            column.append(cell)
        row_numbers.append(number)
        if len(row_numbers) % 10_000 == 0:
            guard.check_cells(path, len(row_numbers) * len(header), number)
    guard.check_cells(path, len(row_numbers) * len(header))
    return RawTable(
        path=path,
        columns=header,
        cells=dict(zip(header, columns, strict=True)),
        row_numbers=row_numbers,
        table_id=table_id_in(path.name),
    )


def peek_csv_header(path: Path) -> list[str]:
    """The header fields of a CSV file, read from its first 64 KiB; [] when unreadable."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    line = text.split("\n", 1)[0].rstrip("\r")
    try:
        return [name.strip() for name in next(csv.reader([line], delimiter=_delimiter(line)))]
    except (StopIteration, csv.Error):
        return []


def _delimiter(header_line: str) -> str:
    for candidate in (";", "\t", ","):
        if candidate in header_line:
            return candidate
    return ","
