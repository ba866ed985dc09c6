"""The workspace in real Chromium, on SQLite and PostgreSQL: a coordinator of a demo gemeente
logs in, imports a creditor file, sees prioritised households, records outreach and an outcome;
an analyst sees reach per wijk (and no person)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
from ops_fixtures import pg_server_url, reset_postgres
from serving import CLI, served

__all__ = ["pg_server_url"]

pytestmark = pytest.mark.browser
PASSWORD = "demo-wachtwoord"


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A served demo (monitor + workspace) on one engine: (base url, demo directory)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/ops.sqlite"
    else:
        url = request.getfixturevalue("pg_server_url")
        reset_postgres(url)
    env = {**os.environ, "WIJKRADAR_OPS_DB": url, "WIJKRADAR_OPS_SECURE_COOKIES": "false"}
    monitor = tmp_path / "monitor.duckdb"
    demo = tmp_path / "demo"
    subprocess.run(
        [*CLI, "demo", "--db", str(monitor), "--dir", str(demo)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    with served(monitor, "/werk/inloggen", env=env) as base:
        yield base, demo / "werk"


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/werk/inloggen")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_coordinator_and_analyst_workflow(browser: Any, workspace: tuple[str, Path]) -> None:
    base, files = workspace
    coordinator = browser.new_context()
    page = coordinator.new_page()
    _login(page, base, "demo-coordinator")
    assert page.url.startswith(base + "/werk/wachtrij")
    before = page.locator("#queue tbody tr").count()
    assert before > 0

    page.goto(base + "/werk/import")
    page.set_input_files("#mapping_file", str(files / "GM9801-zorg.yml"))
    page.set_input_files("#data_file", str(files / "GM9801-zorg.csv"))
    page.click("form[enctype] button[type=submit]")
    result = page.locator("#import-result").inner_text()
    assert result.startswith("Ingelezen:") and " 0 nieuw" not in result

    page.goto(base + "/werk/wachtrij")
    priorities = [int(t) for t in page.locator("#queue tbody tr td:first-child").all_inner_texts()]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > 0
    page.locator("#queue tbody tr a").first.click()
    page.wait_for_load_state()
    assert "/werk/zaken/" in page.url
    attempts = page.locator("#attempts tbody tr").count()
    page.select_option("#kind", "huisbezoek")
    page.select_option("#part_of_day", "middag")
    page.check("input[name=reached][value=ja]")
    page.click("form[action*=contact] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#attempts tbody tr").count() == attempts + 1
    assert "Huisbezoek" in page.locator("#attempts").inner_text()
    page.select_option("#result", "vervolg_financieel")
    page.click("form[action*=afsluiten] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "Afgesloten"
    assert page.locator("#result").inner_text() == "Vervolghulp en/of verwijzing financieel"
    coordinator.close()

    analyst = browser.new_context()
    page = analyst.new_page()
    _login(page, base, "demo-analist")
    assert page.url.startswith(base + "/werk/bereik")
    assert page.locator("#reach tbody tr").count() > 0
    assert page.locator("#need tbody tr").count() > 0
    assert page.locator("svg.wr-map").count() == 1
    assert "Fictief" not in page.content()
    page.goto(base + "/werk/wachtrij")
    assert "Fictief" not in page.content() and "9100" not in page.content()
    analyst.close()
