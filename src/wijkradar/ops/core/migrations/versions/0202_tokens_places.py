"""Partner tokens: when last used, when and by whom revoked. Vindplaatsen: a point
(latitude/longitude) beside or instead of postcode and house number. Area signals: the
(wijk, month) index also holds direction, so the national count per wijk and month is read
from the index alone (benchmarks/README.md, partners_radar.py).

Batch mode, so SQLite rebuilds vindplaatsen to make postcode and huisnummer nullable.

Revision ID: 0202_tokens_places
Revises: 0201_registers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0202_tokens_places"
down_revision = "0201_registers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partner_tokens") as batch:
        batch.add_column(sa.Column("last_used_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("revoked_by", sa.String(length=80), nullable=True))
    op.drop_index("ix_area_signals_wijk_month", table_name="area_signals")
    op.create_index(
        "ix_area_signals_wijk_month_dir", "area_signals", ["wijk_code", "month", "direction"]
    )
    with op.batch_alter_table("vindplaatsen") as batch:
        batch.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Double(), nullable=True))
        batch.alter_column("postcode", existing_type=sa.String(length=6), nullable=True)
        batch.alter_column("huisnummer", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # places known only by their point cannot be kept without a postcode
    op.execute("DELETE FROM vindplaatsen WHERE postcode IS NULL OR huisnummer IS NULL")
    with op.batch_alter_table("vindplaatsen") as batch:
        batch.alter_column("huisnummer", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("postcode", existing_type=sa.String(length=6), nullable=False)
        batch.drop_column("longitude")
        batch.drop_column("latitude")
    op.drop_index("ix_area_signals_wijk_month_dir", table_name="area_signals")
    op.create_index("ix_area_signals_wijk_month", "area_signals", ["wijk_code", "month"])
    with op.batch_alter_table("partner_tokens") as batch:
        batch.drop_column("revoked_by")
        batch.drop_column("revoked_at")
        batch.drop_column("last_used_at")
