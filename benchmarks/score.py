"""Time the scoring step on national-scale synthetic data and compare it with parse time.

    .venv/bin/python benchmarks/score.py [--scale national] [--dir /tmp/wijkradar-bench]

Generates the demo at the given scale (wijkradar.sources.demo.generate), builds it through the
real pipeline, and splits the build's wall time by its progress messages into "load + process"
(parsing the OData dumps, regions, harmonisation) and "score" (pipeline/score.py). Prints both,
their ratio, and the number of score rows written.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from wijkradar.pipeline import BuildOptions, build
from wijkradar.sources.demo import demo_sources, generate
from wijkradar.store.reader import open_read
from wijkradar.store.scores import SCORE_TABLES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="wijkradar-bench-"))

    t0 = time.perf_counter()
    files = generate(work / "demo", scale=args.scale)
    t_generated = time.perf_counter()

    marks: dict[str, float] = {}

    def progress(description: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if description.startswith(("scores", "changes")):
            marks.setdefault("score_start", now)
            marks["score_end"] = now
        elif "score_start" not in marks:
            marks["parse_end"] = now

    started = time.perf_counter()
    report = build(
        demo_sources(files),
        work / "monitor.duckdb",
        options=BuildOptions(demo=True, force=True),
        progress=progress,
    )
    finished = time.perf_counter()
    parse = marks.get("score_start", finished) - started
    score = marks.get("score_end", finished) - marks.get("score_start", finished)
    con = open_read(work / "monitor.duckdb")
    counts = {}
    for table in SCORE_TABLES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = 0 if row is None else int(row[0])
    areas = con.execute(
        "SELECT level, count(DISTINCT region_code) FROM area_scores GROUP BY level ORDER BY 1"
    ).fetchall()
    con.close()
    print(
        f"scale {args.scale}: generate {t_generated - t0:.1f} s, observations "
        f"{report.n_observations:,}"
    )
    print("areas scored per level:", dict(areas))
    print(
        f"load + process (parse) {parse:.1f} s; score {score:.1f} s; "
        f"ratio score/parse {score / parse if parse else float('nan'):.2f}; "
        f"whole build {finished - started:.1f} s"
    )
    for table, n in counts.items():
        print(f"  {table}: {n:,} rows")


if __name__ == "__main__":
    main()
