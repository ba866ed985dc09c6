"""Alembic environment: the URL and connection come from wijkradar.ops.migrate."""

from __future__ import annotations

from alembic import context

from wijkradar.ops import partner_models  # noqa: F401  (its tables join the metadata)
from wijkradar.ops.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - wijkradar always passes a connection
    raise RuntimeError("run migrations through `wijkradar ops migrate`")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
