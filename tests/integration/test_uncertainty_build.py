"""A real DuckDB build of the demo data with the newest methodology's uncertainty.yml: the
uncertainty, hotspot and peer tables are filled, reproducibly, and read back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from cli_run import Cli

from wijkradar.methodology import default_root
from wijkradar.pipeline import BuildOptions, build
from wijkradar.sources.demo import demo_sources, generate
from wijkradar.store import analysis

ANALYSIS_TABLES = analysis.ANALYSIS_TABLES


def latest(alias: str) -> str:
    """SQL: the row lies in the latest year of its level."""
    newest = f"(SELECT max(l.period) FROM area_scores l WHERE l.level = {alias}.level)"
    return f"{alias}.period = {newest}"


def methodology_with_uncertainty(tmp: Path) -> Path:
    """A copy of the repository's methodology (tests may edit the copy)."""
    root = tmp / "methodology"
    shutil.copytree(default_root(), root)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("uncertainty")
    root = methodology_with_uncertainty(tmp)
    files = generate(tmp / "demo", scale="small")
    db = tmp / "monitor.duckdb"
    build(demo_sources(files), db, options=BuildOptions(demo=True, methodology_dir=root))
    return db, root, tmp


def test_every_analysis_table_has_rows(built: tuple[Path, Path, Path]) -> None:
    db, _, _ = built
    with duckdb.connect(str(db), read_only=True) as con:
        for table in ANALYSIS_TABLES:
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row and row[0] > 0, table
        # Every flag of the latest year of its level has its certainty, and they agree.
        row = con.execute(
            """SELECT count(*), count(*) FILTER (f.flagged <> c.flagged)
               FROM characteristic_scores c JOIN flag_certainty f
               USING (reference, region_code, level, period, characteristic)"""
        ).fetchone()
        # The national and the gemeente references are simulated, not the provinces; 2026.4
        # simulates the latest year of each level only (uncertainty.yml periods: latest).
        scored = con.execute(
            f"SELECT count(*) FROM characteristic_scores c WHERE flagged IS NOT NULL "
            f"AND (reference = 'NL01' OR reference LIKE 'GM%') AND {latest('c')}"
        ).fetchone()
        provinces = con.execute(
            "SELECT count(*) FROM flag_certainty WHERE reference LIKE 'PV%'"
        ).fetchone()
        assert provinces == (0,)
        assert row and scored and row[0] == scored[0] and row[1] == 0
        # Stacking agrees with area_scores and lies in its own interval.
        row = con.execute(
            """SELECT count(*) FILTER (s.stacking <> a.stacking
                   OR s.stacking_lower > s.stacking_upper
                   OR s.p_stacking_ge[1] <> 1.0)
               FROM stacking_uncertainty s JOIN (SELECT DISTINCT reference, region_code, level,
                   period, stacking FROM area_scores WHERE stacking IS NOT NULL) a
               USING (reference, region_code, level, period)"""
        ).fetchone()
        assert row and row[0] == 0
        # Exactly the areas with a score have a stacking interval.
        row = con.execute(
            f"""SELECT (SELECT count(*) FROM stacking_uncertainty),
                      (SELECT count(DISTINCT (reference, region_code, level, period))
                       FROM area_scores a WHERE status = 'ok'
                       AND (reference = 'NL01' OR reference LIKE 'GM%') AND {latest("a")})"""
        ).fetchone()
        assert row and row[0] == row[1]
        # Earlier years: no simulation, but every year keeps its indicator intervals.
        years = con.execute(
            """SELECT level, count(DISTINCT period) FILTER (period IN
                   (SELECT period FROM flag_certainty f WHERE f.level = i.level)),
                   count(DISTINCT period)
               FROM indicator_intervals i GROUP BY level ORDER BY level"""
        ).fetchall()
        assert years and all(simulated == 1 and every > 1 for _, simulated, every in years)
        models = {
            r[0] for r in con.execute("SELECT DISTINCT model FROM indicator_intervals").fetchall()
        }
        assert "binomial" in models
        bad = con.execute("SELECT count(*) FROM indicator_intervals WHERE lower > upper").fetchone()
        assert bad and bad[0] == 0


