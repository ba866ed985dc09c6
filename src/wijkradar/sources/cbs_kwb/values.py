"""Cell values -> (value, status), a whole column at a time with pyarrow compute.

CBS markers (see docs/sources/cbs-kwb.md):
  "."  secret or too unreliable      -> suppressed
  "x"  secret                        -> suppressed
  "-"  and ""  nothing / not available -> missing
  negative placeholders (-99997 ...)  -> suppressed (used in CBS's files and map layers)
A value that is not OK becomes NULL, never 0. A decimal comma ("12,5") reads as 12.5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from wijkradar.domain import Status

SUPPRESSED_MARKERS = (".", "x", "X")
MISSING_MARKERS = ("", "-")
# Placeholders CBS writes instead of a hidden number in its file and map products.
NEGATIVE_PLACEHOLDERS = (-99995.0, -99996.0, -99997.0, -99998.0, -99999.0, -99999999.0)

_SUPPRESSED = pa.array(SUPPRESSED_MARKERS)
_MISSING = pa.array(MISSING_MARKERS)
_PLACEHOLDERS = pa.array(NEGATIVE_PLACEHOLDERS, pa.float64())


class NotNumeric(ValueError):
    def __init__(self, index: int, found: str) -> None:
        super().__init__(found)
        self.index = index
        self.found = found


@dataclass(frozen=True)
class Parsed:
    values: pa.Array  # float64, NULL unless status is ok
    status: pa.Array  # string: ok | suppressed | missing
    suppressed: int
    missing: int


def parse_column(cells: Sequence[object], typed: bool = False) -> Parsed:
    """Parse one column. `typed`: cells are numbers or None (OData TypedDataSet).

    In a typed set a null cannot tell secret from unavailable, so it counts as missing.
    Raises NotNumeric with the index of the first cell that is not a number or a marker.
    """
    texts: pa.Array | None = None
    if typed and any(isinstance(cell, str) for cell in cells):
        # Some typed-set Topics come as text (MateVanStedelijkheid "1", padded codes): read them
        # as untyped cells, markers included.
        typed = False
    if not typed:
        try:
            texts = pa.array(cells, pa.string())  # the common case: all text, built in C
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            if not all(cell is None or isinstance(cell, int | float) for cell in cells):
                texts = pa.array([_as_text(cell) for cell in cells], pa.string())
    if texts is None:
        numbers = _typed_numbers(cells)
        missing = pc.is_null(numbers)
        suppressed = pc.fill_null(pc.is_in(numbers, value_set=_PLACEHOLDERS), False)
        return _finish(numbers, suppressed, missing)
    stripped = pc.utf8_trim_whitespace(texts)
    missing = pc.or_(pc.is_null(stripped), pc.is_in(stripped, value_set=_MISSING))
    missing = pc.fill_null(missing, True)
    suppressed = pc.fill_null(pc.is_in(stripped, value_set=_SUPPRESSED), False)
    candidates = pc.if_else(pc.or_(missing, suppressed), pa.scalar(None, pa.string()), stripped)
    candidates = pc.replace_substring(candidates, pattern=",", replacement=".")
    try:
        numbers = pc.cast(candidates, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise _first_bad(candidates, stripped) from None
    if pc.any(pc.fill_null(pc.or_(pc.is_nan(numbers), pc.is_inf(numbers)), False)).as_py():
        raise _first_bad(candidates, stripped)
    placeholder = pc.fill_null(pc.is_in(numbers, value_set=_PLACEHOLDERS), False)
    return _finish(numbers, pc.or_(suppressed, placeholder), missing)


def _finish(numbers: pa.Array, suppressed: pa.Array, missing: pa.Array) -> Parsed:
    missing = pc.and_(missing, pc.invert(suppressed))
    not_ok = pc.or_(suppressed, missing)
    values = pc.if_else(not_ok, pa.scalar(None, pa.float64()), numbers)
    status = pc.if_else(
        suppressed,
        pa.scalar(Status.SUPPRESSED.value),
        pc.if_else(missing, pa.scalar(Status.MISSING.value), pa.scalar(Status.OK.value)),
    )
    return Parsed(
        values=values,
        status=status,
        suppressed=int(pc.sum(suppressed).as_py() or 0),
        missing=int(pc.sum(missing).as_py() or 0),
    )


def _typed_numbers(cells: Sequence[object]) -> pa.Array:
    try:
        return pa.array(cells, pa.float64(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        for index, cell in enumerate(cells):
            if cell is not None and not isinstance(cell, int | float):
                raise NotNumeric(index, repr(cell)) from None
        raise


def _as_text(cell: object) -> str | None:
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"  # not a number: reported as such
    if isinstance(cell, int | float):
        return repr(cell)
    return str(cell)


def _first_bad(candidates: pa.Array, stripped: pa.Array) -> NotNumeric:
    for index, text in enumerate(candidates.to_pylist()):
        if text is None:
            continue
        try:
            number = float(text)
        except ValueError:
            return NotNumeric(index, stripped[index].as_py())
        if number != number or number in (float("inf"), float("-inf")):
            return NotNumeric(index, stripped[index].as_py())
    return NotNumeric(0, "?")
