"""The workspace's settings, roles and routes are documented where an administrator looks."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.ops.core.models import ROLES
from wijkradar.ops.core.settings import OpsSettings

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("field", sorted(OpsSettings.model_fields))
def test_every_ops_setting_is_documented(field: str) -> None:
    env = f"WIJKRADAR_OPS_{field.upper()}"
    assert env in (REPO / "docs" / "ops" / "admin.md").read_text(encoding="utf-8")
    assert env in (REPO / ".env.example").read_text(encoding="utf-8")


def test_every_role_has_a_page_and_every_route_is_named(tmp_path: Path) -> None:
    pages = {
        "admin": "admin",
        "coordinator": "coordinator",
        "outreach": "outreach",
        "analyst": "analyst",
        "partner": "partner",
        "editor": "editor",
    }
    assert set(pages) == set(ROLES)
    for page in pages.values():
        assert (REPO / "docs" / "ops" / f"{page}.md").exists()
    web = (REPO / "docs" / "web.md").read_text(encoding="utf-8")
    app = create_app(Settings(db=tmp_path / "absent.duckdb"))
    routes = [
        route
        for top in app.routes
        for route in getattr(getattr(top, "original_router", None), "routes", [top])
    ]
    paths = {getattr(r, "path", "") for r in routes if getattr(r, "path", "").startswith("/werk")}
    assert "/werk/wachtrij" in paths
    for path in paths:
        base = path.split("{")[0].rstrip("/") or "/werk"
        assert base in web, f"docs/web.md does not name {path}"
