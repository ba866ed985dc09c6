"""Register pages and API over a real operational store (SQLite and PostgreSQL) and the demo
monitor: public reading, editor-only changes with CSRF, audited maatwerk views, escalation text
check, Big 5 disclosure, white spots; the docs' access rules hold."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.ops.accounts import auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import transaction
from wijkradar.ops.core.models import AuditEntry, User
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.registers import groups, initiatives, professional

PASSWORD = "correct horse battery"
USERS = {
    "editor": ("editor", "GM9801"),
    "coord": ("coordinator", "GM9801"),
    "analyst": ("analyst", "GM9802"),
}


@pytest.fixture()
def web(
    ops_factory: sessionmaker[Session], ops_url: str, demo_monitor: Path
) -> Iterator[TestClient]:
    hashed = auth.hash_password(PASSWORD)
    with transaction(ops_factory) as session:
        for name, (role, gemeente) in USERS.items():
            session.add(
                User(
                    username=name,
                    password_hash=hashed,
                    role=role,
                    gemeente_code=gemeente,
                    active=True,
                    created_at=dt.datetime(2026, 1, 1),
                )
            )
        groups.load_seed(session)
        editor = Principal("editor", "editor", "GM9801")
        initiatives.load_seed(session, editor)
        initiatives.load_seed(session, editor, "demo_initiatives.yml")
        professional.add_contact(session, editor, "UWV", "werk_inkomen", "maatwerkloket", "loket")
    app = create_app(Settings(db=demo_monitor), OpsSettings(db=ops_url, secure_cookies=True))
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def login(c: TestClient, username: str) -> str:
    form = c.get("/werk/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    answer = c.post(
        "/werk/inloggen", data={"username": username, "password": PASSWORD, "csrf": token.group(1)}
    )
    assert answer.status_code == 303, answer.text
    page = c.get("/werk/escalaties")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_public_search_filters_map_and_api(web: TestClient) -> None:
    page = web.get("/registers/initiatieven", params={"gemeente": "GM9801", "soort": "local"})
    assert page.status_code == 200
    assert "DEMO Geldcafé Brakelmonde" in page.text and "Jongerenpunt" not in page.text
    assert "<svg" in page.text  # the map of initiatives per gemeente
    data = web.get("/api/v1/initiatives", params={"group": "dakloos"}).json()
    assert data and all("dakloos" in d["groups"] for d in data)
    assert all(d["stale"] for d in data if d["source"].startswith("seed"))  # 2020 seeds
    one = web.get(f"/api/v1/initiatives/{data[0]['id']}").json()
    assert one["history"][0]["action"] == "import"
    assert web.get("/api/v1/initiatives", params={"gemeente": "Amsterdam"}).status_code == 422
    package = zipfile.ZipFile(io.BytesIO(web.get("/api/v1/initiatives/hsds.zip").content))
    assert "datapackage.json" in package.namelist() and "service.csv" in package.namelist()
    assert web.get("/registers/groepen?lang=en").status_code == 200
    assert len(web.get("/api/v1/groups").json()) == 12


def test_white_spots_page_and_api(web: TestClient) -> None:
    rows = web.get("/api/v1/white-spots/GM9801").json()
    assert rows and any(r["white_spots"] for r in rows)
    page = web.get("/registers/witte-vlekken/GM9801")
    assert page.status_code == 200 and "<svg" in page.text
    assert web.get("/registers/witte-vlekken/GM0000").status_code == 404
    national = web.get("/api/v1/white-spots").json()
    assert {"characteristic", "flagged_wijken", "covered_wijken"} <= set(national[0])


def test_only_editors_change_and_csrf_is_checked(
    web: TestClient, ops_factory: sessionmaker[Session]
) -> None:
    form = {
        "name": "DEMO Nieuw initiatief",
        "organisation": "DEMO Stichting",
        "kind": "local",
        "gemeenten": "GM9801",
        "characteristics": ["health"],
        "groups": ["lvb"],
    }
    csrf = login(web, "analyst")
    assert web.get("/werk/registers").status_code == 403
    assert web.post("/werk/registers/initiatieven", data={**form, "csrf": csrf}).status_code == 403
    web.cookies.clear()
    csrf = login(web, "editor")
    assert web.post("/werk/registers/initiatieven", data={**form, "csrf": "x"}).status_code == 403
    done = web.post("/werk/registers/initiatieven", data={**form, "csrf": csrf})
    assert done.status_code == 303
    service_id = done.headers["location"].rsplit("/", 1)[1]
    item = web.get(f"/api/v1/initiatives/{service_id}").json()
    assert item["groups"] == ["lvb"] and item["gemeenten"] == ["GM9801"]
    bad = web.post(
        "/werk/registers/initiatieven", data={**form, "gemeenten": "Amsterdam", "csrf": csrf}
    )
    assert bad.status_code == 422
    assert web.post(f"/werk/registers/initiatieven/{service_id}/intrekken", data={"csrf": csrf})
    assert web.get(f"/api/v1/initiatives/{service_id}").json()["status"] == "defunct"
    scored = web.post(
        "/werk/registers/groepen/lvb",
        data={"axis": "need", "score": "4", "reason": "GGD", "csrf": csrf},
    )
    assert scored.status_code == 303
    lvb = next(g for g in web.get("/api/v1/groups").json() if g["id"] == "lvb")
    assert lvb["scores"]["need"] == {
        "score": 4,
        "reason": "GGD",
        "by": "editor",
        "at": lvb["scores"]["need"]["at"],
    }


def test_maatwerk_needs_login_and_views_are_audited(
    web: TestClient, ops_factory: sessionmaker[Session]
) -> None:
    assert web.get("/werk/maatwerk").status_code == 303  # to the login page
    login(web, "coord")
    page = web.get("/werk/maatwerk", params={"domein": "werk_inkomen"})
    assert page.status_code == 200 and "maatwerkloket" in page.text
    with ops_factory() as session:
        views = session.scalar(
            select(func.count()).where(
                AuditEntry.record_type == "maatwerk",
                AuditEntry.action == "view",
                AuditEntry.username == "coord",
            )
        )
    assert views == 1


def test_escalation_with_personal_data_is_refused_without_echo(web: TestClient) -> None:
    csrf = login(web, "coord")
    form = {
        "opened_on": "2026-02-01",
        "domains": ["schulden"],
        "laws": "Participatiewet",
        "organisations": "UWV",
        "lesson": "Mevrouw woont Dorpsstraat 12, tel 06-12345678",
        "csrf": csrf,
    }
    refused = web.post("/werk/escalaties", data=form)
    assert refused.status_code == 422
    assert "Dorpsstraat" not in refused.text and "06-12345678" not in refused.text
    ok = web.post("/werk/escalaties", data={**form, "lesson": "Beslagvrije voet ontbrak"})
    assert ok.status_code == 303
    assert "Participatiewet" in web.get("/werk/escalaties").text
    web.cookies.clear()
    csrf = login(web, "analyst")
    assert web.post("/werk/escalaties", data={**form, "csrf": csrf}).status_code == 403


def test_big5_entry_and_disclosure(web: TestClient) -> None:
    csrf = login(web, "coord")
    form = {
        "quarter": "2026Q1",
        "turning_18": "40",
        "wonen": "30",
        "zorg": "35",
        "inkomen": "20",
        "school_werk": "28",
        "support": "39",
        "csrf": csrf,
    }
    assert web.post("/werk/big5", data=form).status_code == 303
    assert web.post("/werk/big5", data={**form, "wonen": "41"}).status_code == 422
    page = web.get("/werk/big5").text
    assert "75.0" in page  # 30 of 40 with housing in order
    assert "97.5" not in page  # 39 of 40: the one without would be revealed


def test_group_size_per_area_or_the_statement_that_none_exists(
    web: TestClient, demo_monitor: Path
) -> None:
    from wijkradar.store import queries
    from wijkradar.store.reader import open_read

    elderly = web.get("/api/v1/groups/eenzame_ouderen/size/GM9801").json()
    assert elderly["indicator"] == "ouderen"
    assert elderly["areas"][0]["code"] == "GM9801" and elderly["areas"][0]["level"] == "gemeente"
    con = open_read(demo_monitor)
    try:
        year = queries.latest_year(con)
        assert year is not None
        stored = {v["indicator"]: v["value"] for v in queries.indicator_values(con, "GM9801", year)}
    finally:
        con.close()
    assert elderly["areas"][0]["value"] == stored["ouderen"]
    assert len(elderly["areas"]) > 1  # the wijken follow
    homeless = web.get("/api/v1/groups/dakloos/size/GM9801").json()
    assert homeless["indicator"] is None and "nationally" in homeless["note"]
    assert {a["status"] for a in homeless["areas"]} == {"no_indicator"}
    assert web.get("/api/v1/groups/nope/size/GM9801").status_code == 404
    page = web.get("/registers/groepen", params={"gemeente": "GM9801"})
    assert page.status_code == 200 and 'id="size-eenzame_ouderen"' in page.text


def test_access_matrix_of_the_register_routes(
    web: TestClient, ops_factory: sessionmaker[Session]
) -> None:
    """Every role x every register route: only what docs/registers.md says is allowed."""
    hashed = auth.hash_password(PASSWORD)
    with transaction(ops_factory) as session:
        for name, role, gemeente in (
            ("outreach", "outreach", "GM9801"),
            ("admin", "admin", None),
        ):
            session.add(
                User(
                    username=name,
                    password_hash=hashed,
                    role=role,
                    gemeente_code=gemeente,
                    active=True,
                    created_at=dt.datetime(2026, 1, 1),
                )
            )
    with ops_factory() as session:
        some_id = initiatives.search(session)[0].id
    # route -> roles allowed (others: 403); GETs answer 200 when allowed
    matrix = {
        ("GET", "/werk/registers", None): {"editor", "admin"},
        ("POST", f"/werk/registers/initiatieven/{some_id}/controleren", None): {"editor", "admin"},
        ("POST", "/werk/registers/groepen/lvb", "score"): {"editor", "admin"},
        ("POST", "/werk/maatwerk", "contact"): {"editor", "admin"},
        ("GET", "/werk/maatwerk", None): {"editor", "coord", "analyst", "outreach", "admin"},
        ("POST", "/werk/escalaties", "escalation"): {"editor", "coord", "admin"},
        ("POST", "/werk/big5", "big5"): {"editor", "coord", "analyst"},
    }
    forms = {
        None: {},
        "score": {"axis": "need", "score": "3", "reason": "r"},
        "contact": {"organisation": "X", "domain": "wonen", "role": "r", "reach": "loket"},
        "escalation": {"opened_on": "2026-01-01", "domains": ["wonen"], "lesson": "regel knelt"},
        "big5": {
            "quarter": "2026Q1",
            "turning_18": "20",
            "wonen": "10",
            "zorg": "10",
            "inkomen": "10",
            "school_werk": "10",
            "support": "10",
        },
    }
    for user in ("editor", "coord", "analyst", "outreach", "admin"):
        web.cookies.clear()
        csrf = login(web, user)
        for (method, path, form), allowed in matrix.items():
            if method == "GET":
                status = web.get(path).status_code
                expected = 200 if user in allowed else 403
            else:
                status = web.post(path, data={**forms[form], "csrf": csrf}).status_code
                expected = 303 if user in allowed else 403
            assert status == expected, (user, method, path, status)
    # nobody logged in: every workspace route sends to the login page
    web.cookies.clear()
    for method, path, form in matrix:
        answer = web.get(path) if method == "GET" else web.post(path, data=forms[form])
        assert answer.status_code == 303 and "/werk/inloggen" in answer.headers["location"]
