"""Benchmark: the "under the radar" classification of all wijken nationally with 1 M partner
signals, and the gemeente page (/werk/radar) p99.

    .venv/bin/python benchmarks/partners_radar.py [--signals 1000000] [--engine sqlite|postgresql]
        [--ops-db URL] [--runs 5] [--requests 200] [--json]

Setup (not timed as part of the figures): a small demo monitor built by `wijkradar demo` in a
temporary directory; an operational store (SQLite file by default, or --ops-db, e.g. the
PostgreSQL test server) with one partner organisation per gemeente and N signals over 24 months,
spread over 3,300 synthetic wijken in 350 gemeenten (about the national numbers) plus the 14
wijken of demo gemeente GM9805, each signal naming one or two characteristics.

Measured:
- national: `monthly_counts` over all signals (SQL aggregation per wijk, month and
  characteristic) + `radar.classify` of 3,314 wijken with per-characteristic trends; 5 runs.
- page: 200 sequential GET /werk/radar for GM9805 through the real app (TestClient, logged-in
  analyst) after 5 warm-up requests; p50, p95, p99 and max latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "ops"))

from wijkradar.methodology.triangulation import load as load_triangulation  # noqa: E402
from wijkradar.ops.core import clock, migrate  # noqa: E402
from wijkradar.ops.core.db import make_engine, session_factory  # noqa: E402
from wijkradar.ops.core.models import User  # noqa: E402
from wijkradar.ops.partners import area_signals, radar  # noqa: E402
from wijkradar.ops.partners.models import AreaSignal, AreaSignalTopic, PartnerOrg  # noqa: E402
from wijkradar.store.ops_context import WijkFigures  # noqa: E402

CHARS = (
    "flexible_employment", "vulnerable_sector", "financial_buffer", "disability", "health",
    "psychological", "low_education", "social_capital", "family_situation", "language_digital",
    "age", "low_trust",
)  # fmt: skip
TODAY = dt.datetime(2026, 11, 15, 12, 0)


def national_wijken(rng: random.Random) -> dict[str, WijkFigures]:
    out = {}
    for g in range(1, 351):
        for w in range(1, 11 if g <= 300 else 7):
            code = f"WK{g:04d}{w:02d}"
            stacking = min(12, int(rng.expovariate(0.6)))
            flags = tuple(rng.sample(CHARS, stacking))
            out[code] = WijkFigures(code, code, f"GM{g:04d}", stacking, flags, 2000.0)
    return out


def setup(url: str, monitor_wijken: list[str], n: int, rng: random.Random) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = session_factory(engine)
    wijken = list(national_wijken(random.Random(1))) + monitor_wijken
    with factory() as session, session.begin():
        orgs = {}
        for g in sorted({w[2:6] for w in wijken}):
            org = PartnerOrg(
                gemeente_code=f"GM{g}", name="Bench", kind="welzijn", active=True, created_at=TODAY
            )
            session.add(org)
            session.flush()
            orgs[g] = org.id
        analyst = User(
            username="bench-analist",
            password_hash=_hash(),
            role="analyst",
            gemeente_code="GM9805",
            active=True,
            created_at=TODAY,
        )
        session.add(analyst)
    months = [area_signals.months_back("2026-11", i) for i in range(24)]
    next_id = 1
    chunk = 20_000
    for start in range(0, n, chunk):
        signals, topics = [], []
        for i in range(start, min(n, start + chunk)):
            wijk = rng.choice(wijken)
            signals.append(
                {
                    "id": next_id,
                    "org_id": orgs[wijk[2:6]],
                    "gemeente_code": "GM" + wijk[2:6],
                    "wijk_code": wijk,
                    "buurt_code": None,
                    "month": rng.choice(months),
                    "direction": rng.choice(("meer", "gelijk", "minder")),
                    "band": "10-24",
                    "text": "",
                    "status": "ontvangen",
                    "source": "csv",
                    "username": "bench",
                    "created_at": TODAY,
                }
            )
            for c in rng.sample(CHARS, rng.choice((1, 2))):
                topics.append({"signal_id": next_id, "kind": "c", "topic": c})
            next_id += 1
            del i
        with factory() as session, session.begin():
            session.execute(insert(AreaSignal), signals)
            session.execute(insert(AreaSignalTopic), topics)
    if engine.dialect.name == "postgresql":
        with engine.begin() as con:
            con.exec_driver_sql(f"SELECT setval('area_signals_id_seq', {next_id})")
            con.exec_driver_sql("ANALYZE")
    engine.dispose()


def _hash() -> str:
    from web_support import _hash as cached

    return cached()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--ops-db", default=None)
    parser.add_argument(
        "--engine",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql: a database of its own on --pg-server, dropped afterwards",
    )
    parser.add_argument("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    clock.freeze(TODAY)
    tmp = Path(tempfile.mkdtemp(prefix="wr-bench-partners-"))
    monitor = tmp / "monitor.duckdb"
    env = {**os.environ, "WIJKRADAR_OPS_DB": f"sqlite:///{tmp}/demo-ops.sqlite"}
    subprocess.run(
        [sys.executable, "-c", "from wijkradar.cli import main; main()", "demo", "--db",
         str(monitor), "--dir", str(tmp / "demo")],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    from wijkradar.store.ops_context import wijk_figures

    demo_wijken = wijk_figures(monitor, "GM9805")
    pg_name = None
    if args.ops_db:
        url = args.ops_db
    elif args.engine == "postgresql":
        pg_name = f"wr_bench_{uuid.uuid4().hex[:10]}"
        _pg_admin(args.pg_server, f'CREATE DATABASE "{pg_name}"')
        url = args.pg_server.rsplit("/", 1)[0] + "/" + pg_name
    else:
        url = f"sqlite:///{tmp}/ops.sqlite"
    try:
        result = measure(args, url, monitor, demo_wijken)
    finally:
        if pg_name is not None:
            _pg_admin(args.pg_server, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


def _pg_admin(server: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(sql))
    admin.dispose()


def measure(
    args: argparse.Namespace, url: str, monitor: Path, demo_wijken: dict[str, WijkFigures]
) -> dict[str, object]:
    t0 = time.perf_counter()
    setup(url, sorted(demo_wijken), args.signals, random.Random(7))
    load_s = time.perf_counter() - t0

    config = load_triangulation()
    figures = national_wijken(random.Random(1)) | demo_wijken
    factory = session_factory(make_engine(url))
    runs, sql_runs = [], []
    load = os.getloadavg()[0]
    for _ in range(args.runs):
        t = time.perf_counter()
        with factory() as session:
            counts = area_signals.monthly_counts(session, None, *radar.span("2026-11", config))
        sql_runs.append(time.perf_counter() - t)
        rows = radar.classify(figures, counts, "2026-11", config, CHARS)
        runs.append(time.perf_counter() - t)
    classes = radar.summary(rows)

    from fastapi.testclient import TestClient
    from web_support import login

    from wijkradar.api.app import create_app
    from wijkradar.api.settings import Settings
    from wijkradar.ops.core.settings import OpsSettings

    client = TestClient(
        create_app(Settings(db=monitor), OpsSettings(db=url)),
        base_url="https://testserver",
        follow_redirects=False,
    )
    login(client, "bench-analist")
    for _ in range(5):
        assert client.get("/werk/radar").status_code == 200
    latencies = []
    for _ in range(args.requests):
        t = time.perf_counter()
        response = client.get("/werk/radar")
        latencies.append(time.perf_counter() - t)
        assert response.status_code == 200 and 'data-class="' in response.text
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    result = {
        "engine": make_engine(url).dialect.name,
        "signals": args.signals,
        "wijken": len(figures),
        "load_s": round(load_s, 1),
        "national_s": {"min": round(min(runs), 2), "median": round(statistics.median(runs), 2),
                       "max": round(max(runs), 2)},
        "national_sql_s_median": round(statistics.median(sql_runs), 2),
        "classes": classes,
        "page_ms": {"p50": round(pct(0.50), 1), "p95": round(pct(0.95), 1),
                    "p99": round(pct(0.99), 1), "max": round(latencies[-1] * 1000, 1)},
        "load_average_1m": [round(load, 1), round(os.getloadavg()[0], 1)],
    }  # fmt: skip
    return result


if __name__ == "__main__":
    main()
