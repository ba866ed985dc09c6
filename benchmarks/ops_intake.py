"""Workspace benchmarks: importing 100,000 signals (rows/s, peak memory; SQLite and PostgreSQL)
and the work-queue page's latency with 50,000 open cases (p50/p99).

    .venv/bin/python benchmarks/ops_intake.py import [--engine E] [--rows N] [--repeat K]
    .venv/bin/python benchmarks/ops_intake.py queue  [--engine E] [--cases N] [--requests K]

E is sqlite (default) or postgresql.

Each import run is a fresh store (migrated, postcode table loaded) in a fresh subprocess; the
import alone is timed; peak memory is that subprocess's ru_maxrss. PostgreSQL runs in a database
of its own on 127.0.0.1:5432, dropped afterwards. Figures are printed as min / median / max.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HEADER = "Klantnr;Naam;Geboren;Postcode;Huisnr;Toev;Bedrag;Sinds;Datum"
MAPPING = {
    "partner": "Bench",
    "kind": "huur",
    "gemeente": "GM9801",
    "date_format": "%d-%m-%Y",
    "columns": {
        "reference": "Klantnr",
        "name": "Naam",
        "birth_date": "Geboren",
        "postcode": "Postcode",
        "huisnummer": "Huisnr",
        "toevoeging": "Toev",
        "amount": "Bedrag",
        "arrears_start": "Sinds",
        "signal_date": "Datum",
    },
}
LETTERS = "ABCDEFGHJKLMNPRTUVWXZ"


def _address(i: int) -> tuple[str, int]:
    block, nr = divmod(i, 50)
    pc4, rest = divmod(block, 400)
    return f"{1000 + pc4}{LETTERS[rest // 20]}{LETTERS[rest % 20]}", nr + 1


def write_inputs(directory: Path, rows: int, addresses: int) -> None:
    rng = random.Random(1)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "postcodes.csv").open("w", encoding="utf-8") as out:
        out.write("postcode;huisnummer;buurt;wijk;gemeente\n")
        for i in range(addresses):
            pc, nr = _address(i)
            wijk = 1 + i * 8 // addresses
            out.write(f"{pc};{nr};BU9801{wijk:02d}01;WK9801{wijk:02d};GM9801\n")
    base = dt.date(2026, 10, 1)
    with (directory / "signals.csv").open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            pc, nr = _address(rng.randrange(addresses))
            day = base - dt.timedelta(days=rng.randrange(150))
            amount = f"{rng.uniform(20, 3000):.2f}".replace(".", ",")
            out.write(
                f"B{n:07d};Fictief Persoon {n};;{pc};{nr};;{amount};"
                f"{(day - dt.timedelta(days=60)):%d-%m-%Y};{day:%d-%m-%Y}\n"
            )
    (directory / "mapping.json").write_text(json.dumps(MAPPING), encoding="utf-8")


@contextmanager
def store(engine: str, tmp: Path) -> Iterator[str]:
    """A fresh, empty store URL on the engine; PostgreSQL's database is dropped afterwards."""
    if engine == "sqlite":
        path = tmp / f"ops-{uuid.uuid4().hex[:8]}.sqlite"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text

    name = f"wr_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as con:
            con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str, directory: Path) -> None:
    import csv

    from wijkradar.ops.core import migrate
    from wijkradar.ops.core.db import make_engine, session_factory
    from wijkradar.ops.core.postcodes import load_table

    engine = make_engine(url)
    migrate.upgrade(engine)
    with (directory / "postcodes.csv").open(encoding="utf-8") as handle:
        load_table(session_factory(engine), csv.reader(handle, delimiter=";"), "postcodes.csv")
    engine.dispose()


