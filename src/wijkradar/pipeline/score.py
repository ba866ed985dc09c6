"""Build step: score every level and year. Load → Process → Save, per level and year.

Save runs on a background thread with its own DuckDB cursor while the next part is computed:
inserting the score rows (~20 million at national scale) costs as much as computing them, and
DuckDB and numpy both release the GIL. The queue is short, so at most a few parts (one reference
family of one level-year each) are held in memory.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from wijkradar.compute.changes import area_changes
from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_parts
from wijkradar.domain.methodology import Methodology
from wijkradar.domain.region import gemeente_of
from wijkradar.methodology import load
from wijkradar.sources.base import Progress, no_progress
from wijkradar.store import scores
from wijkradar.store.writer import BuildWriter

PENDING_PARTS = 2  # score tables waiting to be stored; bounds memory
# DuckDB's default limit is 80 % of RAM, so it keeps every block it read or wrote cached: at
# national scale that made the build ~120 MB larger at no gain in speed. Operators that need
# more spill to the database's temp directory.
SCORING_MEMORY_LIMIT = "256MB"


@contextlib.contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory_limit set to `limit` for the block, then back to what it was."""
    row = con.execute("SELECT current_setting('memory_limit')").fetchall()
    before = str(row[0][0])
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{before}'")


def run(
    writer: BuildWriter, progress: Progress = no_progress, methodology_dir: Path | None = None
) -> str | None:
    """Compute and store all scores from the observations and regions in `writer.con`.

    Returns the methodology version used, or None when there was nothing to score. The caller
    writes the build row with that version.
    """
    con = writer.con
    work = scores.levels_and_periods(con)
    if not work:
        return None
    methodology = load(root=methodology_dir)
    variables = sorted(
        {methodology.settings.population_variable}
        | {v for ind in methodology.indicators for d in ind.derivations for v in d.variables}
    )
    with _memory_limit(con, SCORING_MEMORY_LIMIT):
        return _run(con, work, methodology, variables, progress)


def _run(
    con: duckdb.DuckDBPyConnection,
    work: list[tuple[str, int]],
    methodology: Methodology,
    variables: list[str],
    progress: Progress,
) -> str:
    total = len(work)
    levels_done: list[str] = []
    with _Saver(con) as saver:
        for done, (level, period) in enumerate(work):
            progress(f"scores {level} {period}", done, total)
            # Load
            areas = scores.read_areas(con, level, period)
            observations = scores.read_observations(con, level, period, variables)
            codes = [str(c) for c in areas["code"].to_pylist()]
            data = LevelYear.from_long(
                level,
                period,
                codes,
                [
                    g or _gemeente_of(c)
                    for g, c in zip(areas["gemeente_code"].to_pylist(), codes, strict=True)
                ],
                areas["provincie_code"].to_pylist(),
                observations,
            )
            del observations
            # Process and Save, part by part
            for name, rows in score_parts(data, methodology):
                saver.put(name, rows)
            if level not in levels_done:
                levels_done.append(level)
    for level in levels_done:
        progress(f"changes {level}", total, total)
        changes: pa.Table = area_changes(
            scores.read_area_scores(con, level),
            scores.read_breaks(con, level),
            scores.read_links(con, level),
        )
        scores.write_table(con, "area_changes", changes)
    progress("scores", total, total)
    return methodology.version


class _Saver:
    """Writes score parts on one background thread; re-raises its error in the caller."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(PENDING_PARTS)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="wijkradar-score-save")

    def __enter__(self) -> _Saver:
        self._thread.start()
        return self

    def put(self, name: str, rows: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((name, rows))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    scores.write_table(self._cursor, *item)
                except BaseException as error:  # handed to the main thread
                    self._error = error

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error


def _gemeente_of(code: str) -> str | None:
    """CBS codes nest: WK036300 and BU03630000 lie in GM0363 (domain.region.gemeente_of)."""
    if code[:2] in ("WK", "BU") and len(code) >= 6:
        return gemeente_of(code)
    return None
