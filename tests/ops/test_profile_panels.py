"""The area profile's partner-signal and white-spot panels (page and API) over a real store
(SQLite and PostgreSQL) and a real monitor DuckDB (tests/api/sample_db: GM0001 with Centrum
WK000101 at stacking 3, flagged financial_buffer, age and low_education; Noord WK000102 at 0)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.compute import disclosure
from wijkradar.compute.disclosure import disclose_count
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.ops.core.db import transaction
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.partners import area_signals as sig
from wijkradar.registers import groups, initiatives

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from sample_db import build_sample

WIJK, GM = "WK000101", "GM0001"
EDITOR = Principal("ed", "editor", GM)
SECRET_TEXT = "Zorgen over de energierekening bij de balie"
ORG = "Huisarts Centrum"
# (characteristic, months, signals per month): financial_buffer rises, age stays below the
# threshold, low_education was reported 6-9 months ago only
PLAN = (
    ("financial_buffer", ("2026-09", "2026-10", "2026-11"), 4),
    ("age", ("2026-11",), 7),
    ("low_education", ("2026-03", "2026-04", "2026-05"), 5),
)


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("monitor") / "monitor.duckdb")


@pytest.fixture()
def frozen() -> Iterator[None]:
    clock.freeze(dt.datetime(2026, 11, 15, 12, 0))
    yield
    clock.freeze(None)


def _seed_signals(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        org = sig.add_org(session, GM, ORG, "huisarts", [WIJK])
        for characteristic, months, per_month in PLAN:
            for month in months:
                for _ in range(per_month):
                    inp = sig.SignalInput(
                        WIJK, month, [characteristic], [], "meer", "10-24", SECRET_TEXT
                    )
                    sig._store(session, org, inp, "p-1", "web")


def _seed_register(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        groups.load_seed(session)
        initiatives.add(
            session,
            EDITOR,
            initiatives.Initiative(
                "Geldloket Demodorp",
                "Gemeente",
                "local",
                gemeenten=[GM],
                characteristics=["financial_buffer"],
            ),
        )


def _client(monitor: Path, ops_url: str) -> TestClient:
    return TestClient(create_app(Settings(db=monitor), OpsSettings(db=ops_url)))


def _row(html: str, attribute: str, value: str) -> str:
    found = re.search(rf'<tr data-{attribute}="{value}"[^>]*>(.*?)</tr>', html, re.S)
    assert found, f"no row {attribute}={value}"
    return found.group(1)


def _windows(panel: dict[str, Any], key: str) -> list[int | None]:
    topic = next(t for t in panel["topics"] if t["characteristic"] == key)
    return [w["signals"] for w in topic["windows"]]


def test_panels_show_released_counts_class_and_white_spots(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path, frozen: None
) -> None:
    _seed_signals(ops_factory)
    _seed_register(ops_factory)
    c = _client(monitor, ops_url)
    api = c.get(f"/api/v1/partner-signals/{WIJK}").json()
    assert api["state"] == "ok" and api["month"] == "2026-11"
    assert [w["months"] for w in api["overall"]] == [3, 6, 12]
    assert [w["signals"] for w in api["overall"]] == [
        disclose_count(12 + 7),
        disclose_count(12 + 7),
        disclose_count(12 + 7 + 15),
    ]
    assert _windows(api, "financial_buffer") == [disclose_count(12)] * 3
    assert _windows(api, "low_education") == [None, None, disclose_count(15)]
    # below the threshold in every window: never a number, in no field of the answer
    assert _windows(api, "age") == [None, None, None]
    age = next(t for t in api["topics"] if t["characteristic"] == "age")
    assert {w["status"] for w in age["windows"]} == {"suppressed"} and age["direction"] is None
    directions = {t["characteristic"]: t["direction"] for t in api["topics"]}
    assert directions["financial_buffer"] == "more" and directions["low_education"] == "less"
    assert api["radar_class"] == "known_signalled"
    assert api["workspace"] == f"/werk/radar/{WIJK}"
    assert SECRET_TEXT not in str(api) and ORG not in str(api)

    page = c.get(f"/gebied/{WIJK}")
    assert page.status_code == 200
    html = page.text
    assert '<h2 id="signals-h">Signalen van partners</h2>' in html
    assert "bekend en gesignaleerd" in html
    buffer_row = _row(html, "topic", "financial_buffer")
    assert buffer_row.count(f">{disclose_count(12)}<") == 3 and "meer" in buffer_row
    age_row = _row(html, "topic", "age")
    assert "7" not in re.sub(r"<[^>]+>", "", age_row).replace("< 10", "")
    assert age_row.count("&lt; 10 (niet getoond)") == 3
    assert SECRET_TEXT not in html and ORG not in html
    assert f'href="/werk/radar/{WIJK}"' in html

    # white spots: the buffer is served here, age and low education are not
    gap = c.get(f"/api/v1/fit-gap/{WIJK}").json()
    spots = {t["characteristic"]: t["white_spot"] for t in gap["flagged"]}
    assert spots == {"financial_buffer": False, "age": True, "low_education": True}
    served = next(t for t in gap["flagged"] if t["characteristic"] == "financial_buffer")
    assert served["initiatives"] == ["Geldloket Demodorp"]
    total, unmet = disclose_count(12 + 7 + 15), disclose_count(7 + 15)
    assert gap["signals"]["signals"] == total and gap["unmet_signals"]["signals"] == unmet
    assert gap["unmet_share"] == round(100 * unmet / total)
    assert re.search(r'<tr data-characteristic="age" class="white-spot"', html)
    assert re.search(r'<tr data-characteristic="financial_buffer">', html)
    assert "Geldloket Demodorp" in html and "/registers/initiatieven?gemeente=GM0001" in html
    assert f"/registers/witte-vlekken/{GM}#area-{WIJK}" in html
    buurt = c.get("/gebied/BU00010101").text
    assert f"/registers/witte-vlekken/{GM}#area-{WIJK}" in buurt
    unmet_line = re.search(r'<p id="gaps-unmet">(.*?)</p>', html, re.S)
    assert unmet_line and f"{unmet} van {total}" in unmet_line.group(1)

    english = c.get(f"/gebied/{WIJK}", params={"lang": "en"}).text
    assert "Partner signals" in english and "known and signalled" in english
    assert "&lt; 10 (not shown)" in english and "White spots" in english
    assert f'href="/werk/radar/{WIJK}?lang=en"' in english


def test_a_gemeente_sums_its_wijken_and_counts_classes(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path, frozen: None
) -> None:
    _seed_signals(ops_factory)
    c = _client(monitor, ops_url)
    api = c.get(f"/api/v1/partner-signals/{GM}").json()
    assert api["state"] == "ok" and api["radar_class"] is None
    assert api["classes"] == {
        "known_signalled": 1,
        "under_the_radar": 0,
        "emerging": 0,
        "quiet": 1,
    }
    assert _windows(api, "financial_buffer") == [disclose_count(12)] * 3
    assert _windows(api, "age") == [None, None, None]
    html = c.get(f"/gebied/{GM}").text
    assert 'id="signals-classes"' in html and "Opgeteld over de wijken" in html
    gap = c.get(f"/api/v1/fit-gap/{GM}").json()
    assert {w["code"] for w in gap["wijken"]} == {"WK000101", "WK000102"}
    assert 'href="/gebied/WK000102"' in html


def test_the_panels_follow_new_signals_and_say_when_there_are_none(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path, frozen: None
) -> None:
    c = _client(monitor, ops_url)
    before = c.get(f"/gebied/{WIJK}")
    assert before.status_code == 200
    assert "Nog geen signalen van partners over dit gebied." in before.text
    empty = c.get(f"/api/v1/partner-signals/{WIJK}").json()
    assert empty["state"] == "no_signals" and empty["topics"] == []
    # high in the figures (stacking 3) with no signal at all: the class still says so
    assert empty["radar_class"] == "under_the_radar"
    assert "Radarklasse van deze wijk: onder de radar." in before.text
    assert 'id="signals-table"' not in before.text
    # no initiative at all: every flagged characteristic is a white spot
    gap = c.get(f"/api/v1/fit-gap/{WIJK}").json()
    assert gap["flagged"] and all(t["white_spot"] for t in gap["flagged"])
    _seed_signals(ops_factory)
    after = c.get(f"/gebied/{WIJK}")  # the profile is not kept per build any more
    assert 'data-state="ok"' in after.text and "bekend en gesignaleerd" in after.text
    assert c.get(f"/api/v1/partner-signals/{WIJK}").json()["state"] == "ok"
    buurt = c.get("/api/v1/partner-signals/BU00010101").json()
    assert buurt["state"] == "per_wijk" and buurt["wijk"] == WIJK
    assert 'href="/gebied/WK000101"' in c.get("/gebied/BU00010101").text


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/nowhere/ops.sqlite",  # the default kind: a file never created
        "postgresql+psycopg://postgres@127.0.0.1:1/absent",  # nothing listens there
    ],
)
def test_the_profile_works_without_an_operational_store(
    url: str, monitor: Path, tmp_path: Path
) -> None:
    c = _client(monitor, url.format(tmp=tmp_path))
    page = c.get(f"/gebied/{WIJK}")
    assert page.status_code == 200
    assert "Er is geen operationele opslag met signalen van partners" in page.text
    assert "Er is geen operationele opslag met het initiatievenregister" in page.text
    assert not (tmp_path / "nowhere").exists()  # a public page creates no store
    assert c.get(f"/api/v1/partner-signals/{WIJK}").json()["state"] == "no_store"
    assert c.get(f"/api/v1/fit-gap/{WIJK}").json()["state"] == "no_store"
    assert c.get("/api/v1/partner-signals/WK999999").status_code == 404


def test_the_white_spot_map_links_each_area_to_its_profile(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path
) -> None:
    _seed_register(ops_factory)
    c = _client(monitor, ops_url)
    page = c.get(f"/registers/witte-vlekken/{GM}").text
    figure = page[page.index('<figure class="reg-map">') : page.index("</figure>")]
    assert f'href="/gebied/{WIJK}"' in figure and 'href="/gebied/WK000102"' in figure
    assert "Centrum: 2 witte vlek(ken)" in figure  # age and low education
    assert "Noord: geen witte vlekken" in figure
    assert re.search(rf'<tr id="area-{WIJK}" class="white-spot">', page)
    national = c.get("/registers/witte-vlekken", params={"lang": "en"}).text
    assert f'href="/gebied/{GM}?lang=en"' in national


def test_a_gemeente_and_its_wijken_leave_as_one_family(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path, frozen: None
) -> None:
    """38 = 12 + 17 + 9 signals over three wijken: each released alone, the gemeente's 40 minus
    Centrum's 10 and Noord's 15 pins the third wijk to 9. Released as a family, the smallest
    shown wijk (Centrum, 12) is hidden too, on its own profile as on the gemeente's."""
    third = "WK000103"  # a wijk of the gemeente the sample monitor has no figures for
    with transaction(ops_factory) as session:
        org = sig.add_org(session, GM, ORG, "huisarts", [WIJK, "WK000102", third])
        for wijk, n in ((WIJK, 12), ("WK000102", 17), (third, 9)):
            for _ in range(n):
                inp = sig.SignalInput(wijk, "2026-11", ["age"], [], "meer", "10-24", "x")
                sig._store(session, org, inp, "p-1", "web")
    c = _client(monitor, ops_url)
    gm = c.get(f"/api/v1/partner-signals/{GM}").json()
    centrum = c.get(f"/api/v1/partner-signals/{WIJK}").json()
    noord = c.get("/api/v1/partner-signals/WK000102").json()
    assert [w["signals"] for w in gm["overall"]] == [disclose_count(38)] * 3
    assert [w["signals"] for w in noord["overall"]] == [disclose_count(17)] * 3
    # 12 alone would be released as 10; as a family it is withheld like a small count
    assert disclose_count(12) == 10
    assert [w["signals"] for w in centrum["overall"]] == [None] * 3
    assert {w["status"] for w in centrum["overall"]} == {"suppressed"}
    assert _windows(centrum, "age") == [None] * 3 and _windows(gm, "age") == [40] * 3
    # what a reader of the three profiles can infer of the third wijk: more than one value
    ranges = disclosure.feasible_ranges(40, [None, 15, None], [False, False, True])
    low, high = ranges[2] or (0, 0)
    assert low <= 9 <= high and high > low
    page = c.get(f"/gebied/{WIJK}").text
    assert page.count("&lt; 10 (niet getoond)") >= 3
    # white spots: signals on a characteristic and the unmet part, per family too
    gap = c.get(f"/api/v1/fit-gap/{WIJK}").json()
    assert gap["signals"]["signals"] is None and gap["signals"]["status"] == "suppressed"
    assert c.get(f"/api/v1/fit-gap/{GM}").json()["signals"]["signals"] == 40


