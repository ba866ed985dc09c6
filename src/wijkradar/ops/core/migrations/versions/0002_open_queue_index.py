"""Work queue index: open cases of a gemeente by priority (partial index), so the queue page reads
its page straight from the index also with 50,000 open cases.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN = "state <> 'afgesloten'"


def upgrade() -> None:
    op.create_index(
        "ix_cases_open_queue",
        "cases",
        ["gemeente_code", "priority", "id"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_open_queue", table_name="cases")
