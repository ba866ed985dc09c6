"""CbsKwbFiles on the hand-made fixtures: OData dumps (untyped, typed), CSV, StatLine CSV, XLSX."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook

from wijkradar.domain import OBSERVATION_SCHEMA, Level
from wijkradar.sources import registry
from wijkradar.sources.base import SourceResult
from wijkradar.sources.cbs_kwb import CbsKwbFiles


def by_year(directory: Path, **options: object) -> dict[int, SourceResult]:
    results = list(CbsKwbFiles(directory, **options).read())  # type: ignore[arg-type]
    return {r.provenance.year: r for r in results if r.provenance.year is not None}


def cell(result: SourceResult, code: str, variable: str) -> tuple[float | None, str]:
    rows = [
        row
        for row in result.observations.to_pylist()
        if row["region_code"] == code and row["variable"] == variable
    ]
    assert len(rows) == 1, rows
    return rows[0]["value"], rows[0]["status"]


@pytest.fixture
def cbs(fixtures: Path, tmp_path: Path) -> Path:
    # The published-layout fixtures have their own tests (test_cbs_published.py).
    copy = tmp_path / "fixtures-cbs"
    shutil.copytree(fixtures / "cbs", copy, ignore=shutil.ignore_patterns("published"))
    return copy


def test_finds_every_format(cbs: Path) -> None:
    results = by_year(cbs)
    assert sorted(results) == [2020, 2021, 2022, 2023]
    assert results[2023].provenance.table_id == "85618NED"
    assert results[2023].provenance.title == "Kerncijfers wijken en buurten 2023"
    assert results[2021].provenance.table_id == "kwb-2021"
    assert results[2020].provenance.table_id == "84799NED"
    for result in results.values():
        assert result.observations.schema.equals(OBSERVATION_SCHEMA)
        assert result.provenance.licence == "CC BY 4.0"
        assert result.provenance.publisher == "CBS"


def test_untyped_dump_values_statuses_and_names(cbs: Path) -> None:
    result = by_year(cbs)[2023]
    assert cell(result, "NL00", "AantalInwoners") == (17811291.0, "ok")
    assert cell(result, "GM0363", "HuishOnderOfRondSociaalMinimum") == (12.4, "ok")
    assert cell(result, "WK036300", "HuishOnderOfRondSociaalMinimum") == (None, "suppressed")
    assert cell(result, "BU03630001", "AfstandTotHuisartsenpraktijk") == (None, "missing")
    assert cell(result, "BU00140000", "GemiddeldeWOZWaardeVanWoningen") == (None, "missing")
    assert (result.suppressed, result.missing) == (5, 2)
    assert result.observations.num_rows == 8 * 5
    regions = {r.code: r for r in result.regions}
    assert regions["BU03630000"].name == "Kop Zeedijk"
    assert regions["BU03630000"].parent_code == "WK036300"
    assert regions["BU03630000"].gemeente_code == "GM0363"
    assert regions["WK036300"].parent_code == "GM0363"
    assert regions["GM0363"].parent_code is None
    assert regions["GM0363"].provincie_code is None
    assert regions["NL00"].level is Level.LAND
    variables = {v.key: v for v in result.variables}
    assert variables["GemiddeldeWOZWaardeVanWoningen"].unit == "x 1 000 euro"
    assert variables["AantalInwoners"].source_id == result.provenance.source_id


def test_typed_dump_nulls_are_missing(cbs: Path) -> None:
    result = by_year(cbs)[2022]
    assert cell(result, "WK036300", "HuishOnderOfRondSociaalMinimum") == (None, "missing")
    assert result.suppressed == 0 and result.missing == 7
    names = {r.code: r.name for r in result.regions}
    assert names["WK036300"] == "WK036300"  # no WijkenEnBuurten.json: the code is the name
    assert names["GM0014"] == "Groningen"  # from Gemeentenaam on the gemeente row


def test_kwb_csv_short_codes_and_decimal_comma(cbs: Path) -> None:
    result = by_year(cbs)[2021]
    assert cell(result, "NL00", "HuishOnderOfRondSociaalMinimum") == (8.4, "ok")
    assert cell(result, "GM0014", "AfstandTotHuisartsenpraktijk") == (0.7, "ok")
    assert cell(result, "BU03630000", "PersonenPerSoortUitkeringBijstand") == (None, "suppressed")
    assert cell(result, "BU03630000", "GemiddeldeWOZWaardeVanWoningen") == (None, "suppressed")
    assert cell(result, "BU03630001", "AfstandTotHuisartsenpraktijk") == (None, "missing")
    names = {r.code: r.name for r in result.regions}
    assert names["BU03630001"] == "Oosterdokseiland"
    assert {v.key for v in result.variables} >= {"AantalInwoners", "k_65JaarOfOuder"}
    assert not {"gwb_code_8", "ind_wbi", "regio"} & {v.key for v in result.variables}


def test_statline_csv_with_odata_keys(cbs: Path) -> None:
    result = by_year(cbs)[2020]
    assert cell(result, "GM0363", "AantalInwoners") == (872380.0, "ok")
    assert cell(result, "BU03630000", "HuishOnderOfRondSociaalMinimum") == (None, "suppressed")


def test_year_and_level_filters(cbs: Path) -> None:
    results = by_year(cbs, years=[2023], levels=["gemeente", Level.BUURT])
    assert list(results) == [2023]
    result = results[2023]
    assert {r.level for r in result.regions} == {Level.GEMEENTE, Level.BUURT}
    assert set(result.observations.column("level").to_pylist()) == {"gemeente", "buurt"}
    assert result.observations.num_rows == 5 * 5


def test_publisher_and_licence_override(cbs: Path) -> None:
    results = by_year(cbs, years=[2023], publisher="Wijkradar demo (synthetic)", licence="CC0")
    provenance = results[2023].provenance
    assert provenance.publisher == "Wijkradar demo (synthetic)"
    assert provenance.licence == "CC0"
    assert provenance.source_id.startswith("Wijkradar demo (synthetic)/85618NED/2023@")


def test_fingerprint_follows_content_not_parsing(cbs: Path, tmp_path: Path) -> None:
    copy = tmp_path / "cbs"
    shutil.copytree(cbs, copy)
    before = CbsKwbFiles(copy).fingerprint()
    assert CbsKwbFiles(copy).fingerprint() == before
    target = copy / "csv" / "kwb-2021.csv"
    target.write_bytes(target.read_bytes().replace(b"17475415", b"17475416"))
    assert CbsKwbFiles(copy).fingerprint() != before
    # Fingerprinting does not parse: a broken file still has one.
    (copy / "csv" / "kwb-2019.csv").write_bytes(b"\xff\xfe garbage")
    assert CbsKwbFiles(copy).fingerprint().startswith("sha256:")


def test_registered_under_its_name(cbs: Path) -> None:
    source = registry.create("cbs-kwb-files", directory=cbs, years=[2021])
    assert source.name == "cbs-kwb-files"
    assert [r.provenance.year for r in source.read()] == [2021]


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


XLSX_ROWS: list[list[object]] = [
    ["gwb_code_10", "regio", "gm_naam", "recs", "a_inw", "p_hh_osm", "g_afs_hp"],
    ["NL00", "Nederland", "Nederland", "Land", 17590672, 8.5, 0.9],
    ["GM0363", "Amsterdam", "Amsterdam", "Gemeente", 873338, ".", 0.5],
    ["WK036300", "Burgwallen-Oude Zijde", "Amsterdam", "Wijk", 4170, None, "0,3"],
    ["BU03630000", "Kop Zeedijk", "Amsterdam", "Buurt", 1080, ".", -99997],
]


def test_xlsx(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "kwb-2019.xlsx", XLSX_ROWS)
    result = by_year(tmp_path)[2019]
    assert cell(result, "NL00", "AantalInwoners") == (17590672.0, "ok")
    assert cell(result, "GM0363", "HuishOnderOfRondSociaalMinimum") == (None, "suppressed")
    assert cell(result, "WK036300", "HuishOnderOfRondSociaalMinimum") == (None, "missing")
    assert cell(result, "WK036300", "AfstandTotHuisartsenpraktijk") == (0.3, "ok")
    assert cell(result, "BU03630000", "AfstandTotHuisartsenpraktijk") == (None, "suppressed")
    assert {r.code: r.name for r in result.regions}["BU03630000"] == "Kop Zeedijk"


def test_observations_are_columnar(cbs: Path) -> None:
    result = by_year(cbs)[2023]
    assert isinstance(result.observations, pa.Table)
    ok = [row for row in result.observations.to_pylist() if row["status"] != "ok"]
    assert ok and all(row["value"] is None for row in ok)
