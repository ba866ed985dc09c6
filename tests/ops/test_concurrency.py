"""Under load: 200 concurrent imports and case updates on PostgreSQL lose and double nothing;
a killed import leaves nothing half-written (both engines)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ops_fixtures import reset_postgres
from ops_helpers import COORD_A, csv, mapping, row, run_import, seed_postcodes
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.arrears import cases
from wijkradar.ops.core import migrate
from wijkradar.ops.core.db import make_engine, session_factory
from wijkradar.ops.core.models import Case, ContactAttempt, ImportRun, Signal
from wijkradar.ops.core.sqlutil import retrying

PARTNERS = [mapping(f"Partner {k}", k) for k in ("huur", "energie", "water")]


def test_200_concurrent_imports_and_updates_on_postgresql(pg_server_url: str) -> None:
    reset_postgres(pg_server_url)
    engine = make_engine(pg_server_url, pool_size=20, max_overflow=20)
    migrate.upgrade(engine)
    factory = session_factory(engine)
    seed_postcodes(factory)
    # 20 cases to update while imports run
    run_import(factory, csv(*(row(f"U{n}", pc="1000 AB", nr=str(n)) for n in range(1, 21))))
    with factory() as session:
        case_ids = session.scalars(select(Case.id)).all()
    rng = random.Random(9)
    universe = [
        (p, f"S{p}{n}", str(1 + n % 20), f"{1 + n % 28:02d}-10-2026")
        for p in range(3)
        for n in range(120)
    ]
    jobs: list[tuple[str, object]] = []
    for _ in range(100):
        p = rng.randrange(3)
        picks = rng.sample([u for u in universe if u[0] == p], 25)
        jobs.append(("import", (p, picks)))
    for n in range(100):
        jobs.append(("update", case_ids[n % len(case_ids)]))
    rng.shuffle(jobs)

    def work(job: tuple[str, object]) -> int:
        kind, payload = job
        if kind == "import":
            p, picks = payload  # type: ignore[misc]
            content = csv(
                *(row(ref, nr=nr, date=date, name="Fictief") for _, ref, nr, date in picks)
            )
            return run_import(factory, content, PARTNERS[p]).added

        def update() -> int:
            with factory() as session, session.begin():
                cases.record_attempt(
                    session, COORD_A, payload, "brief", False, dt.date(2026, 10, 30), "ochtend"
                )  # type: ignore[arg-type]
            return 0

        return retrying(update)

    with ThreadPoolExecutor(max_workers=200) as pool:
        added = list(pool.map(work, jobs))
    imported = {
        (p, ref, date)
        for kind, payload in jobs
        if kind == "import"
        for p, ref, _, date in payload[1]
    }  # type: ignore[index]
    with factory() as session:
        signals = session.scalar(
            select(func.count()).select_from(Signal).where(Signal.reference.like("S%"))
        )
        runs = session.scalars(select(ImportRun.rows_added)).all()
        attempts = session.scalar(select(func.count()).select_from(ContactAttempt))
        open_per_household = session.execute(
            select(Case.household_id, func.count())
            .where(Case.state != "afgesloten")
            .group_by(Case.household_id)
        ).all()
        orphans = session.scalar(
            select(func.count())
            .select_from(Signal)
            .where(
                Signal.case_id.is_(None),
                Signal.review_reason.is_(None),
                Signal.status == "nog_niet_opgepakt",
            )
        )
    assert signals == len(imported)  # nothing lost, nothing doubled
    assert sum(added) == len(imported) == sum(runs) - 20
    assert attempts == 100
    assert all(n == 1 for _, n in open_per_household)
    assert orphans == 0
    engine.dispose()


KILL_SCRIPT = """
import sys
from decimal import Decimal
from pathlib import Path
from wijkradar.ops.arrears import intake, mapping
from wijkradar.ops.core.db import make_engine, session_factory
factory = session_factory(make_engine(sys.argv[1]))
m = mapping.load(Path(sys.argv[2]))
data = Path(sys.argv[3]).read_bytes()
intake.import_file(
    factory, data, "big.csv", m, "killed", gemeente_scope=None, threshold=Decimal(50)
)
print("finished")
"""


def _in_transaction(url: str, wal: Path) -> bool:
    if url.startswith("sqlite"):
        return wal.exists() and wal.stat().st_size > 200_000
    engine = create_engine(url)
    with engine.connect() as con:
        busy = con.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
                "AND xact_start < now() - interval '300 milliseconds'"
            )
        ).scalar_one()
    engine.dispose()
    return bool(busy)


def test_killed_import_leaves_nothing(
    ops_url: str, ops_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    seed_postcodes(ops_factory)
    mapping_file = tmp_path / "m.yml"
    mapping_file.write_text(
        "partner: Groot\nkind: huur\ngemeente: GM9801\ndate_format: '%d-%m-%Y'\n"
        "columns: {reference: Klantnr, name: Naam, birth_date: Geboren, postcode: Postcode, "
        "huisnummer: Huisnr, toevoeging: Toev, amount: Bedrag, arrears_start: Sinds, "
        "signal_date: Datum}\n",
        encoding="utf-8",
    )
    big = tmp_path / "big.csv"
    big.write_bytes(csv(*(row(f"K{n}", nr=str(1 + n % 20), toev=str(n)) for n in range(60_000))))
    wal = Path(ops_url.removeprefix("sqlite:///") + "-wal")
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, ops_url, str(mapping_file), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    deadline = time.monotonic() + 120
    while not _in_transaction(ops_url, wal):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "import never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(Signal)) == 0
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0
    # and the store is usable again at once
    assert run_import(ops_factory, csv(row("after"))).added == 1


@pytest.fixture(autouse=True)
def _no_frozen_clock() -> None:
    from wijkradar.ops.core import clock

    clock.freeze(None)
