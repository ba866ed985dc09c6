"""The vindplaatsen register on SQLite and PostgreSQL, over a real monitor DuckDB
(tests/api/sample_db: GM0001 with Centrum WK000101 = buurten BU00010101 (5.0-5.1 E,
52.0-52.1 N) and BU00010102 (52.1-52.2 N), Noord WK000102 = BU00010201 (5.1-5.2 E)): placed
by postcode or by point, refused with column/expected/found, roles, audit, atomic CSV import
(library and CLI), and the markers and coverage gaps on the radar map."""

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
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import AuditEntry, PostcodeBuurt
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.partners import area_signals as sig
from wijkradar.ops.partners import vindplaatsen
from wijkradar.ops.partners.models import Vindplaats
from wijkradar.ops.partners.place_points import BuurtShapes
from wijkradar.reports import svg
from wijkradar.store.ops_context import buurt_boundaries, wijk_boundaries

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from cli_run import Cli, runner
from sample_db import build_sample

GM1, GM2 = "GM0001", "GM0002"
COORD = Principal("coord-1", "coordinator", GM1)
EDITOR = Principal("editor-1", "editor", GM1)
USERS = {
    "coord-1": ("coordinator", GM1),
    "editor-1": ("editor", GM1),
    "analyst-1": ("analyst", GM1),
    "coord-2": ("coordinator", GM2),
}
PLACES_CSV = "naam;soort;postcode;huisnummer;lat;lon\n"


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("monitor") / "monitor.duckdb")


@pytest.fixture()
def store(ops_factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    clock.freeze(dt.datetime(2026, 11, 15, 12, 0))
    with ops_factory() as session, session.begin():
        add_users(session, USERS)
        sig.add_org(session, GM1, "Huisarts Centrum", "huisarts", ["WK000101"])
        for pc, buurt, wijk, gemeente in (
            ("1111AA", "BU00010201", "WK000102", GM1),
            ("2222AA", "BU00020101", "WK000201", GM2),
        ):
            session.add(
                PostcodeBuurt(
                    postcode=pc,
                    huisnummer=1,
                    buurt_code=buurt,
                    wijk_code=wijk,
                    gemeente_code=gemeente,
                )
            )
    yield ops_factory
    clock.freeze(None)


def _refused(session: Session, shapes: BuurtShapes, who: Principal, **kw: str) -> str:
    inp = vindplaatsen.PlaceInput(**{"name": "X", "kind": "school", **kw})
    with pytest.raises(vindplaatsen.PlaceRefused) as caught:
        vindplaatsen.add(session, who, GM1, inp, shapes)
    return str(caught.value)


def test_placed_by_point_or_postcode_refused_with_reasons(
    store: sessionmaker[Session], monitor: Path
) -> None:
    shapes = BuurtShapes(buurt_boundaries(monitor, GM1))
    centre = shapes.centre("BU00010201")
    assert centre is not None and centre == pytest.approx((52.1, 5.15))
    with store() as session, session.begin():
        by_point = vindplaatsen.add(
            session,
            EDITOR,
            GM1,
            vindplaatsen.PlaceInput("Bibliotheek Markt", "bibliotheek", lat="52,15", lon="5.05"),
            shapes,
        )
        by_address = vindplaatsen.add(
            session,
            COORD,
            GM1,
            vindplaatsen.PlaceInput("Voedselbank Noord", "voedselbank", "1111 aa", "1"),
            shapes,
        )
        assert (by_point.buurt_code, by_point.wijk_code) == ("BU00010102", "WK000101")
        assert (by_point.latitude, by_point.postcode) == (52.15, None)
        assert (by_address.buurt_code, by_address.postcode) == ("BU00010201", "1111AA")
        swapped = _refused(session, shapes, COORD, lat="5.05", lon="52.15")
        assert "lat: expected a latitude 50.7-53.6 (WGS84 degrees), found '5.05'" in swapped
        assert "lon: expected a longitude 3.3-7.3" in swapped
        outside = _refused(session, shapes, COORD, lat="52.1", lon="5.3")  # in GM0002
        assert "expected a point inside a buurt of GM0001, found 52.1, 5.3" in outside
        other = _refused(session, shapes, COORD, postcode="2222AA", huisnummer="1")
        assert "expected an address in GM0001, found 2222AA 1 in GM0002" in other
        assert "huisnummer: expected a house number" in _refused(
            session, shapes, COORD, postcode="1111AA", huisnummer="1a"
        )
        assert "expected postcode and huisnummer, or lat and lon, found neither" in _refused(
            session, shapes, COORD
        )
        assert "soort: expected one of" in _refused(
            session, shapes, COORD, kind="kerk", lat="52.05", lon="5.05"
        )
        for who in (Principal("a", "analyst", GM1), Principal("c", "coordinator", GM2)):
            with pytest.raises(vindplaatsen.NotAllowed):
                vindplaatsen.add(
                    session, who, GM1, vindplaatsen.PlaceInput("Y", "school", "1111AA", "1")
                )
        with pytest.raises(vindplaatsen.NotAllowed):
            vindplaatsen.remove(session, Principal("c", "coordinator", GM2), by_point.id)
        vindplaatsen.remove(session, COORD, by_point.id)
    with store() as session:
        assert [p.name for p in vindplaatsen.listing(session, GM1)] == ["Voedselbank Noord"]
        log = session.execute(
            select(AuditEntry.username, AuditEntry.action, AuditEntry.record_id)
            .where(AuditEntry.record_type == "vindplaats")
            .order_by(AuditEntry.id)
        ).all()
        assert [tuple(r) for r in log] == [
            ("editor-1", "change", by_point.id),
            ("coord-1", "change", by_address.id),
            ("coord-1", "delete", by_point.id),
        ]


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Vindplaats)) or 0)


