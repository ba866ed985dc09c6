"""Registers fixtures: the operational-store fixtures (SQLite and PostgreSQL) from tests/ops."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))

from ops_fixtures import ops_engine, ops_factory, ops_url, pg_server_url

__all__ = ["ops_engine", "ops_factory", "ops_url", "pg_server_url"]
