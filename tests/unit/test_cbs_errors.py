"""Bad input: each a specific InputError naming file, row, column, expectation and finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from wijkradar.domain import InputError
from wijkradar.sources.cbs_kwb import CbsKwbFiles

HEADER = '"gwb_code_10";"regio";"recs";"a_inw";"p_hh_osm"\n'
GOOD_ROWS = [
    '"NL00";"Nederland";"Land";"17475415";"8,4"\n',
    '"GM0363";"Amsterdam";"Gemeente";"872757";"12,9"\n',
    '"BU03630000";"Kop Zeedijk";"Buurt";"1075";"."\n',
]


def read_all(directory: Path, **options: object) -> None:
    list(CbsKwbFiles(directory, **options).read())  # type: ignore[arg-type]


def csv_file(tmp_path: Path, rows: list[str], name: str = "kwb-2021.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def error_for(directory: Path, **options: object) -> InputError:
    with pytest.raises(InputError) as caught:
        read_all(directory, **options)
    return caught.value


def test_truncated_json(fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "85618NED"
    shutil.copytree(fixtures / "cbs" / "odata" / "85618NED", folder)
    data = folder / "UntypedDataSet.json"
    text = data.read_bytes()
    data.write_bytes(text[: len(text) // 2])
    error = error_for(tmp_path)
    assert error.path == str(data)
    assert error.expected == "a complete JSON document"
    assert error.row is not None and error.row > 1
    assert "cut off" in str(error)


def test_csv_last_row_too_few_fields(tmp_path: Path) -> None:
    path = csv_file(tmp_path, [*GOOD_ROWS, '"GM0014";"Groningen";"Gemeente"\n'])
    error = error_for(tmp_path)
    assert (error.path, error.row) == (str(path), 5)
    assert error.expected is not None and error.expected.startswith("5 fields")
    assert error.found == "3 fields"


def test_corrupt_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["gwb_code_10", "a_inw"])
    sheet.append(["NL00", 1])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bad = tmp_path / "kwb-2019.xlsx"
    bad.write_bytes(good.read_bytes()[:300])
    good.unlink()
    error = error_for(tmp_path)
    assert error.path == str(bad)
    assert "corrupt" in error.problem
    assert error.expected == "an Excel (Office Open XML) workbook"


def test_wrong_encoding_names_row_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2021.csv"
    body = (HEADER + GOOD_ROWS[0]).encode() + '"GM0363";"Súdwest";"Gemeente";"1";"2"\n'.encode(
        "latin-1"
    )
    path.write_bytes(body)
    offset = body.index(b"\xfa")
    error = error_for(tmp_path)
    assert (error.path, error.row) == (str(path), 3)
    assert error.expected is not None and error.expected.startswith("UTF-8")
    assert error.found == f"byte 0xfa at offset {offset}"


def test_wrong_encoding_can_be_declared(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2021.csv"
    path.write_bytes((HEADER + '"GM0363";"Súdwest";"Gemeente";"1";"2"\n').encode("latin-1"))
    (result,) = CbsKwbFiles(tmp_path, encoding="latin-1").read()
    assert result.regions[0].name == "Súdwest"


def test_unknown_column_strict(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2021.csv"
    path.write_text('"gwb_code_10";"a_inw";"zz_nieuw"\n"NL00";"1";"2"\n', encoding="utf-8")
    error = error_for(tmp_path)
    assert error.column == "zz_nieuw"
    assert error.found == "zz_nieuw"
    assert error.expected is not None and "AantalInwoners" in error.expected


def test_unknown_column_lenient_keeps_it_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2021.csv"
    path.write_text('"gwb_code_10";"a_inw";"zz_nieuw_7"\n"NL00";"1";"2,5"\n', encoding="utf-8")
    source = CbsKwbFiles(tmp_path, strict=False)
    (result,) = source.read()
    rows = {r["variable"]: r["value"] for r in result.observations.to_pylist()}
    assert rows == {"AantalInwoners": 1.0, "zz_nieuw": 2.5}
    assert len(source.warnings) == 1 and "zz_nieuw_7" in source.warnings[0]


def test_non_numeric_value(tmp_path: Path) -> None:
    path = csv_file(tmp_path, [GOOD_ROWS[0], '"GM0363";"Amsterdam";"Gemeente";"veel";"1"\n'])
    error = error_for(tmp_path)
    assert (error.path, error.row, error.column, error.found) == (str(path), 3, "a_inw", "veel")
    assert error.expected is not None and "number" in error.expected


def test_non_numeric_value_row_counts_filtered_rows(tmp_path: Path) -> None:
    csv_file(tmp_path, [*GOOD_ROWS, '"BU03630001";"X";"Buurt";"1";"?"\n'])
    error = error_for(tmp_path, levels=["buurt"])
    assert (error.row, error.column, error.found) == (5, "p_hh_osm", "?")


def test_missing_year(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD_ROWS, name="wijken.csv")
    error = error_for(tmp_path)
    assert error.path == str(path)
    assert error.problem.startswith("cannot tell which year")
    assert error.found == "wijken.csv"


def test_duplicated_region_code_names_both_rows(tmp_path: Path) -> None:
    csv_file(tmp_path, [*GOOD_ROWS, '"GM0363";"Amsterdam";"Gemeente";"1";"2"\n'])
    error = error_for(tmp_path)
    assert "rows 3 and 5" in error.problem
    assert (error.row, error.found) == (5, "GM0363")


def test_missing_code_column(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2021.csv"
    path.write_text('"regio";"a_inw"\n"Nederland";"1"\n', encoding="utf-8")
    error = error_for(tmp_path)
    assert error.problem == "no region code column"
    assert error.found == "regio, a_inw"


def test_kind_and_code_must_agree(tmp_path: Path) -> None:
    csv_file(tmp_path, [GOOD_ROWS[0], '"GM0363";"Amsterdam";"Wijk";"1";"2"\n'])
    error = error_for(tmp_path)
    assert (error.row, error.column, error.expected, error.found) == (3, "recs", "Gemeente", "Wijk")


def test_bad_region_code(tmp_path: Path) -> None:
    csv_file(tmp_path, ['"XX12";"?";"Land";"1";"2"\n'])
    error = error_for(tmp_path)
    assert (error.row, error.column, error.found) == (2, "gwb_code_10", "XX12")


def test_not_an_odata_response(tmp_path: Path) -> None:
    folder = tmp_path / "85618NED"
    folder.mkdir()
    (folder / "UntypedDataSet.json").write_text(json.dumps([1, 2]), encoding="utf-8")
    error = error_for(tmp_path)
    assert error.problem == "not an OData response"


def test_missing_directory(tmp_path: Path) -> None:
    error = error_for(tmp_path / "nowhere")
    assert error.problem == "directory not found"


def copy_dump(fixtures: Path, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    folder = tmp_path / "85618NED"
    shutil.copytree(fixtures / "cbs" / "odata" / "85618NED", folder)
    path = folder / "UntypedDataSet.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_non_numeric_value_in_dump_names_the_record(fixtures: Path, tmp_path: Path) -> None:
    path, document = copy_dump(fixtures, tmp_path)
    records = document["value"]
    assert isinstance(records, list)
    records[3]["AantalInwoners_5"] = "  1.130,0 personen"
    path.write_text(json.dumps(document), encoding="utf-8")
    error = error_for(tmp_path)
    assert (error.path, error.row, error.column) == (str(path), 4, "AantalInwoners_5")
    assert error.found == "1.130,0 personen"


def test_record_with_other_fields(fixtures: Path, tmp_path: Path) -> None:
    path, document = copy_dump(fixtures, tmp_path)
    records = document["value"]
    assert isinstance(records, list)
    del records[5]["AantalInwoners_5"]
    path.write_text(json.dumps(document), encoding="utf-8")
    error = error_for(tmp_path)
    assert (error.row, error.found) == (6, "AantalInwoners_5")
