"""LocalCsv: a municipality's own figures from a CSV and a YAML mapping."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.sources import registry
from wijkradar.sources.local_csv import LocalCsv, parse_number


def _read(csv: Path, mapping: Path) -> dict[tuple[str, str], tuple[float | None, str]]:
    (result,) = LocalCsv(csv, mapping).read()
    rows = result.observations.to_pylist()
    return {(r["region_code"], r["variable"]): (r["value"], r["status"]) for r in rows}


def test_reads_values_markers_and_bare_numbers(fixtures: Path) -> None:
    got = _read(fixtures / "local" / "wijkmonitor.csv", fixtures / "local" / "wijkmonitor.yml")
    assert got[("WK036301", "lokaal_mantelzorgers")] == (14.5, "ok")  # "01" + gemeente
    assert got[("WK036302", "lokaal_mantelzorgers")] == (9.25, "ok")  # "2", decimal comma
    assert got[("WK036302", "lokaal_schuldhulp")] == (None, "suppressed")  # "."
    assert got[("WK036303", "lokaal_mantelzorgers")] == (None, "missing")  # "-"
    assert got[("WK036303", "lokaal_schuldhulp")] == (None, "suppressed")  # "x"
    assert got[("WK036304", "lokaal_schuldhulp")] == (1234.5, "ok")  # spaces, lower case
    assert got[("WK036304", "lokaal_mantelzorgers")] == (None, "suppressed")  # -99997
    assert got[("BU03630305", "lokaal_mantelzorgers")] == (None, "missing")  # "0305", empty
    assert got[("BU03630305", "lokaal_schuldhulp")] == (7.0, "ok")
    assert len(got) == 10  # the unmapped "opmerking" column is ignored


def test_provenance_variables_and_counts(fixtures: Path) -> None:
    source = registry.create(
        "local-csv",
        csv_path=fixtures / "local" / "wijkmonitor.csv",
        mapping_path=fixtures / "local" / "wijkmonitor.yml",
    )
    (result,) = source.read()
    assert result.provenance.publisher == "Gemeente Voorbeeldstad (testbestand)"
    assert result.provenance.year == 2022
    assert result.provenance.kind == "local"
    assert {v.key: v.unit for v in result.variables} == {
        "lokaal_mantelzorgers": "%",
        "lokaal_schuldhulp": "per 1 000 huishoudens",
    }
    assert (result.suppressed, result.missing) == (3, 2)
    assert set(result.observations.column("level").to_pylist()) == {"wijk", "buurt"}
    assert source.fingerprint().startswith("sha256:")


def _copy(fixtures: Path, tmp_path: Path, csv_text: str | None = None) -> tuple[Path, Path]:
    csv = tmp_path / "data.csv"
    mapping = tmp_path / "mapping.yml"
    shutil.copy(fixtures / "local" / "wijkmonitor.yml", mapping)
    if csv_text is None:
        shutil.copy(fixtures / "local" / "wijkmonitor.csv", csv)
    else:
        csv.write_text(csv_text, encoding="utf-8")
    return csv, mapping


def test_bad_number_names_row_and_column(fixtures: Path, tmp_path: Path) -> None:
    text = "wijk;jaar;aandeel_mantelzorgers;schulden_per_1000\n01;2022;12,5;3\n02;2022;veel;4\n"
    csv, mapping = _copy(fixtures, tmp_path, text)
    with pytest.raises(InputError) as info:
        _read(csv, mapping)
    assert (info.value.row, info.value.column, info.value.found) == (
        3,
        "aandeel_mantelzorgers",
        "veel",
    )
    assert "number" in (info.value.expected or "")


def test_bad_region_code(fixtures: Path, tmp_path: Path) -> None:
    text = "wijk;jaar;aandeel_mantelzorgers;schulden_per_1000\nCentrum;2022;12,5;3\n"
    csv, mapping = _copy(fixtures, tmp_path, text)
    with pytest.raises(InputError, match="not a region code") as info:
        _read(csv, mapping)
    assert (info.value.row, info.value.column) == (2, "wijk")


def test_missing_column(fixtures: Path, tmp_path: Path) -> None:
    csv, mapping = _copy(fixtures, tmp_path, "wijk;jaar;aandeel_mantelzorgers\n01;2022;1\n")
    with pytest.raises(InputError, match="column missing") as info:
        _read(csv, mapping)
    assert info.value.column == "schulden_per_1000"


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda t: t.replace("licence: CC BY 4.0\n", ""), "(top level)"),
        (lambda t: t.replace("lokaal_schuldhulp", "Lokaal Schuld"), "columns/schulden_per_1000"),
        (lambda t: t + "period: 2022\n", "(top level)"),
        (lambda t: t.replace("gemeente: GM0363", "gemeente: 0363"), "gemeente"),
    ],
)
def test_mapping_is_validated_by_schema(
    fixtures: Path, tmp_path: Path, edit: object, where: str
) -> None:
    csv, mapping = _copy(fixtures, tmp_path)
    mapping.write_text(edit(mapping.read_text()), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(InputError, match="invalid mapping") as info:
        _read(csv, mapping)
    assert info.value.column is not None and info.value.column.startswith(where.split("/")[0])


def test_bare_numbers_need_a_gemeente(fixtures: Path, tmp_path: Path) -> None:
    csv, mapping = _copy(fixtures, tmp_path)
    mapping.write_text(mapping.read_text().replace("gemeente: GM0363\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="not a region code") as info:
        _read(csv, mapping)
    assert "gemeente" in (info.value.expected or "")


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", 12.5), ("12.5", 12.5), ("1.234,5", 1234.5), ("1.234.567", 1234567.0), ("-3", -3.0),
     ("abc", None), ("1,2,3", None)],
)  # fmt: skip
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_a_mapping_naming_cbs_still_makes_a_local_unpublished_source(
    fixtures: Path, tmp_path: Path
) -> None:
    """The publisher is the mapping's word; the kind ("local") decides disclosure."""
    from wijkradar.compute.disclosure import is_published
    from wijkradar.reports.outgoing import release

    csv, mapping = _copy(fixtures, tmp_path)
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(
        text.replace("Gemeente Voorbeeldstad (testbestand)", "CBS"), encoding="utf-8"
    )
    (result,) = LocalCsv(csv, mapping).read()
    provenance = result.provenance
    assert provenance.publisher == "CBS" and provenance.source_id.startswith("CBS/")
    assert provenance.kind == "local" and not is_published([provenance.kind])
    kinds = {provenance.source_id: provenance.kind}
    assert release(7.0, "aantal", "ok", [provenance.source_id], kinds).status == "suppressed"


