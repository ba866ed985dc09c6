"""Bad input by class, through the real CLI: every case exits 2 with one line naming the file
(and row/column where there is one), what was expected and what was found; no traceback; the
previous database stays byte-identical and no temporary or lock file is left behind."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_run import Cli
from kwb_dump import TABLES

GOOD_CSV = "code;jaar;aandeel;aantal\nWK036300;2023;12,5;40\nBU03630000;2023;7;12\n"
MAPPING = """publisher: Gemeente Amsterdam (test)
title: Eigen cijfers
licence: CC BY 4.0
region_column: code
period: 2023
columns:
  aandeel:
    variable: eigen_aandeel
    unit: "%"
    title: Aandeel
  aantal:
    variable: eigen_aantal
    unit: aantal
    title: Aantal
"""


class Case:
    """Inputs under `root`: kwb/ (two OData dumps), local.csv + local.yml, and a built db."""

    def __init__(self, root: Path, kwb: Path) -> None:
        self.root = root
        self.kwb = kwb
        self.csv = root / "local.csv"
        self.mapping = root / "local.yml"
        self.db = root / "db" / "monitor.duckdb"
        self.csv.write_text(GOOD_CSV, encoding="utf-8")
        self.mapping.write_text(MAPPING, encoding="utf-8")

    def build_args(self) -> list[str]:
        local = f"{self.csv}={self.mapping}"
        return ["build", "--from", str(self.kwb), "--local", local, "--db", str(self.db)]

    def dump(self, year: int = 2023, name: str = "UntypedDataSet.json") -> Path:
        return self.kwb / TABLES[year] / name

    def edit_records(self, change: Callable[[list[dict[str, object]]], None]) -> Path:
        path = self.dump()
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document["value"])
        path.write_text(json.dumps(document), encoding="utf-8")
        return path


@pytest.fixture
def case(kwb_dir: Path, tmp_path: Path, cli: Cli) -> Case:
    built = Case(tmp_path, kwb_dir)
    code, _, err = cli(built.build_args())
    assert code == 0, err
    return built


def refused(cli: Cli, case: Case, args: list[str], *fragments: str) -> str:
    """Run args; assert the class's promises; return the error line."""
    before = case.db.read_bytes()
    code, out, err = cli(args)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    line = err.strip()
    assert "\n" not in line and line.startswith("error: "), err
    for fragment in fragments:
        assert fragment in line, line
    assert case.db.read_bytes() == before
    assert sorted(p.name for p in case.db.parent.iterdir()) == ["monitor.duckdb"]
    return line


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- inputs with no observations ------------------------------------------------------------


def test_empty_folder(case: Case, cli: Cli) -> None:
    empty = case.root / "empty"
    empty.mkdir()
    args = ["build", "--from", str(empty), "--db", str(case.db)]
    refused(cli, case, args, "empty", "no CBS KWB files", "expected", "found 'an empty directory'")


def test_unrelated_files(case: Case, cli: Cli) -> None:
    other = case.root / "other"
    other.mkdir()
    write(other / "notes.txt", "hello")
    write(other / "data.json", '{"a": 1}')
    args = ["build", "--from", str(other), "--db", str(case.db)]
    refused(cli, case, args, "no CBS KWB files", "data.json, notes.txt")


@pytest.mark.parametrize("target", ["local", "kwb"])
def test_header_only(case: Case, cli: Cli, target: str) -> None:
    if target == "local":
        write(case.csv, "code;jaar;aandeel;aantal\n")
        refused(cli, case, case.build_args(), "local.csv", "row 2", "no data rows", "found 'none'")
    else:
        folder = case.root / "kwb-csv"
        folder.mkdir()
        write(folder / "kwb-2023.csv", '"gwb_code_10";"a_inw"\n')
        args = ["build", "--from", str(folder), "--db", str(case.db)]
        refused(cli, case, args, "kwb-2023.csv", "row 2", "no data rows")


# --- rows that do not fit the header ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # decimal commas in a comma-separated file: 5 fields under a 4-field header
        ("code,jaar,aandeel,aantal\nWK036300,2023,12,5,40\n", "5 fields"),
        # a semicolon file whose second row lost a field
        ("code;jaar;aandeel;aantal\nWK036300;2023;12,5;40\nBU03630000;2023;7\n", "3 fields"),
        # a row with a stray extra separator
        ("code;jaar;aandeel;aantal\nWK036300;2023;12,5;40;\n", "5 fields"),
    ],
)
def test_field_count_refused_never_shifted(case: Case, cli: Cli, text: str, found: str) -> None:
    write(case.csv, text)
    refused(cli, case, case.build_args(), "local.csv", "row ", "expected 4 fields", found)


