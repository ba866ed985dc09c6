"""CSV as CBS publishes it: kwb-YYYY.csv (short codes) and StatLine exports (OData keys).

';' or ',' (or tab) separated, fields possibly quoted, values possibly with a decimal comma.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from wijkradar.domain import InputError
from wijkradar.sources.cbs_kwb.rawtable import RawTable, from_rows
from wijkradar.sources.cbs_kwb.textio import decode_utf8


def read_csv(path: Path, encoding: str = "utf-8") -> RawTable:
    text = decode_utf8(path, path.read_bytes(), encoding)
    header_line = text.split("\n", 1)[0]
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(path, "empty file", row=1, expected="a header row") from None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line, e.g. at the end
            if len(row) != len(header):
                raise InputError(
                    path,
                    "row has a different number of fields than the header (cut off?)",
                    row=reader.line_num,
                    expected=f"{len(header)} fields",
                    found=f"{len(row)} fields",
                )
            rows.append(row)
            row_numbers.append(reader.line_num)
    except csv.Error as error:
        raise InputError(
            path, f"broken CSV: {error}", row=reader.line_num, expected="well-formed CSV"
        ) from None
    return from_rows(path, header, rows, row_numbers)


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