def test_json_keyed_by_region_code_with_cbs_keys(tmp_path: Path) -> None:
    data = tmp_path / "extract.json"
    data.write_text(
        '{"GM0363": {"AantalInwoners_5": 931298, "Woningvoorraad_35": null},'
        ' "WK036300": {"AantalInwoners_5": 9100, "Woningvoorraad_35": 4200}}',
        encoding="utf-8",
    )
    mapping = tmp_path / "extract.yml"
    mapping.write_text(
        "publisher: CBS (extract)\ntitle: KWB 2024 extract\nlicence: CC BY 4.0\n"
        "cbs_table: 85984NED\norigin: {repository: a/b, version: '1', file: x.json}\n"
        "region_column: code\nperiod: 2024\ncolumns:\n"
        "  AantalInwoners_5: {variable: AantalInwoners, unit: aantal, title: Inwoners}\n"
        "  Woningvoorraad_35: {variable: Woningvoorraad, unit: aantal, title: Woningen}\n",
        encoding="utf-8",
    )
    got = _read(data, mapping)
    assert got[("GM0363", "AantalInwoners")] == (931298.0, "ok")
    assert got[("GM0363", "Woningvoorraad")] == (None, "missing")  # null is missing, never 0
    assert got[("WK036300", "Woningvoorraad")] == (4200.0, "ok")
    (result,) = LocalCsv(data, mapping).read()
    assert result.provenance.table_id == "85984NED" and result.provenance.kind == "local"
    assert "extract from a/b, x.json @ 1" in result.provenance.title
    assert result.provenance.url == data.resolve().as_uri()  # no commit: the file itself


def test_name_column_names_the_regions(tmp_path: Path) -> None:
    data = tmp_path / "wijken.csv"
    data.write_text("WK_CODE,WK_NAAM,AANT_INW\nWK036300,Burgwallen,9100\nWK003499,,\n")
    mapping = tmp_path / "wijken.yml"
    mapping.write_text(
        "publisher: X\ntitle: Y\nlicence: CC BY 4.0\nregion_column: WK_CODE\n"
        "name_column: WK_NAAM\nperiod: 2021\ncolumns:\n"
        "  AANT_INW: {variable: inwoners, unit: aantal, title: Inwoners}\n",
        encoding="utf-8",
    )
    (result,) = LocalCsv(data, mapping).read()
    ((code, name, parent, year),) = [
        (r.code, r.name, r.parent_code, r.year) for r in result.regions
    ]
    assert (code, name, parent, year) == ("WK036300", "Burgwallen", "GM0363", 2021)


def test_json_numbers_are_exact_and_json_text_follows_the_csv_rules(tmp_path: Path) -> None:
    data = tmp_path / "extract.json"
    data.write_text(
        '{"WK036300": {"a": 1.234, "b": "12,5"}, "WK036301": {"a": 5, "b": "1.234"}}',
        encoding="utf-8",
    )
    mapping = tmp_path / "extract.yml"
    mapping.write_text(
        "publisher: X\ntitle: Y\nlicence: CC BY 4.0\nregion_column: code\nperiod: 2024\n"
        "columns:\n  a: {variable: a, unit: km, title: A}\n"
        "  b: {variable: b, unit: km, title: B}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="ambiguous") as info:
        _read(data, mapping)
    assert (info.value.row, info.value.column, info.value.found) == (3, "b", "1.234")
    data.write_text('{"WK036300": {"a": 1.234, "b": "12,5"}}', encoding="utf-8")
    got = _read(data, mapping)
    assert got[("WK036300", "a")] == (1.234, "ok") and got[("WK036300", "b")] == (12.5, "ok")
