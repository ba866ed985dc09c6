"""CBS's IndelingswijzigingWijkenEnBuurten flag -> RegionChange records of kind "flagged".

CBS's description of the indicator (KWB DataProperties / wijk- en buurtkaart, IND_WBI), compared
with the year before:
  1  code and boundary unchanged (the name may have changed): figures can be compared;
  2  code changed, boundary unchanged: link to last year's code first, then compare;
  3  boundary changed (the code may have changed too): figures are not comparable as they are.
Gemeente and land rows carry "." (not applicable).

A flag other than 1 on a wijk or buurt becomes RegionChange(level, Y-1, code, Y, code,
"flagged"); the regions package turns it into a "changed" series break when the code exists in
both years (a code that is new that year is reported as "appeared" anyway).
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkradar.domain import Level, RegionChange
from wijkradar.regions.changes import FLAGGED
from wijkradar.sources.cbs_kwb.rawtable import RawTable

UNCHANGED = 1
MEANINGS = {
    1: "code and boundary unchanged",
    2: "code changed, boundary unchanged",
    3: "boundary changed",
}
_NOT_APPLICABLE = ("", ".", "-", "x", "X")


def flag_note(flag: int) -> str:
    """The note a flagged change carries: 'CBS flag 3: boundary changed'."""
    return f"CBS flag {flag}: {MEANINGS.get(flag, 'changed (code not in the CBS list)')}"


def flag_changes(
    raw: RawTable,
    column: str,
    codes: Sequence[str],
    levels: Sequence[Level],
    keep: Sequence[int],
    year: int,
) -> tuple[RegionChange, ...]:
    """One "flagged" RegionChange per kept wijk/buurt row whose flag is not 1."""
    cells = raw.cells[column]
    changes: list[RegionChange] = []
    for i in keep:
        level = levels[i]
        if level not in (Level.WIJK, Level.BUURT):
            continue
        flag = _flag(raw, column, i, cells[i])
        if flag is None or flag == UNCHANGED:
            continue
        code = codes[i]
        changes.append(
            RegionChange(level, year - 1, code, year, code, FLAGGED, 1.0, flag_note(flag))
        )
    return tuple(changes)


def _flag(raw: RawTable, column: str, index: int, cell: object) -> int | None:
    if cell is None:
        return None
    text = str(cell).strip()
    if text in _NOT_APPLICABLE:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = float("nan")
    if number != number or number != int(number):
        raise raw.error(
            index,
            column,
            "not an Indelingswijziging code",
            expected="1, 2 or 3 (or '.' where it does not apply)",
            found=text,
        )
    return int(number)
