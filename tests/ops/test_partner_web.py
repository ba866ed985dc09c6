"""Partner-signal pages and JSON over a real store (SQLite and PostgreSQL) and a real monitor
DuckDB (tests/api/sample_db: GM0001 with Centrum WK000101 at stacking 3, Noord WK000102 at 0)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web_support import add_users, login

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import PostcodeBuurt, User
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.partners import area_signals as sig
from wijkradar.ops.partners.models import AreaSignal, PartnerMember

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from sample_db import build_sample

GM1, GM2 = "GM0001", "GM0002"
USERS = {
    "coord-1": ("coordinator", GM1),
    "analyst-1": ("analyst", GM1),
    "analyst-2": ("analyst", GM2),
    "p-1": ("partner", GM1),
    "p-2": ("partner", GM2),
}


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("monitor") / "monitor.duckdb")


@pytest.fixture()
def world(
    ops_factory: sessionmaker[Session], ops_url: str, monitor: Path
) -> Iterator[tuple[Settings, OpsSettings, sessionmaker[Session], str]]:
    clock.freeze(dt.datetime(2026, 11, 15, 12, 0))
    with ops_factory() as session, session.begin():
        add_users(session, USERS)
        session.flush()
        one = sig.add_org(session, GM1, "Huisarts Centrum", "huisarts", ["WK000101"])
        two = sig.add_org(session, GM2, "School Haven", "school", ["WK000201"])
        for name, org in (("p-1", one), ("p-2", two)):
            user = session.scalars(select(User).where(User.username == name)).one()
            session.add(PartnerMember(user_id=user.id, org_id=org.id))
        token = sig.issue_token(session, one, "test")
        session.add(
            PostcodeBuurt(
                postcode="1111AA",
                huisnummer=1,
                buurt_code="BU00010201",
                wijk_code="WK000102",
                gemeente_code=GM1,
            )
        )
    yield Settings(db=monitor), OpsSettings(db=ops_url), ops_factory, token
    clock.freeze(None)


def _client(world: tuple[Settings, OpsSettings, object, str]) -> TestClient:
    return TestClient(
        create_app(world[0], world[1]), base_url="https://testserver", follow_redirects=False
    )


FORM = {
    "wijk": "WK000101",
    "maand": "2026-11",
    "kenmerken": ["financial_buffer", "age"],
    "groepen": ["lonely_elderly"],
    "richting": "meer",
    "huishoudens": "10-24",
    "tekst": "Meer ouderen aan de balie met vragen over de energierekening.",
}


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(AreaSignal)) or 0)


def test_partner_checks_then_submits_and_is_refused_with_personal_data(world: tuple) -> None:  # type: ignore[type-arg]
    factory = world[2]
    c = _client(world)
    csrf = login(c, "p-1")
    assert c.post("/werk/signalen/nieuw", data={**FORM}).status_code == 403  # no CSRF
    step1 = c.post("/werk/signalen/nieuw", data={**FORM, "csrf": csrf})
    assert step1.status_code == 200
    assert "Eerdere signalen over deze wijk" in step1.text and "Nog geen signalen." in step1.text
    assert 'name="bevestigd"' in step1.text and _count(factory) == 0
    done = c.post("/werk/signalen/nieuw", data={**FORM, "csrf": csrf, "bevestigd": "ja"})
    assert done.status_code == 303
    signal_id = int(done.headers["location"].rsplit("/", 1)[1])
    shown = c.get(f"/werk/signalen/{signal_id}")
    assert "Kleine financiële buffer" in shown.text and "ontvangen" in shown.text
    again = c.post("/werk/signalen/nieuw", data={**FORM, "csrf": csrf})
    assert f"#{signal_id}" in again.text  # the duplicate check lists the own earlier signal
    refused = c.post(
        "/werk/signalen/nieuw",
        data={
            **FORM,
            "tekst": "Meneer Bakker, 06-12345678, heeft hulp nodig",
            "csrf": csrf,
            "bevestigd": "ja",
        },
    )
    assert refused.status_code == 422
    assert "De tekst lijkt" in refused.text and "telefoonnummer" in refused.text
    assert _count(factory) == 1
    english = c.post(
        "/werk/signalen/nieuw?lang=en", data={**FORM, "csrf": csrf, "wijk": "WK000201"}
    )
    assert english.status_code == 422 and "Not submitted" in english.text


def test_status_history_visible_to_the_partner_and_access_rules(world: tuple) -> None:  # type: ignore[type-arg]
    c = _client(world)
    csrf = login(c, "p-1")
    done = c.post("/werk/signalen/nieuw", data={**FORM, "csrf": csrf, "bevestigd": "ja"})
    path = done.headers["location"]
    other = _client(world)
    login(other, "p-2")
    assert other.get(path).status_code == 404
    analyst2 = _client(world)
    login(analyst2, "analyst-2")
    assert analyst2.get(path).status_code == 404
    coord = _client(world)
    token = login(coord, "coord-1")
    assert "opgevolgd" in coord.get(path).text  # the status form offers the next steps
    coord.post(
        path + "/status", data={"status": "besproken", "notitie": "Wijkoverleg", "csrf": token}
    )
    bad = coord.post(
        path + "/status", data={"status": "opgevolgd", "notitie": "Bel 0612345678", "csrf": token}
    )
    assert bad.status_code == 422
    page = c.get(path)
    assert re.search(r'id="status">besproken<', page.text)
    assert "Wijkoverleg" in page.text and "opgevolgd" not in page.text.split('id="history"')[0]
    assert c.post(path + "/status", data={"status": "opgevolgd", "csrf": csrf}).status_code == 404


def test_json_endpoint_needs_a_token_and_refuses_personal_data(world: tuple) -> None:  # type: ignore[type-arg]
    c = _client(world)
    body = {
        "wijk": "WK000101",
        "maand": "2026-10",
        "kenmerken": ["health"],
        "groepen": [],
        "richting": "gelijk",
        "huishoudens": "1-9",
    }
    assert c.post("/werk/api/signalen", json=body).status_code == 401
    wrong = {"Authorization": "Bearer wrp_nope"}
    assert c.post("/werk/api/signalen", json=body, headers=wrong).status_code == 401
    auth = {"Authorization": f"Bearer {world[3]}"}
    made = c.post("/werk/api/signalen", json=body, headers=auth)
    assert made.status_code == 201 and made.json()["status"] == "ontvangen"
    refused = c.post(
        "/werk/api/signalen", json={**body, "tekst": "mail a.b@example.nl"}, headers=auth
    )
    assert refused.status_code == 422
    assert refused.json()["refused"][0]["field"] == "tekst"
    listed = c.get("/werk/api/signalen", headers=auth).json()["signalen"]
    assert [s["id"] for s in listed] == [made.json()["id"]]


def test_csv_upload_reports_row_and_column(world: tuple) -> None:  # type: ignore[type-arg]
    c = _client(world)
    csrf = login(c, "p-1")
    header = "wijk;buurt;maand;kenmerken;groepen;richting;huishoudens;tekst\n"
    rows = "WK000101;;2026-10;age;;meer;10-24;\nWK000101;;2026-13;age;;meer;10-24;\n"
    bad = c.post(
        "/werk/signalen/import",
        data={"csrf": csrf},
        files={"bestand": ("okt.csv", (header + rows).encode(), "text/csv")},
    )
    assert bad.status_code == 422 and "okt.csv row 3 column maand" in bad.text
    good = c.post(
        "/werk/signalen/import",
        data={"csrf": csrf},
        files={"bestand": ("okt.csv", (header + rows.split("\n")[0] + "\n").encode(), "text/csv")},
    )
    assert good.status_code == 200 and "1 signalen ingelezen" in good.text


def _classes(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="wijk-(WK\d+)" data-class="(\w+)"', html))


def test_policy_adviser_sees_the_four_classes(world: tuple) -> None:  # type: ignore[type-arg]
    factory = world[2]
    analyst = _client(world)
    login(analyst, "analyst-1")
    before = analyst.get("/werk/radar")
    assert before.status_code == 200
    assert _classes(before.text) == {"WK000101": "under_the_radar", "WK000102": "quiet"}
    assert 'href="/gebied/WK000101"' in before.text
    with factory() as session, session.begin():
        org = sig.add_org(session, GM1, "Buurthuis Noord", "buurthuis", ["WK000102"])
        one = session.scalars(
            select(sig.PartnerOrg).where(sig.PartnerOrg.name == "Huisarts Centrum")
        ).one()
        for month in ("2026-09", "2026-10", "2026-11"):
            sig.submit(
                session,
                one,
                sig.SignalInput("WK000101", month, ["age"], [], "gelijk", "1-9"),
                "p-1",
                "web",
            )
            sig.submit(
                session,
                org,
                sig.SignalInput("WK000102", month, ["health"], [], "meer", "1-9"),
                "x",
                "web",
            )
    after = analyst.get("/werk/radar")
    assert _classes(after.text) == {"WK000101": "known_signalled", "WK000102": "emerging"}
    assert "Bekend en gesignaleerd: 1" in after.text and "Opkomend: 1" in after.text
    assert "&lt; 10" in after.text  # three signals are never shown as 3
    # another gemeente's analyst cannot ask for GM0001
    other = _client(world)
    login(other, "analyst-2")
    theirs = other.get("/werk/radar?gemeente=GM0001")
    assert "WK000101" not in theirs.text and "WK000201" in theirs.text
    detail = analyst.get("/werk/radar/WK000101")
    assert re.search(r'id="class">Bekend en gesignaleerd<', detail.text)
    assert other.get("/werk/radar/WK000101").status_code == 403
    assert analyst.get("/werk/radar/WK999999").status_code == 403
    profile = analyst.get("/gebied/WK000101")
    assert 'href="/werk/radar/WK000101"' in profile.text
    english = analyst.get("/werk/radar?lang=en")
    assert "Known and signalled" in english.text and 'lang="en"' in english.text


def test_vindplaatsen_and_coverage_gaps(world: tuple) -> None:  # type: ignore[type-arg]
    coord = _client(world)
    csrf = login(coord, "coord-1")
    page = coord.get("/werk/vindplaatsen")
    gap = re.search(r'<tr id="cover-WK000102">.*?</tr>', page.text)
    assert gap and "geen partner, geen vindplaats" in gap.group(0)
    added = coord.post(
        "/werk/vindplaatsen",
        data={
            "naam": "Voedselbank Noord",
            "soort": "voedselbank",
            "postcode": "1111 AA",
            "huisnummer": "1",
            "csrf": csrf,
        },
    )
    assert added.status_code == 303
    page = coord.get("/werk/vindplaatsen")
    row = re.search(r'<tr id="cover-WK000102">.*?</tr>', page.text)
    assert row and "voedselbank: 1" in row.group(0) and "geen partner" not in row.group(0)
    assert "BU00010201" in page.text
    # on the map: Noord has one vindplaats now, Centrum none
    assert "Noord: 1 vindplaatsen" in page.text and "Centrum: 0 vindplaatsen" in page.text
    analyst = _client(world)
    token = login(analyst, "analyst-1")
    assert (
        analyst.post(
            "/werk/vindplaatsen",
            data={
                "naam": "X",
                "soort": "school",
                "postcode": "1111 AA",
                "huisnummer": "1",
                "csrf": token,
            },
        ).status_code
        == 403
    )


def test_partners_never_reach_person_level_pages(world: tuple) -> None:  # type: ignore[type-arg]
    c = _client(world)
    login(c, "p-1")
    for path in (
        "/werk/wachtrij",
        "/werk/import",
        "/werk/controle",
        "/werk/logboek",
        "/werk/bereik",
        "/werk/partners",
        "/werk/zaken/1",
    ):
        assert c.get(path).status_code == 403, path
    assert c.get("/werk/signalen/nieuw").status_code == 200
    # places and coverage are no person-level data: partners see where the others work
    assert c.get("/werk/vindplaatsen").status_code == 200
