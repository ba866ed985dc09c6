"""Registers fixtures: the operational-store fixtures (SQLite and PostgreSQL) from tests/ops."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))

from ops_fixtures import ops_engine, ops_factory, ops_url, pg_server_url

__all__ = ["ops_engine", "ops_factory", "ops_url", "pg_server_url"]


@pytest.fixture(scope="session")
def demo_monitor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic demo built into a monitor database (what `wijkradar demo` makes)."""
    from wijkradar.pipeline import BuildOptions, build
    from wijkradar.sources.demo import demo_sources, generate

    root = tmp_path_factory.mktemp("demo")
    files = generate(root / "files")
    build(demo_sources(files), root / "monitor.duckdb", options=BuildOptions(demo=True))
    return root / "monitor.duckdb"
