"""A municipality's own figures per wijk/buurt: a CSV plus a small YAML mapping.

The mapping (validated by local_csv.schema.json) names the publisher, title and licence, the
region-code column, the period (fixed or a column), and per CSV column the variable key, unit and
title. Unmapped columns are ignored. Values may use a decimal comma; CBS markers mean the same as
in CBS files: "." and "x" = suppressed, "-" and "" = missing, -99995..-99999 = suppressed.
Shared input checks (size, NUL bytes, field counts, YAML aliases, values per unit) are in guard.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa

from wijkradar.domain import (
    OBSERVATION_SCHEMA,
    InputError,
    Level,
    Provenance,
    Region,
    Status,
    Variable,
)
from wijkradar.domain.provenance import sha256_bytes
from wijkradar.domain.region import (
    REGION_CODE_EXAMPLES,
    gemeente_of,
    is_region_code,
    normalise_code,
    parent_from_code,
)
from wijkradar.sources import guard
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.registry import register

SUPPRESSED_MARKERS = frozenset({".", "x", "X"})
MISSING_MARKERS = frozenset({"", "-"})
NEGATIVE_PLACEHOLDERS = range(-99999, -99994)
_LOCAL_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)?([.,]\d+)?$")
# "1.234" or "1,234": a thousands separator or a decimal separator? Only the mapping can say.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
Row = tuple[int, dict[str, str | None]]  # (the line or record number an editor shows, the cells)


def mapping_schema() -> dict[str, Any]:
    text = resources.files("wijkradar.sources").joinpath("local_csv.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_mapping(path: Path) -> dict[str, Any]:
    """The mapping as a dict, or InputError naming the first schema violation."""
    data = guard.load_yaml(path)
    validator = jsonschema.Draft202012Validator(mapping_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        expected = (
            "exactly one of 'period' or 'period_column'" if error.validator == "oneOf" else None
        )
        raise InputError(
            path, f"invalid mapping at {where}: {error.message}", column=where, expected=expected
        )
    mapping: dict[str, Any] = data
    return mapping


@register("local-csv")
class LocalCsv:
    """Local figures from `csv_path`, read as `mapping_path` says."""

    name = "local-csv"

    def __init__(self, csv_path: str | Path, mapping_path: str | Path) -> None:
        self.csv_path = Path(csv_path)
        self.mapping_path = Path(mapping_path)

    def fingerprint(self) -> str:
        csv_bytes = guard.read_input(self.csv_path, "a CSV file of local figures")
        mapping_bytes = guard.read_input(self.mapping_path, "a YAML mapping file", limit=guard.MB)
        return sha256_bytes(csv_bytes + b"\0" + mapping_bytes)

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        mapping = load_mapping(self.mapping_path)
        check_cbs_keys(self.mapping_path, mapping)
        raw = guard.read_input(self.csv_path, "a CSV file of local figures")
        checksum = sha256_bytes(raw + b"\0" + self.mapping_path.read_bytes())
        text = guard.decode_text(self.csv_path, raw, mapping.get("encoding", "utf-8-sig"))
        del raw  # rows stream from the text; keep one copy of the file in memory, not two
        delimiter = mapping.get("delimiter") or _sniff(text)
        decimal = mapping.get("decimal")
        rows: Iterator[Row]
        if self.csv_path.suffix.lower() in (".geojson", ".json"):
            header, records = feature_rows(self.csv_path, text)
            rows = enumerate(records, start=2)
            delimiter = ","
        else:
            header, cells = guard.iter_csv(self.csv_path, text, delimiter)
            rows = ((n, dict(zip(header, row, strict=True))) for n, row in cells)
        needed = [mapping["region_column"], *mapping["columns"]]
        if "name_column" in mapping:
            needed.append(mapping["name_column"])
        if "period_column" in mapping:
            needed.append(mapping["period_column"])
        for column in needed:
            if column not in header:
                raise InputError(
                    self.csv_path,
                    "column missing",
                    row=1,
                    column=column,
                    expected="a column named in the mapping",
                    found=delimiter.join(header),
                )

        columns = [
            (column, spec["variable"], guard.bounds(spec["unit"]), spec["unit"])
            for column, spec in mapping["columns"].items()
        ]
        chunks = _Chunks()
        names: dict[tuple[str, int], str] = {}
        for row_number, row in rows:
            code = self._code(row[mapping["region_column"]], mapping, row_number)
            level = str(Level.from_code(code))
            period = self._period(row, mapping, row_number)
            if "name_column" in mapping and (name := (row[mapping["name_column"]] or "").strip()):
                names[(code, period)] = name
            for column, variable, limits, unit in columns:
                value, status = self._value(row[column], row_number, column, decimal)
                if value is not None and not _within(value, limits):
                    raise InputError(
                        self.csv_path,
                        f"impossible value for unit {unit!r}",
                        row=row_number,
                        column=column,
                        expected=guard.describe_bounds(unit),
                        found=row[column],
                    )
                chunks.add(code, level, period, variable, value, str(status))
            if chunks.n > guard.MAX_CELLS:
                guard.check_cells(self.csv_path, chunks.n, row_number)
        del text
        if chunks.n == 0:
            raise InputError(
                self.csv_path,
                "no data rows",
                row=2,
                expected="at least one row after the header",
                found="none",
            )
        distinct_periods = sorted(chunks.periods)
        origin = mapping.get("origin")
        provenance = Provenance(
            publisher=mapping["publisher"],
            table_id=mapping.get("table_id", mapping.get("cbs_table", self.csv_path.stem)),
            title=mapping["title"] + (origin_note(origin) if origin else ""),
            year=distinct_periods[0] if len(distinct_periods) == 1 else None,
            retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            licence=mapping["licence"],
            checksum=checksum,
            url=(origin and origin_url(origin)) or self.csv_path.resolve().as_uri(),
            kind="local",
        )
        source_id = provenance.source_id
        table = chunks.table(source_id)
        variable_objects = tuple(
            Variable(
                spec["variable"],
                spec["title"],
                spec["unit"],
                source_id,
                spec.get("description", ""),
            )
            for spec in mapping["columns"].values()
        )
        progress(f"lokaal {self.csv_path.name}", chunks.n, chunks.n)
        yield SourceResult(
            provenance=provenance,
            observations=table,
            regions=tuple(_region(code, name, year) for (code, year), name in names.items()),
            variables=variable_objects,
            suppressed=chunks.counts[str(Status.SUPPRESSED)],
            missing=chunks.counts[str(Status.MISSING)],
        )

    def _code(self, raw: str | None, mapping: dict[str, Any], row: int) -> str:
        """Normalise a region code; bare numbers need the mapping's gemeente.

        With gemeente GM0363: "1" or "01" -> WK036301, "0102" -> BU03630102,
        "036301" -> WK036301, "03630102" -> BU03630102.
        """
        code = normalise_code(raw)
        if code.isdigit() and "gemeente" in mapping:
            number = mapping["gemeente"][2:]
            if len(code) <= 2:
                code = f"WK{number}{int(code):02d}"
            elif len(code) == 4:
                code = f"BU{number}{code}"
            elif len(code) in (6, 8) and code.startswith(number):
                code = ("WK" if len(code) == 6 else "BU") + code
        if not is_region_code(code):
            expected = REGION_CODE_EXAMPLES
            if code.isdigit():
                expected += "; bare numbers only with 'gemeente' in the mapping"
            raise InputError(
                self.csv_path,
                "not a region code",
                row=row,
                column=mapping["region_column"],
                expected=expected,
                found=raw,
            )
        return code

    def _period(self, row: dict[str, str | None], mapping: dict[str, Any], number: int) -> int:
        if "period" in mapping:
            return int(mapping["period"])
        raw = (row[mapping["period_column"]] or "").strip()
        if len(raw) >= 4 and raw[:4].isdigit() and (len(raw) == 4 or raw[4:6] == "JJ"):
            return int(raw[:4])
        raise InputError(
            self.csv_path,
            "not a year",
            row=number,
            column=mapping["period_column"],
            expected="a year such as 2022",
            found=raw,
        )

    def _value(
        self, raw: str | None, row: int, column: str, decimal: str | None = None
    ) -> tuple[float | None, Status]:
        text = (raw or "").strip()
        if text in MISSING_MARKERS:
            return None, Status.MISSING
        if text in SUPPRESSED_MARKERS:
            return None, Status.SUPPRESSED
        if decimal is None and _AMBIGUOUS.match(text.replace(" ", "")):
            raise InputError(
                self.csv_path,
                "ambiguous number: thousands or decimal separator?",
                row=row,
                column=column,
                expected='an unambiguous number (1234 or 1.234,0), or `decimal: ","` or'
                ' `decimal: "."` in the mapping',
                found=raw,
            )
        value = parse_number(text, decimal)
        if value is None:
            raise InputError(
                self.csv_path,
                "not a number",
                row=row,
                column=column,
                expected="a number (decimal comma or point), '.', 'x', '-' or empty",
                found=raw,
            )
        if value.is_integer() and int(value) in NEGATIVE_PLACEHOLDERS:
            return None, Status.SUPPRESSED
        return value, Status.OK


def _within(value: float, limits: tuple[float | None, float | None]) -> bool:
    low, high = limits
    return (low is None or value >= low) and (high is None or value <= high)


class _Chunks:
    """Observations gathered in Arrow chunks, so a large file never lives as Python lists."""

    SIZE = 200_000

    def __init__(self) -> None:
        self.n = 0
        self.periods: set[int] = set()
        self.counts: Counter[str] = Counter()
        self._done: list[list[pa.Array]] = []
        self._open: tuple[list[Any], ...] = ([], [], [], [], [], [])

    def add(
        self, code: str, level: str, period: int, variable: str, value: float | None, status: str
    ) -> None:
        codes, levels, periods, variables, values, statuses = self._open
        codes.append(code)
        levels.append(level)
        periods.append(period)
        variables.append(variable)
        values.append(value)
        statuses.append(status)
        self.periods.add(period)
        self.counts[status] += 1
        self.n += 1
        if len(self._open[0]) >= self.SIZE:
            self._flush()

    def _flush(self) -> None:
        if not self._open[0]:
            return
        types = (pa.string(), pa.string(), pa.int32(), pa.string(), pa.float64(), pa.string())
        self._done.append([pa.array(c, t) for c, t in zip(self._open, types, strict=True)])
        self._open = ([], [], [], [], [], [])

    def table(self, source_id: str) -> pa.Table:
        self._flush()
        tables = [
            pa.Table.from_arrays(
                [*arrays, pa.repeat(pa.scalar(source_id, pa.string()), len(arrays[0]))],
                schema=OBSERVATION_SCHEMA,
            )
            for arrays in self._done
        ]
        return pa.concat_tables(tables) if tables else OBSERVATION_SCHEMA.empty_table()


def _region(code: str, name: str, year: int) -> Region:
    """A named region; parents follow from the code (BUggggwwbb -> WKggggww -> GMgggg)."""
    level = Level.from_code(code)
    return Region(code, name, level, year, parent_from_code(code), gemeente_of(code), None)


def check_cbs_keys(path: Path, mapping: dict[str, Any]) -> None:
    """A column may map to a CBS variable key (AantalInwoners) only when the mapping names the
    CBS table it comes from, the key is one Wijkradar knows, and the unit is CBS's unit."""
    from wijkradar.sources.cbs_kwb.columns import aliases

    known = aliases().variables
    for column, spec in mapping["columns"].items():
        key = spec["variable"]
        if _LOCAL_KEY.match(key):
            continue
        where = f"columns/{column}/variable"
        if "cbs_table" not in mapping:
            raise InputError(
                path,
                f"invalid mapping at {where}: {key!r} is not a local key",
                column=where,
                expected="a local key (lower case, digits, _) or 'cbs_table' naming the CBS "
                "table the column comes from",
                found=key,
            )
        if key not in known:
            raise InputError(
                path,
                f"invalid mapping at {where}: {key!r} is not a CBS variable Wijkradar knows",
                column=where,
                expected="a key from sources/cbs_kwb/aliases.yml (e.g. AantalInwoners)",
                found=key,
            )
        if spec["unit"] != known[key].unit:
            raise InputError(
                path,
                f"invalid mapping at columns/{column}/unit: {key} is in {known[key].unit!r}",
                column=f"columns/{column}/unit",
                expected=known[key].unit,
                found=spec["unit"],
            )


