"""Operational-store fixtures (re-exported by conftest.py, imported by the browser tests):
every test runs on SQLite and on PostgreSQL.

PostgreSQL: 127.0.0.1:5432, user postgres (trust). Each test session creates its own uniquely
named database there and drops it afterwards, so parallel test runs never meet. With CI=true an
unreachable server fails the run; elsewhere the PostgreSQL half skips, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.core import migrate
from wijkradar.ops.core.db import make_engine, session_factory

PG_ADMIN_URL = os.environ.get(
    "WIJKRADAR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh database of this test session on the PostgreSQL server."""
    name = f"wr_ops_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as con:
            con.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection failure
        admin.dispose()
        message = f"PostgreSQL at {PG_ADMIN_URL} unreachable: {type(exc).__name__}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as con:
            con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reset_postgres(url: str) -> None:
    """Empty the session's database between tests (drop and recreate its public schema)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as con:
        con.execute(text("DROP SCHEMA public CASCADE"))
        con.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ops_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """A database URL with nothing in it, on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/ops.sqlite"
        return
    url: str = request.getfixturevalue("pg_server_url")
    reset_postgres(url)
    yield url


@pytest.fixture()
def ops_engine(ops_url: str) -> Iterator[Engine]:
    """A migrated (head) operational store on each engine."""
    engine = make_engine(ops_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture()
def ops_factory(ops_engine: Engine) -> sessionmaker[Session]:
    return session_factory(ops_engine)
