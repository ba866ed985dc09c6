"""CI builds everything real in ../shared/data (real.yml and real-alternatives.yml) and checks
totals: the Netherlands 17-18.5 million inhabitants in each year, Amsterdam 0.85-0.95 million,
wijken summing to their gemeente within 1 %, no secret cell stored as a number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from wijkradar.pipeline import build
from wijkradar.sources.cbs_kwb.files import discover
from wijkradar.sources.config import sources_from_config

REPO = Path(__file__).resolve().parents[2]
CONFIGS = (REPO / "real.yml", REPO / "real-alternatives.yml")


@pytest.fixture(scope="module")
def real_db(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> duckdb.DuckDBPyConnection:
    target = tmp_path_factory.mktemp("real") / "real.duckdb"
    build(sources_from_config(REPO / "real.yml"), target)
    return duckdb.connect(str(target), read_only=True)


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def test_every_kwb_ggd_and_boundary_file_is_built(shared_data: Path) -> None:
    """Each data file of kwb/, gezondheidsmonitor/ and boundaries/ is named in a config or read
    as a KWB table from a folder a config names (the .dbf originals of the CSVs and the JSON
    metadata beside the 2024 extract aside)."""
    named: set[Path] = set()
    for config in CONFIGS:
        for entry in yaml.safe_load(config.read_text(encoding="utf-8"))["sources"]:
            for key in ("path", "csv_path"):
                if key in entry:
                    named.add((config.parent / entry[key]).resolve())
            if "directory" in entry:
                found = discover((config.parent / entry["directory"]).resolve())
                named.update(path for item in found for path in item.files)
    wanted = [
        p.resolve()
        for folder in ("kwb", "gezondheidsmonitor", "boundaries")
        for p in (shared_data / folder).rglob("*")
        if p.is_file()
        and p.suffix in (".csv", ".xlsx", ".geojson", ".json")
        and not re.match(r"\d{5}NED_(DataProperties|TableInfos)", p.name)
    ]
    assert [p for p in wanted if p not in named] == []
    assert len(wanted) >= 17


def test_national_and_amsterdam_totals_every_year(real_db: duckdb.DuckDBPyConnection) -> None:
    by_year: dict[int, dict[str, float]] = {}
    for period, level, total in rows(
        real_db,
        "SELECT period, level, sum(value) FROM observations WHERE variable = 'AantalInwoners'"
        " AND status = 'ok' GROUP BY ALL",
    ):
        by_year.setdefault(period, {})[level] = total
    assert sorted(by_year) == [2019, 2020, 2021, 2022, 2023, 2024]
    for year, levels in by_year.items():
        # the national row where a file has one, else its gemeenten, else its wijken
        national = levels.get("land") or levels.get("gemeente") or levels["wijk"]
        assert 17e6 <= national <= 18.5e6, (year, national)
    amsterdam = rows(
        real_db,
        "SELECT period, value FROM observations WHERE region_code = 'GM0363'"
        " AND variable = 'AantalInwoners'",
    )
    assert len(amsterdam) == 5  # 2021 has wijken only
    assert all(0.85e6 <= value <= 0.95e6 for _, value in amsterdam), amsterdam


def test_wijken_sum_to_their_gemeente(real_db: duckdb.DuckDBPyConnection) -> None:
    checked = rows(
        real_db,
        "SELECT g.period, count(*), count(*) FILTER (WHERE abs(w.total - g.value) > 0.01 * g.value)"
        " FROM observations g JOIN (SELECT period, 'GM' || substr(region_code, 3, 4) AS gemeente,"
        " sum(value) AS total FROM observations WHERE level = 'wijk'"
        " AND variable = 'AantalInwoners' AND status = 'ok' GROUP BY ALL) w"
        " ON w.gemeente = g.region_code AND w.period = g.period"
        " WHERE g.variable = 'AantalInwoners' AND g.status = 'ok' GROUP BY 1 ORDER BY 1",
    )
    assert [(year, off) for year, _, off in checked] == [(2022, 0), (2024, 0)]
    assert all(n >= 340 for _, n, _ in checked)


def test_no_secret_cell_is_a_number(real_db: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        real_db, "SELECT count(*) FROM observations WHERE status <> 'ok' AND value IS NOT NULL"
    ) == [(0,)]
    # the GGD file's secret cells ('.') arrive as suppressed, not as 0
    assert rows(
        real_db,
        "SELECT count(*) > 0 FROM observations WHERE source_id LIKE 'CBS/RIVM/50090NED/%'"
        " AND status = 'suppressed'",
    ) == [(True,)]
    # CBS's -99999999 in the 2021 wijk layer was written as empty: missing, never 0
    assert rows(
        real_db,
        "SELECT status, value FROM observations WHERE region_code = 'WK003499' AND period = 2021"
        " AND variable = 'AantalInwoners'",
    ) == [("missing", None)]


def test_boundaries_of_every_year(real_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(real_db, "SELECT level, year, count(*) FROM boundaries GROUP BY ALL ORDER BY 1, 2")
    years = {(level, year) for level, year, _ in found}
    assert years == {("gemeente", y) for y in range(2019, 2025)} | {("wijk", 2022), ("wijk", 2024)}
    assert all(n > 300 for level, _, n in found if level == "gemeente")


def test_ggd_survey_year_only_and_extract_origins(real_db: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        real_db,
        "SELECT DISTINCT period FROM observations WHERE variable = 'MoeiteMetRondkomen'",
    ) == [(2016,)]
    ((text,),) = rows(
        real_db,
        "SELECT title || ' ' || url FROM sources WHERE kind = 'local' AND table_id = '84799NED'",
    )
    assert "ImkeDekkers/Buurtvergelijker" in text and "df3b857b8482" in text
    assert rows(real_db, "SELECT methodology_version FROM build") == [("2026.4",)]


def test_alternative_files_build_on_their_own(shared_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "alt.duckdb"
    build(sources_from_config(REPO / "real-alternatives.yml"), target)
    con = duckdb.connect(str(target), read_only=True)
    amsterdam = "SELECT value FROM observations WHERE region_code = 'GM0363' AND variable = ?"
    assert rows(con, amsterdam, "AantalInwoners") == [(882633.0,)]
    assert rows(con, "SELECT year, count(*) FROM boundaries GROUP BY 1 ORDER BY 1") == [
        (2022, 345),
        (2023, 342),
    ]
