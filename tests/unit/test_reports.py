"""Exports in four formats, each with a metadata sidecar, from a real sample DuckDB build."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from sample_db import SOURCE, build_sample

from wijkradar.reports import exports
from wijkradar.reports.outgoing import release
from wijkradar.store.reader import open_read


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = build_sample(tmp_path_factory.mktemp("reports") / "monitor.duckdb")
    connection = open_read(path)
    yield connection
    connection.close()


def test_export_table_rows(con) -> None:  # type: ignore[no-untyped-def]
    table = exports.export_table(con, "wijk", within="GM0001")
    assert [r["code"] for r in table.rows] == ["WK000101", "WK000102"]
    first, second = table.rows
    assert (first["stacking"], first["overall_index"], first["flag_age"]) == (3, 81.25, True)
    assert second["char_age"] is None and second["char_financial_buffer"] == 10.0
    assert table.metadata["method_version"] == "2026.1"
    assert table.metadata["licence"] == ["CC BY 4.0"]
    assert table.metadata["sources"][0]["source_id"] == SOURCE


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_every_format_writes_file_and_sidecar(con, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    table = exports.export_table(con, "buurt", 2023)
    out, sidecar = exports.write(table, fmt, tmp_path / f"buurten.{fmt}", con)
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert sidecar.name == f"buurten.{fmt}.metadata.json"
    assert meta["format"] == fmt and meta["method_version"] == "2026.1"
    assert meta["demo"] is True and "stacking" in meta["columns"]
    assert "10" in meta["disclosure"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        codes = [r["code"] for r in rows]
        status = {r["code"]: r["status"] for r in rows}
    elif fmt == "geojson":
        features = json.loads(out.read_text(encoding="utf-8"))["features"]
        codes = [f["id"] for f in features]
        status = {f["id"]: f["properties"]["status"] for f in features}
        assert all(f["geometry"]["type"] == "Polygon" for f in features)
    elif fmt == "parquet":
        data = pq.read_table(out)
        codes = data.column("code").to_pylist()
        status = dict(zip(codes, data.column("status").to_pylist(), strict=True))
        assert b"wijkradar" in (data.schema.metadata or {})
    else:
        book = load_workbook(out)
        about = {row[0]: row[1] for row in book["metadata"].values if row and row[0]}
        # The sheet stands on its own: demo label, the query and each column's meaning.
        assert about["DEMO"] and "level=buurt, year=2023" in about["query"]
        assert about["char_financial_buffer"].startswith("Small financial buffer: mean")
        sheet = book["data"]
        values = list(sheet.values)
        header = list(values[0])
        codes = [row[header.index("code")] for row in values[1:]]
        status = {row[header.index("code")]: row[header.index("status")] for row in values[1:]}
    assert codes == ["BU00010101", "BU00010102", "BU00010201", "BU00020101"]
    assert status["BU00010201"] == "too_small"


def test_unknown_format_is_refused(con, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown format"):
        exports.write(exports.export_table(con, "wijk"), "pdf", tmp_path / "x.pdf", con)


def test_release_applies_small_number_rules() -> None:
    local = ["Gemeente X/ggd/2023@000000000000"]
    assert release(7.0, "aantal", "ok", local).status == "suppressed"
    assert release(12.0, "aantal", "ok", local).value == 10.0
    kinds = {SOURCE: "observations", local[0]: "local"}
    assert release(7.0, "aantal", "ok", [SOURCE], kinds).value == 7.0  # CBS published it already
    assert release(7.0, "aantal", "ok", [SOURCE]).status == "suppressed"  # kind unknown
    assert release(7.0, "%", "ok", local).value == 7.0
    assert release(None, "%", "missing").status == "missing"


def test_a_local_file_naming_cbs_as_publisher_is_still_suppressed() -> None:
    """Published is the kind of source (sources.kind), not the publisher in its id."""
    fake = "CBS/telling/2023@abc"
    assert release(7, "aantal", "ok", [fake]).value is None
    assert release(7, "aantal", "ok", [fake], {fake: "local"}).status == "suppressed"
    assert (
        release(7, "aantal", "ok", [fake, SOURCE], {fake: "local", SOURCE: "observations"}).value
        is None
    )


def test_xlsx_names_a_source_without_year_not_none(tmp_path: Path) -> None:
    import duckdb

    path = build_sample(tmp_path / "monitor.duckdb")
    with duckdb.connect(str(path)) as writable:
        writable.execute(
            "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, "
            "licence, checksum, url, kind) VALUES ('Gemeente X/telling@abcabcabcabc', "
            "'Gemeente X', 'telling', 'Telling', NULL, '2024-05-01T12:00:00Z', 'eigen', ?, "
            "NULL, 'local')",
            ["sha256:" + "ab" * 32],
        )
    con = open_read(path)
    try:
        table = exports.export_table(con, "buurt", 2023)
        out, sidecar = exports.write(table, "xlsx", tmp_path / "b.xlsx", con)
    finally:
        con.close()
    about = [
        [c for c in row if c is not None]
        for row in load_workbook(out)["metadata"].iter_rows(values_only=True)
    ]
    sources = [row[1] for row in about if row and row[0] == "source"]
    assert "Gemeente X telling n/a (eigen)" in sources
    assert not any("None" in str(cell) for row in about for cell in row)
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert {s["table_id"]: s["year"] for s in meta["sources"]}["telling"] is None
    # stacking leaves through release as a whole number; toxic mix only beside it
    rows = {r["code"]: r for r in table.rows}
    assert rows["BU00010101"]["stacking"] == 3 and rows["BU00010101"]["toxic_mix"] is True
    assert rows["BU00010201"]["stacking"] is None and rows["BU00010201"]["toxic_mix"] is None
