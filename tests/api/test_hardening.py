"""Web hardening on a real demo build: security headers on every response, no absolute server
path in any response, timestamps with a zone, documented error bodies, /docs from the server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wijkradar.api.app import create_app
from wijkradar.api.security import HEADERS
from wijkradar.api.settings import Settings

PATHS = [
    "/",
    "/kaart/GM0001",
    "/ranglijst?level=wijk",
    "/ranglijst?level=wijk&format=csv",
    "/methode",
    "/bronnen",
    "/static/wijkradar.css",
    "/static/docs.js",
    "/docs",
    "/docs-assets/swagger-ui-bundle.js",
    "/openapi.json",
    "/api/v1/build",
    "/api/v1/regions?level=wijk",
    "/api/v1/indicators",
    "/api/v1/rankings?level=buurt",
    "/api/v1/exports/wijk.csv",
    "/api/v1/exports/gemeente.geojson",
    "/gebied/GM9999",  # 404 page
    "/api/v1/regions/GM9999",  # 404 JSON
    "/api/v1/rankings?level=provincie",  # 422
    "/api/v1/rankings?metric=nonsense",  # 422
    "/nergens",  # router 404
]


@pytest.fixture(scope="module")
def demo(demo_build: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=demo_build))) as client:
        yield client


@pytest.fixture(scope="module")
def no_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    missing = tmp_path_factory.mktemp("empty") / "deep" / "monitor.duckdb"
    with TestClient(create_app(Settings(db=missing))) as client:
        yield client


def _pages_and_areas(demo: TestClient) -> list[str]:
    regions = demo.get("/api/v1/regions", params={"level": "wijk"}).json()["items"]
    code = regions[0]["code"]
    return [*PATHS, f"/gebied/{code}", f"/kaart/{code}", f"/api/v1/scores/{code}",
            f"/api/v1/explanations/{code}", f"/api/v1/values/{code}"]  # fmt: skip


def test_security_headers_on_every_response(demo: TestClient, no_database: TestClient) -> None:
    responses = [demo.get(path) for path in _pages_and_areas(demo)]
    responses += [no_database.get("/"), no_database.get("/api/v1/build")]
    assert {r.status_code for r in responses} >= {200, 404, 422, 503}
    for response in responses:
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
    policy = HEADERS["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_inline_script_or_style_attribute_in_pages(demo: TestClient) -> None:
    for path in _pages_and_areas(demo):
        response = demo.get(path)
        if not response.headers["content-type"].startswith("text/html"):
            continue
        html = response.text
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, path
        assert re.search(r"\son[a-z]+\s*=", html) is None, path  # onclick= and friends
        assert ' style="' not in html and "javascript:" not in html, path


def test_no_absolute_server_path_in_any_response(
    demo: TestClient, no_database: TestClient, demo_build: Path
) -> None:
    # (the vendored Swagger UI bundle mentions file:/// in its own code; it is not our data)
    paths = [p for p in _pages_and_areas(demo) if not p.startswith("/docs-assets")]
    bodies = {path: demo.get(path).text for path in paths}
    for client in (no_database,):
        for path in ("/", "/api/v1/build", "/api/v1/regions", "/kaart/GM0001"):
            response = client.get(path)
            assert response.status_code == 503
            bodies[f"no-db {path}"] = response.text
    server_dirs = {str(demo_build.parent), str(demo_build.parent.parent), str(Path.cwd())}
    for path, body in bodies.items():
        assert "file:///" not in body, path
        for directory in server_dirs:
            assert directory not in body, (path, directory)
    sources = demo.get("/api/v1/build").json()["sources"]
    files = [s["url"] for s in sources if (s["url"] or "").startswith("file:")]
    assert files and all("/" not in url for url in files)  # a file by its name only


def test_timestamps_carry_a_zone(demo: TestClient) -> None:
    build = demo.get("/api/v1/build").json()
    stamps = [build["created_at"], *(s["retrieved_at"] for s in build["sources"])]
    for stamp in stamps:
        assert datetime.fromisoformat(stamp.replace("Z", "+00:00")).tzinfo is not None, stamp


def test_error_bodies_are_documented(demo: TestClient) -> None:
    spec = demo.get("/openapi.json").json()
    assert spec["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for status in ("404", "422", "503"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"].endswith("/ErrorOut"), (path, status)
    for url, status in (("/api/v1/regions/GM9999", 404), ("/api/v1/rankings?level=x", 422)):
        response = demo.get(url)
        assert response.status_code == status and "detail" in response.json()


def test_docs_served_without_a_cdn(demo: TestClient) -> None:
    page = demo.get("/docs").text
    assert "cdn" not in page.lower() and "https://" not in page
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert asset.startswith("/"), asset
        assert demo.get(asset).status_code == 200, asset
    assert demo.get("/redoc").status_code == 404  # ReDoc would load from a CDN
