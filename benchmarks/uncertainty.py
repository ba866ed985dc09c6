"""Time the uncertainty step (simulation of flags and stacking) against scoring, per level.

    .venv/bin/python benchmarks/uncertainty.py --db MONITOR.duckdb --methodology DIR
        [--draws N] [--year Y]

Reads one year of every level from a built monitor database (as pipeline/score.py does), then
times compute.scoring.score_parts and pipeline.analysis.uncertainty_parts on the same inputs, in
this process, and prints seconds per level, the ratio uncertainty / scoring and the peak memory
(ru_maxrss). The methodology folder must hold a version with an uncertainty.yml.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
from pathlib import Path

from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_parts
from wijkradar.methodology import load
from wijkradar.methodology.analysis import load_analysis
from wijkradar.pipeline import analysis
from wijkradar.store import scores
from wijkradar.store.reader import open_read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--methodology", type=Path, required=True)
    parser.add_argument("--draws", type=int, default=None)
    parser.add_argument("--year", type=int, default=None)
    args = parser.parse_args()
    methodology = load(root=args.methodology)
    settings = load_analysis(methodology.version, args.methodology)
    if settings is None:
        raise SystemExit(f"{methodology.version} has no uncertainty.yml")
    if args.draws:
        settings = dataclasses.replace(settings, draws=args.draws)
    variables = sorted(
        {methodology.settings.population_variable}
        | {v for ind in methodology.indicators for d in ind.derivations for v in d.variables}
        | analysis.extra_variables(methodology, settings)
    )
    con = open_read(args.db)
    work = scores.levels_and_periods(con)
    year = args.year or max(p for _, p in work)
    print(f"methodology {methodology.version}, {settings.draws} draws, year {year}")
    for level, period in work:
        if period != year or level in ("land", "provincie"):
            continue
        areas = scores.read_areas(con, level, period)
        data = LevelYear.from_long(
            level,
            period,
            [str(c) for c in areas["code"].to_pylist()],
            areas["gemeente_code"].to_pylist(),
            areas["provincie_code"].to_pylist(),
            scores.read_observations(con, level, period, variables),
        )
        t0 = time.perf_counter()
        n_score = sum(rows.num_rows for _, rows in score_parts(data, methodology))
        t1 = time.perf_counter()
        n_unc = sum(
            rows.num_rows for _, rows in analysis.uncertainty_parts(data, methodology, settings)
        )
        t2 = time.perf_counter()
        print(
            f"{level:9s} {data.n:6d} areas: score {t1 - t0:6.2f} s ({n_score:,} rows), "
            f"uncertainty {t2 - t1:6.2f} s ({n_unc:,} rows), ratio {(t2 - t1) / (t1 - t0):.1f}"
        )
    con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
