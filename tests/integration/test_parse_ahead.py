"""pipeline.ahead: a build's second process parses sources from the back, and the build still
takes every source's results in the sources' order."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from parse_sources import Broken, Fatal, Labelled

from wijkradar.domain import InputError
from wijkradar.pipeline import BuildOptions, build
from wijkradar.pipeline.ahead import ParsedAhead, worth_a_worker
from wijkradar.sources.demo import demo_sources, generate

TWO_CORES = (os.cpu_count() or 1) >= 2


def _all(parsed: ParsedAhead, n: int) -> list[tuple[str, str]]:
    return [
        (r.provenance.table_id, r.provenance.title) for i in range(n) for r in parsed.results(i)
    ]


def test_results_come_in_the_sources_order_whoever_parsed_them() -> None:
    # The first source keeps the build busy long enough for the worker to take the last ones.
    sources = [Labelled("a", results=2, seconds=1.5), Labelled("b"), Labelled("c", results=3)]
    with ParsedAhead(sources, worker=True) as parsed:
        got = _all(parsed, len(sources))
    with ParsedAhead(sources, worker=False) as alone:
        expected = _all(alone, len(sources))
    assert [label for label, _ in got] == [label for label, _ in expected]
    assert [label for label, _ in got] == ["a-0", "a-1", "b-0", "c-0", "c-1", "c-2"]
    parsers = {title for label, title in got if label.startswith("c")}
    assert parsers != {f"pid {os.getpid()}"}, "the worker parsed nothing"
    assert all(title == f"pid {os.getpid()}" for label, title in got if label.startswith("a"))


def test_an_error_of_the_workers_source_is_raised_where_the_build_reaches_it(
    tmp_path: Path,
) -> None:
    sources = [Labelled("a", seconds=1.0), Broken(str(tmp_path / "lokaal.csv"))]
    seen = []
    with ParsedAhead(sources, worker=True) as parsed, pytest.raises(InputError) as caught:
        for i in range(len(sources)):
            seen.extend(r.provenance.table_id for r in parsed.results(i))
    assert seen == ["a-0", "broken-0"]
    assert caught.value.row == 7 and caught.value.column == "waarde"
    assert str(caught.value) == (
        f"{tmp_path / 'lokaal.csv'}, row 7, column 'waarde': not a number; expected a number"
    )


def test_a_source_the_worker_could_not_finish_is_parsed_by_the_build() -> None:
    sources = [Labelled("a", seconds=1.0), Fatal(os.getpid())]
    with ParsedAhead(sources, worker=True) as parsed:
        got = _all(parsed, len(sources))
    assert got == [("a-0", f"pid {os.getpid()}"), ("fatal-0", f"pid {os.getpid()}")]


def test_no_worker_for_one_source_or_sources_of_the_callers_script() -> None:
    assert not worth_a_worker([Labelled("a")])
    local = type("Local", (Labelled,), {"__module__": "__main__"})
    assert not worth_a_worker([Labelled("a"), local("b")])
    assert worth_a_worker([Labelled("a"), Labelled("b")]) == TWO_CORES


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
            "AND table_name <> 'build' AND column_name <> 'retrieved_at' ORDER BY column_index"
        ).fetchall():
            columns.setdefault(table, []).append(f'"{column}"')
        out = {}
        for table, names in columns.items():
            keep = ", ".join(names)
            out[table] = con.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.mark.skipif(not TWO_CORES, reason="the parse worker needs two cores")
def test_a_build_with_the_worker_equals_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = generate(tmp_path / "demo", scale="small")
    sources = list(demo_sources(files))
    assert worth_a_worker(sources)
    build(sources, tmp_path / "with.duckdb", options=BuildOptions(demo=True))
    # the package exports the function `build`; the module is reached through sys.modules
    monkeypatch.setattr(sys.modules["wijkradar.pipeline.build"], "worth_a_worker", lambda s: False)
    build(sources, tmp_path / "without.duckdb", options=BuildOptions(demo=True))
    with_worker, without = _rows(tmp_path / "with.duckdb"), _rows(tmp_path / "without.duckdb")
    assert with_worker.keys() == without.keys()
    for table, rows in without.items():
        assert with_worker[table] == rows, table


@pytest.mark.skipif(not TWO_CORES, reason="the parse worker needs two cores")
def test_a_script_without_a_main_guard_is_not_run_again_by_the_worker(tmp_path: Path) -> None:
    script = tmp_path / "bouw.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from wijkradar.pipeline import BuildOptions, build
            from wijkradar.sources.demo import demo_sources, generate

            print("script ran", flush=True)
            files = generate(Path({str(tmp_path)!r}) / "demo", scale="small")
            build(list(demo_sources(files)), Path({str(tmp_path)!r}) / "s.duckdb",
                  options=BuildOptions(demo=True))
            print("built", flush=True)
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["script ran", "built"]
