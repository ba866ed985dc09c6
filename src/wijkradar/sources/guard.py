"""Checks every source's input passes, in one place: size, text, CSV shape, JSON, YAML, xlsx
archives and plausible values per unit. Each refusal is an InputError naming file, row, column,
what was expected and what was found; nothing here guesses or repairs.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from wijkradar.domain import InputError

MB = 1024 * 1024
# A national KWB table with every buurt is ~20 MB as CSV and ~60 MB as OData JSON; parsing holds
# several times the file in memory, so this keeps a build under ~1 GB (benchmarks/input_memory.py).
MAX_INPUT_BYTES = 64 * MB
# A CBS table is held as one Python object per cell while it is checked, and every figure as an
# observation row (~100 bytes each); a national KWB table has ~2.5 million cells (17 500 regions
# x ~140 columns). Local CSVs count their observations against the same limit.
MAX_CELLS = 4_000_000
# An xlsx is a zip of XML: refuse archives that would inflate past this, or inflate any member
# more than MAX_ZIP_RATIO times (spreadsheet XML compresses ~10-30x; zip bombs ~1000x).
MAX_XLSX_INFLATED = 512 * MB
MAX_ZIP_RATIO = 200


def read_input(path: Path, what: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, or a refusal when it is missing, a directory or too large."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a directory", expected=what, found="a directory")
    if not path.is_file():
        raise InputError(path, "file not found", expected=what, found="nothing at this path")
    check_size(path, limit)
    return path.read_bytes()


def check_size(path: Path, limit: int = MAX_INPUT_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            path,
            "file too large to read safely",
            expected=f"at most {limit // MB} MB (split it by year or level)",
            found=f"{size / MB:.0f} MB",
        )


def check_cells(path: Path, cells: int, row: int | None = None) -> None:
    if cells > MAX_CELLS:
        raise InputError(
            path,
            "table too large to read safely",
            row=row,
            expected=f"at most {MAX_CELLS:,} cells (split it by year or level)",
            found=f"more than {MAX_CELLS:,} cells",
        )


def decode_text(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    """Bytes -> text; a wrong encoding or a NUL byte is refused with its line and offset."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(
            path,
            "NUL byte in a text file (binary or damaged file?)",
            row=data.count(b"\n", 0, nul) + 1,
            expected="text without NUL bytes",
            found=f"byte 0x00 at offset {nul}",
        )
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    try:
        return data.decode("utf-8-sig" if utf8 else encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            path,
            f"bytes at offset {error.start} are not valid {encoding}",
            row=line,
            expected=f"{encoding.upper()} text (re-save the file as UTF-8, or pass encoding=...)",
            found=f"byte 0x{data[error.start]:02x} at offset {error.start}",
        ) from None
    except LookupError:
        raise InputError(
            path, "unknown text encoding", expected="utf-8, latin-1, cp1252, ...", found=encoding
        ) from None


def parse_json(path: Path, text: str | bytes) -> Any:
    """JSON, refused with line and column when broken, cut off or nested too deeply."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            path,
            "not valid JSON (the file may be cut off)",
            row=error.lineno,
            expected="a complete JSON document",
            found=f"{error.msg} at line {error.lineno}, column {error.colno}",
        ) from None
    except RecursionError:
        raise InputError(
            path,
            "JSON nested too deeply",
            expected="a JSON document nested at most a few hundred levels",
            found="deeper nesting than the parser allows",
        ) from None


CsvRow = tuple[int, list[str]]  # (the line an editor shows, the fields)


def iter_csv(path: Path, text: str, delimiter: str) -> tuple[list[str], Iterator[CsvRow]]:
    """The header and a stream of data rows. A row whose field count differs from the header's
    is refused, never shifted into other columns (a wrong delimiter, decimal commas in a comma
    file, a cut-off line); a file without data rows is refused."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(
            path, "empty file", row=1, expected="a header row", found="nothing"
        ) from None
    except csv.Error as error:
        raise InputError(path, f"broken CSV: {error}", row=1, expected="well-formed CSV") from None

    def rows() -> Iterator[CsvRow]:
        seen = False
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line, e.g. at the end
                if len(row) != len(header):
                    raise InputError(
                        path,
                        f"row has {len(row)} fields but the header has {len(header)} (wrong"
                        " delimiter, unquoted decimal commas, or cut off?)",
                        row=reader.line_num,
                        column=header[min(len(row), len(header)) - 1] if header else None,
                        expected=f"{len(header)} fields separated by {delimiter!r}",
                        found=f"{len(row)} fields",
                    )
                seen = True
                yield reader.line_num, row
        except csv.Error as error:
            raise InputError(
                path, f"broken CSV: {error}", row=reader.line_num, expected="well-formed CSV"
            ) from None
        if not seen:
            raise InputError(
                path,
                "no data rows",
                row=2,
                expected="at least one row after the header",
                found="none",
            )

    return header, rows()