def test_a_rebuild_gives_the_same_probabilities(built: tuple[Path, Path, Path]) -> None:
    db, root, tmp = built
    again = tmp / "again.duckdb"
    files = generate(tmp / "demo", scale="small")
    build(demo_sources(files), again, options=BuildOptions(demo=True, methodology_dir=root))
    query = "SELECT * FROM flag_certainty ORDER BY ALL"
    with (
        duckdb.connect(str(db), read_only=True) as a,
        duckdb.connect(str(again), read_only=True) as b,
    ):
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_readers_return_the_stored_rows(built: tuple[Path, Path, Path]) -> None:
    db, _, _ = built
    with duckdb.connect(str(db), read_only=True) as con:
        code, period = con.execute(
            "SELECT region_code, period FROM stacking_uncertainty WHERE reference = 'NL01' "
            "ORDER BY stacking DESC, region_code LIMIT 1"
        ).fetchall()[0]
        certainty = analysis.flag_certainty(con, code, period, "NL01")
        assert certainty and {v["certainty"] for v in certainty.values()} <= {
            "certain",
            "likely",
            "uncertain",
        }
        stack = analysis.stacking_uncertainty(con, code, period, "NL01")
        assert stack is not None and len(stack["p_stacking_ge"]) == 13
        gm = con.execute("SELECT gemeente_code FROM peer_groups LIMIT 1").fetchall()[0][0]
        assert analysis.peers(con, gm, period)


def test_a_methodology_without_uncertainty_yml_builds_no_analysis(tmp_path: Path) -> None:
    root = tmp_path / "methodology"
    shutil.copytree(default_root(), root)
    for version in ("2026.3", "2026.4"):  # the versions with an uncertainty.yml
        shutil.rmtree(root / version)
    files = generate(tmp_path / "demo", scale="small")
    db = tmp_path / "plain.duckdb"
    build(demo_sources(files), db, options=BuildOptions(demo=True, methodology_dir=root))
    with duckdb.connect(str(db), read_only=True) as con:
        for table in ANALYSIS_TABLES:
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row and row[0] == 0, table


def test_cli_compare_hotspots_and_show(
    built: tuple[Path, Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, root, tmp = built
    monkeypatch.setenv("WIJKRADAR_METHODOLOGY", str(root))
    with duckdb.connect(str(db), read_only=True) as con:
        top = con.execute(
            "SELECT region_code FROM stacking_uncertainty WHERE level = 'wijk' "
            "AND reference = 'NL01' ORDER BY stacking DESC, region_code LIMIT 2"
        ).fetchall()
    area_set = tmp / "set.yml"
    area_set.write_text(f"name: Focus\nlevel: wijk\nareas: [{top[0][0]}, {top[1][0]}]\n")
    code, out, err = cli(["compare", "--areas", str(area_set), "--db", str(db), "--lang", "en"])
    assert code == 0, err
    assert "overall_index" in out and "Regression to the mean" in out
    code, out, err = cli(["hotspots", "--level", "buurt", "--db", str(db), "--lang", "en"])
    assert code == 0, err
    assert "hot spot" in out and "fdr_bh" in out
    code, out, err = cli(["show", top[0][0], "--db", str(db), "--lang", "en"])
    assert code == 0, err
    assert "Flag certainty" in out and "simulations" in out
    code, _, err = cli(["compare", "--areas", str(tmp / "absent.yml"), "--db", str(db)])
    assert code == 2 and "not found" in err


def test_an_error_of_the_simulation_thread_fails_the_build(
    built: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The uncertainty step runs on a thread of its own (pipeline/score.py _Simulator): its
    error must reach the build, which then publishes nothing."""
    from wijkradar.pipeline import analysis as analysis_step

    _, root, tmp = built

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulation broke")

    monkeypatch.setattr(analysis_step, "simulation_parts", broken)
    files = generate(tmp / "demo-broken", scale="small")
    db = tmp / "broken.duckdb"
    with pytest.raises(RuntimeError, match="simulation broke"):
        build(demo_sources(files), db, options=BuildOptions(demo=True, methodology_dir=root))
    assert not db.exists()
