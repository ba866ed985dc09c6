"""A municipality's own figures per wijk/buurt: a CSV plus a small YAML mapping.

The mapping (validated by local_csv.schema.json) names the publisher, title and licence, the
region-code column, the period (fixed or a column), and per CSV column the variable key, unit and
title. Unmapped columns are ignored. Values may use a decimal comma; CBS markers mean the same as
in CBS files: "." and "x" = suppressed, "-" and "" = missing, -99995..-99999 = suppressed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa
import yaml

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
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.registry import register

SUPPRESSED_MARKERS = frozenset({".", "x", "X"})
MISSING_MARKERS = frozenset({"", "-"})
NEGATIVE_PLACEHOLDERS = range(-99999, -99994)
_CODE = re.compile(r"^(NL\d{2}|PV\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
_LOCAL_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)?([.,]\d+)?$")


def mapping_schema() -> dict[str, Any]:
    text = resources.files("wijkradar.sources").joinpath("local_csv.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_mapping(path: Path) -> dict[str, Any]:
    """The mapping as a dict, or InputError naming the first schema violation."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(path, f"not valid YAML ({exc})", row=row) from None
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
        return sha256_bytes(self.csv_path.read_bytes() + b"\0" + self.mapping_path.read_bytes())

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        mapping = load_mapping(self.mapping_path)
        check_cbs_keys(self.mapping_path, mapping)
        raw = self.csv_path.read_bytes()
        text = raw.decode(mapping.get("encoding", "utf-8-sig"))
        delimiter = mapping.get("delimiter") or _sniff(text)
        reader: Iterable[dict[str, str | None]]
        if self.csv_path.suffix.lower() in (".geojson", ".json"):
            header, reader = feature_rows(self.csv_path, text)
            delimiter = ","
        else:
            reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
            header = list(reader.fieldnames or [])
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

        codes: list[str] = []
        levels: list[str] = []
        periods: list[int] = []
        variables: list[str] = []
        values: list[float | None] = []
        statuses: list[str] = []
        names: dict[tuple[str, int], str] = {}
        for row_number, row in enumerate(reader, start=2):
            code = self._code(row[mapping["region_column"]], mapping, row_number)
            period = self._period(row, mapping, row_number)
            if "name_column" in mapping and (name := (row[mapping["name_column"]] or "").strip()):
                names[(code, period)] = name
            for column, spec in mapping["columns"].items():
                value, status = self._value(row[column], row_number, column)
                codes.append(code)
                levels.append(str(Level.from_code(code)))
                periods.append(period)
                variables.append(spec["variable"])
                values.append(value)
                statuses.append(str(status))
        distinct_periods = sorted(set(periods))
        origin = mapping.get("origin")
        provenance = Provenance(
            publisher=mapping["publisher"],
            table_id=mapping.get("table_id", mapping.get("cbs_table", self.csv_path.stem)),
            title=mapping["title"] + (origin_note(origin) if origin else ""),
            year=distinct_periods[0] if len(distinct_periods) == 1 else None,
            retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            licence=mapping["licence"],
            checksum=sha256_bytes(raw + b"\0" + self.mapping_path.read_bytes()),
            url=(origin and origin_url(origin)) or self.csv_path.resolve().as_uri(),
            kind="local",
        )
        source_id = provenance.source_id
        table = pa.Table.from_arrays(
            [
                pa.array(codes, pa.string()),
                pa.array(levels, pa.string()),
                pa.array(periods, pa.int32()),
                pa.array(variables, pa.string()),
                pa.array(values, pa.float64()),
                pa.array(statuses, pa.string()),
                pa.array([source_id] * len(codes), pa.string()),
            ],
            schema=OBSERVATION_SCHEMA,
        )
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
        progress(f"lokaal {self.csv_path.name}", len(codes), len(codes))
        yield SourceResult(
            provenance=provenance,
            observations=table,
            regions=tuple(_region(code, name, year) for (code, year), name in names.items()),
            variables=variable_objects,
            suppressed=statuses.count(str(Status.SUPPRESSED)),
            missing=statuses.count(str(Status.MISSING)),
        )

    def _code(self, raw: str | None, mapping: dict[str, Any], row: int) -> str:
        """Normalise a region code; bare numbers need the mapping's gemeente.

        With gemeente GM0363: "1" or "01" -> WK036301, "0102" -> BU03630102,
        "036301" -> WK036301, "03630102" -> BU03630102.
        """
        code = (raw or "").strip().upper()
        if code.isdigit() and "gemeente" in mapping:
            number = mapping["gemeente"][2:]
            if len(code) <= 2:
                code = f"WK{number}{int(code):02d}"
            elif len(code) == 4:
                code = f"BU{number}{code}"
            elif len(code) in (6, 8) and code.startswith(number):
                code = ("WK" if len(code) == 6 else "BU") + code
        if not _CODE.match(code):
            expected = "a CBS region code (GM0363, WK036301, BU03630101)"
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

    def _value(self, raw: str | None, row: int, column: str) -> tuple[float | None, Status]:
        text = (raw or "").strip()
        if text in MISSING_MARKERS:
            return None, Status.MISSING
        if text in SUPPRESSED_MARKERS:
            return None, Status.SUPPRESSED
        value = parse_number(text)
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


def _region(code: str, name: str, year: int) -> Region:
    """A named region; parents follow from the code (BUggggwwbb -> WKggggww -> GMgggg)."""
    level = Level.from_code(code)
    gemeente = "GM" + code[2:6] if level in (Level.GEMEENTE, Level.WIJK, Level.BUURT) else None
    parent = {Level.BUURT: "WK" + code[2:8], Level.WIJK: gemeente}.get(level)
    return Region(code, name, level, year, parent, gemeente, None)


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
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InputError(path, f"not valid JSON: {error}", expected="GeoJSON or JSON") from None
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
        rows.append({k: None if v is None else str(v) for k, v in props.items()})
    return list(header), [{k: row.get(k) for k in header} for row in rows]


def parse_number(text: str) -> float | None:
    """'12,3' and '12.3' -> 12.3; '1.234,5' -> 1234.5; None when not a number."""
    text = text.replace(" ", "")
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
