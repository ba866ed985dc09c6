"""The /werk workspace over HTTP on both engines: login, cookies, CSRF, throttle, audit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ops_helpers import GM_A
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_support import PASSWORD, World, build_world, client, login

from wijkradar.ops.core.models import AuditEntry


@pytest.fixture()
def world(ops_factory: sessionmaker[Session], ops_url: str, tmp_path: Path) -> World:
    return build_world(ops_factory, ops_url, tmp_path)


def test_public_pages_stay_public_and_werk_needs_login(world: World) -> None:
    c = client(world)
    assert c.get("/werk/wachtrij").status_code == 303
    assert c.get("/werk/wachtrij").headers["location"].startswith("/werk/inloggen")
    assert c.get("/werk/inloggen").status_code == 200
    assert c.get("/methode").status_code != 303  # a public page: no login redirect


def test_session_cookie_is_secure_httponly_strict(world: World) -> None:
    c = client(world)
    form = c.get("/werk/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = c.post(
        "/werk/inloggen", data={"username": "coord-a", "password": PASSWORD, "csrf": token}
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "wr_session=" in cookie
    for flag in ("secure", "httponly", "samesite=strict", "path=/werk"):
        assert flag in cookie


def test_login_form_without_csrf_is_refused(world: World) -> None:
    c = client(world)
    c.get("/werk/inloggen")
    answer = c.post(
        "/werk/inloggen", data={"username": "coord-a", "password": PASSWORD, "csrf": "x"}
    )
    assert answer.status_code == 403


def test_every_form_needs_the_session_csrf(world: World) -> None:
    c = client(world)
    csrf = login(c, "coord-a")
    case = world.case[GM_A]
    data = {"kind": "telefoon", "part_of_day": "ochtend", "on": "2026-10-02", "reached": "ja"}
    assert c.post(f"/werk/zaken/{case}/contact", data=data).status_code == 403
    assert c.post(f"/werk/zaken/{case}/contact", data={**data, "csrf": "wrong"}).status_code == 403
    assert c.post(f"/werk/zaken/{case}/contact", data={**data, "csrf": csrf}).status_code == 303
    assert c.post("/werk/uitloggen", data={}).status_code == 403


def test_failed_logins_are_throttled(world: World) -> None:
    c = client(world)
    for _ in range(5):
        form = c.get("/werk/inloggen")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        wrong = c.post(
            "/werk/inloggen",
            data={"username": "worker-a", "password": "wrong password!", "csrf": token},
        )
        assert wrong.status_code == 401
    form = c.get("/werk/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    right = c.post(
        "/werk/inloggen", data={"username": "worker-a", "password": PASSWORD, "csrf": token}
    )
    assert right.status_code == 401  # locked for 15 minutes even with the right password


def test_views_and_changes_are_audited_and_coordinator_reads_own_log(world: World) -> None:
    worker = client(world)
    csrf = login(worker, "worker-a")
    case = world.case[GM_A]
    assert worker.get(f"/werk/zaken/{case}").status_code == 200
    data = {
        "kind": "huisbezoek",
        "part_of_day": "middag",
        "on": "2026-10-02",
        "reached": "ja",
        "csrf": csrf,
    }
    assert worker.post(f"/werk/zaken/{case}/contact", data=data).status_code == 303
    with world.factory() as session:
        entries = [
            (e.username, e.action, e.record_type, e.record_id)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.username == "worker-a"))
        ]
    assert ("worker-a", "view", "case", case) in entries
    assert ("worker-a", "change", "case", case) in entries
    coord = client(world)
    login(coord, "coord-a")
    log = coord.get("/werk/logboek")
    assert log.status_code == 200 and "worker-a" in log.text
    other = client(world)
    login(other, "coord-b")
    assert "worker-a" not in other.get("/werk/logboek").text


def test_person_pages_are_not_cached(world: World) -> None:
    c = client(world)
    login(c, "coord-a")
    answer = c.get("/werk/wachtrij")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "Testpersoon" not in answer.text  # the queue shows addresses, not names


def test_english_pages(world: World) -> None:
    c = client(world)
    login(c, "coord-a")
    answer = c.get("/werk/wachtrij?lang=en")
    assert "<h1>Work queue GM9801</h1>" in answer.text
    assert 'href="/werk/import?lang=en"' in answer.text
    assert "<h1>Werkvoorraad GM9801</h1>" in c.get("/werk/wachtrij").text


def test_server_purges_once_a_day(world: World) -> None:
    import datetime as dt
    import time

    from ops_helpers import csv, row, run_import
    from sqlalchemy import func

    from wijkradar.ops.core import clock
    from wijkradar.ops.core.models import Signal

    run_import(world.factory, csv(row("OLD", nr="19", amount="10,00", date="01-01-2026")))
    app_client = client(world)
    store = app_client.app.state.ops  # type: ignore[attr-defined]
    try:
        clock.freeze(dt.datetime(2026, 12, 1, 9))
        login(app_client, "analyst-a")  # the first signed-in request of the day starts it
        deadline = time.monotonic() + 30
        while store._purged_on != dt.date(2026, 12, 1):
            assert time.monotonic() < deadline, "no purge ran"
            time.sleep(0.1)
        with world.factory() as session:
            refs = set(session.scalars(select(Signal.reference)))
            assert "OLD" not in refs and refs  # below threshold, 11 months old: gone
            count = session.scalar(select(func.count()).select_from(Signal))
        run_import(world.factory, csv(row("OLD2", nr="18", amount="10,00", date="01-01-2026")))
        app_client.get("/werk/bereik")  # same day: no second purge
        time.sleep(0.3)
        with world.factory() as session:
            assert session.scalar(select(func.count()).select_from(Signal)) == count + 1
    finally:
        clock.freeze(None)
