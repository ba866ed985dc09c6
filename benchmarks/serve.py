"""Serve benchmark: `wijkradar serve` on loopback over a demo build, side by side in one run.

Builds the synthetic demo (`wijkradar demo --scale small|national`) into a temporary folder (or
uses --db), starts the server as a child process, then repeats --runs times (default 5) and
reports each figure's min / median / max over the runs:

- static file: throughput and p99 at --concurrency connections (default 16);
- area profile API, one area asked again and again (after the first answer the build's
  response cache serves it): throughput, p99, and throughput as a share of the static file's;
- area profile API, a different area and year for every request (wijken × score years,
  shuffled, each run its own slice, so every answer is computed: the read model's own cost):
  throughput, p99, share of static;
- revalidation (If-None-Match with the build's ETag): 304 answers per second;
- national wijk map page: p50 latency, one request at a time, computed (each run its own year,
  each request its own table page, so no answer was served before; the year's map parts are
  computed by the first request and kept per build) and repeated (the answer cache); and the
  latency of that first request of the year (the map computed from the database);
- national buurt map page: bytes transferred (gzip, as a browser asks) and decoded.

Load generator of the throughput figures: `wrk` (C, one thread, --concurrency connections,
--duration seconds a figure) when it is on PATH, else async httpx in this process (--requests a
figure), which on a small machine costs about as much CPU as the server and so understates
throughput and inflates p99. With --pin (default when there are two or more CPUs) the server
runs on the first CPU this process may use and the load generator on the last, so neither
takes the other's core. The map page figures are single sequential requests (httpx). The output
says which generator and pinning were used and the load average before and after.

Run: .venv/bin/python benchmarks/serve.py [--scale national] [--db PATH] [--runs 5]
     [--duration 5] [--requests 400] [--concurrency 16] [--generator auto|wrk|httpx]
     [--pin | --no-pin] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from wijkradar.api.app import WARM_PAGES

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]

#: wrk script: cycles through PATHS (one request each, in order), counts what it sent, and
#: prints one JSON line from done() (which runs in its own Lua state: it asks the thread).
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local requests_ = {}
local threads = {}
local i = 0
sent = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for name, value in pairs(headers) do wrk.headers[name] = value end
  for k, path in ipairs(paths) do requests_[k] = wrk.format("GET", path) end
end

function request()
  i = i %% #paths + 1
  sent = sent + 1
  return requests_[i]
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("sent") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"max_us": %%d, "status_errors": %%d, "socket_errors": %%d, "sent": %%d, "paths": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout, total, #paths))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


class Wrk:
    """Throughput and latency at `concurrency` connections for `duration` seconds, by wrk."""

    name = "wrk"

    def __init__(
        self, base: str, concurrency: int, duration: float, cpu: int | None, tmp: Path
    ) -> None:
        self.base, self.concurrency, self.duration = base, concurrency, duration
        self.cpu, self.tmp = cpu, tmp
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        self.version = (version.stdout or version.stderr).split("[")[0].strip()

    def describe(self) -> str:
        return f"{self.version}, -t1 -c{self.concurrency} -d{self.duration:g}s --latency"

    def __call__(
        self, paths: Sequence[str], headers: dict[str, str] | None = None
    ) -> dict[str, float]:
        script = self.tmp / "paths.lua"
        script.write_text(
            WRK_SCRIPT
            % {
                "paths": ", ".join(lua_string(p) for p in paths),
                "headers": ", ".join(
                    f"[{lua_string(k)}] = {lua_string(v)}" for k, v in (headers or {}).items()
                ),
            }
        )
        command = [
            "wrk",
            "-t1",
            f"-c{self.concurrency}",
            f"-d{self.duration:g}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            self.base,
        ]
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, preexec_fn=_pin_to(self.cpu)
        ).stdout
        line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
        if line is None:
            raise RuntimeError(f"wrk printed no result:\n{out}")
        got = json.loads(line.removeprefix("WRKJSON "))
        if got["status_errors"] or got["socket_errors"]:
            raise RuntimeError(f"wrk: {got['status_errors']} error answers, {got}")
        return {
            "rps": got["requests"] / (got["duration_us"] / 1e6),
            "p50_ms": got["p50_us"] / 1000,
            "p99_ms": got["p99_us"] / 1000,
            # Requests beyond the list asked for a path again (an answer then cached).
            "repeated": max(0, got["sent"] - got["paths"]),
        }


class Httpx:
    """The same figures from async httpx in this process: every path once."""

    name = "httpx"

    def __init__(self, base: str, concurrency: int, requests: int) -> None:
        self.base, self.concurrency, self.requests = base, concurrency, requests

    def describe(self) -> str:
        return (
            f"async httpx {httpx.__version__} in the benchmark process, "
            f"{self.requests} requests a figure, {self.concurrency} connections"
        )

    def __call__(
        self, paths: Sequence[str], headers: dict[str, str] | None = None
    ) -> dict[str, float]:
        if len(paths) == 1:
            paths = list(paths) * self.requests
        return asyncio.run(load(self.base, paths[: self.requests], self.concurrency, headers))


async def load(
    base: str, paths: Sequence[str], concurrency: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """GET every path once, at most `concurrency` connections."""
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
        "repeated": 0,
    }


def _pin_to(cpu: int | None) -> Callable[[], None] | None:
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def one_run(
    base: str,
    generator: Callable[..., dict[str, float]],
    area: str,
    distinct: list[str],
    year: int,
    args: argparse.Namespace,
) -> dict[str, float]:
    load_before = os.getloadavg()[0]
    static = generator(["/static/wijkradar.css"])
    same = generator([f"/api/v1/scores/{area}"])
    computed = generator(distinct)
    etag = httpx.get(f"{base}/api/v1/scores/{area}").headers["etag"]
    revalidate = generator([f"/api/v1/scores/{area}"], headers={"If-None-Match": etag})
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
        "profile API computed req/s": computed["rps"],
        "profile API computed p50 ms": computed["p50_ms"],
        "profile API computed p99 ms": computed["p99_ms"],
        "profile API computed / static": computed["rps"] / static["rps"],
        "profile API computed, repeated requests": computed["repeated"],
        "revalidation 304 req/s": revalidate["rps"],
        "revalidation 304 p99 ms": revalidate["p99_ms"],
        "national wijk map page p50 ms (computed)": wijk_map_fresh["p50_ms"],
        "national wijk map page ms (first of a year)": wijk_map_first["p50_ms"],
        "national wijk map page p50 ms (repeat)": wijk_map["p50_ms"],
        "national buurt map wire bytes": float(buurt_map.num_bytes_downloaded),
        "national buurt map decoded bytes": float(len(buurt_map.content)),
        "load average (1 min) before": load_before,
        "load average (1 min) after": os.getloadavg()[0],
    }


def computed_paths(base: str, years: Sequence[int], skip: str) -> list[str]:
    """Every wijk of every score year once (an answer no request asked before), shuffled with a
    fixed seed so that each run's slice mixes years and consecutive requests differ in area."""
    paths = []
    for year in years:
        rows = httpx.get(f"{base}/api/v1/rankings?level=wijk&year={year}", timeout=60).json()
        paths += [f"/api/v1/scores/{r['code']}?year={year}" for r in rows["rows"]]
    paths = [p for p in paths if not p.startswith(f"/api/v1/scores/{skip}?")]
    random.Random(7).shuffle(paths)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5, help="seconds a figure (wrk)")
    parser.add_argument("--requests", type=int, default=400, help="requests a figure (httpx)")
    parser.add_argument("--map-requests", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--generator", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="server on one CPU, load generator on another (default: when there are two)",
    )
    parser.add_argument("--db", type=Path, help="use an existing build instead of the demo")
    parser.add_argument("--scale", choices=("small", "national"), default="national")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    use_wrk = args.generator == "wrk" or (args.generator == "auto" and shutil.which("wrk"))
    cpus = sorted(os.sched_getaffinity(0))
    pin = len(cpus) >= 2 if args.pin is None else args.pin
    server_cpu, client_cpu = (cpus[0], cpus[-1]) if pin and len(cpus) >= 2 else (None, None)
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
            [*CLI, "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            preexec_fn=_pin_to(server_cpu),
        )
        base = f"http://127.0.0.1:{port}"
        generator: Wrk | Httpx
        if use_wrk:
            generator = Wrk(base, args.concurrency, args.duration, client_cpu, Path(tmp))
        else:
            generator = Httpx(base, args.concurrency, args.requests)
            if client_cpu is not None:
                os.sched_setaffinity(0, {client_cpu})
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
            area = rows[0]["code"]
            trend = httpx.get(f"{base}/api/v1/scores/{area}", timeout=60).json()["trend"]
            years = sorted({p["year"] for p in trend}, reverse=True)
            distinct = computed_paths(base, years, area)
            per_run = len(distinct) // args.runs
            # One untimed pass: the first seconds after start-up (and after the large ranking
            # answers above) are slower for every figure, whichever comes first.
            generator(["/static/wijkradar.css"])
            runs = []
            for i in range(args.runs):
                mine = distinct[i * per_run : (i + 1) * per_run]
                runs.append(one_run(base, generator, area, mine, years[i % len(years)], args))
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
    setup: dict[str, Any] = {
        "generator": generator.describe(),
        "pinned": (
            f"server on CPU {server_cpu}, load generator on CPU {client_cpu}"
            if server_cpu is not None
            else "no (server and load generator share the CPUs)"
        ),
        # wrk asks for as many as it gets through in --duration (beyond: "repeated requests")
        "computed profile paths a run": per_run if use_wrk else min(per_run, args.requests),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps({"setup": setup, "runs": runs, "summary": summary}, indent=2))
        return
    for key, value in setup.items():
        print(f"{key}: {value}")
    print(f"{args.runs} runs")
    print(f"{'figure':44} {'min':>12} {'median':>12} {'max':>12}")
    for name, s in summary.items():
        print(f"{name:44} {s['min']:12.2f} {s['median']:12.2f} {s['max']:12.2f}")


if __name__ == "__main__":
    main()
