"""In real Chromium, under the app's Content-Security-Policy: pages and the offline API docs
run without a single policy violation, and /docs needs nothing from outside the server."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _watch(page: Any, server: str) -> tuple[list[str], list[str]]:
    """Console errors (CSP violations are reported there) and requests that leave the server."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    return errors, outside


@pytest.mark.parametrize(
    "path", ["/", "/kaart/GM0001", "/gebied/WK000101", "/ranglijst?level=wijk", "/methode"]
)
def test_pages_run_under_the_policy(server: str, page: Any, path: str) -> None:
    errors, outside = _watch(page, server)
    response = page.goto(server + path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert errors == [] and outside == []


def test_map_keeps_its_colours_under_the_policy(server: str, page: Any) -> None:
    """The map's <style> is allowed by its hash: areas still get their class fills."""
    page.goto(server + "/kaart/GM0001")
    fill = page.locator("svg.wr-map path.c0, svg.wr-map path.c1, svg.wr-map path.c2").first
    assert page.evaluate("e => getComputedStyle(e).fill", fill.element_handle()) != "rgb(0, 0, 0)"


def test_docs_offline(server: str, page: Any) -> None:
    errors, outside = _watch(page, server)
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(server)
               else route.continue_())  # fmt: skip
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary", timeout=15_000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/build").count() >= 1
    assert errors == [] and outside == []
