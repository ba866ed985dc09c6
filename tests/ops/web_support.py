"""A test app over a real operational store (SQLite or PostgreSQL) with users of two gemeenten
and fictional signals in both; login through the real form (CSRF, cookies)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from ops_helpers import GM_A, GM_B, csv, mapping, row, run_import, seed_postcodes
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.ops.accounts import auth
from wijkradar.ops.core.models import Case, Partner, Signal, User
from wijkradar.ops.core.settings import OpsSettings

PASSWORD = "correct horse battery"


@functools.cache
def _hash() -> str:
    """argon2 is slow by design: hash the test password once per session."""
    return auth.hash_password(PASSWORD)


USERS = {
    "admin": ("admin", None),
    "coord-a": ("coordinator", GM_A),
    "worker-a": ("outreach", GM_A),
    "analyst-a": ("analyst", GM_A),
    "coord-b": ("coordinator", GM_B),
    "worker-b": ("outreach", GM_B),
    "analyst-b": ("analyst", GM_B),
}
#: person-level markers per gemeente: they must never appear where that gemeente's persons may not
MARKERS = {GM_A: ("Alfa", "1000 AA"), GM_B: ("Bravo", "2000 AA")}


@dataclass
class World:
    app_settings: Settings
    ops: OpsSettings
    factory: sessionmaker[Session]
    case: dict[str, int]
    signal_review: dict[str, int]
    partner: dict[str, int]


def add_users(session: Session, users: dict[str, tuple[str, str | None]]) -> None:
    """Active accounts with the test password: name -> (role, gemeente)."""
    for name, (role, gemeente) in users.items():
        session.add(
            User(
                username=name,
                password_hash=_hash(),
                role=role,
                gemeente_code=gemeente,
                active=True,
                created_at=dt.datetime(2026, 1, 1),
            )
        )


def build_world(factory: sessionmaker[Session], url: str, tmp: Path) -> World:
    seed_postcodes(factory)
    with factory() as session, session.begin():
        add_users(session, USERS)
    run_import(
        factory,
        csv(
            *(row(f"A{i}", nr=str(i), name=f"Testpersoon Alfa {i}") for i in range(1, 13)),
            row("AR", pc="9999 ZZ", name="Testpersoon Alfa R"),
        ),
    )
    run_import(
        factory,
        csv(
            *(
                row(f"B{i}", pc="2000 AA", nr=str(i), name=f"Testpersoon Bravo {i}")
                for i in range(1, 13)
            ),
            row("BR", pc="9999 ZZ", name="Testpersoon Bravo R"),
        ),
        mapping("Woonstichting B", "huur", GM_B),
    )
    case: dict[str, int] = {}
    review: dict[str, int] = {}
    partner: dict[str, int] = {}
    with factory() as session:
        for gemeente in (GM_A, GM_B):
            case[gemeente] = session.scalars(
                select(Case.id).where(Case.gemeente_code == gemeente).order_by(Case.id)
            ).first()  # type: ignore[assignment]
            review[gemeente] = session.scalars(
                select(Signal.id).where(
                    Signal.gemeente_code == gemeente, Signal.review_reason.is_not(None)
                )
            ).one()
            partner[gemeente] = session.scalars(
                select(Partner.id).where(Partner.gemeente_code == gemeente)
            ).one()
    return World(
        Settings(db=tmp / "absent.duckdb"),
        OpsSettings(db=url, secure_cookies=True),
        factory,
        case,
        review,
        partner,
    )


def client(world: World) -> TestClient:
    return TestClient(
        create_app(world.app_settings, world.ops),
        base_url="https://testserver",
        follow_redirects=False,
    )


def login(c: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (read from a page)."""
    form = c.get("/werk/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    answer = c.post(
        "/werk/inloggen", data={"username": username, "password": password, "csrf": token.group(1)}
    )
    assert answer.status_code == 303, answer.text
    home = c.get(c.get("/werk/").headers["location"])
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert found, home.text
    return found.group(1)
