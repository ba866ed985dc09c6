"""Exports of stored scores per level: CSV, XLSX, GeoJSON, Parquet, each with a JSON sidecar.

Load (store.queries) -> shape one table of rows -> write. The sidecar
(`<file>.metadata.json`) states the method version, the build, every source with its licence,
the small-number rules applied and what each column means, so a download stands on its own.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from wijkradar.domain import WijkradarError
from wijkradar.domain.region import NATIONAL_CODE, is_national
from wijkradar.methodology import load_cached
from wijkradar.reports.cells import neutralise
from wijkradar.reports.outgoing import release, rules_summary
from wijkradar.store import catalog, constants, profiles, queries

FORMATS = ("csv", "xlsx", "geojson", "parquet")

BASE_COLUMNS: dict[str, str] = {
    "code": "CBS region code",
    "name": "region name",
    "level": "gemeente | wijk | buurt",
    "year": "reference year",
    "stacking": "number of flagged risk characteristics (0-12)",
    "toxic_mix": "stacking at or above the toxic-mix threshold",
    "overall_index": "overall vulnerability index (0-100, higher = more vulnerable)",
    "protective": "protection: 100 - mean protective-factor score (0-100, higher = better "
    "protected)",
    "status": "ok | too_small | insufficient_data | missing (why an area has no score)",
    "status_reason": "why there is no score",
}


DEMO_VALUE = "DEMO (synthetic data)"
DEMO_COLUMN = {"demo": "DEMO: this build is synthetic demo data; no real figures, not for policy"}
#: CSV dialects: "excel" (comma, decimal point) and "excel-nl", which Dutch Excel opens in
#: columns: semicolon, decimal comma, UTF-8 with a byte-order mark.
DIALECTS = ("excel", "excel-nl")


@dataclass
class ExportTable:
    columns: dict[str, str]
    rows: list[dict[str, Any]]
    metadata: dict[str, Any] = field(default_factory=dict)


def export_table(
    con: duckdb.DuckDBPyConnection,
    level: str,
    year: int | None = None,
    *,
    within: str | None = None,
    framework: str = "tno",
    reference: str = NATIONAL_CODE,
) -> ExportTable:
    """One row per region of `level` with its area scores and characteristic scores."""
    k = constants.of(con)
    reference = k.reference(reference)
    try:
        profiles.check_view(k, year=year, reference=reference, framework=framework, within=within)
    except WijkradarError as error:
        raise ValueError(str(error)) from None
    year = year if year is not None else (k.score_years[0] if k.score_years else None)
    if year is None:
        raise ValueError("the monitor database holds no years")
    if within is not None and is_national(within):
        within = None
    # A demo build says so in the body of every file, not only in its sidecar: a first column
    # that survives any format and any copy of the rows.
    columns = dict(DEMO_COLUMN) if k.demo else {}
    columns.update(BASE_COLUMNS)
    chars = list(k.characteristics)
    names = _characteristic_names(con)
    for char in chars:
        name = names.get(char, char)
        # The score is a mean of indicator percentiles, not itself a percentile: a score of 75
        # can be flagged when few areas score higher (the flag ranks the scores of the level).
        columns[f"char_{char}"] = (
            f"{name}: protection, 100 - mean of its indicators' percentiles (0-100, higher = "
            "better protected)"
            if char in k.protective_ids
            else f"{name}: mean of its indicators' percentiles (0-100, higher = more vulnerable)"
        )
        columns[f"flag_{char}"] = f"{name}: score among the top 10% of areas of this level"
    rows: list[dict[str, Any]] = []
    scores = queries.area_scores_at(con, level, year, framework, reference)
    char_scores = queries.characteristic_scores_at(con, level, year, reference)
    for region in queries.regions_at(con, level, year, within):
        score = scores.get(region["code"], {})
        status = score.get("status", "missing")
        stacking = _released_count(score.get("stacking"), status)
        row: dict[str, Any] = {"demo": DEMO_VALUE} if k.demo else {}
        row |= {
            "code": region["code"],
            "name": region["name"],
            "level": level,
            "year": year,
            "stacking": stacking,
            # The flag restates the stacking: shown only with it.
            "toxic_mix": score.get("toxic_mix") if stacking is not None else None,
            "overall_index": _released(score.get("overall_index"), "index", status),
            "protective": _released(score.get("protective"), "index", status),
            "status": status,
            "status_reason": score.get("status_reason", ""),
        }
        for char in chars:
            found = char_scores.get((region["code"], char), {})
            value = found.get("score")
            if char in k.protective_ids:
                value = constants.protection(value)
            row[f"char_{char}"] = _released(value, "percentile", found.get("status", "missing"))
            row[f"flag_{char}"] = found.get("flagged")
        rows.append(row)
    return ExportTable(
        columns=columns,
        rows=rows,
        metadata=metadata(
            con,
            query={
                "level": level,
                "year": year,
                "within": within,
                "framework": framework,
                "reference": reference,
            },
        ),
    )


def _characteristic_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """English labels of the build's methodology, so a column names what it measures."""
    build = queries.build_info(con) or {}
    return _names_of(build.get("methodology_version"))


def _names_of(version: str | None) -> dict[str, str]:
    try:
        m = load_cached(version)
    except WijkradarError:  # an unknown version still exports, with ids for names
        return {}
    return {c.id: c.labels.en for c in (*m.risk_characteristics, *m.protective_factors)}


def _released(value: Any, unit: str, status: str) -> float | None:
    out = release(None if value is None else float(value), unit, status)
    return None if out.value is None else round(out.value, 2)


