"""The pages and API on a real `wijkradar demo` build (the pipeline's synthetic data)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wijkradar.api import models
from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "monitor.duckdb"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from wijkradar.cli import main; main()",
            "demo",
            "--db",
            str(db),
            "--dir",
            str(tmp / "files"),
        ],
        check=True,
        capture_output=True,
    )
    with TestClient(create_app(Settings(db=Path(db)))) as client:
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
