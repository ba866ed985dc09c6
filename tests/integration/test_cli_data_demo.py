"""`wijkradar demo`: synthetic files built into a DEMO-labelled database, then status/regions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from cli_run import Cli

pytest.importorskip("wijkradar.sources.demo")


def test_demo_builds_a_labelled_database(tmp_path: Path, cli: Cli) -> None:
    db, files = tmp_path / "demo.duckdb", tmp_path / "demo"
    code, out, err = cli(["demo", "--db", str(db), "--dir", str(files)])
    assert code == 0, err
    assert "DEMO" in out and any(files.iterdir())
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT demo FROM build").fetchone() == (True,)
    merged = con.execute(
        "SELECT DISTINCT code_to FROM region_changes WHERE level = 'gemeente' AND kind = 'merged'"
    ).fetchall()
    assert len(merged) == 1  # the demo's one merger
    summed = con.execute(
        "SELECT count(*) FROM observations_harmonised WHERE method = 'summed' AND status = 'ok'"
        " AND region_code = ?",
        [merged[0][0]],
    ).fetchone()
    assert summed is not None and summed[0] > 0
    con.close()

    code, out, _ = cli(["status", "--db", str(db)])
    assert code == 0 and "DEMO" in out and "synthetic" in out
    code, out, _ = cli(["regions", merged[0][0], "--db", str(db)])
    assert code == 0 and "merged from" in out


def test_demo_gemeenten_lie_in_the_demo_province(tmp_path: Path, cli: Cli) -> None:
    db, files = tmp_path / "demo.duckdb", tmp_path / "demo"
    code, _, err = cli(["demo", "--db", str(db), "--dir", str(files)])
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    provinces = con.execute(
        "SELECT DISTINCT provincie_code, parent_code FROM regions WHERE level = 'gemeente'"
    ).fetchall()
    assert provinces == [("PV98", "PV98")]
    assert con.execute(
        "SELECT count(*) FROM regions WHERE level = 'buurt' AND provincie_code IS NULL"
    ).fetchone() == (0,)
    con.close()
    code, out, _ = cli(["regions", "GM9801", "--db", str(db)])
    assert code == 0 and "in: PV98 Demo-provincie" in out
    code, out, _ = cli(["regions", "PV98", "--db", str(db)])
    assert code == 0 and "Demo-provincie (provincie)" in out and "children in 2023: 3" in out