@pytest.mark.parametrize("value", ["1.234", "1,234", "-12.500"])
def test_ambiguous_thousands_separator(case: Case, cli: Cli, value: str) -> None:
    write(case.csv, f"code;jaar;aandeel;aantal\nWK036300;2023;12;{value}\n")
    refused(cli, case, case.build_args(), "row 2", "column 'aantal'", "ambiguous", value)


# --- region codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["WK036399", "BU03639999", "GM0999"])
def test_code_outside_the_hierarchy(case: Case, cli: Cli, code: str) -> None:
    write(case.csv, f"code;jaar;aandeel;aantal\nWK036300;2023;1;2\n{code};2023;3;4\n")
    refused(cli, case, case.build_args(), "local.csv", "not in the 2023 hierarchy", code)


def test_offenders_are_listed(case: Case, cli: Cli) -> None:
    rows = "".join(f"WK0363{n:02d};2023;1;2\n" for n in range(50, 64))
    write(case.csv, "code;jaar;aandeel;aantal\n" + rows)
    line = refused(cli, case, case.build_args(), "14 region code(s)", "WK036350", "and 4 more")
    assert "WK036359" in line and "WK036363" not in line


@pytest.mark.parametrize("code", ["GM0363000", "WK03630", "XX0363", "GM 0363"])
def test_malformed_code_local(case: Case, cli: Cli, code: str) -> None:
    write(case.csv, f"code;jaar;aandeel;aantal\n{code};2023;1;2\n")
    refused(cli, case, case.build_args(), "row 2", "column 'code'", "not a region code", code)


def test_malformed_code_cbs(case: Case, cli: Cli) -> None:
    def seven_digits(records: list[dict[str, object]]) -> None:
        records[1]["WijkenEnBuurten"] = "GM0363000 "
        records[1]["Codering_3"] = "GM0363000 "

    case.edit_records(seven_digits)
    refused(cli, case, case.build_args(), "UntypedDataSet.json", "row 2", "GM0363000")


def test_codes_are_normalised_alike(case: Case, cli: Cli) -> None:
    """Lower case and padding are one code everywhere: the build goes through."""
    write(case.csv, "code;jaar;aandeel;aantal\n  wk036300 ;2023;1;2\nbu03630000;2023;3;4\n")
    code, _, err = cli([*case.build_args(), "--force"])
    assert code == 0, err


# --- NUL bytes --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["local", "kwb", "mapping"])
def test_nul_bytes(case: Case, cli: Cli, target: str) -> None:
    if target == "local":
        write(case.csv, GOOD_CSV.replace("12,5", "12\0,5").encode())
        refused(cli, case, case.build_args(), "local.csv", "row 2", "NUL byte", "offset")
    elif target == "mapping":
        write(case.mapping, MAPPING.replace("Aantal\n", "Aan\0tal\n").encode())
        refused(cli, case, case.build_args(), "local.yml", "NUL byte")
    else:
        path = case.dump()
        write(path, path.read_bytes().replace(b"Amsterdam", b"Amster\0dam", 1))
        refused(cli, case, case.build_args(), "UntypedDataSet.json", "row 1", "NUL byte")


# --- impossible values per unit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("AantalInwoners_5", "   -5", "at least 0"),
        ("HuurwoningenTotaal_41", "   140", "from 0 to 100"),
        ("HuurwoningenTotaal_41", "  -0,5", "from 0 to 100"),
    ],
)
def test_impossible_cbs_values(
    case: Case, cli: Cli, column: str, value: str, expected: str
) -> None:
    def set_value(records: list[dict[str, object]]) -> None:
        records[2][column] = value

    case.edit_records(set_value)
    refused(cli, case, case.build_args(), "UntypedDataSet.json", "row 3", column, expected)


@pytest.mark.parametrize(
    ("row", "found"),
    [("WK036300;2023;100,5;40", "100,5"), ("WK036300;2023;12;-3", "-3")],
)
def test_impossible_local_values(case: Case, cli: Cli, row: str, found: str) -> None:
    write(case.csv, f"code;jaar;aandeel;aantal\n{row}\n")
    refused(cli, case, case.build_args(), "row 2", "impossible value", found)


