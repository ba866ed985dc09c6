"""Every migration runs up and down on both engines, and head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from wijkradar.ops.core import migrate
from wijkradar.ops.core.db import make_engine
from wijkradar.ops.core.models import Base

# every table of the store joins Base's metadata when its module is imported
from wijkradar.ops.partners import models as _partner_models  # noqa: F401
from wijkradar.registers import models as _register_models  # noqa: F401


def test_every_migration_up_and_down(ops_url: str) -> None:
    engine = make_engine(ops_url)
    try:
        revisions = migrate.revisions(engine)
        assert revisions[:2] == ["0001", "0002"]
        for rev in revisions:
            migrate.upgrade(engine, rev)
            assert migrate.current(engine) == rev
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        for rev in reversed(revisions):
            assert migrate.current(engine) == rev
            migrate.downgrade(engine, "-1")
        assert migrate.current(engine) is None
        assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
        migrate.upgrade(engine)  # and up again, from nothing
        assert migrate.current(engine) == migrate.head(engine)
    finally:
        engine.dispose()


def test_head_matches_the_models(ops_engine: object) -> None:
    with ops_engine.connect() as con:  # type: ignore[attr-defined]
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    assert diff == []


def test_audit_log_refuses_update_and_delete(ops_engine: object) -> None:
    import pytest

    with ops_engine.begin() as con:  # type: ignore[attr-defined]
        con.execute(
            text(
                "INSERT INTO audit_log (at, username, gemeente_code, action, record_type) "
                "VALUES (CURRENT_TIMESTAMP, 'a', 'GM9801', 'view', 'case')"
            )
        )
    for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), ops_engine.begin() as con:  # type: ignore[attr-defined]
            con.execute(text(sql))
    with ops_engine.connect() as con:  # type: ignore[attr-defined]
        assert con.execute(text("SELECT action FROM audit_log")).scalar_one() == "view"
