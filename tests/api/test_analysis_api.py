"""/api/v1/uncertainty, /hotspots, /peers, /validity and the /analyse, profile and map pages on a
real demo build whose methodology has an uncertainty.yml."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.methodology import cache, default_root
from wijkradar.pipeline import BuildOptions, build
from wijkradar.sources.demo import demo_sources, generate


def _methodology(tmp: Path) -> Path:
    root = tmp / "methodology"
    shutil.copytree(default_root(), root)
    return root


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    tmp = tmp_path_factory.mktemp("analysis-api")
    root = _methodology(tmp)
    db = tmp / "monitor.duckdb"
    build(
        demo_sources(generate(tmp / "demo", scale="small")),
        db,
        options=BuildOptions(demo=True, methodology_dir=root),
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("WIJKRADAR_METHODOLOGY", str(root))  # pages load the build's version from here
    cache.clear()
    with TestClient(create_app(Settings(db=db))) as client:
        yield client, db
    patch.undo()
    cache.clear()


def _top(db: Path, level: str) -> tuple[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT region_code, period FROM stacking_uncertainty WHERE level = ? AND "
            "reference = 'NL01' ORDER BY period DESC, stacking DESC, region_code LIMIT 1",
            [level],
        ).fetchall()[0]
    return str(row[0]), int(row[1])


def test_uncertainty_of_an_area(analysed: tuple[TestClient, Path]) -> None:
    client, db = analysed
    code, year = _top(db, "wijk")
    body = client.get(f"/api/v1/uncertainty/{code}", params={"year": year}).json()
    assert body["code"] == code and body["draws"] >= 100
    assert body["stacking_lower"] <= body["stacking"] <= body["stacking_upper"]
    assert len(body["p_stacking_ge"]) == 13 and body["p_stacking_ge"][0] == 1.0
    assert body["characteristics"]
    for flag in body["characteristics"].values():
        assert flag["certainty"] in ("certain", "likely", "uncertain")
        assert 0.0 <= flag["p_flag"] <= 1.0
    assert {i["model"] for i in body["indicators"].values()} <= {"binomial", "margin", "none"}
    assert client.get("/api/v1/uncertainty/WK99999999").status_code == 404


def test_hotspot_layer_states_its_test(analysed: tuple[TestClient, Path]) -> None:
    client, _ = analysed
    response = client.get("/api/v1/hotspots/buurt.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["metadata"]["correction"] == "fdr_bh" and body["metadata"]["alpha"] == 0.05
    clusters = {f["properties"]["cluster"] for f in body["features"]}
    assert "hot" in clusters and clusters <= {"hot", "cold", "none", "not_tested"}
    assert all(f["geometry"] for f in body["features"])
    assert client.get("/api/v1/hotspots/land.geojson").status_code == 404


def test_peers_and_validity(analysed: tuple[TestClient, Path]) -> None:
    client, db = analysed
    with duckdb.connect(str(db), read_only=True) as con:
        gm = con.execute("SELECT gemeente_code FROM peer_groups LIMIT 1").fetchall()[0][0]
    peers = client.get(f"/api/v1/peers/{gm}").json()["peers"]
    assert peers and [p["rank"] for p in peers] == sorted(p["rank"] for p in peers)
    validity = client.get(
        "/api/v1/validity", params={"outcome": "AantalInwoners", "level": "wijk"}
    ).json()
    measures = {i["measure"]: i for i in validity["items"]}
    assert measures["overall_index"]["n"] > 10
    assert -1 <= measures["overall_index"]["rho"] <= 1
    missing = client.get("/api/v1/validity", params={"outcome": "NoSuchVariable"})
    assert missing.status_code == 404


def test_pages_show_certainty(analysed: tuple[TestClient, Path]) -> None:
    client, db = analysed
    page = client.get("/analyse", params={"niveau": "buurt", "uitkomst": "AantalInwoners"})
    assert page.status_code == 200
    assert 'data-cluster="hot"' in page.text and "Regressie naar het gemiddelde" in page.text
    assert 'id="validity"' in page.text
    code, year = _top(db, "wijk")
    profile = client.get(f"/gebied/{code}", params={"year": year})
    assert profile.status_code == 200 and 'id="flag-certainty"' in profile.text
    assert 'data-figure="stacking-interval"' in profile.text
    gm = code.replace("WK", "GM")[:6]
    gm_page = client.get(f"/gebied/{gm}", params={"year": year})
    assert 'id="peers"' in gm_page.text
    kaart = client.get(f"/kaart/{gm}", params={"year": year})
    assert "Zekerheid van de vlaggen op deze kaart" in kaart.text


def test_an_area_set_on_the_page(analysed: tuple[TestClient, Path]) -> None:
    client, db = analysed
    code, _ = _top(db, "wijk")
    page = client.get("/analyse", params={"niveau": "wijk", "gebieden": f"{code}, wk980101"})
    assert page.status_code == 200
    assert 'id="area-set"' in page.text and 'data-measure="overall_index"' in page.text
    assert "Regressie naar het gemiddelde" in page.text
    bad = client.get("/analyse", params={"gebieden": "<script>"})
    # Refused (the site's error pages answer a bad page parameter as not found), never echoed.
    assert bad.status_code in (404, 422) and "<script>" not in bad.text


def test_an_earlier_year_says_it_was_not_simulated(analysed: tuple[TestClient, Path]) -> None:
    """uncertainty.yml periods: latest: an earlier year keeps its intervals but has no flag
    certainty, and API and page say which year has it instead of showing nothing."""
    client, db = analysed
    code, latest = _top(db, "wijk")
    with duckdb.connect(str(db), read_only=True) as con:
        earlier = con.execute(
            "SELECT max(period) FROM area_scores WHERE level = 'wijk' AND period < ?", [latest]
        ).fetchall()[0][0]
    assert earlier is not None
    body = client.get(f"/api/v1/uncertainty/{code}", params={"year": earlier}).json()
    assert body["characteristics"] == {} and body["simulated_years"] == [latest]
    assert body["indicators"]
    now = client.get(f"/api/v1/uncertainty/{code}", params={"year": latest}).json()
    assert now["characteristics"] and now["simulated_years"] == [latest]
    page = client.get(f"/gebied/{code}", params={"year": earlier})
    assert 'data-figure="not-simulated"' in page.text and str(latest) in page.text
    assert 'id="flag-certainty"' not in page.text
    current = client.get(f"/gebied/{code}", params={"year": latest})
    assert 'data-figure="not-simulated"' not in current.text