def _lines(text: str) -> Iterator[str]:
    """Lines of `text` one at a time (io.StringIO would copy the whole text once more)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a mapping is a small hand-written file, and aliases
    are how a few lines expand into gigabytes ("billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise InputError(
                getattr(self, "_path", "?"),
                "YAML anchors and aliases are not allowed",
                row=mark.line + 1,
                expected="plain YAML (write each value out)",
                found=f"{'*' if isinstance(event, yaml.AliasEvent) else '&'}{event.anchor}",
            )
        return super().compose_node(parent, index)


def load_yaml(path: Path, *, limit: int = 1 * MB) -> Any:
    """A small YAML file (a mapping), refused when large, aliased, or not valid YAML."""
    text = decode_text(path, read_input(path, "a YAML mapping file", limit=limit))
    loader = _NoAliasLoader(text)
    loader._path = str(path)  # type: ignore[attr-defined]
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc).replace("\n", " ")
        raise InputError(path, f"not valid YAML ({problem})", row=row) from None
    except RecursionError:
        raise InputError(path, "YAML nested too deeply", expected="a flat mapping") from None
    finally:
        loader.dispose()


def check_zip(
    path: Path, *, max_total: int = MAX_XLSX_INFLATED, max_ratio: int = MAX_ZIP_RATIO
) -> None:
    """Refuse a zip (xlsx) that would inflate past `max_total` bytes or any member more than
    `max_ratio` times. zipfile never returns more than a member's declared size, so checking the
    declared sizes bounds what a reader can inflate."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(
            path,
            "not a readable .xlsx workbook (corrupt or cut off)",
            expected="an Excel (Office Open XML) workbook",
            found=f"{type(error).__name__}: {error}",
        ) from None
    total = sum(member.file_size for member in members)
    if total > max_total:
        raise InputError(
            path,
            "workbook inflates too far",
            expected=f"at most {max_total // MB} MB of uncompressed content",
            found=f"{total / MB:.0f} MB",
        )
    for member in members:
        if member.file_size > 1 * MB and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            raise InputError(
                path,
                "workbook member compressed suspiciously far (zip bomb?)",
                column=member.filename,
                expected=f"a compression ratio below {max_ratio}",
                found=f"{member.file_size // max(member.compress_size, 1)}x",
            )


# --- plausible values per unit ----------------------------------------------------------------

_RANGE_UNIT = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_NON_NEGATIVE = ("aantal", "per ", "ha", "km", "m2", "m²", "jaar", "personen", "huishoudens")


def bounds(unit: str) -> tuple[float | None, float | None]:
    """(lowest, highest) a value in `unit` can take; None where the unit sets no limit.

    Shares (%) lie in 0-100, counts, rates, areas and distances are not negative, a scale such as
    "1-5" bounds itself; money and unknown units are not bounded.
    """
    text = unit.strip().lower()
    if text in ("%", "procent", "percentage"):
        return 0.0, 100.0
    if match := _RANGE_UNIT.match(text):
        return float(match.group(1)), float(match.group(2))
    if text.startswith(_NON_NEGATIVE):
        return 0.0, None
    return None, None


def describe_bounds(unit: str) -> str:
    low, high = bounds(unit)
    if low is not None and high is not None:
        return f"a value from {low:g} to {high:g} ({unit})"
    if low is not None:
        return f"a value of at least {low:g} ({unit})"
    return f"any value ({unit})"


def first_implausible(values: pa.Array | pa.ChunkedArray, unit: str) -> int | None:
    """Index of the first value outside what `unit` allows (NULLs are fine), else None."""
    low, high = bounds(unit)
    if low is None and high is None:
        return None
    bad = pc.less(values, low) if low is not None else None
    if high is not None:
        above = pc.greater(values, high)
        bad = above if bad is None else pc.or_(bad, above)
    assert bad is not None
    bad = pc.fill_null(bad, False)
    if not pc.any(bad).as_py():
        return None
    return int(pc.index(bad, True).as_py())


def check_observations(path: str | Path, observations: pa.Table, units: dict[str, str]) -> None:
    """Backstop for every source: no value outside its variable's unit (rows are not known here,
    so the region and period are named instead). One pass per distinct bound, not per variable."""
    if observations.num_rows == 0:
        return
    by_bounds: dict[tuple[float | None, float | None], list[str]] = {}
    for variable, unit in units.items():
        if (limits := bounds(unit)) != (None, None):
            by_bounds.setdefault(limits, []).append(variable)
    for (low, high), variables in by_bounds.items():
        values = observations.column("value")
        bad = pc.less(values, low) if low is not None else pc.greater(values, high)
        if low is not None and high is not None:
            bad = pc.or_(bad, pc.greater(values, high))
        in_scope = pc.is_in(observations.column("variable"), value_set=pa.array(variables))
        bad = pc.fill_null(pc.and_(bad, in_scope), False)
        if not pc.any(bad).as_py():
            continue
        row = observations.filter(bad).slice(0, 1).to_pylist()[0]
        unit = units[row["variable"]]
        raise InputError(
            path,
            f"impossible value for {row['variable']} in {row['region_code']} {row['period']}",
            column=row["variable"],
            expected=describe_bounds(unit),
            found=f"{row['value']:g}",
        )