@pytest.mark.parametrize("period", ["2019", "2022JJ00"])
def test_period_contradicts_table(case: Case, cli: Cli, period: str) -> None:
    info = case.dump(name="TableInfos.json")
    document = json.loads(info.read_text(encoding="utf-8"))
    document["value"][0]["Period"] = period
    write(info, json.dumps(document))
    refused(cli, case, case.build_args(), "85618NED", "column 'Period'", "expected 2023", period)


def test_period_contradicts_gebieden_table(case: Case, cli: Cli) -> None:
    from test_build_gebieden import write_gebieden

    folder = write_gebieden(case.kwb / "gebieden-2023", year=2023)
    info = folder / "TableInfos.json"
    document = json.loads(info.read_text(encoding="utf-8"))
    document["value"][0]["Period"] = "2021"
    write(info, json.dumps(document))
    refused(cli, case, case.build_args(), "gebieden-2023", "column 'Period'", "expected 2023")


# --- bounded resources ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        MAPPING.replace('unit: "%"', "unit: &u '%'").replace("unit: aantal", "unit: *u"),
        MAPPING + "extra: &x [1, 2]\n",
    ],
)
def test_yaml_aliases_refused(case: Case, cli: Cli, text: str) -> None:
    write(case.mapping, text)
    refused(cli, case, case.build_args(), "local.yml", "anchors and aliases", "row ")


def test_deeply_nested_json(case: Case, cli: Cli) -> None:
    write(case.dump(), '{"value": ' + "[" * 100_000 + "]" * 100_000 + "}")
    refused(cli, case, case.build_args(), "UntypedDataSet.json", "nested too deeply", "expected")


def test_xlsx_zip_bomb(case: Case, cli: Cli) -> None:
    folder = case.root / "xlsx"
    folder.mkdir()
    with zipfile.ZipFile(folder / "kwb-2023.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    args = ["build", "--from", str(folder), "--db", str(case.db)]
    refused(cli, case, args, "kwb-2023.xlsx", "zip bomb", "sheet1.xml", "compression ratio")


# --- CLI paths ----------------------------------------------------------------------------------


def test_missing_local_csv(case: Case, cli: Cli) -> None:
    args = case.build_args()
    args[args.index("--local") + 1] = f"{case.root / 'nope.csv'}={case.mapping}"
    refused(cli, case, args, "nope.csv", "file not found", "expected a CSV file")


def test_db_is_a_directory(case: Case, cli: Cli) -> None:
    folder = case.root / "db" / "monitor.duckdb"
    args = ["status", "--db", str(folder.parent)]
    refused(cli, case, args, "--db is a directory", "found 'a directory'")
    args = [*case.build_args()[:-1], str(folder.parent), "--force"]
    refused(cli, case, args, "--db is a directory")


def test_db_is_not_a_duckdb_file(case: Case, cli: Cli) -> None:
    text = case.root / "notes.txt"
    write(text, "my notes")
    for args in (["status", "--db", str(text)], [*case.build_args()[:-1], str(text)]):
        refused(cli, case, args, "notes.txt", "not a monitor database", "expected a DuckDB file")
    assert text.read_text(encoding="utf-8") == "my notes"


def test_db_is_another_duckdb_file(case: Case, cli: Cli) -> None:
    import duckdb

    other = case.root / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE stuff AS SELECT 1 AS x")
    before = other.read_bytes()
    for args in (["status", "--db", str(other)], [*case.build_args()[:-1], str(other)]):
        refused(cli, case, args, "other.duckdb", "not a Wijkradar monitor database", "stuff")
    assert other.read_bytes() == before


def test_negative_top(case: Case, cli: Cli) -> None:
    refused(cli, case, ["rank", "--top", "-1", "--db", str(case.db)], "--top", "1")


def test_out_is_a_directory(case: Case, cli: Cli) -> None:
    args = ["export", "--out", str(case.root), "--db", str(case.db)]
    refused(cli, case, args, "--out is a directory", "expected a file path")
    args = ["export", "--out", str(case.root / "no" / "x.csv"), "--db", str(case.db)]
    refused(cli, case, args, "no such folder")
