"""Alembic environment: the URL and connection come from wijkradar.ops.core.migrate.

The migrations are written by hand and need no models. The partner and register tables share
Base's metadata, but only once their modules are imported (the store knows nothing above it):
to compare or autogenerate, import wijkradar.ops.partners.models and wijkradar.registers.models
first, as tests/ops/test_migrations.py does."""

from __future__ import annotations

from alembic import context

from wijkradar.ops.core.models import Base

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
