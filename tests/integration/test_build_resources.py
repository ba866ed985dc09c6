"""Bounded resources and builds that die: a 200 MB CSV is refused within 1 GB of memory; a build
killed outright leaves nothing the next build does not clean up; two builds of one database
cannot run at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_run import Cli

from wijkradar.store.writer import lock_path_for, open_build, remove_stale, temp_path_for

MAPPING = """publisher: test
title: test
licence: CC BY 4.0
region_column: code
period: 2023
columns:
  aantal: {variable: eigen_aantal, unit: aantal, title: Aantal}
"""


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run a command; (exit code, stderr, peak resident memory in MB of that process)."""
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    assert process.stderr is not None
    err = process.stderr.read().decode()
    process.stderr.close()
    return os.waitstatus_to_exitcode(status), err, usage.ru_maxrss // 1024


def test_a_200_mb_csv_is_refused_within_1_gb(kwb_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "groot.csv"
    block = "".join(f"BU0363{n % 10000:04d};{n % 997}\n" for n in range(50_000)).encode()
    with big.open("wb") as handle:
        handle.write(b"code;aantal\n")
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(block)
    (tmp_path / "groot.yml").write_text(MAPPING, encoding="utf-8")
    db = tmp_path / "monitor.duckdb"
    wijkradar = Path(sys.executable).with_name("wijkradar")
    local = f"{big}={tmp_path / 'groot.yml'}"
    args = [str(wijkradar), "build", "--from", str(kwb_dir), "--local", local, "--db", str(db)]
    code, err, peak_mb = _run_measured(args, tmp_path)
    assert code == 2, err
    assert "groot.csv: file too large" in err and "expected at most 64 MB" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert peak_mb < 1024
    assert not db.exists()


def test_a_killed_build_leaves_nothing_that_lasts(kwb_dir: Path, tmp_path: Path, cli: Cli) -> None:
    """A build that dies by SIGKILL half way (no cleanup code runs) leaves a temporary database
    named with its pid; the next build sees that pid is gone and removes it."""
    db = tmp_path / "monitor.duckdb"
    assert cli(["build", "--from", str(kwb_dir), "--db", str(db)])[0] == 0
    before = db.read_bytes()
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from wijkradar.store.writer import open_build
        with open_build(Path({str(db)!r})) as writer:
            writer.con.execute("CREATE TABLE half AS SELECT range AS x FROM range(100000)")
            writer.con.execute("CHECKPOINT")
            print(writer.temp_path, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    leftover = Path(killed.stdout.strip())
    assert leftover.is_file() and ".monitor.duckdb.building-" in leftover.name
    assert db.read_bytes() == before  # the published database never saw the dead build

    code, _, err = cli(["build", "--from", str(kwb_dir), "--db", str(db), "--force"])
    assert code == 0, err
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kwb", "monitor.duckdb"]


def test_stale_files_of_live_builds_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "monitor.duckdb"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as alive:
        try:
            live = temp_path_for(db, alive.pid)
            live.write_bytes(b"x")
            dead_pid = _dead_pid()
            dead = temp_path_for(db, dead_pid)
            dead.write_bytes(b"x")
            dead_wal = dead.with_name(dead.name + ".wal")
            dead_wal.write_bytes(b"x")
            assert sorted(remove_stale(db)) == sorted([dead, dead_wal])
            assert live.exists()
        finally:
            alive.kill()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_two_builds_of_one_database_cannot_run_at_once(
    kwb_dir: Path, tmp_path: Path, cli: Cli
) -> None:
    db = tmp_path / "monitor.duckdb"
    assert cli(["build", "--from", str(kwb_dir), "--db", str(db)])[0] == 0
    before = db.read_bytes()
    with open_build(db):
        assert lock_path_for(db).read_text() == str(os.getpid())
        code, out, err = cli(["build", "--from", str(kwb_dir), "--db", str(db), "--force"])
        assert code == 2
        line = err.strip()
        assert "\n" not in line and "Traceback" not in out + err
        assert f"another build (pid {os.getpid()}) is writing this database" in line
        assert db.read_bytes() == before
    # the lock goes with the build that held it; the next build runs
    assert not lock_path_for(db).exists()
    assert cli(["build", "--from", str(kwb_dir), "--db", str(db), "--force"])[0] == 0


@pytest.mark.parametrize("holder", ["crashed", "finished"])
def test_a_lock_file_left_behind_does_not_block(
    kwb_dir: Path, tmp_path: Path, cli: Cli, holder: str
) -> None:
    """Only a live holder blocks: the kernel drops a dead process's flock."""
    db = tmp_path / "monitor.duckdb"
    lock_path_for(db).write_text("999999999" if holder == "crashed" else "")
    code, _, err = cli(["build", "--from", str(kwb_dir), "--db", str(db)])
    assert code == 0, err
    assert not lock_path_for(db).exists()
