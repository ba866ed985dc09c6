"""Reading a creditor's file (CSV or XLSX) and checking each row against the mapping.

A rejection names the row (as a spreadsheet shows it: header = row 1), the column, what was
expected and the shape of what was found - never the value itself, which is person data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wijkradar.domain import WijkradarError
from wijkradar.ops.arrears.mapping import Mapping
from wijkradar.ops.core import addresses

MAX_ROWS = 1_000_000
_TRUE = frozenset({"1", "j", "ja", "y", "yes", "true", "waar", "x"})
_FALSE = frozenset({"", "0", "n", "nee", "no", "false", "onwaar"})


@dataclass(frozen=True)
class Row:
    number: int
    reference: str
    postcode: str
    huisnummer: int
    toevoeging: str
    amount: Decimal
    signal_date: dt.date
    arrears_start: dt.date | None
    name: str
    birth_date: dt.date | None
    crisis: bool
    warm_handover: bool


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    expected: str
    found: str

    def line(self, source: str) -> str:
        return (
            f"{source}: row {self.row}, column {self.column!r}: expected {self.expected}, "
            f"found {self.found}"
        )


def _shape(value: str) -> str:
    """What a bad value looks like, without repeating it."""
    if not value.strip():
        return "an empty cell"
    kinds = "digits" if value.strip().isdigit() else "text"
    return f"{kinds} of {len(value.strip())} characters"


def read_table(
    content: bytes, filename: str, mapping: Mapping
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {header: text}): CSV with the mapping's delimiter
    and encoding, or XLSX."""
    if filename.lower().endswith(".xlsx"):
        yield from _read_xlsx(content, filename, mapping)
        return
    try:
        text = content.decode(mapping.encoding)
    except UnicodeDecodeError:
        raise WijkradarError(f"{filename}: not {mapping.encoding} text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    _check_header(list(reader.fieldnames or []), filename, mapping)
    for row in reader:
        number = reader.line_num  # blank lines are skipped, so count what the file has
        if number > MAX_ROWS:
            raise WijkradarError(f"{filename}: more than {MAX_ROWS} rows")
        yield number, {k: (v or "") for k, v in row.items() if k is not None}


def _cell(value: Any, decimal_comma: bool = False) -> str:
    """A spreadsheet cell as the text a CSV would hold (numbers in the mapping's notation, so
    250.5 does not read as 2505 under decimal_comma)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal) and decimal_comma:
        return str(value).replace(".", ",")
    return str(value)


def _read_xlsx(
    content: bytes, filename: str, mapping: Mapping
) -> Iterator[tuple[int, dict[str, str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise WijkradarError(f"{filename}: not a readable XLSX workbook") from None
    sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    _check_header(header, filename, mapping)
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise WijkradarError(f"{filename}: more than {MAX_ROWS} rows")
        if all(v is None for v in values):
            continue
        yield (
            number,
            {h: _cell(v, mapping.decimal_comma) for h, v in zip(header, values, strict=False)},
        )
    book.close()


def _check_header(header: list[str], filename: str, mapping: Mapping) -> None:
    missing = [col for col in mapping.columns.values() if col not in header]
    if missing:
        raise WijkradarError(
            f"{filename}: row 1: expected the mapped column(s) {', '.join(missing)}, "
            f"found {', '.join(header) or 'no header'}"
        )


def _date(value: str, fmt: str) -> dt.date:
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.strptime(value, fmt).date()


def parse_row(
    raw: dict[str, str], number: int, mapping: Mapping, today: dt.date
) -> Row | Rejection:
    """One checked row, or the first problem in it."""
    col = mapping.columns

    def get(field: str) -> str:
        return raw.get(col[field], "") if field in col else ""

    reference = get("reference").strip()
    if not reference or len(reference) > 80:
        return Rejection(
            number, col["reference"], "a reference of 1-80 characters", _shape(reference)
        )
    pc = addresses.postcode(get("postcode"))
    if pc is None:
        return Rejection(
            number, col["postcode"], "a Dutch postcode like 1234 AB", _shape(get("postcode"))
        )
    nr = addresses.house_number(get("huisnummer"))
    if nr is None:
        return Rejection(
            number, col["huisnummer"], "a house number 1-99999", _shape(get("huisnummer"))
        )
    amount_text = get("amount").strip().replace("€", "").replace(" ", "")
    if mapping.decimal_comma:
        amount_text = amount_text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(amount_text)
    except InvalidOperation:
        return Rejection(number, col["amount"], "an amount in euro", _shape(get("amount")))
    if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000000"):
        return Rejection(
            number, col["amount"], "an amount of 0 or more", "a negative or huge amount"
        )
    dates: dict[str, dt.date | None] = {}
    for field in ("signal_date", "arrears_start", "birth_date"):
        text = get(field)
        if not text.strip():
            if field == "signal_date":
                return Rejection(number, col[field], "a date", "an empty cell")
            dates[field] = None
            continue
        try:
            dates[field] = _date(text, mapping.date_format)
        except ValueError:
            return Rejection(number, col[field], f"a date ({mapping.date_format})", _shape(text))
        if dates[field] > today:  # type: ignore[operator]
            return Rejection(number, col[field], "a date not in the future", "a future date")
    flags: dict[str, bool] = {}
    for field in ("crisis", "warm_handover"):
        text = get(field).strip().lower()
        if text not in _TRUE | _FALSE:
            return Rejection(number, col[field], "ja/nee", _shape(text))
        flags[field] = text in _TRUE
    signal_date = dates["signal_date"]
    assert signal_date is not None
    return Row(
        number=number,
        reference=reference,
        postcode=pc,
        huisnummer=nr,
        toevoeging=addresses.addition(get("toevoeging")),
        amount=amount.quantize(Decimal("0.01")),
        signal_date=signal_date,
        arrears_start=dates["arrears_start"],
        name=get("name").strip()[:200],
        birth_date=dates["birth_date"],
        crisis=flags["crisis"],
        warm_handover=flags["warm_handover"],
    )


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise WijkradarError(f"{path}: cannot read ({error.strerror})") from None
