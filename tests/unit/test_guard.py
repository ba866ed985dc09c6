"""The shared input checks (sources/guard.py) and region-code normalisation, class by class."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from wijkradar.domain import OBSERVATION_SCHEMA, InputError
from wijkradar.domain.region import is_region_code, normalise_code
from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.rawtable import resolve_year
from wijkradar.sources.local_csv import parse_number


def caught(call: object, *args: object, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value


# --- files ------------------------------------------------------------------------------------


def test_read_input_missing_directory_and_too_large(tmp_path: Path) -> None:
    assert caught(guard.read_input, tmp_path / "x.csv", "a CSV").problem == "file not found"
    assert caught(guard.read_input, tmp_path, "a CSV").found == "a directory"
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (3 * guard.MB))
    error = caught(guard.read_input, big, "a CSV", limit=2 * guard.MB)
    assert (error.expected, error.found) == ("at most 2 MB (split it by year or level)", "3 MB")
    assert guard.read_input(big, "a CSV", limit=4 * guard.MB) == b"x" * (3 * guard.MB)


@pytest.mark.parametrize(
    ("data", "row", "offset"),
    [(b"\0abc", 1, 0), (b"a;b\nc;\0d\n", 2, 6), (b"a\nb\nc\n\0", 4, 6)],
)
def test_nul_bytes_named_by_line_and_offset(data: bytes, row: int, offset: int) -> None:
    error = caught(guard.decode_text, Path("f.csv"), data)
    assert (error.row, error.found) == (row, f"byte 0x00 at offset {offset}")


def test_decoding(tmp_path: Path) -> None:
    assert guard.decode_text(Path("f"), "\ufeffé".encode()) == "é"
    assert guard.decode_text(Path("f"), "é".encode("latin-1"), "latin-1") == "é"
    assert caught(guard.decode_text, Path("f"), b"a\n\xff").row == 2
    assert caught(guard.decode_text, Path("f"), b"a", "klingon").problem == "unknown text encoding"


# --- CSV shape --------------------------------------------------------------------------------


def rows_of(text: str, delimiter: str = ";") -> tuple[list[str], list[tuple[int, list[str]]]]:
    header, rows = guard.iter_csv(Path("f.csv"), text, delimiter)
    return header, list(rows)


def test_csv_rows_stream_with_line_numbers() -> None:
    header, rows = rows_of('a;b\n1;2\n\n"x\ny";3\n')
    assert header == ["a", "b"]
    assert rows == [(2, ["1", "2"]), (5, ["x\ny", "3"])]  # blank line skipped, quoted newline


@pytest.mark.parametrize(
    ("text", "delimiter", "row", "found"),
    [
        ("a,b\n1,5,2\n", ",", 2, "3 fields"),  # decimal comma in a comma file
        ("a;b;c\n1;2;3\n4;5\n", ";", 3, "2 fields"),
        ("a;b\n1;2;\n", ";", 2, "3 fields"),
        ("a,b,c\n1;2;3\n", ",", 2, "1 fields"),  # delimiter guessed wrong
    ],
)
def test_csv_field_count_refused(text: str, delimiter: str, row: int, found: str) -> None:
    error = caught(rows_of, text, delimiter)
    assert (error.row, error.found) == (row, found)
    fields = text.split("\n")[0].count(delimiter) + 1
    assert error.expected is not None and error.expected.startswith(f"{fields} fields")


@pytest.mark.parametrize("text", ["", "a;b\n", "a;b\n\n\n"])
def test_csv_without_data_rows(text: str) -> None:
    error = caught(rows_of, text)
    assert error.problem in ("empty file", "no data rows")


# --- JSON and YAML ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deeply_nested_json(depth: int) -> None:
    error = caught(guard.parse_json, Path("f.json"), "[" * depth + "]" * depth)
    assert error.problem == "JSON nested too deeply"


def test_json_cut_off_names_line() -> None:
    error = caught(guard.parse_json, Path("f.json"), '{\n"a": [1,\n')
    assert error.row == 3 and error.expected == "a complete JSON document"
    assert guard.parse_json(Path("f.json"), '{"a": [[[1]]]}') == {"a": [[[1]]]}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: &x 1\nb: *x\n", "&x"),
        ("base: &b {unit: '%'}\nother:\n  <<: *b\n", "&b"),
        ("a: [&l [1, 2], 3]\n", "&l"),
        ("a: !!str &s x\n", "&s"),
    ],
)
def test_yaml_anchors_and_aliases_refused(tmp_path: Path, text: str, found: str) -> None:
    path = tmp_path / "m.yml"
    path.write_text(text, encoding="utf-8")
    error = caught(guard.load_yaml, path)
    assert error.problem == "YAML anchors and aliases are not allowed"
    assert error.found == found and error.row is not None


def test_billion_laughs_refused_before_expansion(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert caught(guard.load_yaml, path).found == "&a0"


def test_plain_yaml_loads(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text("a: 1\nb: [x, 'y&z']\nc: {d: '*e'}\n", encoding="utf-8")
    assert guard.load_yaml(path) == {"a": 1, "b": ["x", "y&z"], "c": {"d": "*e"}}
    path.write_text("a: [1\n", encoding="utf-8")
    assert caught(guard.load_yaml, path).problem.startswith("not valid YAML")


# --- xlsx archives ----------------------------------------------------------------------------


def test_zip_limits(tmp_path: Path) -> None:
    path = tmp_path / "kwb-2023.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a/>" * 1000)
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * guard.MB))
    guard.check_zip(path, max_total=4 * guard.MB, max_ratio=10_000)
    total = caught(guard.check_zip, path, max_total=2 * guard.MB)
    assert total.problem == "workbook inflates too far" and total.found == "3 MB"
    ratio = caught(guard.check_zip, path, max_ratio=50)
    assert ratio.column == "xl/worksheets/sheet1.xml"
    path.write_bytes(b"PK\x03\x04 broken")
    assert "corrupt" in caught(guard.check_zip, path).problem


# --- values per unit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", (0.0, 100.0)),
        (" Procent ", (0.0, 100.0)),
        ("aantal", (0.0, None)),
        ("aantal inwoners per km²", (0.0, None)),
        ("per 1 000 inwoners", (0.0, None)),
        ("ha", (0.0, None)),
        ("km", (0.0, None)),
        ("1-5", (1.0, 5.0)),
        ("x 1 000 euro", (None, None)),
        ("", (None, None)),
    ],
)
def test_bounds_per_unit(unit: str, expected: tuple[float | None, float | None]) -> None:
    assert guard.bounds(unit) == expected


@pytest.mark.parametrize(
    ("values", "unit", "index"),
    [
        ([1.0, None, 100.0, 0.0], "%", None),
        ([1.0, None, 100.5], "%", 2),
        ([-0.1, 5.0], "%", 0),
        ([3.0, -1.0], "aantal", 1),
        ([-5.0, 1e9], "x 1 000 euro", None),
        ([0.0], "1-5", 0),
    ],
)
def test_first_implausible(values: list[float | None], unit: str, index: int | None) -> None:
    assert guard.first_implausible(pa.array(values, pa.float64()), unit) == index


def test_backstop_names_region_period_and_variable() -> None:
    table = pa.Table.from_pylist(
        [
            {"region_code": "GM0363", "level": "gemeente", "period": 2023, "variable": "n",
             "value": 5.0, "status": "ok", "source_id": "s"},
            {"region_code": "GM0014", "level": "gemeente", "period": 2023, "variable": "n",
             "value": -2.0, "status": "ok", "source_id": "s"},
        ],
        schema=OBSERVATION_SCHEMA,
    )  # fmt: skip
    guard.check_observations("f", table, {"n": "x 1 000 euro"})
    error = caught(guard.check_observations, "f", table, {"n": "aantal"})
    assert error.column == "n" and error.found == "-2" and "GM0014 2023" in error.problem


# --- region codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [(" gm0363 ", "GM0363"), ("WK036300  ", "WK036300"), ("bu0363000a", "BU0363000A"),
     (None, ""), (363, "363")],
)  # fmt: skip
def test_normalise_code(raw: object, code: str) -> None:
    assert normalise_code(raw) == code


@pytest.mark.parametrize(
    ("code", "valid"),
    [("NL00", True), ("PV27", True), ("GM0363", True), ("WK036300", True),
     ("BU03630000", True), ("GM0363000", False), ("GM036", False), ("WK03630", False),
     ("BU036300000", False), ("gm0363", False), ("XX0363", False), ("", False)],
)  # fmt: skip
def test_region_code_shape(code: str, valid: bool) -> None:
    assert is_region_code(code) is valid


# --- periods and numbers ----------------------------------------------------------------------


def test_period_must_agree_with_name_and_request(tmp_path: Path) -> None:
    folder = tmp_path / "85618NED"
    assert resolve_year(folder, "2023", "85618NED") == 2023
    assert caught(resolve_year, folder, "2021", "85618NED").expected == "2023"
    assert caught(resolve_year, tmp_path / "kwb-2022.csv", "2023JJ00", None).expected == "2022"
    error = caught(resolve_year, tmp_path / "cache", "2023", None, requested=2022)
    assert (error.column, error.expected, error.found) == ("Period", "2022", "2023")
    assert resolve_year(tmp_path / "cache", "2022", None, requested=2022) == 2022


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [("1.234", ",", 1234.0), ("1.234", ".", 1.234), ("1,234", ".", 1234.0),
     ("1,234", ",", 1.234), ("1.234.567,5", ",", 1234567.5), ("1,234,567.5", ".", 1234567.5),
     ("12,5", ".", None), ("1.2.3", ".", None), ("-", ",", None)],
)  # fmt: skip
def test_decimal_from_the_mapping(text: str, decimal: str, value: float | None) -> None:
    assert parse_number(text, decimal) == value


def test_backstop_checks_each_variable_by_its_own_unit() -> None:
    rows = [
        ("GM0363", "p", 100.0), ("GM0363", "n", 150.0), ("GM0363", "e", -7.0),
        ("GM0014", "p", 101.0),
    ]  # fmt: skip
    table = pa.Table.from_pylist(
        [
            {"region_code": code, "level": "gemeente", "period": 2022, "variable": variable,
             "value": value, "status": "ok", "source_id": "s"}
            for code, variable, value in rows
        ],
        schema=OBSERVATION_SCHEMA,
    )  # fmt: skip
    units = {"p": "%", "n": "aantal", "e": "x 1 000 euro"}
    error = caught(guard.check_observations, "f", table, units)
    assert (error.column, error.found) == ("p", "101") and "GM0014 2022" in error.problem
    guard.check_observations("f", table.slice(0, 3), units)
