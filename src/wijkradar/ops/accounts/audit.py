"""The append-only audit log of person-level records: who, when, which record, which action.

Only record ids go in, never names or addresses; the table refuses UPDATE and DELETE.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.ops.core import clock
from wijkradar.ops.core.models import AuditEntry

ACTIONS = ("view", "change", "export", "delete", "import")


def record(
    session: Session,
    username: str,
    gemeente_code: str,
    action: str,
    record_type: str,
    record_id: int | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(
        AuditEntry(
            at=clock.now(),
            username=username,
            gemeente_code=gemeente_code,
            action=action,
            record_type=record_type,
            record_id=record_id,
        )
    )


def entries(session: Session, gemeente_code: str, limit: int = 500) -> list[AuditEntry]:
    """The newest entries of one gemeente (a coordinator reads only their own)."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.gemeente_code == gemeente_code)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(rows)
