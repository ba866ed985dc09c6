"""Serve benchmark: `wijkradar serve` on loopback over a demo build, loaded from this process.

Builds the synthetic demo (`wijkradar demo --scale small|national`) into a temporary folder (or
uses --db), starts the server as a child process, then fires a fixed number of requests per
endpoint with a bounded async httpx client (fixed concurrency, overall time limit) and reports
throughput, p99 latency, the ratio to the same server serving a static file, and the bytes of
one response: as sent (gzip, httpx asks for it) and decoded.

Run: .venv/bin/python benchmarks/serve.py [--scale national] [--requests 200] [--concurrency 8]
     [--time-limit 60] [--db var/monitor.duckdb]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def load(url: str, n: int, concurrency: int, limit: float) -> dict[str, float]:
    """n GETs of url, at most `concurrency` in flight; stops at the time limit."""
    latencies: list[float] = []
    sizes: list[tuple[int, int]] = []
    gate = asyncio.Semaphore(concurrency)
    deadline = time.perf_counter() + limit
    async with httpx.AsyncClient(timeout=30) as client:

        async def one() -> None:
            async with gate:
                if time.perf_counter() > deadline:
                    return
                start = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append(time.perf_counter() - start)
                sizes.append((response.num_bytes_downloaded, len(response.content)))

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0.0
    return {
        "done": len(latencies),
        "rps": len(latencies) / elapsed,
        "p99_ms": p99 * 1000,
        "wire": sizes[0][0] if sizes else 0,
        "bytes": sizes[0][1] if sizes else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--db", type=Path, help="use an existing build instead of the demo")
    parser.add_argument("--scale", choices=("small", "national"), default="small")
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
            for _ in range(200):
                try:
                    httpx.get(base + "/api/v1/build", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            wijk = httpx.get(base + "/api/v1/rankings?level=wijk&limit=1").json()["rows"][0]["code"]
            gemeente = httpx.get(base + f"/api/v1/regions/{wijk}").json()["gemeente_code"]
            targets = {
                "static file": "/static/wijkradar.css",
                "area profile (API)": f"/api/v1/scores/{wijk}",
                "area profile (page)": f"/gebied/{wijk}",
                "national gemeente map page": "/",
                f"wijk map page ({gemeente})": f"/kaart/{gemeente}",
                "national wijk map page": "/kaart/NL01?niveau=wijk",
                "national buurt map page": "/kaart/NL01?niveau=buurt",
                "wijk ranking (API)": "/api/v1/rankings?level=wijk",
                "national wijk GeoJSON export": "/api/v1/exports/wijk.geojson",
            }
            results = {
                name: asyncio.run(
                    load(base + path, args.requests, args.concurrency, args.time_limit)
                )
                for name, path in targets.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
    static_rps = results["static file"]["rps"] or 1.0
    print(
        f"{'endpoint':34} {'done':>5} {'req/s':>8} {'p99 ms':>8} {'vs static':>9} "
        f"{'wire B':>9} {'bytes':>10}"
    )
    for name, r in results.items():
        print(
            f"{name:34} {r['done']:5.0f} {r['rps']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['rps'] / static_rps:9.2f} {r['wire']:9.0f} {r['bytes']:10.0f}"
        )


if __name__ == "__main__":
    main()
