"""Partner signals: partner organisations, members, tokens, area signals with topics and an
append-only status history, aggregates and deletion records kept after retention, vindplaatsen.

The status history and the deletion records are append-only (triggers, as in 0001); a retention
run may delete a signal's history together with the signal while it holds a purge_guard row.

Revision ID: 0101_partners
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0101_partners"
down_revision = "0002"
branch_labels = None
depends_on = None

APPEND_ONLY = ("area_signal_history", "area_signal_deletions")


def upgrade() -> None:
    op.create_table(
        "partner_orgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_partner_org_name", "partner_orgs", ["gemeente_code", "name"], unique=True)
    op.create_table(
        "partner_org_wijken",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("wijk_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["partner_orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "wijk_code"),
    )
    op.create_table(
        "partner_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["partner_orgs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "partner_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["partner_orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "area_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), nullable=False),
        sa.Column("wijk_code", sa.String(length=8), nullable=False),
        sa.Column("buurt_code", sa.String(length=10), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("band", sa.String(length=6), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=4), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["partner_orgs.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_area_signals_gemeente_month", "area_signals", ["gemeente_code", "month"])
    op.create_index("ix_area_signals_wijk_month", "area_signals", ["wijk_code", "month"])
    op.create_index("ix_area_signals_org", "area_signals", ["org_id"])
    op.create_table(
        "area_signal_topics",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["signal_id"], ["area_signals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("signal_id", "kind", "topic"),
    )
    op.create_table(
        "area_signal_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["signal_id"], ["area_signals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_area_signal_history_signal", "area_signal_history", ["signal_id"])
    op.create_table(
        "area_signal_aggregates",
        sa.Column("gemeente_code", sa.String(length=6), nullable=False),
        sa.Column("wijk_code", sa.String(length=8), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("characteristic", sa.String(length=30), nullable=False),
        sa.Column("signals", sa.Integer(), nullable=False),
        sa.Column("more", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("gemeente_code", "wijk_code", "month", "characteristic"),
    )
    op.create_table(
        "area_signal_deletions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), nullable=False),
        sa.Column("month_from", sa.String(length=7), nullable=False),
        sa.Column("month_to", sa.String(length=7), nullable=False),
        sa.Column("signals", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "vindplaatsen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("postcode", sa.String(length=6), nullable=False),
        sa.Column("huisnummer", sa.Integer(), nullable=False),
        sa.Column("buurt_code", sa.String(length=10), nullable=True),
        sa.Column("wijk_code", sa.String(length=8), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["partner_orgs.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vindplaatsen_gemeente", "vindplaatsen", ["gemeente_code"])
    _guards_up()


def _guards_up() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # wr_append_only() of 0001: deletes only while a purge holds purge_guard
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION wr_append_only()"
            )
        return
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "WHEN NOT EXISTS (SELECT 1 FROM purge_guard) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
    op.drop_index("ix_vindplaatsen_gemeente", table_name="vindplaatsen")
    op.drop_table("vindplaatsen")
    op.drop_table("area_signal_deletions")
    op.drop_table("area_signal_aggregates")
    op.drop_index("ix_area_signal_history_signal", table_name="area_signal_history")
    op.drop_table("area_signal_history")
    op.drop_table("area_signal_topics")
    op.drop_index("ix_area_signals_org", table_name="area_signals")
    op.drop_index("ix_area_signals_wijk_month", table_name="area_signals")
    op.drop_index("ix_area_signals_gemeente_month", table_name="area_signals")
    op.drop_table("area_signals")
    op.drop_table("partner_tokens")
    op.drop_table("partner_members")
    op.drop_table("partner_org_wijken")
    op.drop_index("uq_partner_org_name", table_name="partner_orgs")
    op.drop_table("partner_orgs")
