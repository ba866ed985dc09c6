"""The pages and API on a real `wijkradar demo` build (the pipeline's synthetic data)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wijkradar.api import models
from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.store.profiles import area_profile
from wijkradar.store.reader import open_read

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "monitor.duckdb"
    subprocess.run(
        [*CLI, "demo", "--db", str(db), "--dir", str(tmp / "files")],
        check=True,
        capture_output=True,
    )
    return db


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=demo_db))) as client:
        yield client


def test_demo_drill_down_and_profile(demo: TestClient) -> None:
    home = demo.get("/")
    assert home.status_code == 200 and "DEMO" in home.text
    top = models.RankingOut.model_validate(
        demo.get("/api/v1/rankings", params={"level": "wijk", "limit": 3}).json()
    )
    assert len(top.rows) == 3 and top.rows[0].rank == 1
    values = [r.figure.value for r in top.rows]
    assert values == sorted(values, reverse=True)
    wijk = top.rows[0].code
    scores = models.ScoresOut.model_validate(demo.get(f"/api/v1/scores/{wijk}").json())
    assert scores.stacking.value == values[0]
    # 12 risk characteristics plus the protective factors, all stored in characteristic_scores
    assert len(scores.characteristics) >= 12
    gemeente = scores.region.gemeente_code
    map_page = demo.get(f"/kaart/{gemeente}")
    assert map_page.status_code == 200 and f'data-code="{wijk}"' in map_page.text
    assert demo.get(f"/gebied/{wijk}").status_code == 200


def _number(text: str) -> float:
    """A Dutch number as pages and `show` write it: 12.345,6."""
    return float(text.strip().replace(".", "").replace(",", "."))


def test_page_api_cli_and_profile_agree(demo: TestClient, demo_db: Path) -> None:
    """One area of a demo build: the profile page, the API explanation, `wijkradar show` and
    store.profiles.area_profile give the same stacking, flags and indicator values."""
    top = demo.get("/api/v1/rankings", params={"level": "wijk", "limit": 1}).json()
    code = top["rows"][0]["code"]
    con = open_read(demo_db)
    try:
        profile = area_profile(con, code)
    finally:
        con.close()
    flagged = {c.label: c for c in profile.why_flagged}
    assert flagged, "the top wijk of the demo has flags"
    indicators = {i.id: i for c in profile.why_flagged for i in c.indicators if i.value is not None}
    assert indicators, "its flags rest on indicator values"

    api = models.Explanation.model_validate(demo.get(f"/api/v1/explanations/{code}").json())
    scores = models.ScoresOut.model_validate(demo.get(f"/api/v1/scores/{code}").json())
    assert scores.stacking.value == profile.stacking and api.year == profile.period
    assert {c.label for c in api.flagged} == set(flagged)
    api_inds = {i.indicator: i for c in api.flagged for i in c.indicators}
    for ind_id, ind in indicators.items():
        assert api_inds[ind_id].figure.value == pytest.approx(ind.value)
        assert api_inds[ind_id].percentile == pytest.approx(ind.percentile, abs=0.05)

    html = demo.get(f"/gebied/{code}").text
    stacking = re.search(r'<dd data-figure="stacking">([^<]*)</dd>', html)
    assert stacking is not None and _number(stacking[1]) == profile.stacking
    why = html[html.index('id="why-h"') : html.index('id="char-h"')]
    assert set(re.findall(r'<h3 id="why-[\w]+">([^<:]+):', why)) == set(flagged)
    for ind_id, ind in indicators.items():
        row = re.search(
            rf'<tr data-indicator="{ind_id}"><th scope="row">[^<]*</th><td[^>]*>([^<]*)<', why
        )
        assert row is not None and _number(row[1]) == pytest.approx(ind.value, abs=0.05)

    shown = subprocess.run(
        [*CLI, "show", code, "--db", str(demo_db)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
    ).stdout
    cli_stacking = re.search(r"Stapeling: (\d+) / 12", shown)
    assert cli_stacking is not None and int(cli_stacking[1]) == profile.stacking
    assert set(re.findall(r"^  ● (.+) \(\d+\)$", shown, re.M)) == set(flagged)
    for ind in indicators.values():
        # `show` prints each flagged characteristic's indicators as a table row: label, value.
        line = re.search(rf"^ +{re.escape(ind.label)} +([\d.,]+) ", shown, re.M)
        assert line is not None and _number(line[1]) == pytest.approx(ind.value, abs=0.05)


def test_reference_menu_offers_the_areas_the_map_lies_in(demo: TestClient) -> None:
    """On a gemeente's map: the country, its province and the gemeente itself; never the other
    gemeenten (each is a stored reference too, for its own wijken and buurten)."""

    def offered(url: str) -> list[str]:
        html = demo.get(url).text
        menu = re.search(r'<select id="f-reference".*?</select>', html, re.S)
        assert menu is not None, url
        return re.findall(r'<option value="([^"]+)"', menu.group(0))

    assert offered("/kaart/GM9801") == ["GM9801", "NL01", "PV98"]
    assert "GM9802" not in offered("/kaart/WK980101")
    assert offered("/") == ["NL01"]
