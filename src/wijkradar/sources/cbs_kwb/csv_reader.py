"""CSV as CBS publishes it: kwb-YYYY.csv (short codes) and StatLine exports (OData keys).

';' or ',' (or tab) separated, fields possibly quoted, values possibly with a decimal comma.
"""

from __future__ import annotations

from pathlib import Path

from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.rawtable import RawTable, from_rows
from wijkradar.sources.cbs_kwb.textio import decode_utf8


def read_csv(path: Path, encoding: str = "utf-8") -> RawTable:
    data = guard.read_input(path, "a CBS KWB CSV file")
    text = decode_utf8(path, data, encoding)
    header_line = text.split("\n", 1)[0]
    parsed = guard.csv_rows(path, text, _delimiter(header_line))
    return from_rows(path, parsed.header, parsed.rows, parsed.row_numbers)


def _delimiter(header_line: str) -> str:
    for candidate in (";", "\t", ","):
        if candidate in header_line:
            return candidate
    return ","
