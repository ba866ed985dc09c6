"""Build step: score every level and year. Load → Process → Save, per level and year."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from wijkradar.compute.changes import area_changes
from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_level_year
from wijkradar.methodology import load
from wijkradar.sources.base import Progress, no_progress
from wijkradar.store import scores
from wijkradar.store.writer import BuildWriter


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
    total = len(work)
    levels_done: list[str] = []
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
        # Process
        tables = score_level_year(data, methodology)
        # Save
        scores.write_table(con, "indicator_values", tables.indicator_values)
        scores.write_table(con, "indicator_ranks", tables.indicator_ranks)
        scores.write_table(con, "characteristic_scores", tables.characteristic_scores)
        scores.write_table(con, "theme_scores", tables.theme_scores)
        scores.write_table(con, "area_scores", tables.area_scores)
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


def _gemeente_of(code: str) -> str | None:
    """CBS codes nest: WK036300 and BU03630000 lie in GM0363."""
    if code[:2] in ("WK", "BU") and len(code) >= 6:
        return "GM" + code[2:6]
    return None
