"""Build from hand-made CBS KWB OData dumps into a real DuckDB file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest
from kwb_dump import TABLES

from wijkradar.domain import InputError
from wijkradar.pipeline import BuildOptions, build

pytest.importorskip("wijkradar.sources.cbs_kwb")
from wijkradar.sources.cbs_kwb import CbsKwbFiles


def value(con: duckdb.DuckDBPyConnection, code: str, year: int, variable: str) -> Any:
    return con.execute(
        "SELECT value, status FROM observations WHERE region_code = ? AND period = ?"
        " AND variable = ?",
        [code, year, variable],
    ).fetchone()


def test_build_from_cbs_dumps(kwb_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "monitor.duckdb"
    report = build([CbsKwbFiles(kwb_dir)], target)
    con = duckdb.connect(str(target), read_only=True)
    assert value(con, "NL00", 2023, "AantalInwoners") == (17811291.0, "ok")
    assert value(con, "GM0363", 2022, "AantalInwoners") == (882633.0, "ok")
    # CBS markers: '.' and 'x' and -99997 are suppressed, '-' and '' missing; never 0.
    assert value(con, "BU03630000", 2022, "AantalInwoners") == (None, "suppressed")
    assert value(con, "BU03630000", 2022, "HuurwoningenTotaal") == (None, "suppressed")
    assert value(con, "BU03630001", 2022, "AantalInwoners") == (None, "missing")
    assert value(con, "BU03630001", 2023, "HuurwoningenTotaal") == (None, "suppressed")
    zeros = con.execute("SELECT count(*) FROM observations WHERE value = 0").fetchone()
    assert zeros == (0,)
    counts = {s.year: (s.n_suppressed, s.n_missing) for s in report.sources}
    assert counts[2022][0] >= 3 and counts[2022][1] >= 2
    assert counts[2023][0] >= 2
    assert con.execute(
        "SELECT name FROM regions WHERE code = 'BU03630000' AND year = 2023"
    ).fetchone() == ("Kop Zeedijk",)
    # Weesp merged into Amsterdam: the 2022 count is the sum over both, the % a break.
    harmonised = dict(
        con.execute(
            "SELECT variable, value FROM observations_harmonised"
            " WHERE region_code = 'GM0363' AND period = 2022"
        ).fetchall()
    )
    assert harmonised == {"AantalInwoners": 902633.0, "HuurwoningenTotaal": None}
    assert report.regions[("buurt", 2023)] == 2


def test_unchanged_inputs_do_no_work_and_changed_inputs_rebuild(
    kwb_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "monitor.duckdb"
    build([CbsKwbFiles(kwb_dir)], target)
    before = target.read_bytes()
    assert build([CbsKwbFiles(kwb_dir)], target).up_to_date
    assert target.read_bytes() == before
    data = kwb_dir / TABLES[2023] / "UntypedDataSet.json"
    data.write_text(data.read_text().replace("918117", "918118"), encoding="utf-8")
    report = build([CbsKwbFiles(kwb_dir)], target)
    assert not report.up_to_date
    con = duckdb.connect(str(target), read_only=True)
    assert value(con, "GM0363", 2023, "AantalInwoners") == (918118.0, "ok")


def test_bad_file_leaves_database_byte_identical(kwb_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "db" / "monitor.duckdb"
    build([CbsKwbFiles(kwb_dir)], target)
    before = target.read_bytes()
    data = kwb_dir / TABLES[2023] / "UntypedDataSet.json"
    data.write_text(data.read_text().replace("918117", "9181x7"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build([CbsKwbFiles(kwb_dir)], target)
    assert "UntypedDataSet.json" in str(caught.value)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["monitor.duckdb"]


def test_year_not_in_inputs(kwb_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="year 2017 requested but no input holds it"):
        build(
            [CbsKwbFiles(kwb_dir)],
            tmp_path / "m.duckdb",
            options=BuildOptions(years=(2017, 2023)),
        )


def test_real_data_when_present(shared_data: Path, tmp_path: Path) -> None:
    """Every KWB table in ../shared/data; NL and Amsterdam in the right order of size.

    The folder also holds other tables and third-party extracts: the KWB source leaves them to
    other sources (with a warning), it neither refuses them nor reads them as KWB.
    """
    target = tmp_path / "real.duckdb"
    source = CbsKwbFiles(shared_data)
    report = build([source], target)
    con = duckdb.connect(str(target), read_only=True)
    for codes, low, high in ((("NL00", "NL01"), 17e6, 18.5e6), (("GM0363",), 0.85e6, 0.95e6)):
        rows = con.execute(
            "SELECT value FROM observations WHERE list_contains(?, region_code)"
            " AND variable = 'AantalInwoners' AND status = 'ok' AND period >= 2019",
            [list(codes)],
        ).fetchall()
        assert rows and all(low <= r[0] <= high for r in rows), codes
    # Every wijk of the 2024 StatLine export sums to its gemeente.
    off = con.execute(
        "SELECT count(*) FROM (SELECT o.region_code, o.value, sum(w.value) AS wijken"
        " FROM observations o JOIN observations w ON w.level = 'wijk' AND w.period = o.period"
        " AND w.variable = o.variable AND substr(w.region_code, 3, 4) = substr(o.region_code, 3)"
        " WHERE o.level = 'gemeente' AND o.variable = 'AantalInwoners' AND o.period = 2024"
        " GROUP BY ALL HAVING abs(wijken - o.value) > 0.01 * o.value)"
    ).fetchone()
    assert off == (0,)
    assert any("50090NED" in warning for warning in source.warnings)
    # The suppressed count is what the files mark as secret ('.', 'x'), counted independently.
    marked = sum(
        cell.strip() in (".", "x", "X")
        for path in shared_data.rglob("kwb*statline.csv")
        for row in list(csv.reader(path.open(encoding="utf-8")))[1:]
        for cell in row[5:]
    )
    assert sum(s.n_suppressed for s in report.sources) == marked
    assert con.execute(
        "SELECT count(*) FROM observations WHERE status = 'suppressed' AND value IS NOT NULL"
    ).fetchone() == (0,)