def test_csv_import_is_atomic_library_and_cli(
    store: sessionmaker[Session],
    ops_url: str,
    monitor: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shapes = BuurtShapes(buurt_boundaries(monitor, GM1))
    bad = (
        PLACES_CSV
        + "Buurthuis De Kern;buurthuis;1111AA;1;;\n"
        + "School Oost;school;;;52.05;x\n"
        + "Huisarts West;huisarts;;;;\n"
    ).encode()
    with pytest.raises(vindplaatsen.PlaceRefused) as caught:
        vindplaatsen.import_csv(store, COORD, GM1, bad, "plaatsen.csv", shapes)
    assert caught.value.problems == [
        (
            "plaatsen.csv row 3 column lon",
            "expected a longitude 3.3-7.3 (WGS84 degrees), found 'x'",
        ),
        (
            "plaatsen.csv row 4 column postcode",
            "expected postcode and huisnummer, or lat and lon, found neither",
        ),
    ]
    assert _count(store) == 0
    with pytest.raises(vindplaatsen.PlaceRefused, match="row 1 column lat: expected the header"):
        vindplaatsen.import_csv(store, COORD, GM1, b"naam;soort;postcode;huisnummer\n", "p.csv")
    with pytest.raises(vindplaatsen.NotAllowed):
        vindplaatsen.import_csv(store, Principal("a", "analyst", GM1), GM1, bad, "p.csv")
    cli: Cli = runner(capsys, monkeypatch)
    path = tmp_path / "plaatsen.csv"
    path.write_bytes(bad)
    base = ["--gemeente", GM1, "--db", str(monitor), "--ops-db", ops_url]
    code, _, err = cli(["partners", "vindplaats", "import", str(path), *base])
    assert code == 2
    assert (
        "error: plaatsen.csv row 3 column lon: expected a longitude 3.3-7.3 (WGS84 degrees), "
        "found 'x' (and 1 more); nothing imported" in err
    )
    assert "plaatsen.csv row 4 column postcode" in err and _count(store) == 0
    path.write_text(
        PLACES_CSV + "Buurthuis De Kern;buurthuis;1111AA;1;;\nSchool Oost;school;;;52.05;5.07\n",
        encoding="utf-8",
    )
    code, out, _ = cli(["partners", "vindplaats", "import", str(path), *base])
    assert (code, out.strip()) == (0, "imported 2 vindplaatsen")
    code, out, _ = cli(
        ["partners", "vindplaats", "add", "GGD-post", "--kind", "anders", "--lat", "52.19",
         "--lon", "5.01", *base]
    )  # fmt: skip
    assert code == 0 and out.strip().endswith("\tGGD-post\tanders\tBU00010102")
    code, out, _ = cli(["partners", "vindplaats", "list", "--gemeente", GM1, "--ops-db", ops_url])
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert [(r[2], r[5], r[6]) for r in lines] == [
        ("GGD-post", "BU00010102", "WK000101"),
        ("School Oost", "BU00010101", "WK000101"),
        ("Buurthuis De Kern", "BU00010201", "WK000102"),
    ]
    code, out, _ = cli(["partners", "vindplaats", "remove", lines[0][0], "--ops-db", ops_url])
    assert (code, _count(store)) == (0, 2)
    with store() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_type == "vindplaats")
        ).all()
        assert sorted(actions) == ["change", "change", "change", "delete", "import"]


