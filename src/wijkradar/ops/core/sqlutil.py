"""Small helpers that differ per engine: insert-or-ignore, row locks, retry on deadlock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

T = TypeVar("T")
#: PostgreSQL: deadlock_detected, serialization_failure - the whole transaction may be retried
RETRYABLE = frozenset({"40P01", "40001"})


def insert_ignore(
    session: Session, table: Table, values: dict[str, Any], conflict: Sequence[str]
) -> int | None:
    """Insert a row unless one with the same `conflict` columns exists; the new id or None."""
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        make(table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    ).returning(table.c.id)
    return session.execute(statement).scalar_one_or_none()


def insert_many_ignore(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    conflict: Sequence[str],
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert many rows in one statement batch, skipping conflicts; the `returning` columns of
    the rows actually inserted."""
    if not rows:
        return []
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = make(table).on_conflict_do_nothing(index_elements=list(conflict))
    if not returning:
        session.execute(statement, rows)
        return []
    result = session.execute(
        statement.returning(*(table.c[name] for name in returning), sort_by_parameter_order=True),
        rows,
    )
    return [tuple(r) for r in result]


def chunks(items: Iterable[T], size: int = 1000) -> Iterable[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def retrying(work: Callable[[], T], attempts: int = 8) -> T:
    """Run `work` (one whole transaction) again when PostgreSQL aborted it for a deadlock or a
    serialization failure; nothing of the failed try was committed."""
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as error:
            code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
            if code not in RETRYABLE or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