def _released_count(value: Any, status: str) -> int | None:
    """Stacking (a number of characteristics, not of persons) through the same door."""
    out = release(None if value is None else float(value), "aantal kenmerken", status)
    return None if out.value is None else int(out.value)


#: The metadata sheet is in English (as are the column meanings); pages say "n.v.t." in Dutch.
NO_YEAR = "n/a"


def _year_text(year: Any) -> str:
    """A source's year; a source without one (a local file over several years) says so."""
    return NO_YEAR if year is None else str(year)


def metadata(con: duckdb.DuckDBPyConnection, *, query: dict[str, Any]) -> dict[str, Any]:
    """The sidecar: build, method version, sources with licences, rules applied."""
    build = queries.build_info(con) or {}
    srcs = catalog.sources(con)
    return {
        "generator": "wijkradar",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "query": query,
        "build_id": build.get("build_id"),
        "build_created_at": str(build.get("created_at")) if build else None,
        "code_version": build.get("code_version"),
        "method_version": build.get("methodology_version"),
        "demo": bool(build.get("demo", False)),
        "licence": sorted({s["licence"] for s in srcs}) or ["unknown"],
        "sources": [
            {
                k: s[k]
                for k in (
                    "source_id",
                    "publisher",
                    "table_id",
                    "title",
                    "year",
                    "licence",
                    "checksum",
                    "url",
                    "retrieved_at",
                )
            }
            for s in srcs
        ],
        "disclosure": rules_summary(),
        "missing_values": "empty = no value; the status column says suppressed or missing",
    }


def to_csv(table: ExportTable, dialect: str = "excel") -> bytes:
    """The table as CSV in `dialect` (DIALECTS); empty cells for missing values."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    dutch = dialect == "excel-nl"
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=list(table.columns),
        lineterminator="\r\n" if dutch else "\n",
        delimiter=";" if dutch else ",",
    )
    writer.writerow({name: neutralise(name) for name in table.columns})
    for row in table.rows:
        writer.writerow({k: _cell(v, dutch) for k, v in row.items()})
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if dutch else text.encode("utf-8")


def _cell(value: Any, dutch: bool) -> Any:
    if value is None:
        return ""
    if dutch and isinstance(value, float):
        return repr(value).replace(".", ",")  # no thousands separator: Excel reads it as a number
    return neutralise(value)


def to_geojson(table: ExportTable, con: duckdb.DuckDBPyConnection, level: str, year: int) -> bytes:
    """A FeatureCollection; areas without a stored boundary get geometry null (RFC 7946 §3.2)."""
    geoms = queries.boundaries(con, level, year, table.metadata["query"].get("within"))
    features = [
        {
            "type": "Feature",
            "id": row["code"],
            "geometry": json.loads(geoms[row["code"]]) if row["code"] in geoms else None,
            "properties": row,
        }
        for row in table.rows
    ]
    collection = {"type": "FeatureCollection", "features": features, "metadata": table.metadata}
    return json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")


def _write_parquet(table: ExportTable, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = (
        pa.Table.from_pylist(table.rows)
        if table.rows
        else pa.table({name: pa.array([], pa.string()) for name in table.columns})
    )
    meta = {b"wijkradar": json.dumps(table.metadata, default=str).encode("utf-8")}
    pq.write_table(arrow.replace_schema_metadata(meta), out)


def _write_xlsx(table: ExportTable, out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append([neutralise(name) for name in table.columns])
    for row in table.rows:
        sheet.append([neutralise(row.get(col)) for col in table.columns])
    about = _NeutralSheet(book.create_sheet("metadata"))
    if table.metadata.get("demo"):
        about.append(["DEMO", "synthetic data: no real figures, do not use for policy"])
    query = table.metadata["query"]
    about.append(["query", ", ".join(f"{k}={v}" for k, v in query.items() if v is not None)])
    about.append([])
    about.append(["column", "meaning"])
    for name, meaning in table.columns.items():
        about.append([name, meaning])
    about.append([])
    for key in ("method_version", "build_id", "code_version", "demo", "disclosure"):
        value = table.metadata.get(key)
        about.append([key, "" if value is None else str(value)])
    about.append(["licence", ", ".join(table.metadata["licence"])])
    for src in table.metadata["sources"]:
        year = _year_text(src["year"])
        about.append(["source", f"{src['publisher']} {src['table_id']} {year} ({src['licence']})"])
    book.save(out)


class _NeutralSheet:
    """A worksheet whose appended rows pass through neutralise (the metadata sheet repeats
    publishers and titles from local mapping files)."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def append(self, row: list[Any]) -> None:
        self._sheet.append([neutralise(value) for value in row])


def write(
    table: ExportTable,
    fmt: str,
    out: Path,
    con: duckdb.DuckDBPyConnection,
    dialect: str = "excel",
) -> tuple[Path, Path]:
    """Write `table` as `fmt` to `out` and its sidecar beside it; return both paths."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    query = table.metadata["query"]
    if fmt == "csv":
        out.write_bytes(to_csv(table, dialect))
    elif fmt == "geojson":
        out.write_bytes(to_geojson(table, con, query["level"], query["year"]))
    elif fmt == "parquet":
        _write_parquet(table, out)
    else:
        _write_xlsx(table, out)
    sidecar = out.with_name(out.name + ".metadata.json")
    sidecar.write_text(
        json.dumps(
            {
                **table.metadata,
                "format": fmt,
                "file": out.name,
                "columns": table.columns,
                **({"csv_dialect": dialect} if fmt == "csv" else {}),
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        ),
        encoding="utf-8",
    )
    return out, sidecar