def _client(monitor: Path, ops_url: str) -> TestClient:
    return TestClient(
        create_app(Settings(db=monitor), OpsSettings(db=ops_url)),
        base_url="https://testserver",
        follow_redirects=False,
    )


def test_markers_and_gaps_on_the_radar_map(
    store: sessionmaker[Session], monitor: Path, ops_url: str
) -> None:
    analyst = _client(monitor, ops_url)
    login(analyst, "analyst-1")
    before = analyst.get("/werk/radar")
    assert before.status_code == 200 and 'class="wr-place"' not in before.text
    # Noord has neither partner nor vindplaats: outlined as a gap, marked in the table
    assert before.text.count('class="wr-gap"') == 1
    noord = re.search(r'<tr id="wijk-WK000102".*?</tr>', before.text)
    assert noord and '<span class="flag">gat</span>' in noord.group(0)
    editor = _client(monitor, ops_url)
    csrf = login(editor, "editor-1")
    for form in (
        {"naam": "Bibliotheek Markt", "soort": "bibliotheek", "lat": "52.15", "lon": "5.05"},
        {
            "naam": "Voedselbank Noord",
            "soort": "voedselbank",
            "postcode": "1111AA",
            "huisnummer": "1",
        },
    ):
        assert editor.post("/werk/vindplaatsen", data={**form, "csrf": csrf}).status_code == 303
    wrong = {"naam": "Z", "soort": "school", "lat": "52.1", "lon": "5.3", "csrf": csrf}
    assert editor.post("/werk/vindplaatsen", data=wrong).status_code == 422
    token = login(analyst, "analyst-1")
    form = {"naam": "Q", "soort": "school", "postcode": "1111AA", "huisnummer": "1"}
    assert analyst.post("/werk/vindplaatsen", data={**form, "csrf": token}).status_code == 403
    after = analyst.get("/werk/radar")
    assert 'class="wr-gap"' not in after.text  # Noord has a vindplaats now
    markers = re.findall(
        r'<a href="/werk/vindplaatsen#place-(\d+)" class="wr-place" data-kind="(\w+)">'
        r"<title>([^<]+)</title>(<[^>]+>)</a>",
        after.text,
    )
    assert [(k, t) for _, k, t, _ in markers] == [
        ("bibliotheek", "bibliotheek: Bibliotheek Markt"),
        (
            "voedselbank",
            "voedselbank: Voedselbank Noord (plek bij benadering: midden van de buurt)",
        ),
    ]
    # each marker stands where its point (or its buurt's centre) falls on the same projection
    shapes = svg.outlines(wijk_boundaries(monitor, GM1))
    for (_, _, _, element), (lon, lat) in zip(markers, ((5.05, 52.15), (5.15, 52.1)), strict=True):
        x, y = shapes.point(lon, lat)
        if element.startswith("<circle"):
            got = re.search(r'cx="([\d.]+)" cy="([\d.]+)"', element)
            assert got and (float(got.group(1)), float(got.group(2))) == pytest.approx(
                (x, y), abs=0.1
            )
        else:  # the library's diamond: its top point lies straight above the centre
            first = re.search(r'points="([\d.]+),([\d.]+)', element)
            assert first and float(first.group(1)) == pytest.approx(x, abs=0.1)
            assert float(first.group(2)) < y
    assert "bibliotheek</li>" in after.text and "voedselbank</li>" in after.text  # legend
    english = analyst.get("/werk/radar?lang=en")
    assert "food bank: Voedselbank Noord (approximate: buurt centre)" in english.text
    # the register page: same markers, each linked to its row; editors may remove
    places = editor.get("/werk/vindplaatsen")
    ids = [i for i, *_ in markers]
    for i in ids:
        assert f'href="#place-{i}"' in places.text and f'<tr id="place-{i}"' in places.text
    assert "52.15000, 5.05000" in places.text and "Verwijderen" in places.text
    assert "Verwijderen" not in analyst.get("/werk/vindplaatsen").text
    gone = editor.post(f"/werk/vindplaatsen/{ids[0]}/verwijderen", data={"csrf": csrf})
    assert gone.status_code == 303
    other = _client(monitor, ops_url)
    theirs = login(other, "coord-2")
    assert (
        other.post(f"/werk/vindplaatsen/{ids[1]}/verwijderen", data={"csrf": theirs}).status_code
        == 403
    )
    assert _count(store) == 1