def test_the_white_spot_total_no_longer_pins_a_characteristic_row(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path, frozen: None
) -> None:
    """The white-spot panel's signals on a characteristic (12 months) are the sum of the signal
    panel's rows for the same months: 12 on age, 17 on financial buffer, 9 on low education
    show as 10, 15 and "< 10", and a total released as 40 (38) pinned low education to 9.
    The total is hidden now; the rows stay as they were."""
    with transaction(ops_factory) as session:
        org = sig.add_org(session, GM, ORG, "huisarts", [WIJK])
        for characteristic, n in (("age", 12), ("financial_buffer", 17), ("low_education", 9)):
            for _ in range(n):
                inp = sig.SignalInput(WIJK, "2026-11", [characteristic], [], "meer", "10-24", "x")
                sig._store(session, org, inp, "p-1", "web")
    c = _client(monitor, ops_url)
    panel = c.get(f"/api/v1/partner-signals/{WIJK}").json()
    rows = [_windows(panel, k)[-1] for k in ("age", "financial_buffer", "low_education")]
    assert rows == [10, 15, None]
    # before: the total released on its own (one wijk: its gemeente's family is itself)
    before = disclose_count(38)
    ranges = disclosure.feasible_ranges(before, rows, [False, False, True])
    assert ranges[2] == (9, 9)
    gap = c.get(f"/api/v1/fit-gap/{WIJK}").json()
    assert gap["signals"]["signals"] is None and gap["signals"]["status"] == "suppressed"
    assert c.get(f"/api/v1/fit-gap/{GM}").json()["signals"]["signals"] is None
