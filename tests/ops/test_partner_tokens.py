"""API tokens of partner organisations on SQLite and PostgreSQL: listed without the token,
revoked from the CLI and from the partner's workspace page, refused (401) from the next request
on, and every revocation in the audit log."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_support import login

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.domain import WijkradarError
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import AuditEntry
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.partners import area_signals as sig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from cli_run import Cli, runner

GM = "GM9801"
PASSWORD = "correct horse battery"
BODY = {
    "wijk": "WK980101",
    "maand": "2026-10",
    "kenmerken": ["health"],
    "groepen": [],
    "richting": "gelijk",
    "huishoudens": "1-9",
}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(dt.datetime(2026, 11, 15, 12, 0))
    yield None
    clock.freeze(None)


def _two_orgs(factory: sessionmaker[Session]) -> tuple[str, str, str]:
    """Two tokens of 'Huisarts' (with a member p-1) and one of 'School' (member p-2)."""
    with factory() as session, session.begin():
        one = sig.add_org(session, GM, "Huisarts", "huisarts", ["WK980101"])
        two = sig.add_org(session, GM, "School", "school", ["WK980101"])
        sig.add_member(session, "p-1", PASSWORD, one)
        sig.add_member(session, "p-2", PASSWORD, two)
        a = sig.issue_token(session, one, "praktijksysteem")
        clock.freeze(dt.datetime(2026, 11, 15, 12, 5))
        b = sig.issue_token(session, one, "reserve")
        c = sig.issue_token(session, two, "leerlingvolgsysteem")
    return a, b, c


def _org(session: Session, name: str) -> sig.PartnerOrg:
    return sig.find_org(session, GM, name)


def test_list_revoke_and_audit(ops_factory: sessionmaker[Session]) -> None:
    a, b, _ = _two_orgs(ops_factory)
    with ops_factory() as session, session.begin():
        assert sig.org_for_token(session, a) is not None
    with ops_factory() as session:
        listed = sig.tokens(session, _org(session, "Huisarts"))
    assert [t.label for t in listed] == ["reserve", "praktijksysteem"]  # newest first
    assert all(t.active and len(t.id) == sig.TOKEN_ID_DIGITS for t in listed)
    assert listed[1].last_used_at == dt.datetime(2026, 11, 15, 12, 5)
    assert listed[0].last_used_at is None
    assert a not in repr(listed) and b not in repr(listed)
    with ops_factory() as session:
        other = sig.tokens(session, _org(session, "School"))[0].id
    # a token of another organisation is not found through this one
    with ops_factory() as session, session.begin(), pytest.raises(WijkradarError, match="no token"):
        sig.revoke_token(session, _org(session, "Huisarts"), other, "coord")
    with ops_factory() as session, session.begin():
        done = sig.revoke_token(session, _org(session, "Huisarts"), listed[1].id, "coord")
    assert done.revoked_at == dt.datetime(2026, 11, 15, 12, 5) and done.revoked_by == "coord"
    with ops_factory() as session, session.begin():
        assert sig.org_for_token(session, a) is None  # refused at once
        assert sig.org_for_token(session, b) is not None  # the other one still works
        with pytest.raises(WijkradarError, match="revoked already"):
            sig.revoke_token(session, _org(session, "Huisarts"), listed[1].id, "coord")
        with pytest.raises(WijkradarError, match="expected the 7-character id"):
            sig.revoke_token(session, _org(session, "Huisarts"), "xyz", "coord")
    with ops_factory() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "partner_token")
        ).all()
        assert [(e.username, e.action, e.record_id) for e in entries] == [
            ("coord", "change", int(listed[1].id, 16))
        ]
        state = {t.label: t.active for t in sig.tokens(session, _org(session, "Huisarts"))}
        assert state == {"reserve": True, "praktijksysteem": False}


def test_cli_issue_list_revoke(
    ops_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli: Cli = runner(capsys, monkeypatch)
    assert cli(["ops", "migrate", "--ops-db", ops_url])[0] == 0
    base = ["--gemeente", GM, "--ops-db", ops_url]
    assert cli(["partners", "add", "Huisarts", "--kind", "huisarts", *base])[0] == 0
    code, out, _ = cli(["partners", "token", "issue", "Huisarts", "--label", "epd", *base])
    token = out.strip()
    assert code == 0 and token.startswith("wrp_")
    code, out, _ = cli(["partners", "token", "list", "Huisarts", *base])
    token_id, label, _created, used, state = out.strip().split("\t")
    assert (code, label, used, state) == (0, "epd", "-", "active")
    code, out, _ = cli(["partners", "token", "revoke", token_id, "--partner", "Huisarts", *base])
    assert code == 0 and out.strip() == f"revoked {token_id} (epd) of Huisarts"
    code, _, err = cli(["partners", "token", "revoke", token_id, "--partner", "Huisarts", *base])
    assert code == 2 and "revoked already" in err
    code, out, _ = cli(["partners", "token", "list", "Huisarts", *base])
    assert "\trevoked 2026-11-15 12:00" in out


@pytest.fixture()
def app(ops_factory: sessionmaker[Session], ops_url: str, tmp_path: Path) -> TestClient:
    return TestClient(
        create_app(Settings(db=tmp_path / "absent.duckdb"), OpsSettings(db=ops_url)),
        base_url="https://testserver",
        follow_redirects=False,
    )


def test_partner_revokes_on_the_workspace_page(
    ops_factory: sessionmaker[Session], app: TestClient
) -> None:
    a, b, c = _two_orgs(ops_factory)
    bearer = {"Authorization": f"Bearer {a}"}
    assert app.post("/werk/api/signalen", json=BODY, headers=bearer).status_code == 201
    csrf = login(app, "p-1")
    page = app.get("/werk/sleutels")
    assert page.status_code == 200 and "praktijksysteem" in page.text and a not in page.text
    ids = dict(
        re.findall(
            r'<tr id="token-([0-9a-f]+)"><td><code>[0-9a-f]+</code></td><td>(\w+)', page.text
        )
    )
    theirs = {v: k for k, v in ids.items()}
    assert set(theirs) == {"praktijksysteem", "reserve"}  # not the school's token
    target = theirs["praktijksysteem"]
    assert app.post(f"/werk/sleutels/{target}/intrekken").status_code == 403  # no CSRF
    done = app.post(f"/werk/sleutels/{target}/intrekken", data={"csrf": csrf})
    assert done.status_code == 303 and done.headers["location"].endswith(f"ingetrokken={target}")
    assert app.post("/werk/api/signalen", json=BODY, headers=bearer).status_code == 401
    assert app.get("/werk/api/signalen", headers=bearer).status_code == 401
    other = {"Authorization": f"Bearer {b}"}
    assert app.get("/werk/api/signalen", headers=other).status_code == 200
    shown = app.get(done.headers["location"])
    assert "is ingetrokken" in shown.text and "ingetrokken 2026-11-15 12:05 door p-1" in shown.text
    english = app.get("/werk/sleutels?lang=en")
    assert "revoked 2026-11-15 12:05 by p-1" in english.text
    # another partner cannot revoke this organisation's token, nor see it
    school = TestClient(app.app, base_url="https://testserver", follow_redirects=False)
    token = login(school, "p-2")
    assert theirs["reserve"] not in school.get("/werk/sleutels").text
    refused = school.post(f"/werk/sleutels/{theirs['reserve']}/intrekken", data={"csrf": token})
    assert refused.status_code == 404
    assert app.get("/werk/api/signalen", headers=other).status_code == 200
    assert (
        app.get("/werk/api/signalen", headers={"Authorization": f"Bearer {c}"}).status_code == 200
    )
    with ops_factory() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "partner_token")
        ).all()
        assert [(e.username, e.record_id) for e in entries] == [("p-1", int(target, 16))]
