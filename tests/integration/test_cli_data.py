"""`wijkradar build / status / regions / demo` end to end, in process, on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from cli_run import Cli
from kwb_dump import TABLES

pytest.importorskip("wijkradar.sources.cbs_kwb")
from test_build_gebieden import write_gebieden


def test_build_status_regions_and_up_to_date(kwb_dir: Path, tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "monitor.duckdb"
    code, out, err = cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    assert code == 0, err
    assert "Built" in out and "observations" in out
    assert "85618NED" in out  # per-source counts
    code, out, _ = cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    assert code == 0 and "up to date" in out

    code, out, _ = cli(["status", "--db", str(db)])
    assert code == 0
    assert "CBS" in out and "CC BY 4.0" in out and "85318NED" in out
    assert "DEMO" not in out

    code, out, _ = cli(["regions", "GM0363", "--db", str(db)])
    assert code == 0
    assert "Amsterdam" in out and "merged from: GM0457 (2022)" in out
    assert "2022-2023" in out

    code, out, _ = cli(["regions", "Zeedijk", "--db", str(db)])
    assert code == 0 and "BU03630000" in out and "WK036300" in out


def test_database_from_environment(
    kwb_dir: Path,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("WIJKRADAR_DB", str(db))
    code, _, err = cli(["build", "--from", str(kwb_dir), "--years", "2023"])
    assert code == 0, err
    assert db.is_file()


def test_bad_value_names_file_and_row_and_keeps_database(
    kwb_dir: Path, tmp_path: Path, cli: Cli
) -> None:
    db = tmp_path / "monitor.duckdb"
    assert cli(["build", "--from", str(kwb_dir), "--db", str(db)])[0] == 0
    before = db.read_bytes()
    data = kwb_dir / TABLES[2023] / "UntypedDataSet.json"
    data.write_text(data.read_text().replace("918117", "91x117"), encoding="utf-8")
    code, _, err = cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    assert code == 2
    assert err.startswith("error: ") and "UntypedDataSet.json" in err and "row" in err
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kwb", "monitor.duckdb"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2017"], "year 2017 requested but no input holds it"),
        (["--years", "twenty"], "--years 'twenty'"),
        (["--levels", "straat"], "unknown level 'straat'"),
        (["--local", "only.csv"], "expected CSV=MAPPING"),
    ],
)
def test_bad_options_exit_2(
    args: list[str],
    message: str,
    kwb_dir: Path,
    tmp_path: Path,
    cli: Cli,
) -> None:
    db = tmp_path / "monitor.duckdb"
    code, _, err = cli(["build", "--from", str(kwb_dir), "--db", str(db), *args])
    assert code == 2 and message in err
    assert not db.exists()


def test_missing_directory_and_database(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "none.duckdb"
    code, _, err = cli(["build", "--from", str(tmp_path / "nope"), "--db", str(db)])
    assert code == 2 and "nope" in err
    code, _, err = cli(["status", "--db", str(db)])
    assert code == 2 and "no monitor database" in err
    code, _, err = cli(["regions", "GM0363", "--db", str(db)])
    assert code == 2


def test_unknown_region(kwb_dir: Path, tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "monitor.duckdb"
    cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    code, _, err = cli(["regions", "Atlantis", "--db", str(db)])
    assert code == 2 and "no region matches 'Atlantis'" in err


def test_offline_without_cache_fails_clearly(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "monitor.duckdb"
    args = [
        "build",
        "--offline",
        "--years",
        "2023",
        "--cache",
        str(tmp_path / "c"),
        "--db",
        str(db),
    ]
    code, _, err = cli(args)
    assert code == 2 and "--offline" in err
    assert not db.exists()


def test_from_picks_up_gebieden_dumps(kwb_dir: Path, tmp_path: Path, cli: Cli) -> None:
    """A "Gebieden in Nederland" dump beside the KWB tables gives the gemeenten their province;
    one for a year without KWB table (2024) is left out rather than emptying that year."""
    write_gebieden(kwb_dir / "gebieden-2023", year=2023)
    write_gebieden(kwb_dir / "gebieden-2024", year=2024)
    db = tmp_path / "monitor.duckdb"
    code, out, err = cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    assert code == 0, err
    assert "provincie" in out and "2024" not in out
    code, out, _ = cli(["regions", "GM0363", "--year", "2023", "--db", str(db)])
    assert code == 0 and "in: PV27 Noord-Holland" in out


def test_unknown_column_refused_unless_kept(tmp_path: Path, fixtures: Path, cli: Cli) -> None:
    """A CBS file with a column Wijkradar does not know: a clear refusal naming the column and
    the option; with --keep-unknown-columns the build goes through and keeps it."""
    source = (fixtures / "cbs" / "published" / "kwb2023.csv").read_text(encoding="utf-8")
    lines = source.splitlines()
    lines[0] += ",x_nieuw"
    lines[1:] = [line + ",7" for line in lines[1:]]
    folder = tmp_path / "kwb"
    folder.mkdir()
    (folder / "kwb2023.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"

    code, _, err = cli(["build", "--from", str(folder), "--db", str(db)])
    assert code == 2 and not db.exists()
    assert "x_nieuw" in err and "--keep-unknown-columns" in err and "kwb2023.csv" in err

    code, _, err = cli(["build", "--from", str(folder), "--db", str(db), "--keep-unknown-columns"])
    assert code == 0, err
    kept = (
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT count(*) FROM observations WHERE variable = 'x_nieuw' AND value = 7")
        .fetchone()
    )
    assert kept is not None and kept[0] == 4