def child_import(url: str, directory: Path) -> None:
    """Runs in its own process: prepare (untimed), import (timed); prints JSON."""
    import resource

    from wijkradar.ops.arrears import intake
    from wijkradar.ops.arrears.mapping import parse
    from wijkradar.ops.core import clock
    from wijkradar.ops.core.db import make_engine, session_factory

    clock.freeze(dt.datetime(2026, 11, 1, 12))
    prepare(url, directory)
    factory = session_factory(make_engine(url))
    mapping = parse(json.loads((directory / "mapping.json").read_text()), "mapping")
    content = (directory / "signals.csv").read_bytes()
    start = time.perf_counter()
    result = intake.import_file(
        factory,
        content,
        "signals.csv",
        mapping,
        "bench",
        gemeente_scope=None,
        threshold=Decimal(50),
    )
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": result.rows,
                "added": result.added,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "cases": result.cases_touched,
            }
        )
    )


def _spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def run_import(engine: str, rows: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_inputs(directory, rows, rows // 2)
        runs = []
        for _ in range(repeat):
            with store(engine, directory) as url:
                done = subprocess.run(
                    [sys.executable, __file__, "_child", url, str(directory)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    rate = [r["rows"] / r["seconds"] for r in runs]
    print(
        f"import {rows} rows on {engine} ({runs[0]['added']} added, {runs[0]['cases']} cases), "
        f"{repeat} runs, min / median / max:"
    )
    print(f"  rows/s   {_spread(rate)}")
    print(f"  seconds  {_spread([r['seconds'] for r in runs])}")
    print(f"  peak MB  {_spread([r['peak_mb'] for r in runs])}")


def run_queue(engine: str, cases: int, requests: int) -> None:
    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from wijkradar.api.app import create_app
    from wijkradar.api.settings import Settings
    from wijkradar.ops.accounts import auth
    from wijkradar.ops.arrears import intake
    from wijkradar.ops.arrears.mapping import parse
    from wijkradar.ops.core import clock
    from wijkradar.ops.core.db import make_engine, session_factory
    from wijkradar.ops.core.models import Case
    from wijkradar.ops.core.settings import OpsSettings

    clock.freeze(dt.datetime(2026, 11, 1, 12))
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        # one signal per address: every address one open case
        write_inputs(directory, cases * 3, cases)
        with store(engine, directory) as url:
            prepare(url, directory)
            factory = session_factory(make_engine(url))
            mapping = parse(json.loads((directory / "mapping.json").read_text()), "mapping")
            intake.import_file(
                factory,
                (directory / "signals.csv").read_bytes(),
                "s.csv",
                mapping,
                "bench",
                gemeente_scope=None,
                threshold=Decimal(0),
            )
            with factory() as session, session.begin():
                open_cases = session.scalar(select(func.count()).select_from(Case))
                auth.add_user(session, "bench", "bench-password-1", "coordinator", "GM9801")
            app = create_app(
                Settings(db=directory / "absent.duckdb"), OpsSettings(db=url, secure_cookies=False)
            )
            client = TestClient(app, follow_redirects=False)
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/werk/inloggen").text)
            assert token
            client.post(
                "/werk/inloggen",
                data={"username": "bench", "password": "bench-password-1", "csrf": token.group(1)},
            )
            # warm-up: the day's first signed-in request starts the retention purge in the
            # background; measure once it is done (it runs once a day, not per request)
            client.get("/werk/wachtrij")
            while app.state.ops._purging:
                time.sleep(0.1)
            timings: dict[str, list[float]] = {"first page": [], "page 500": []}
            for _ in range(requests):
                for label, path in (
                    ("first page", "/werk/wachtrij"),
                    ("page 500", "/werk/wachtrij?pagina=500"),
                ):
                    start = time.perf_counter()
                    answer = client.get(path)
                    timings[label].append((time.perf_counter() - start) * 1000)
                    assert answer.status_code == 200, answer.text[:200]
            print(f"work queue on {engine}: {open_cases} open cases, {requests} requests each:")
            for label, values in timings.items():
                values.sort()
                p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
                print(
                    f"  {label}: p50 {statistics.median(values):.0f} ms, p99 {p99:.0f} ms, "
                    f"max {values[-1]:.0f} ms"
                )


def main() -> None:
    if sys.argv[1:2] == ["_child"]:
        child_import(sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["import", "queue"])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if args.what == "import":
        run_import(args.engine, args.rows, args.repeat)
    else:
        run_queue(args.engine, args.cases, args.requests)


if __name__ == "__main__":
    main()
