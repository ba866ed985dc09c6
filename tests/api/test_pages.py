"""HTML pages: drill-down, profile, ranking, method, sources; Dutch first, English on request."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_db import SOURCE

from wijkradar.api.app import create_app
from wijkradar.api.routers import pages
from wijkradar.api.settings import Settings
from wijkradar.methodology import load


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _outline(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Outline()
    parser.feed(html)
    return parser.tags


PAGES = [
    "/",
    "/kaart/GM0001",
    "/kaart/WK000101",
    "/gebied/WK000101",
    "/ranglijst?level=wijk",
    "/methode",
    "/bronnen",
]


def test_every_page_has_landmarks_one_h1_and_footer(client: TestClient) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        tags = _outline(response.text)
        names = [t for t, _ in tags]
        assert names.count("h1") == 1, url
        assert {"header", "nav", "main", "footer"} <= set(names), url
        assert tags[0] == ("html", {"lang": "nl"}), url
        assert 'class="skip" href="#content"' in response.text
        assert (
            "DEMO" in response.text and "2026.1" in response.text and "CC BY 4.0" in response.text
        )
        for tag, attrs in tags:
            if tag == "th" and attrs.get("scope") is None:
                raise AssertionError(f"{url}: <th> without scope")


def test_map_drills_down_with_links_and_table(client: TestClient) -> None:
    html = client.get("/").text
    assert html.count('<a href="/kaart/GM0001') >= 2  # map area and table row
    assert "<title>Demodorp: 2</title>" in html
    wijk = client.get("/kaart/GM0001").text
    assert "<title>Centrum: 3</title>" in wijk and "<caption>" in wijk
    buurt = client.get("/kaart/WK000101").text
    assert 'href="/gebied/BU00010101' in buurt


def test_map_shows_suppressed_and_missing_distinctly(client: TestClient) -> None:
    html = client.get("/kaart/GM0001", params={"metric": "char:age"}).text
    assert "url(#wr-suppressed)" in html
    assert "onderdrukt" in html
    missing = client.get("/kaart/GM0001", params={"metric": "char:low_education"}).text
    assert "url(#wr-missing)" in missing and "ontbreekt" in missing


def test_profile_explains_flags_and_trend(client: TestClient) -> None:
    html = client.get("/gebied/WK000101").text
    assert "Waarom gemarkeerd?" in html
    why = html[html.index('id="why-h"') : html.index('id="char-h"')]
    assert "Kleine financiële buffer" in why and "financial_buffer</th>" not in html
    row = re.search(r'<tr data-indicator="laag_inkomen">(.*?)</tr>', why)
    assert row is not None
    assert "14,2" in row[1] and "%" in row[1] and "95" in row[1] and "CBS, 85618NED, 2023" in row[1]
    risk = html[html.index('id="char-h"') : html.index('id="prot-h"')]
    protective = html[html.index('id="prot-h"') : html.index('id="theme-h"')]
    assert risk.count('<tr class="flagged"') == 3 and risk.count("data-characteristic=") == 12
    assert "Zorg dichtbij" in protective and "Zorg dichtbij" not in risk
    assert re.search(r'role="img" aria-label="Stapeling: 2022 2, 2023 3"', html)
    assert "Gemiddeld gebied (wijken) in Demodorp" in html and "in Nederland" in html
    small = client.get("/gebied/BU00010201").text
    assert "te klein om te rangschikken" in small


def test_english_switch(client: TestClient) -> None:
    html = client.get("/gebied/WK000101", params={"lang": "en"}).text
    assert '<html lang="en">' in html and "Why is it flagged?" in html
    # links keep the language and any choice that differs from the defaults
    assert 'href="/kaart/GM0001?lang=en"' in html
    chosen = client.get("/gebied/WK000101", params={"lang": "en", "year": 2022}).text
    assert 'href="/kaart/GM0001?year=2022&amp;lang=en"' in chosen


def test_ranking_page_and_csv(client: TestClient) -> None:
    html = client.get("/ranglijst", params={"level": "wijk"}).text
    assert html.index("Centrum") < html.index("Haven") < html.index("Noord")
    csv_response = client.get("/ranglijst", params={"level": "wijk", "format": "csv"})
    assert "attachment" in csv_response.headers["content-disposition"]
    # the sample build is a demo build: its files say so in their first column
    assert csv_response.text.splitlines()[0].startswith("demo,code,name,level,year,stacking")


def test_unknown_area_is_404(client: TestClient) -> None:
    assert client.get("/gebied/WK999999").status_code == 404


def test_national_map_at_wijk_and_buurt_level(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = client.get("/kaart/NL01", params={"niveau": "wijk"}).text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert re.findall(r'<a href="/kaart/(WK\d+)"><title>', svg) == [
        "WK000101",
        "WK000102",
        "WK000201",
    ]
    assert svg.count("<style>") == 1 and ' fill="' not in svg.split("</defs>")[1].split("<g ")[1]
    # A page refuses an impossible parameter with a 404 page saying why (the API keeps 422).
    refused = client.get("/kaart/GM0001", params={"niveau": "gemeente"})
    assert refused.status_code == 404 and "is not below gemeente" in refused.text
    # the accessible table pages without JavaScript; the map keeps every area
    monkeypatch.setattr(pages, "ROWS_PER_PAGE", 3)
    fresh = {"Cache-Control": "no-cache"}  # the site keeps pages; this test changes their size
    first = client.get("/kaart/NL01", params={"niveau": "buurt"}, headers=fresh).text
    assert first.count("<tr data-code=") == 3 and "pagina 1 van 2" in first
    assert 'href="/kaart/NL01?niveau=buurt&amp;pagina=2#table-h"' in first
    assert first[first.index("<svg") : first.index("</svg>")].count('<a href="/gebied/BU') == 4
    second = client.get("/kaart/NL01", params={"niveau": "buurt", "pagina": 2}, headers=fresh).text
    assert re.findall(r'<tr data-code="(\w+)"', second) == ["BU00020101"]


def test_method_page_is_generated_from_the_methodology(client: TestClient) -> None:
    m = load("2026.1")
    nl = client.get("/methode").text
    en = client.get("/methode", params={"lang": "en"}).text
    for ind in m.indicators:
        row = re.search(rf'<tr data-indicator="{ind.id}">(.*?)</tr>', nl)
        assert row is not None, ind.id
        assert ind.labels.nl in row[1] and ind.unit in row[1]
        assert ("benadering" in row[1]) == (ind.measure == "proxy")
        assert ("hoger = kwetsbaarder" in row[1]) == (ind.polarity == "higher_is_worse")
        assert ind.labels.en in en
    # each indicator sits under the characteristic it serves
    for c in m.characteristics:
        table = re.search(rf'<table data-characteristic="{c.id}">(.*?)</table>', nl, re.S)
        inds = m.indicators_for(c.id)
        assert (table is not None) == bool(inds)
        if table:
            assert re.findall(r'data-indicator="(\w+)"', table[1]) == [i.id for i in inds]
    tno = m.framework("tno")
    matrix = re.search(r'<table data-framework="tno">(.*?)</table>', nl, re.S)
    assert matrix is not None
    body = matrix[1].split("<tbody>")[1]
    cells = [re.findall(r'<td class="num">(\d)</td>', r) for r in body.split("</tr>")[:-1]]
    assert cells == [
        [str(tno.weight(c.id, th.id)) for th in tno.themes] for c in m.risk_characteristics
    ]
    assert f'<td class="num">{m.settings.min_population}</td>' in nl


def test_sources_page_lists_the_build_provenance(client: TestClient) -> None:
    html = client.get("/bronnen").text
    row = re.search(rf'<tr data-source="{re.escape(SOURCE)}">(.*?)</tr>', html)
    assert row is not None
    assert "85618NED" in row[1] and "CC BY 4.0" in row[1] and "sha256:012345678" in row[1]
    assert "abcdef0123456789" in html and "0.1.0" in html


def test_base_url_gives_absolute_canonical_and_language_alternates(sample_db: Path) -> None:
    settings = Settings(db=sample_db, base_url="https://wijkradar.example.nl/")
    with TestClient(create_app(settings)) as other:
        html = other.get("/gebied/WK000101", params={"lang": "en", "year": 2022}).text
    base = "https://wijkradar.example.nl/gebied/WK000101?year=2022"
    assert f'<link rel="canonical" href="{base}&amp;lang=en">' in html
    assert f'<link rel="alternate" hreflang="nl" href="{base}">' in html
    assert 'rel="canonical"' not in client_default_html(sample_db)


def client_default_html(sample_db: Path) -> str:
    with TestClient(create_app(Settings(db=sample_db))) as plain:
        return plain.get("/gebied/WK000101").text


def test_reference_menu_names_each_area(client: TestClient, sample_db: Path) -> None:
    """Reference options read "name (code)"; the names come from one query per page."""
    from wijkradar.store import queries
    from wijkradar.store.reader import open_read

    con = open_read(sample_db)
    year = queries.latest_year(con)
    names = queries.reference_names(con, year)
    assert names["GM0001"] == "Demodorp" and names["GM0002"] == "Voorbeeldstad"
    assert names["NL00"] == names["NL01"]  # the country under both of its codes
    assert "WK000101" not in names  # wijken are never a reference
    html = client.get("/kaart/GM0001").text
    option = re.search(r'<option value="NL01"[^>]*>([^<]*)</option>', html)
    assert option is not None and option.group(1) == f"{names['NL01']} (NL01)"
