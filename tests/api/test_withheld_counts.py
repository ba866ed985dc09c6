"""Secondary suppression of a build's local counts (store.withheld): a gemeente, its wijken and
their buurten each leave on their own page, so the families are decided over the whole build.
The sample monitor (tests/api/sample_db) gets a local count: Centrum 18 = 9 + 9 over its two
buurten, Noord 30 = 30, the gemeente 48. Released one figure at a time Centrum shows 20 and its
buurten "< 10": 18 or more over two counts below 10 pins both to 9."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.compute import disclosure
from wijkradar.registers import sizes
from wijkradar.registers.models import Group
from wijkradar.store import constants
from wijkradar.store.reader import open_read

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_db import build_sample

LOCAL = "Gemeente/wijkmonitor/2023@feedface"
COUNTS = {
    "GM0001": 48.0,
    "WK000101": 18.0,
    "BU00010101": 9.0,
    "BU00010102": 9.0,
    "WK000102": 30.0,
    "BU00010201": 30.0,
}
LEVEL = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_sample(tmp_path_factory.mktemp("withheld") / "monitor.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, "
        "licence, checksum, url, kind, n_observations, n_suppressed, n_missing) "
        "VALUES (?, 'Gemeente', 'wijkmonitor', 'Wijkmonitor', 2023, '2024-05-01T12:00:00Z', "
        "'', 'sha256:feedface', '', 'local', 6, 0, 0)",
        [LOCAL],
    )
    for code, value in COUNTS.items():
        con.execute(
            "INSERT INTO indicator_values VALUES (?, ?, 2023, 'clients', ?, 'ok', 'aantal', ?)",
            [code, LEVEL[code[:2]], value, [LOCAL]],
        )
    con.close()
    return path


def _clients(client: TestClient, code: str) -> dict[str, object]:
    answer = client.get(f"/api/v1/values/{code}", params={"year": 2023})
    assert answer.status_code == 200, answer.text
    found = [v for v in answer.json()["values"] if v["indicator"] == "clients"]
    assert len(found) == 1
    figure: dict[str, object] = found[0]["figure"]
    return figure


def test_the_build_withholds_a_count_that_would_give_its_buurten_away(monitor: Path) -> None:
    con = open_read(monitor)
    try:
        assert constants.of(con).withheld == frozenset({("WK000101", "clients", 2023)})
        # the registers' group size: a gemeente beside its wijken, the same figures
        group = Group(id="test", size_indicator="clients")
        shown = {r.code: (r.value, r.status) for r in sizes.estimates(con, group, "GM0001")}
    finally:
        con.close()
    assert shown == {
        "GM0001": (50.0, "ok"),
        "WK000101": (None, "suppressed"),
        "WK000102": (30.0, "ok"),
    }
    # the app lets its warming thread finish on shutdown (the `with`)
    with TestClient(create_app(Settings(db=monitor))) as client:
        centrum = _clients(client, "WK000101")
        assert disclosure.disclose_count(18) == 20  # alone it would be shown
        assert centrum["value"] is None and centrum["status"] == "suppressed"
        for buurt in ("BU00010101", "BU00010102"):
            assert _clients(client, buurt)["status"] == "suppressed"
        assert _clients(client, "GM0001")["value"] == 50
        assert _clients(client, "WK000102")["value"] == 30
        assert _clients(client, "BU00010201")["value"] == 30
    # what a reader of all six pages can infer of the hidden counts: more than one value each
    for parent, children, small in (
        (50, [None, 30], [False, False]),
        (None, [None, None], [True, True]),
    ):
        for r in disclosure.feasible_ranges(parent, children, small):
            assert r is None or r[1] > r[0]
