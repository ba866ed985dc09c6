"""Ranking page (gemeente column, index beside stacking, paging, protective label), the status
reason in the page's language, units in English, and the kind of a source deciding disclosure.

The sample database (sample_db.py) is extended here with a local file whose mapping names "CBS"
as publisher, a second "Kerkbuurt Noord" in another gemeente and a stored reason code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from sample_db import SOURCE, build_sample

from wijkradar.api.app import create_app
from wijkradar.api.routers import pages
from wijkradar.api.settings import Settings

LOCAL = "CBS/telling/2023@abcabcabcabc"  # a local file; its mapping says publisher: CBS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = build_sample(tmp_path_factory.mktemp("ranking") / "monitor.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, "
        "licence, checksum, url, kind) VALUES (?, 'CBS', 'telling', 'Telling', NULL, "
        "'2024-05-01T12:00:00Z', 'eigen', ?, 'file:///x.csv', 'local')",
        [LOCAL, "sha256:" + "ab" * 32],
    )
    # Two buurten of the same name in different gemeenten; the second has 7 (a local count).
    for code, name in (("BU00010102", "Kerkbuurt Noord"), ("BU00020101", "Kerkbuurt Noord")):
        con.execute("UPDATE regions SET name = ? WHERE code = ?", [name, code])
    con.execute(
        "INSERT INTO indicator_values VALUES ('WK000101', 'wijk', 2023, 'bijstand', 7, 'ok', "
        "'aantal', ?)",
        [[LOCAL]],
    )
    con.execute(
        "INSERT INTO indicator_values VALUES ('WK000102', 'wijk', 2023, 'bijstand', 7, 'ok', "
        "'aantal', ?)",
        [[SOURCE]],
    )
    con.execute(
        "INSERT INTO indicator_values VALUES ('WK000101', 'wijk', 2023, 'sociaal_minimum', 3.5, "
        "'ok', 'per 100 inwoners', ?)",
        [[SOURCE]],
    )
    con.execute(
        "INSERT INTO area_status_reasons VALUES ('NL01', 'BU00010201', 'buurt', 2023, "
        "'too_small', '{\"min_population\": 50}')"
    )
    con.close()
    with TestClient(create_app(Settings(db=path))) as client:
        yield client


def test_a_local_count_is_suppressed_whatever_publisher_it_names(site: TestClient) -> None:
    values = {
        v["indicator"]: v["figure"]
        for v in site.get("/api/v1/values/WK000101", params={"year": 2023}).json()["values"]
    }
    assert values["bijstand"]["value"] is None and values["bijstand"]["status"] == "suppressed"
    published = {
        v["indicator"]: v["figure"]
        for v in site.get("/api/v1/values/WK000102", params={"year": 2023}).json()["values"]
    }
    assert published["bijstand"]["value"] == 7.0  # CBS open data (kind observations)
    html = site.get("/gebied/WK000101").text
    row = html[html.index('data-indicator="bijstand"') :].split("</tr>")[0]
    assert "status-suppressed" in row and ">7<" not in row


def test_ranking_shows_gemeente_index_and_tells_namesakes_apart(site: TestClient) -> None:
    html = site.get("/ranglijst", params={"level": "buurt"}).text
    rows = re.findall(r'<tr data-code="(BU\d+)">(.*?)</tr>', html)
    cells = {code: re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for code, row in rows}
    kerk = [c for c, row in cells.items() if "Kerkbuurt Noord" in row[1]]
    assert sorted(kerk) == ["BU00010102", "BU00020101"]
    assert {cells[c][2] for c in kerk} == {"Demodorp", "Voorbeeldstad"}
    # rank, area, gemeente, code, stacking, index, status
    assert cells["BU00010101"][0] == "1" and cells["BU00010101"][4:6] == ["3", "90,0"]


def test_protective_ranking_says_lowest_first(site: TestClient) -> None:
    html = site.get("/ranglijst", params={"level": "wijk", "metric": "protective"}).text
    assert "Beschermende factoren (laagste eerst)" in html
    assert html.index("WK000101") < html.index("WK000201") < html.index("WK000102")
    en = site.get("/ranglijst", params={"level": "wijk", "metric": "char:age", "lang": "en"})
    assert en.status_code == 200 and 'value="char:age" selected' in en.text


def test_long_rankings_are_paged(site: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "ROWS_PER_PAGE", 3)
    # fresh pages: the site keeps pages of a build, and this test changes the page size
    fresh = {"Cache-Control": "no-cache"}
    first = site.get("/ranglijst", params={"level": "buurt"}, headers=fresh).text
    second = site.get("/ranglijst", params={"level": "buurt", "pagina": 2}, headers=fresh).text
    codes = [re.findall(r'<tr data-code="(BU\d+)">', h) for h in (first, second)]
    assert len(codes[0]) == 3 and len(codes[1]) == 1 and not set(codes[0]) & set(codes[1])
    assert 'aria-current="page">2<' in second and "pagina=2" in first


def test_profile_gives_the_reason_in_the_page_language(site: TestClient) -> None:
    nl = site.get("/gebied/BU00010201").text
    en = site.get("/gebied/BU00010201", params={"lang": "en"}).text
    assert "minder dan 50 inwoners" in nl
    assert "fewer than 50 inhabitants" in en and "minder dan" not in en
    api = site.get("/api/v1/scores/BU00010201").json()
    assert api["status_reason_code"] == "too_small"
    assert api["status_reason"] == "minder dan 50 inwoners"
    api_en = site.get("/api/v1/scores/BU00010201", params={"lang": "en"}).json()
    assert api_en["status_reason"] == "fewer than 50 inhabitants"


def test_units_are_translated_on_english_pages(site: TestClient) -> None:
    en = site.get("/gebied/WK000101", params={"lang": "en"}).text
    nl = site.get("/gebied/WK000101").text
    assert "<td>count</td>" in en and "<td>aantal</td>" not in en
    assert "<td>per 100 inhabitants</td>" in en and "per 100 inwoners" not in en
    assert "<td>aantal</td>" in nl and "<td>per 100 inwoners</td>" in nl
    method = site.get("/methode", params={"lang": "en"}).text
    assert "per 100 inwoners" not in method and "per 100 inhabitants" in method


def test_a_source_without_a_year_reads_not_applicable(site: TestClient) -> None:
    html = site.get("/bronnen").text
    row = html[html.index(f'data-source="{LOCAL}"') :].split("</tr>")[0]
    assert "<td>n.v.t.</td>" in row and "None" not in row


def test_a_local_mapping_that_declares_a_count_is_released_as_a_count(tmp_path: Path) -> None:
    """The methodology's unit of local_laaggeletterdheid is %, but a mapping that declares
    `unit: aantal` for its variable makes the stored value a count: it leaves suppressed."""
    path = build_sample(tmp_path / "monitor.duckdb")
    local = "Gemeente X/laaggeletterdheid/2023@abcdef"
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO sources (source_id, publisher, table_id, title, year, retrieved_at, "
        "licence, checksum, url, kind) VALUES (?, 'Gemeente X', 'laaggeletterdheid', 'Telling', "
        "2023, '2024-05-01T12:00:00Z', 'eigen', ?, 'file:///x.csv', 'local')",
        [local, "sha256:" + "cd" * 32],
    )
    con.execute(
        "INSERT INTO variables VALUES ('local_laaggeletterdheid', ?, 'Laaggeletterden', "
        "'aantal', '')",
        [local],
    )
    for code, value in (("WK000101", 7.0), ("WK000102", 23.0)):
        con.execute(
            "INSERT INTO indicator_values VALUES (?, 'wijk', 2023, 'local_laaggeletterdheid', ?, "
            "'ok', '%', ?)",
            [code, value, [local]],
        )
    con.close()
    with TestClient(create_app(Settings(db=path))) as client:

        def shown(code: str) -> dict[str, object]:
            values = client.get(f"/api/v1/values/{code}", params={"year": 2023}).json()["values"]
            return next(v["figure"] for v in values if v["indicator"] == "local_laaggeletterdheid")

        assert shown("WK000101")["value"] is None and shown("WK000101")["status"] == "suppressed"
        assert shown("WK000102")["value"] == 25.0  # rounded to 5
