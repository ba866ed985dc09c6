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
from wijkradar.compute.indicators import IndicatorMatrix, indicator_matrix
from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_parts
from wijkradar.compute.uncertainty import Spread, indicator_spread
from wijkradar.domain.analysis import AnalysisSettings
from wijkradar.domain.methodology import Methodology
from wijkradar.domain.region import gemeente_of
from wijkradar.methodology import load
from wijkradar.methodology.analysis import load_analysis
from wijkradar.pipeline import analysis as analysis_step
from wijkradar.pipeline.background import BackgroundWriter
from wijkradar.sources.base import Progress, no_progress
from wijkradar.store import analysis, scores
from wijkradar.store.writer import BuildWriter

PENDING_PARTS = 2  # score tables waiting to be stored; bounds memory
PENDING_SIMULATIONS = 3  # level-years (a family at a time) waiting to be simulated; bounds memory
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
    settings = load_analysis(methodology.version, methodology_dir)
    variables = sorted(
        {methodology.settings.population_variable}
        | {v for ind in methodology.indicators for d in ind.derivations for v in d.variables}
        | (analysis_step.extra_variables(methodology, settings) if settings else set())
    )
    with _memory_limit(con, SCORING_MEMORY_LIMIT):
        return _run(con, work, methodology, variables, progress, settings)


def _run(
    con: duckdb.DuckDBPyConnection,
    work: list[tuple[str, int]],
    methodology: Methodology,
    variables: list[str],
    progress: Progress,
    settings: AnalysisSettings | None = None,
) -> str:
    total = len(work)
    with _Simulator(con, methodology, settings) as simulator:
        _score_all(con, work, methodology, variables, progress, settings, simulator)
        # Changes and hotspots read what scoring stored; their own rows are stored on a
        # second thread while the next level (or year) is computed.
        with BackgroundWriter(con, _write_part, PENDING_PARTS, "wijkradar-after-save") as saver:
            for level in _levels(work):
                progress(f"changes {level}", total, total)
                changes: pa.Table = area_changes(
                    scores.read_area_scores(con, level),
                    scores.read_breaks(con, level),
                    scores.read_links(con, level),
                )
                saver.put("area_changes", changes)
            if settings is not None:
                neighbours = analysis_step.Neighbours(settings.neighbour_tolerance_m)
                for done, (level, period) in enumerate(work):
                    progress(f"hotspots {level} {period}", done, total)
                    rows = analysis_step.hotspot_rows(con, level, period, settings, neighbours)
                    if rows is not None:
                        saver.put("hotspots", rows)
        if settings is not None:
            progress("uncertainty", total, total)  # waits here for the last simulation
    progress("scores", total, total)
    return methodology.version


def _levels(work: list[tuple[str, int]]) -> list[str]:
    """The levels of `work` in the order they were scored."""
    return list(dict.fromkeys(level for level, _ in work))


def _score_all(
    con: duckdb.DuckDBPyConnection,
    work: list[tuple[str, int]],
    methodology: Methodology,
    variables: list[str],
    progress: Progress,
    settings: AnalysisSettings | None,
    simulator: _Simulator,
) -> None:
    """Score every level-year; hand each one's data to the simulator. Returns when every
    score part is stored (changes and hotspots read them)."""
    total = len(work)
    drawn = _drawn(work, settings)
    with BackgroundWriter(con, _write_part, PENDING_PARTS, "wijkradar-score-save") as saver:
        for done, (level, period) in enumerate(_scoring_order(work, drawn)):
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
            matrix = indicator_matrix(data, methodology)
            for name, rows in score_parts(data, methodology, matrix):
                saver.put(name, rows)
            if settings is not None:
                # The intervals are a formula: here. The draws go to the simulator, a family
                # at a time, so the scoring thread can take some over at the end.
                spread = indicator_spread(data, matrix, methodology, settings)
                saver.put("indicator_intervals", analysis_step.interval_rows(data, matrix, spread))
                if (level, period) in drawn:
                    for family in analysis_step.simulated_families(data, settings):
                        simulator.put(data, matrix, spread, family)
                if level == "gemeente":
                    saver.put("peer_groups", analysis_step.peer_rows(data, settings))


