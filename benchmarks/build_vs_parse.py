"""How much does a full build cost on top of parsing the inputs?

Inputs: the real CBS data in ../shared/data when present, else the synthetic demo at "national"
scale written to a temporary directory. Two measurements, each in a fresh subprocess so that
neither warms the other's caches or shares its memory high-water mark:

- parse: every source's read(), materialising each result (the observation tables are built),
  one after another in one process, with the garbage collector paused as the build pauses it;
- build: wijkradar.pipeline.build into a new DuckDB file (parse + checks, regions, changes,
  harmonisation, scoring when installed, atomic publish).

Reported: wall time of each, the ratio build / parse (target <= 3), peak resident memory
(ru_maxrss) of each subprocess and of the build's parse worker (pipeline.ahead: a build parses
sources from the back in a second process), the input size on disk and the number of
observations.

    .venv/bin/python benchmarks/build_vs_parse.py [--data DIR | --demo] [--scale national|small]
        [--runs 5] [--json]

(--demo: the demo generator even where ../shared/data holds real files; issue 7's figures are
taken on the national demo.)

With --runs N (default 5) parse and build alternate N times (parse, build, parse, build, ...),
so a drift in the shared machine's speed touches both; reported are min / median / max of each
figure and of the ratio taken run by run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
TARGET_RATIO = 3.0


def make_sources(kind: str, path: str) -> list[object]:
    """The sources a measurement reads: CBS KWB files, or every demo source."""
    if kind == "cbs":
        from wijkradar.sources.cbs_kwb import CbsKwbFiles

        return [CbsKwbFiles(Path(path))]
    from wijkradar.sources.demo import DemoFiles, demo_sources

    fields = json.loads(Path(path).read_text(encoding="utf-8"))
    # Every DemoFiles field but years and scale is a path (the generator adds folders over time).
    for key, value in fields.items():
        if key not in ("years", "scale"):
            fields[key] = Path(value)
    fields["years"] = tuple(fields["years"])
    files = DemoFiles(**fields)
    return list(demo_sources(files))


def child(mode: str, kind: str, path: str, out: str) -> None:
    """Runs inside the subprocess: one measurement, printed as JSON."""
    from wijkradar.pipeline.build import collector_paused

    started = time.perf_counter()
    sources = make_sources(kind, path)
    n = 0
    if mode == "parse":
        # Like for like: the build pauses Python's garbage collector too.
        with collector_paused():
            for source in sources:
                for result in source.read():  # type: ignore[attr-defined]
                    n += result.observations.num_rows
    else:
        from wijkradar.pipeline import BuildOptions, build

        report = build(sources, Path(out), options=BuildOptions(force=True))  # type: ignore[arg-type]
        n = report.n_observations
    seconds = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The build's parse worker (pipeline.ahead), when it had one.
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "peak_mb": peak_mb, "worker_mb": worker_mb, "observations": n}
        )
    )


def measure(mode: str, kind: str, path: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, kind, str(path), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="CBS KWB directory (default ../shared/data)")
    parser.add_argument("--scale", default="national", help="demo scale without real data")
    parser.add_argument(
        "--demo", action="store_true", help="the demo generator even when ../shared/data exists"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--runs", type=int, default=5, help="alternating parse/build pairs")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    with tempfile.TemporaryDirectory(prefix="wijkradar-bench-") as tmp:
        work = Path(tmp)
        data = None if args.demo else args.data or (SHARED_DATA if SHARED_DATA.is_dir() else None)
        if data is not None and any(data.iterdir()):
            kind, path, inputs, label = "cbs", data, data, f"CBS data in {data}"
        else:
            from wijkradar.sources.demo import generate

            files = generate(work / "demo", scale=args.scale)
            description = {k: str(v) if isinstance(v, Path) else v for k, v in vars(files).items()}
            path = work / "demo-files.json"
            path.write_text(json.dumps(description), encoding="utf-8")
            kind, inputs, label = "demo", work / "demo", f"demo generator, scale {args.scale}"
        pairs = []
        for _ in range(max(1, args.runs)):
            parse = measure("parse", kind, path, work / "unused.duckdb")
            full = measure("build", kind, path, work / "bench.duckdb")
            pairs.append((parse, full))
        database_mb = round((work / "bench.duckdb").stat().st_size / 1e6, 1)
        input_mb = round(size_mb(inputs), 1)

    def spread(values: list[float]) -> dict[str, float]:
        return {
            "min": round(min(values), 2),
            "median": round(statistics.median(values), 2),
            "max": round(max(values), 2),
        }

    ratios = [f["seconds"] / p["seconds"] for p, f in pairs]
    result = {
        "inputs": label,
        "input_mb": input_mb,
        "observations": int(pairs[0][1]["observations"]),
        "runs": len(pairs),
        "parse_seconds": spread([p["seconds"] for p, _ in pairs]),
        "build_seconds": spread([f["seconds"] for _, f in pairs]),
        "ratio": spread(ratios),
        "target_ratio": TARGET_RATIO,
        "parse_peak_mb": spread([p["peak_mb"] for p, _ in pairs]),
        "build_peak_mb": spread([f["peak_mb"] for _, f in pairs]),
        "build_worker_peak_mb": spread([f["worker_mb"] for _, f in pairs]),
        "database_mb": database_mb,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return

    def line(figure: dict[str, float]) -> str:
        return f"min {figure['min']}, median {figure['median']}, max {figure['max']}"

    print(f"inputs:       {result['inputs']} ({result['input_mb']} MB), {len(pairs)} runs")
    print(f"observations: {result['observations']:,}")
    print(f"parse s:      {line(result['parse_seconds'])}")
    print(f"build s:      {line(result['build_seconds'])}")
    print(f"parse MB:     {line(result['parse_peak_mb'])}")
    print(f"build MB:     {line(result['build_peak_mb'])}")
    print(f"worker MB:    {line(result['build_worker_peak_mb'])} (the build's parse worker)")
    median = statistics.median(ratios)
    verdict = "ok" if median <= TARGET_RATIO else "over target"
    print(f"build/parse:  {line(result['ratio'])} (target median <= {TARGET_RATIO}x: {verdict})")
    print(f"database:     {result['database_mb']} MB")


if __name__ == "__main__":
    main()
