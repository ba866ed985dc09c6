"""The registers end to end in real headless Chromium, on SQLite and PostgreSQL: a visitor
filters initiatives and sees the map; an editor logs in, adds an initiative, marks it verified;
the white spots of a demo gemeente show on the map; a coordinator's escalation with personal
data is refused; the maatwerk register needs a login."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))

from ops_fixtures import ops_url, pg_server_url
from serving import served

from wijkradar.ops.accounts import auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import migrate
from wijkradar.ops.core.db import make_engine, session_factory, transaction
from wijkradar.ops.core.models import User
from wijkradar.registers import groups, initiatives, professional

__all__ = ["ops_url", "pg_server_url"]
pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from wijkradar.pipeline import BuildOptions, build
    from wijkradar.sources.demo import demo_sources, generate

    root = tmp_path_factory.mktemp("regdemo")
    files = generate(root / "files")
    build(demo_sources(files), root / "monitor.duckdb", options=BuildOptions(demo=True))
    return root / "monitor.duckdb"


@pytest.fixture()
def site(ops_url: str, demo_db: Path) -> Iterator[str]:
    engine = make_engine(ops_url)
    migrate.upgrade(engine)
    factory = session_factory(engine)
    hashed = auth.hash_password(PASSWORD)
    with transaction(factory) as session:
        for name, role in (("redacteur", "editor"), ("coordinator", "coordinator")):
            session.add(
                User(
                    username=name,
                    password_hash=hashed,
                    role=role,
                    gemeente_code="GM9801",
                    active=True,
                    created_at=dt.datetime(2026, 1, 1),
                )
            )
        groups.load_seed(session)
        editor = Principal("redacteur", "editor", "GM9801")
        initiatives.load_seed(session, editor, "demo_initiatives.yml")
        professional.add_contact(session, editor, "DEMO UWV", "werk_inkomen", "maatwerk", "loket")
    engine.dispose()
    env = {**os.environ, "WIJKRADAR_OPS_DB": ops_url, "WIJKRADAR_OPS_SECURE_COOKIES": "false"}
    with served(demo_db, "/registers/groepen", env=env, poll_s=0.2, stop_s=60) as url:
        yield url


def _login(page: Any, site: str, username: str) -> None:
    page.goto(site + "/werk/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_registers_end_to_end(site: str, page: Any) -> None:
    page.goto(site + "/registers/initiatieven?gemeente=GM9801")
    table = page.locator("#initiatives")
    assert table.get_by_role("link", name="DEMO Geldcafé Brakelmonde").count() == 1
    assert page.locator("svg.wr-map").is_visible()
    page.get_by_label("Groep").select_option("kwetsbare_jongeren")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**groep=kwetsbare_jongeren**")
    assert page.locator("#initiatives tbody tr").count() == 0  # GM9801 has none for them
    # white spots on the map and in the table
    page.goto(site + "/registers/witte-vlekken/GM9801")
    assert page.locator("svg.wr-map path").count() >= 2
    assert "Kleine financiële buffer" not in page.locator("#gaps strong").all_inner_texts()

    # an editor adds an initiative and verifies it
    _login(page, site, "redacteur")
    page.goto(site + "/werk/registers")
    page.get_by_label("Naam", exact=True).fill("DEMO Gezondheidscafé")
    page.get_by_label("Organisatie").fill("DEMO Stichting")
    page.locator("#gemeenten").fill("GM9801")
    page.get_by_label("Kwetsbare gezondheid").check()
    page.locator("#edit-form").get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/registers/initiatieven/**")
    assert page.locator("h1").inner_text() == "DEMO Gezondheidscafé"
    assert page.locator("#history tbody tr").count() == 1
    page.goto(page.url.replace("/registers/initiatieven/", "/werk/registers/initiatieven/"))
    page.get_by_role("button", name="Gecontroleerd: klopt nog").click()
    page.wait_for_url("**/registers/initiatieven/**")
    assert page.locator("#history tbody tr").count() == 2
    # health is no longer a white spot in GM9801
    page.goto(site + "/registers/witte-vlekken/GM9801")
    assert "Kwetsbare gezondheid" not in page.locator("#gaps strong").all_inner_texts()


def test_maatwerk_login_and_escalation_text_check(site: str, page: Any) -> None:
    page.goto(site + "/werk/maatwerk")
    assert "/werk/inloggen" in page.url
    _login(page, site, "coordinator")
    page.goto(site + "/werk/maatwerk?domein=werk_inkomen")
    assert "DEMO UWV" in page.locator("#contacts").inner_text()
    page.goto(site + "/werk/escalaties")
    page.get_by_label("Geopend op").fill("2026-02-01")
    page.get_by_label("schulden").check()
    page.locator("#laws").fill("Participatiewet")
    page.get_by_label("Les").fill("Meneer belt altijd vanaf 06-12345678")
    # the first check in a fresh server loads deduce's word lists (tens of seconds, more on a
    # busy machine): allow for it
    page.locator("#escalation-form").get_by_role("button", name="Opslaan").click(timeout=300_000)
    error = page.locator("#error")
    assert "telefoonnummer" in error.inner_text() and "06-12345678" not in page.content()
    page.get_by_label("Geopend op").fill("2026-02-01")
    page.get_by_label("schulden").check()
    page.locator("#laws").fill("Participatiewet")
    page.get_by_label("Les").fill("Beslagvrije voet ontbrak")
    page.locator("#escalation-form").get_by_role("button", name="Opslaan").click(timeout=120_000)
    page.wait_for_url("**/werk/escalaties", timeout=120_000)
    assert "Participatiewet" in page.locator("#patterns").inner_text()
