"""A table as read from any KWB format, before conversion: columns of raw cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wijkradar.domain import InputError
from wijkradar.sources.cbs_kwb.columns import Known
from wijkradar.sources.cbs_kwb.tables import year_for_table

_KWB_YEAR = re.compile(r"kwb[-_ ]?((?:19|20)\d\d)", re.IGNORECASE)
_TABLE_ID = re.compile(r"(\d{5}NED)", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class RawTable:
    path: Path  # the file errors point at
    columns: list[str]  # column names as in the file, in order
    cells: dict[str, list[object]]  # column name -> cells (str, number or None)
    row_numbers: list[int]  # per data row, the row number a spreadsheet / editor shows
    typed: bool = False  # OData TypedDataSet: numbers and nulls, no markers
    table_id: str | None = None
    title: str | None = None
    period: str | None = None  # TableInfos "Period"
    properties: dict[str, Known] = field(default_factory=dict)  # canonical key -> title, unit
    names: dict[str, str] = field(default_factory=dict)  # region code -> name
    # Canonical keys of Topics whose DataProperties Datatype is "String" (postcodes, codes)
    text_keys: frozenset[str] = frozenset()

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)

    def error(
        self, index: int, column: str, problem: str, *, expected: str, found: str
    ) -> InputError:
        """Bad input in data row `index` (0-based), pointed at by the row number the file shows."""
        return InputError(
            self.path,
            problem,
            row=self.row_numbers[index],
            column=column,
            expected=expected,
            found=found,
        )


def from_rows(
    path: Path, header: list[str], rows: Sequence[Sequence[object]], row_numbers: list[int]
) -> RawTable:
    """A table from a header and rows of equal width (a CSV or a spreadsheet sheet)."""
    return RawTable(
        path=path,
        columns=header,
        cells={name: [row[i] for row in rows] for i, name in enumerate(header)},
        row_numbers=row_numbers,
        table_id=table_id_in(path.name),
    )


def table_id_in(name: str) -> str | None:
    match = _TABLE_ID.search(name)
    return match.group(1).upper() if match else None


def year_in_name(name: str) -> int | None:
    match = _KWB_YEAR.search(name)
    return int(match.group(1)) if match else None


def resolve_year(
    path: Path, period: str | None, table_id: str | None, requested: int | None = None
) -> int:
    """The reference year: TableInfos Period, else a table id from tables.yml, else 'kwb-YYYY'.

    The file name and its parent folders are searched for a table id and for 'kwb-YYYY'. A Period
    that contradicts the year the name (or `requested`, the year a table was fetched for) gives
    is refused: figures must never be filed under the wrong year.
    """
    named = _named_year(path, table_id)
    if period and (match := _YEAR.search(period)):
        year = int(match.group(0))
        asked = None if requested is None else (requested, str(requested))
        for other, why in ((named, "the table id or file name"), (asked, "the year asked for")):
            if other is not None and other[0] != year:
                raise InputError(
                    path,
                    f"the table's Period contradicts {why} ({other[1]})",
                    column="Period",
                    expected=str(other[0]),
                    found=period,
                )
        return year
    if named is not None:
        return named[0]
    raise InputError(
        path,
        "cannot tell which year this table describes",
        expected="TableInfos.json with a Period, a KWB table id from tables.yml (e.g. 85618NED) "
        "or 'kwb-YYYY' in the file name",
        found=path.name,
    )


def _named_year(path: Path, table_id: str | None) -> tuple[int, str] | None:
    names = [path.name, *(parent.name for parent in path.parents)][:4]
    candidates = [table_id] if table_id else []
    candidates += [found for name in names if (found := table_id_in(name))]
    for candidate in candidates:
        if (year := year_for_table(candidate)) is not None:
            return year, candidate
    for name in names:
        if (year := year_in_name(name)) is not None:
            return year, name
    return None
