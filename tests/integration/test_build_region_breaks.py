"""CBS's IndelingswijzigingWijkenEnBuurten flag, from a hand-made dump to region_changes and the
`wijkradar regions` output."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from cli_run import Cli
from kwb_dump import ROWS, write_dump

from wijkradar.pipeline import build

pytest.importorskip("wijkradar.sources.cbs_kwb")

from wijkradar.sources.cbs_kwb import CbsKwbFiles


@pytest.fixture
def flagged_dir(tmp_path: Path) -> Path:
    """2023 flags wijk WK036300 (boundary changed, 3) and buurt BU03630001 (code changed, 2)."""
    root = tmp_path / "kwb"
    write_dump(root, 2022, ROWS[2022])
    write_dump(root, 2023, ROWS[2023], flags={"WK036300": " 3", "BU03630001": "2"})
    return root


def changes(db: Path) -> dict[tuple[str, str, int, int], str]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT code_from, kind, year_from, year_to, note FROM region_changes"
        " WHERE level IN ('wijk', 'buurt')"
    ).fetchall()
    return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def test_flagged_wijk_becomes_a_series_break(flagged_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "monitor.duckdb"
    build([CbsKwbFiles(flagged_dir)], db)
    found = changes(db)
    assert found[("WK036300", "changed", 2022, 2023)] == "CBS flag 3: boundary changed"
    assert found[("BU03630001", "changed", 2022, 2023)] == (
        "CBS flag 2: code changed, boundary unchanged"
    )
    # Unflagged: the same area, no break; the "flagged" transport kind is never stored.
    assert ("BU03630000", "same", 2022, 2023) in found
    assert not any(kind == "flagged" for _, kind, _, _ in found)
    assert ("WK036300", "same", 2022, 2023) not in found


def test_unflagged_dump_has_no_break(kwb_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "monitor.duckdb"
    build([CbsKwbFiles(kwb_dir)], db)
    assert not any(kind == "changed" for _, kind, _, _ in changes(db))


def test_regions_command_shows_the_break(flagged_dir: Path, tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "monitor.duckdb"
    code, _, err = cli(["build", "--from", str(flagged_dir), "--db", str(db)])
    assert code == 0, err
    code, out, err = cli(["regions", "WK036300", "--db", str(db)])
    assert code == 0, err
    assert "series break 2022-2023: CBS flag 3: boundary changed" in out
    assert out.count("series break") == 1  # once, not as a 'changed from' and 'into' pair
