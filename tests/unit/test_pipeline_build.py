"""The build pipeline against small in-test sources and a real DuckDB file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from wijkradar.domain import (
    OBSERVATION_SCHEMA,
    InputError,
    Level,
    Provenance,
    Region,
    RegionChange,
    Variable,
)
from wijkradar.pipeline import BuildOptions, build
from wijkradar.sources.base import Progress, SourceResult, no_progress

Row = tuple[str, int, str, float | None, str]  # code, period, variable, value, status


@dataclass
class TableSource:
    """A source defined in a test: rows plus optional regions, like one CBS table."""

    name: str
    rows: list[Row]
    regions: tuple[Region, ...] = ()
    changes: tuple[RegionChange, ...] = ()
    units: tuple[tuple[str, str], ...] = (("AantalInwoners", "aantal"), ("Perc", "%"))
    fail: bool = False

    def fingerprint(self) -> str:
        return "sha256:" + hashlib.sha256(repr((self.rows, self.regions)).encode()).hexdigest()

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        if self.fail:
            raise InputError(f"{self.name}.json", "broken on purpose", row=3)
        provenance = Provenance(
            publisher="Test",
            table_id=self.name,
            title=self.name,
            year=None,
            retrieved_at="2024-01-01T00:00:00Z",
            licence="CC BY 4.0",
            checksum=self.fingerprint(),
            url=f"file:///data/{self.name}.json",
        )
        table = pa.table(
            {
                "region_code": [r[0] for r in self.rows],
                "level": [Level.from_code(r[0]).value for r in self.rows],
                "period": [r[1] for r in self.rows],
                "variable": [r[2] for r in self.rows],
                "value": [r[3] for r in self.rows],
                "status": [r[4] for r in self.rows],
                "source_id": [provenance.source_id] * len(self.rows),
            },
            schema=OBSERVATION_SCHEMA,
        )
        variables = tuple(Variable(k, k, u, provenance.source_id) for k, u in self.units)
        yield SourceResult(
            provenance=provenance,
            observations=table,
            regions=self.regions,
            variables=variables,
            changes=self.changes,
        )


def rows_for(year: int, inhabitants: dict[str, float | None]) -> list[Row]:
    out: list[Row] = []
    for code, value in inhabitants.items():
        status = "ok" if value is not None else "suppressed"
        out.append((code, year, "AantalInwoners", value, status))
        out.append((code, year, "Perc", None if value is None else 10.0, status))
    return out


def two_years() -> TableSource:
    rows = rows_for(2021, {"GM0363": 900.0, "GM0457": 20.0, "WK036300": 100.0})
    rows += rows_for(2023, {"GM0363": 950.0, "WK036300": None, "BU03630001": 50.0})
    regions = (Region("GM0363", "Amsterdam", Level.GEMEENTE, 2023),)
    return TableSource("kwb", rows, regions)


def test_build_writes_observations_regions_and_counts(tmp_path: Path) -> None:
    target = tmp_path / "monitor.duckdb"
    report = build([two_years()], target)
    assert not report.up_to_date
    assert report.n_observations == 12
    con = duckdb.connect(str(target), read_only=True)
    statuses = dict(
        con.execute("SELECT status, count(*) FROM observations GROUP BY status").fetchall()
    )
    assert statuses == {"ok": 10, "suppressed": 2}
    # Suppressed cells are NULL, never 0.
    assert con.execute(
        "SELECT count(*) FROM observations WHERE status <> 'ok' AND value IS NOT NULL"
    ).fetchone() == (0,)
    n, suppressed, missing = con.execute(
        "SELECT n_observations, n_suppressed, n_missing FROM sources"
    ).fetchone()
    assert (n, suppressed, missing) == (12, 2, 0)
    names = dict(con.execute("SELECT code, name FROM regions WHERE year = 2023").fetchall())
    assert names["GM0363"] == "Amsterdam"
    assert names["WK036300"] == "WK036300"  # no name given: the code stands in
    sql = "SELECT code, parent_code FROM regions WHERE year = 2023"
    parents = dict(con.execute(sql).fetchall())
    assert parents["BU03630001"] == "WK036300"
    assert parents["WK036300"] == "GM0363"
    assert parents["GM0363"] == "NL01"
    assert report.regions[("gemeente", 2021)] == 2


def test_harmonised_series_sums_weesp_into_amsterdam(tmp_path: Path) -> None:
    target = tmp_path / "monitor.duckdb"
    build([two_years()], target)
    con = duckdb.connect(str(target), read_only=True)
    rows = con.execute(
        "SELECT period, variable, value, status, method FROM observations_harmonised"
        " WHERE region_code = 'GM0363' ORDER BY period, variable"
    ).fetchall()
    assert rows == [
        (2021, "AantalInwoners", 920.0, "ok", "summed"),
        (2021, "Perc", None, "missing", "break"),
        (2023, "AantalInwoners", 950.0, "ok", "same"),
        (2023, "Perc", 10.0, "ok", "same"),
    ]
    kinds = con.execute(
        "SELECT code_from, code_to, kind FROM region_changes WHERE level = 'gemeente'"
        " ORDER BY code_from"
    ).fetchall()
    assert ("GM0457", "GM0363", "merged") in kinds
    assert ("GM0363", "GM0363", "merged") in kinds


def test_rebuild_with_same_inputs_does_no_work(tmp_path: Path) -> None:
    target = tmp_path / "monitor.duckdb"
    build([two_years()], target)
    before = target.read_bytes()
    again = build([two_years()], target)
    assert again.up_to_date
    assert target.read_bytes() == before
    changed = two_years()
    changed.rows[0] = ("GM0363", 2021, "AantalInwoners", 901.0, "ok")
    assert not build([changed], target).up_to_date
    assert not build([two_years()], target, options=BuildOptions(years=(2021,))).up_to_date


def test_failing_source_leaves_previous_database_and_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "monitor.duckdb"
    build([two_years()], target)
    before = target.read_bytes()
    broken = TableSource("other", rows_for(2022, {"GM0599": 1.0}), fail=True)
    with pytest.raises(InputError, match=r"other\.json, row 3"):
        build([two_years(), broken], target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.duckdb"]


def test_same_value_from_two_sources_names_both(tmp_path: Path) -> None:
    a = TableSource("a", rows_for(2021, {"GM0363": 1.0}))
    b = TableSource("b", rows_for(2021, {"GM0363": 2.0}))
    with pytest.raises(InputError) as caught:
        build([a, b], tmp_path / "m.duckdb")
    text = str(caught.value)
    assert "/data/a.json" in text and "/data/b.json" in text and "GM0363 2021" in text
    assert not (tmp_path / "m.duckdb").exists()


def test_region_names_that_disagree_name_both_sources(tmp_path: Path) -> None:
    a = TableSource("a", [], (Region("GM0363", "Amsterdam", Level.GEMEENTE, 2021),))
    b = TableSource("b", [], (Region("GM0363", "Amsterdm", Level.GEMEENTE, 2021),))
    with pytest.raises(InputError, match=r"Amsterdm.*Amsterdam.*a\.json"):
        build([a, b], tmp_path / "m.duckdb")


def test_requested_year_without_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="year 2017 requested but no input holds it"):
        build([two_years()], tmp_path / "m.duckdb", options=BuildOptions(years=(2017, 2021)))


def test_years_and_levels_filter(tmp_path: Path) -> None:
    target = tmp_path / "m.duckdb"
    options = BuildOptions(years=(2023,), levels=(Level.GEMEENTE,))
    report = build([two_years()], target, options=options)
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT DISTINCT level, period FROM observations").fetchall() == [
        ("gemeente", 2023)
    ]
    assert report.n_observations == 2
    assert ("wijk", 2023) not in report.regions


def test_build_row_records_versions_and_demo_flag(tmp_path: Path) -> None:
    target = tmp_path / "m.duckdb"
    report = build([two_years()], target, options=BuildOptions(demo=True))
    con = duckdb.connect(str(target), read_only=True)
    build_id, input_hash, code_version, demo = con.execute(
        "SELECT build_id, input_hash, code_version, demo FROM build"
    ).fetchone()
    assert input_hash == report.input_hash and build_id == input_hash.removeprefix("sha256:")[:16]
    assert code_version.startswith("0.")
    assert demo is True


def test_scores_with_the_methodology_folder_it_hashed(tmp_path: Path) -> None:
    """options.methodology_dir decides both the input hash and the scoring, never two folders."""
    import shutil

    repo_methodology = Path(__file__).resolve().parents[2] / "methodology"
    own = tmp_path / "methodology"
    shutil.copytree(repo_methodology, own)
    released = sorted(p.name for p in own.iterdir() if (p / "methodology.yml").is_file())
    unreleased = own / "2099.1"
    shutil.copytree(own / released[-1], unreleased)
    settings = unreleased / "methodology.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(f'"{released[-1]}"', '"2099.1"', 1), encoding="utf-8")

    target = tmp_path / "m.duckdb"
    report = build([two_years()], target, options=BuildOptions(methodology_dir=own))
    stored = (
        duckdb.connect(str(target), read_only=True)
        .execute("SELECT methodology_version FROM build")
        .fetchone()
    )
    assert report.methodology_version == "2099.1" and stored == ("2099.1",)
