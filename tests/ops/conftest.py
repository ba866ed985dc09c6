"""Operational-store fixtures: see ops_fixtures.py (shared with tests/browser)."""

from ops_fixtures import ops_engine, ops_factory, ops_url, pg_server_url

__all__ = ["ops_engine", "ops_factory", "ops_url", "pg_server_url"]
