"""Read an outcome table (validate --outcome FILE:COLUMN) and an area set (YAML).

An outcome table is a CSV or XLSX file with one row per area: a column with region codes
(WijkenEnBuurten / Codering_3 as CBS exports them, or code, region_code, GM_CODE, WK_CODE,
BU_CODE, statcode; otherwise the first column that holds codes) and the outcome column. CBS
UntypedDataSet exports (space-padded text) are read as they are; when a `Marges` column is there,
only the estimate rows (MW00000) are used, never the bounds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wijkradar.domain import InputError

CODE = re.compile(r"^(NL\d{2}|PV\d{2}|GM\d{4}|WK\d{6}|BU\d{8})$")
CODE_COLUMNS = (
    "wijkenenbuurten",
    "codering_3",
    "code",
    "region_code",
    "gm_code",
    "wk_code",
    "bu_code",
    "statcode",
    "gwb_code",
)
ESTIMATE = "MW00000"
LEVEL_OF_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}


def split_spec(spec: str) -> tuple[Path, str]:
    """FILE:COLUMN → (path, column); the column is after the last colon."""
    path, sep, column = spec.rpartition(":")
    if not sep or not path or not column:
        raise InputError(spec, "--outcome must be FILE:COLUMN", expected="FILE:COLUMN", found=spec)
    return Path(path), column


def _rows(path: Path) -> Iterator[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
        return
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(text.splitlines(), delimiter=delimiter)


def _number(raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    if text in ("", ".", "x", "-", "?"):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def read_outcome(path: Path, column: str) -> dict[str, float]:
    """{region code: outcome value} for the rows with a value."""
    if not path.is_file():
        raise InputError(path, "outcome file not found")
    rows = _rows(path)
    try:
        header = [str(h or "").strip() for h in next(rows)]
    except StopIteration:
        raise InputError(path, "outcome file is empty") from None
    if column not in header:
        raise InputError(
            path, "no such column", row=1, expected=column, found=", ".join(header[:12])
        )
    value_at = header.index(column)
    lowered = [h.lower() for h in header]
    marges_at = lowered.index("marges") if "marges" in lowered else None
    code_at = next((lowered.index(c) for c in CODE_COLUMNS if c in lowered), None)
    out: dict[str, float] = {}
    buffered: list[tuple[int, list[Any]]] = []
    for line, row in enumerate(rows, start=2):
        pending = [(line, row)]
        if code_at is None:
            buffered.append((line, row))
            found = [i for i, cell in enumerate(row) if CODE.match(str(cell or "").strip())]
            if not found:
                continue
            code_at = found[0]
            pending, buffered = buffered, []
        for at, cells in pending:
            _take(path, at, cells, code_at, value_at, marges_at, column, out)
    if code_at is None:
        raise InputError(path, "no column with region codes (GM0363, WK036301, BU03630101)")
    return out


def _take(
    path: Path,
    line: int,
    cells: list[Any],
    code_at: int,
    value_at: int,
    marges_at: int | None,
    column: str,
    out: dict[str, float],
) -> None:
    if len(cells) <= max(code_at, value_at):
        return
    if marges_at is not None and str(cells[marges_at] or "").strip() != ESTIMATE:
        return
    code = str(cells[code_at] or "").strip().upper()
    if not CODE.match(code):
        return
    try:
        value = _number(cells[value_at])
    except ValueError:
        raise InputError(
            path, "not a number", row=line, column=column, found=str(cells[value_at])
        ) from None
    if value is not None:
        out[code] = value


@dataclass(frozen=True)
class AreaSet:
    name: str
    level: str
    areas: tuple[str, ...]
    description: str = ""


def read_area_set(path: Path) -> AreaSet:
    """An area set: YAML with name, level (gemeente | wijk | buurt), areas (codes), description."""
    if not path.is_file():
        raise InputError(path, "area set file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(path, f"not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise InputError(path, "expected a mapping with name, level and areas")
    for key in ("name", "level", "areas"):
        if key not in raw:
            raise InputError(path, f"missing key {key}", expected="name, level, areas")
    if raw["level"] not in LEVEL_OF_PREFIX.values():
        raise InputError(
            path,
            "unknown level",
            column="level",
            expected="gemeente, wijk or buurt",
            found=str(raw["level"]),
        )
    areas = raw["areas"]
    if not isinstance(areas, list) or not areas:
        raise InputError(path, "areas must be a non-empty list of codes", column="areas")
    codes = []
    for i, code in enumerate(areas):
        text = str(code).strip().upper()
        if not CODE.match(text) or LEVEL_OF_PREFIX.get(text[:2]) != raw["level"]:
            raise InputError(
                path,
                f"areas[{i}] is not a {raw['level']} code",
                column="areas",
                found=str(code),
            )
        codes.append(text)
    return AreaSet(
        name=str(raw["name"]),
        level=str(raw["level"]),
        areas=tuple(dict.fromkeys(codes)),
        description=str(raw.get("description", "")),
    )
