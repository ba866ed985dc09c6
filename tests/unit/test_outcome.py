"""Outcome tables and area sets for validate/compare: what is read, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.sources.outcome import read_area_set, read_outcome, split_spec


def test_split_spec_takes_the_last_colon() -> None:
    assert split_spec("C:/data/x.csv:col") == (Path("C:/data/x.csv"), "col")
    with pytest.raises(InputError, match="FILE:COLUMN"):
        split_spec("nocolumn")


def test_a_cbs_style_csv_keeps_only_estimates(tmp_path: Path) -> None:
    path = tmp_path / "ggd.csv"
    path.write_text(
        "ID;Marges;WijkenEnBuurten;Moeite\n"
        "1;MW00000;GM0363    ;  29,0\n"
        "2;MOG0095;GM0363    ;  31,0\n"
        "3;MW00000;WK036300  ;     .\n"
        "4;MW00000;BU03630000;  12.5\n",
        encoding="utf-8",
    )
    assert read_outcome(path, "Moeite") == {"GM0363": 29.0, "BU03630000": 12.5}


def test_the_code_column_is_found_by_its_values(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("naam,gebied,waarde\nA,GM0001,1\nB,GM0002,2\n", encoding="utf-8")
    assert read_outcome(path, "waarde") == {"GM0001": 1.0, "GM0002": 2.0}


def test_bad_outcome_input_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("code,waarde\nGM0001,1\nGM0002,veel\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.csv, row 3.*waarde.*veel"):
        read_outcome(path, "waarde")
    with pytest.raises(InputError, match="no such column"):
        read_outcome(path, "andere")
    with pytest.raises(InputError, match="not found"):
        read_outcome(tmp_path / "absent.csv", "waarde")


def test_area_set(tmp_path: Path) -> None:
    path = tmp_path / "set.yml"
    path.write_text("name: Focus\nlevel: wijk\nareas: [wk036301, WK036302, WK036301]\n")
    found = read_area_set(path)
    assert found.areas == ("WK036301", "WK036302") and found.level == "wijk"
    path.write_text("name: Focus\nlevel: wijk\nareas: [GM0363]\n")
    with pytest.raises(InputError, match=r"areas\[0\] is not a wijk code"):
        read_area_set(path)
    path.write_text("name: Focus\nareas: [GM0363]\n")
    with pytest.raises(InputError, match="missing key level"):
        read_area_set(path)


def test_the_example_area_set_reads() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "nplv-gemeenten.yml"
    assert len(read_area_set(example).areas) == 19
