"""Serve benchmark: `wijkradar serve` on loopback over a demo build, side by side in one run.

Builds the synthetic demo (`wijkradar demo --scale small|national`) into a temporary folder (or
uses --db), starts the server as a child process, then repeats --runs times (default 5) and
reports each figure's min / median / max over the runs:

- static file: throughput and p99 at --concurrency connections (default 16);
- area profile API, one area asked again and again (after the first answer the build's
  response cache serves it): throughput, p99, and throughput as a share of the static file's;
- area profile API, a different wijk for every request (each run its own areas, so every
  answer is computed: the read model's own cost): throughput, p99, share of static;
- revalidation (If-None-Match with the build's ETag): 304 answers per second;
- national wijk map page: p50 latency, one request at a time, computed (each run its own year,
  each request its own table page, so no answer was served before; the year's map parts are
  computed by the first request and kept per build) and repeated (the answer cache); and the
  latency of that first request of the year (the map computed from the database);
- national buurt map page: bytes transferred (gzip, as a browser asks) and decoded.

Run: .venv/bin/python benchmarks/serve.py [--scale national] [--db PATH] [--runs 5]
     [--requests 400] [--concurrency 16] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from wijkradar.api.app import WARM_PAGES

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def load(
    base: str, paths: Sequence[str], concurrency: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """GET every path once (cycling through `paths`), at most `concurrency` connections."""
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                path = queue.get_nowait()
                start = time.perf_counter()
                response = await client.get(path, headers=headers)
                if response.status_code not in (200, 304):
                    raise RuntimeError(f"{path}: {response.status_code}")
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def one_run(base: str, wijken: list[str], year: int, args: argparse.Namespace) -> dict[str, float]:
    n, c = args.requests, args.concurrency
    static = asyncio.run(load(base, ["/static/wijkradar.css"] * n, c))
    area = wijken[0]
    same = asyncio.run(load(base, [f"/api/v1/scores/{area}"] * n, c))
    distinct = asyncio.run(load(base, [f"/api/v1/scores/{w}" for w in wijken[1:]], c))
    etag = httpx.get(f"{base}/api/v1/scores/{area}").headers["etag"]
    revalidate = asyncio.run(
        load(base, [f"/api/v1/scores/{area}"] * n, c, headers={"If-None-Match": etag})
    )
    wijk_map = asyncio.run(load(base, ["/kaart/NL01?niveau=wijk"] * args.map_requests, 1))
    # computed: each run its own year, each request its own table page (none cached before)
    fresh = [
        f"/kaart/NL01?niveau=wijk&year={year}&pagina={p}" for p in range(1, args.map_requests + 1)
    ]
    # The first asks for the year's map (areas, labels, SVG) to be computed; the others are
    # other table pages of it, whose map the server keeps per build (api/routers/pages.py).
    wijk_map_first = asyncio.run(load(base, fresh[:1], 1))
    wijk_map_fresh = asyncio.run(load(base, fresh[1:] or fresh, 1))
    with httpx.Client(timeout=120) as client:
        buurt_map = client.get(f"{base}/kaart/NL01?niveau=buurt")
        buurt_map.raise_for_status()
    return {
        "static req/s": static["rps"],
        "static p99 ms": static["p99_ms"],
        "profile API same area req/s": same["rps"],
        "profile API same area p99 ms": same["p99_ms"],
        "profile API same area / static": same["rps"] / static["rps"],
        "profile API distinct areas req/s": distinct["rps"],
        "profile API distinct areas p99 ms": distinct["p99_ms"],
        "profile API distinct areas / static": distinct["rps"] / static["rps"],
        "revalidation 304 req/s": revalidate["rps"],
        "national wijk map page p50 ms (computed)": wijk_map_fresh["p50_ms"],
        "national wijk map page ms (first of a year)": wijk_map_first["p50_ms"],
        "national wijk map page p50 ms (repeat)": wijk_map["p50_ms"],
        "national buurt map wire bytes": float(buurt_map.num_bytes_downloaded),
        "national buurt map decoded bytes": float(len(buurt_map.content)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--map-requests", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--db", type=Path, help="use an existing build instead of the demo")
    parser.add_argument("--scale", choices=("small", "national"), default="national")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "monitor.duckdb"
            subprocess.run(
                [*CLI, "demo", "--scale", args.scale, "--db", str(db), "--dir", f"{tmp}/demo"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        server = subprocess.Popen(
            [*CLI, "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/api/v1/build", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            # serve warms the build's caches on a thread when it opens the build; let it finish
            # (these answers come from it, or wait for the same work) so that no run competes
            # with it. The default year's map is then warm: one run's "first of a year" is a hit.
            for path in WARM_PAGES:
                httpx.get(base + path, timeout=120).raise_for_status()
            time.sleep(1)
            rows = httpx.get(base + "/api/v1/rankings?level=wijk", timeout=60).json()["rows"]
            codes = [r["code"] for r in rows]
            per_run = max(1, min(args.requests, (len(codes) - 1) // args.runs))
            trend = httpx.get(f"{base}/api/v1/scores/{codes[0]}", timeout=60).json()["trend"]
            years = sorted({p["year"] for p in trend}, reverse=True)
            runs = []
            for i in range(args.runs):
                wijken = [codes[0], *codes[1 + i * per_run : 1 + (i + 1) * per_run]]
                runs.append(one_run(base, wijken, years[i % len(years)], args))
        finally:
            server.terminate()
            server.wait(timeout=10)
    summary = {
        name: {
            "min": min(r[name] for r in runs),
            "median": statistics.median(r[name] for r in runs),
            "max": max(r[name] for r in runs),
        }
        for name in runs[0]
    }
    if args.json:
        print(json.dumps({"runs": runs, "summary": summary}, indent=2))
        return
    print(
        f"{args.runs} runs, {args.requests} requests a figure at {args.concurrency} connections "
        f"({per_run} distinct wijken a run)"
    )
    print(f"{'figure':38} {'min':>12} {'median':>12} {'max':>12}")
    for name, s in summary.items():
        print(f"{name:38} {s['min']:12.2f} {s['median']:12.2f} {s['max']:12.2f}")


if __name__ == "__main__":
    main()