def _drawn(work: list[tuple[str, int]], settings: AnalysisSettings | None) -> set[tuple[str, int]]:
    """The level-years the uncertainty step simulates (uncertainty.yml periods)."""
    if settings is None:
        return set()
    if settings.periods == "all":
        return set(work)
    return {(level, max(p for lv, p in work if lv == level)) for level in _levels(work)}


def _scoring_order(
    work: list[tuple[str, int]], drawn: set[tuple[str, int]]
) -> list[tuple[str, int]]:
    """The simulated level-years first, the finest level (the most areas, the longest
    simulation) first of all, so the simulator thread starts its longest work while the other
    level-years are scored beside it; then the rest in `work`'s order. When every year is
    simulated the order is `work`'s own."""
    if drawn == set(work):
        return list(work)
    levels = _levels(work)
    first = sorted(drawn, key=lambda item: -levels.index(item[0]))
    return first + [item for item in work if item not in drawn]


def _write_part(cursor: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> None:
    if name in analysis.ANALYSIS_TABLES:
        analysis.write_table(cursor, name, rows)
    else:
        scores.write_table(cursor, name, rows)


class _Simulator:
    """Runs the simulation of each level-year and reference family on a second thread with
    its own cursor, while the main thread scores the other level-years and then computes
    changes and hotspots (none of which read the uncertainty tables). numpy sorts and DuckDB
    inserts release the GIL, so on two cores the simulation costs little wall time. Leaving
    the block, the main thread takes on what is still queued instead of waiting idle, then
    waits for the thread. An error of either is raised in the caller."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        methodology: Methodology,
        settings: AnalysisSettings | None,
    ) -> None:
        self._con, self._methodology, self._settings = con, methodology, settings
        families = len(settings.references) if settings is not None else 1
        self._queue: queue.Queue[_Work | None] = queue.Queue(PENDING_SIMULATIONS * families)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="wijkradar-uncertainty")

    def __enter__(self) -> _Simulator:
        if self._settings is not None:
            self._thread.start()
        return self

    def put(self, data: LevelYear, matrix: IndicatorMatrix, spread: Spread, family: str) -> None:
        """Simulate one family of `data` once the work before it is done."""
        if self._error is not None:
            raise self._error
        self._queue.put((data, matrix, spread, family))

    def _work(self) -> None:
        cursor = self._con.cursor()
        try:
            while (item := self._queue.get()) is not None:
                if self._error is None:  # after an error only drain, so put() never blocks
                    self._simulate(cursor, item)
        finally:
            cursor.close()

    def _simulate(self, cursor: duckdb.DuckDBPyConnection, item: _Work) -> None:
        assert self._settings is not None
        data, matrix, spread, family = item
        try:
            for name, rows in analysis_step.simulation_parts(
                data, self._methodology, self._settings, family, matrix, spread
            ):
                analysis.write_table(cursor, name, rows)
        except BaseException as error:  # handed to the caller
            self._error = error

    def _help(self) -> None:
        cursor = self._con.cursor()
        try:
            while self._error is None:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    return
                if item is not None:
                    self._simulate(cursor, item)
        finally:
            cursor.close()

    def __exit__(self, *exc: object) -> None:
        if self._settings is None:
            return
        if exc[0] is None:
            self._help()
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


# (level-year, its indicator matrix and the spread of its values, reference family)
_Work = tuple[LevelYear, IndicatorMatrix, Spread, str]


def _gemeente_of(code: str) -> str | None:
    """CBS codes nest: WK036300 and BU03630000 lie in GM0363 (domain.region.gemeente_of)."""
    if code[:2] in ("WK", "BU") and len(code) >= 6:
        return gemeente_of(code)
    return None