def origin_note(origin: dict[str, str]) -> str:
    at = origin["commit"][:12] if "commit" in origin else origin.get("version", "")
    return f" (extract from {origin['repository']}, {origin['file']}{' @ ' + at if at else ''})"


def origin_url(origin: dict[str, str]) -> str | None:
    """Where the extract came from: the given url, or the file at its commit in the repository."""
    if "url" in origin:
        return origin["url"]
    if "commit" in origin:
        return f"https://github.com/{origin['repository']}/blob/{origin['commit']}/{origin['file']}"
    return None


def feature_rows(path: Path, text: str) -> tuple[list[str], list[dict[str, str | None]]]:
    """Rows of text from a GeoJSON FeatureCollection's properties (geometry ignored), or from
    a JSON object of rows keyed by region code (the key becomes column `code`)."""
    document = guard.parse_json(path, text)
    if isinstance(document, dict) and "features" in document:
        features = document["features"]
    elif isinstance(document, dict) and all(isinstance(v, dict) for v in document.values()):
        # {"GM0363": {"AantalInwoners_5": 931298, ...}, ...}: values keyed by region code
        features = [{"properties": {"code": k, **v}} for k, v in document.items()]
    else:
        raise InputError(
            path,
            "not a GeoJSON FeatureCollection nor an object of rows keyed by region code",
            expected='{"features": [...]} or {"GM0363": {...}, ...}',
        )
    header: dict[str, None] = {}
    rows: list[dict[str, str | None]] = []
    for feature in features:
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(path, "feature properties are not an object", row=len(rows) + 2)
        header.update(dict.fromkeys(props))
        rows.append({k: _json_cell(v) for k, v in props.items()})
    return list(header), [{k: row.get(k) for k in header} for row in rows]


def _json_cell(value: object) -> str | None:
    """A JSON value as the text a CSV cell would hold. A JSON number is exact: 1.234 gets a
    trailing 0 so it cannot read as the ambiguous "1.234" (thousands?) of a CSV."""
    if value is None:
        return None
    text = str(value)
    if isinstance(value, float) and _AMBIGUOUS.match(text):
        text += "0"
    return text


def parse_number(text: str, decimal: str | None = None) -> float | None:
    """'12,3' and '12.3' -> 12.3; '1.234,5' -> 1234.5; None when not a number.

    `decimal` (from the mapping) settles "1.234": with "," it is 1234, with "." it is 1.234.
    """
    text = text.replace(" ", "")
    if decimal is not None:
        group = "." if decimal == "," else ","
        shape = rf"[+-]?(\d+|\d{{1,3}}(\{group}\d{{3}})+)?(\{decimal}\d+)?"
        if not text or not re.fullmatch(shape, text) or text in "+-":
            return None
        return float(text.replace(group, "").replace(decimal, "."))
    if not text or not _NUMBER.match(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def _sniff(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", "\t", ",", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
