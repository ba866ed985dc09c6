"""IndelingswijzigingWijkenEnBuurten / ind_wbi: passed on as "flagged" RegionChange records."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkradar.domain import InputError, Level
from wijkradar.sources.cbs_kwb import CbsKwbFiles
from wijkradar.sources.cbs_kwb.flags import flag_note


def csv_with_flags(fixtures: Path, tmp_path: Path, flags: dict[str, str]) -> Path:
    """The kwb-2021.csv fixture (column 7 is ind_wbi) with some flags replaced."""
    folder = tmp_path / "kwb"
    folder.mkdir()
    source = fixtures / "cbs" / "csv" / "kwb-2021.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        fields = line.split(";")
        code = fields[0].strip('"')
        if code in flags:
            fields[6] = f'"{flags[code]}"'
        out.append(";".join(fields))
    (folder / "kwb-2021.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


def test_flags_other_than_1_on_wijken_and_buurten(fixtures: Path, tmp_path: Path) -> None:
    folder = csv_with_flags(fixtures, tmp_path, {"BU03630001": "3", "WK001400": " 2 "})
    (result,) = CbsKwbFiles(folder).read()
    got = {
        (c.level, c.year_from, c.code_from, c.year_to, c.code_to, c.kind, c.note)
        for c in result.changes
    }
    assert got == {
        (Level.BUURT, 2020, "BU03630001", 2021, "BU03630001", "flagged", flag_note(3)),
        (Level.WIJK, 2020, "WK001400", 2021, "WK001400", "flagged", flag_note(2)),
    }
    assert flag_note(3) == "CBS flag 3: boundary changed"
    # The flag is an identifier, not an observation.
    assert "IndelingswijzigingWijkenEnBuurten" not in set(
        result.observations.column("variable").to_pylist()
    )


def test_fixture_dumps_flag_nothing(fixtures: Path) -> None:
    for result in CbsKwbFiles(fixtures / "cbs").read():
        assert result.changes == ()


def test_levels_option_drops_flags_of_other_levels(fixtures: Path, tmp_path: Path) -> None:
    folder = csv_with_flags(fixtures, tmp_path, {"BU03630001": "3", "WK001400": "3"})
    (result,) = CbsKwbFiles(folder, levels=["wijk"]).read()
    assert [c.code_to for c in result.changes] == ["WK001400"]


def test_a_flag_that_is_not_a_code_names_row_and_column(fixtures: Path, tmp_path: Path) -> None:
    folder = csv_with_flags(fixtures, tmp_path, {"BU03630000": "ja"})
    with pytest.raises(InputError) as caught:
        list(CbsKwbFiles(folder).read())
    error = caught.value
    assert (error.row, error.column, error.found) == (5, "ind_wbi", "ja")


def test_gemeente_rows_never_flag(fixtures: Path, tmp_path: Path) -> None:
    # CBS writes "." on gemeente rows; a stray number there is not a wijk/buurt break.
    folder = csv_with_flags(fixtures, tmp_path, {"GM0363": "3"})
    (result,) = CbsKwbFiles(folder).read()
    assert result.changes == ()
