"""The read side on a real `wijkradar demo` build: refusals of unknown parameters in every
channel, series breaks in every trend, DEMO in every output, Dutch numbers and CSV, the spine
chart, and a server that follows a new build."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_db import build_sample

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]
BREAK_WIJK = "WK980103"  # the demo moves a buurt into this wijk in 2021 (a series break)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("read-demo")
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


def _cli(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKRADAR_DB": str(db), "COLUMNS": "200"}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


@pytest.mark.parametrize(
    ("url", "status", "names"),
    [
        (f"/api/v1/scores/{BREAK_WIJK}?reference=GM0363", 404, "reference 'GM0363'"),
        (f"/api/v1/scores/{BREAK_WIJK}?framework=cdc", 404, "tno, corona_dashboard"),
        (f"/api/v1/scores/{BREAK_WIJK}?year=2011", 404, "2023, 2022"),
        ("/api/v1/rankings?level=wijk&within=GM0363", 404, "GM0363"),
        ("/api/v1/regions?level=wijk&within=GM0363", 404, "GM0363"),
        ("/api/v1/rankings?metric=theme:wealth", 404, "work_income"),
        ("/api/v1/rankings?metric=char:wealth", 404, "financial_buffer"),
        ("/api/v1/rankings?metric=flags", 422, "metric"),
        ("/api/v1/exports/wijk.csv?reference=XX01", 404, "XX01"),
    ],
)
def test_api_refuses_what_the_build_does_not_hold(
    demo: TestClient, url: str, status: int, names: str
) -> None:
    response = demo.get(url)
    assert response.status_code == status
    # a malformed parameter gets FastAPI's list of problems, the others one sentence
    assert names in str(response.json()["detail"])


def test_refusals_are_in_the_openapi_schema(demo: TestClient) -> None:
    paths = demo.get("/openapi.json").json()["paths"]
    scores = paths["/api/v1/scores/{code}"]["get"]["responses"]
    assert {"404", "422"} <= set(scores)
    assert scores["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


@pytest.mark.parametrize(
    "url",
    [
        "/kaart/GM0363",
        f"/gebied/{BREAK_WIJK}?reference=GM0363",
        "/kaart/NL01?metric=theme:wealth",
        "/ranglijst?within=GM0363",
        "/kaart/NL01?year=soon",
    ],
)
def test_pages_refuse_with_a_helpful_404(demo: TestClient, url: str) -> None:
    page = demo.get(url)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Niet gevonden" in page.text and 'href="/ranglijst"' in page.text
    assert 'class="refusal"' in page.text and "DEMO" in page.text


@pytest.mark.parametrize(
    "args",
    [
        ["show", BREAK_WIJK, "--reference", "GM0363"],
        ["show", BREAK_WIJK, "--year", "2011"],
        ["rank", "--within", "GM0363"],
        ["rank", "--by", "theme:wealth"],
        ["export", "--within", "GM0363", "--out", "x.csv"],
        ["export", "--dialect", "excel-fr", "--out", "x.csv"],
    ],
)
def test_cli_refuses_in_one_line_with_exit_2(
    demo_db: Path, tmp_path: Path, args: list[str]
) -> None:
    done = _cli(demo_db, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert not (tmp_path / "x.csv").exists()


def test_readme_demo_examples_work(demo_db: Path, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("Try them on the demo", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.strip().splitlines()]
    assert len(commands) >= 4
    (tmp_path / "var").mkdir()
    for command in commands:
        assert command[0] == "wijkradar"
        done = _cli(demo_db, *command[1:], cwd=tmp_path)
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.strip()


def test_trend_marks_the_series_break_in_api_page_and_cli(demo: TestClient, demo_db: Path) -> None:
    trend = demo.get(f"/api/v1/scores/{BREAK_WIJK}").json()["trend"]
    marked = [p for p in trend if p["series_break"]]
    assert [p["year"] for p in marked] == [2021]
    assert marked[0]["series_break"]["year_from"] == 2020
    assert "wijk" in marked[0]["series_break"]["note"]
    page = demo.get(f"/gebied/{BREAK_WIJK}").text
    assert 'data-break="2021"' in page and "Reeksbreuk 2020–2021" in page
    # the line stops at the break: two polylines, a dashed marker between 2020 and 2021
    stacking_chart = page[page.index('class="wr-spark"') :]
    stacking_chart = stacking_chart[: stacking_chart.index("</svg>")]
    assert stacking_chart.count("<polyline") == 2 and 'class="wr-break"' in stacking_chart
    shown = _cli(demo_db, "show", BREAK_WIJK).stdout
    assert re.search(r"2020: \d+ · ‖ reeksbreuk 2020–2021", " ".join(shown.split()))
    other = demo.get("/api/v1/scores/WK980102").json()["trend"]
    assert not any(p["series_break"] for p in other)


def test_demo_is_in_every_output(demo: TestClient, demo_db: Path, tmp_path: Path) -> None:
    assert _cli(demo_db, "show", BREAK_WIJK).stdout.startswith(" DEMO ")
    assert _cli(demo_db, "rank", "--level", "wijk").stdout.startswith(" DEMO ")
    sources = demo.get("/api/v1/build").json()["sources"]
    assert all("synthetisch" in s["publisher"] for s in sources)
    assert not any(s["publisher"].startswith("CBS") for s in sources)
    for fmt in ("csv", "xlsx", "geojson", "parquet"):
        out = tmp_path / f"wijken.{fmt}"
        assert _cli(demo_db, "export", "--format", fmt, "--out", str(out)).returncode == 0
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
            assert rows and all(r["demo"].startswith("DEMO") for r in rows)
        elif fmt == "geojson":
            features = json.loads(out.read_text(encoding="utf-8"))["features"]
            assert all(f["properties"]["demo"].startswith("DEMO") for f in features)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            assert set(pq.read_table(out).column("demo").to_pylist()) == {"DEMO (synthetic data)"}
        else:
            from openpyxl import load_workbook

            sheet = load_workbook(out)["data"]
            assert sheet["A1"].value == "demo" and str(sheet["A2"].value).startswith("DEMO")
    api_csv = demo.get("/api/v1/exports/wijk.csv").text
    assert api_csv.splitlines()[1].startswith("DEMO")


def test_excel_nl_dialect(demo: TestClient) -> None:
    body = demo.get("/api/v1/exports/wijk.csv", params={"dialect": "excel-nl"}).content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and "overall_index" in rows[0]
    index = next(r["overall_index"] for r in rows if r["overall_index"])
    assert re.fullmatch(r"\d+(,\d+)?", index), index
    plain = demo.get("/api/v1/exports/wijk.csv").text
    assert ";" not in plain.splitlines()[0] and "," in plain.splitlines()[0]


def test_dutch_numbers_in_pages_and_cli(demo: TestClient, demo_db: Path) -> None:
    scores = demo.get(f"/api/v1/scores/{BREAK_WIJK}").json()
    index = scores["overall_index"]["value"]
    dutch = f"{index:.1f}".replace(".", ",")
    assert "," in dutch
    page = demo.get(f"/gebied/{BREAK_WIJK}").text
    figure = re.search(r'data-figure="overall_index">([^<]*)<', page)
    assert figure is not None and figure.group(1).strip() == dutch
    assert "op een schaal van 0 tot 100" in page and "van 12 risicokenmerken" in page
    english = demo.get(f"/gebied/{BREAK_WIJK}", params={"lang": "en"}).text
    assert f"{index:.1f}" in english
    shown = _cli(demo_db, "show", BREAK_WIJK).stdout
    assert f"Index: {dutch} (0–100" in " ".join(shown.split())


def test_number_format_has_thousands_point() -> None:
    from wijkradar.reports.numbers import number

    assert number(12345.67, "nl", 1) == "12.345,7"
    assert number(12345.67, "en", 1) == "12,345.7"
    assert number(7.0, "nl") == "7" and number(None, "nl") == ""


def test_profile_leads_with_a_spine_chart(demo: TestClient) -> None:
    scores = demo.get(f"/api/v1/scores/{BREAK_WIJK}").json()
    spread = [c["spread"] for c in scores["characteristics"] if c["spread"]]
    assert spread and all(
        s["low"] <= s["q1"] <= s["median"] <= s["q3"] <= s["high"] for s in spread
    )
    page = demo.get(f"/gebied/{BREAK_WIJK}").text
    spine = page.index('class="wr-spine"')
    assert spine < page.index('id="sum-h"') and spine < page.index('id="char-h"')
    chart = page[spine : page.index("</svg>", spine)]
    flagged = sum(1 for c in scores["characteristics"] if c["flagged"])
    assert chart.count('fill="#cb181d"') == flagged
    assert chart.count('class="wr-spine-area"') == sum(
        1
        for c in scores["characteristics"] + scores["protective_factors"]
        if c["spread"] and c["score"]["value"] is not None
    )
    # against another reference the spread of all areas does not apply
    other = demo.get(f"/gebied/{BREAK_WIJK}", params={"reference": "GM9801"}).text
    assert 'class="wr-spine"' not in other


def test_serve_follows_a_new_build_without_restart(demo_db: Path, tmp_path: Path) -> None:
    live = tmp_path / "monitor.duckdb"
    shutil.copy(demo_db, live)
    other = build_sample(tmp_path / "other.duckdb", demo=False)
    with TestClient(create_app(Settings(db=live))) as client:
        first = client.get("/api/v1/build").json()
        assert first["demo"] is True
        before = client.get("/")
        assert "DEMO" in before.text
        os.replace(other, live)  # what a build does when it publishes
        second = client.get("/api/v1/build").json()
        assert second["build_id"] != first["build_id"] and second["demo"] is False


def test_protection_reads_in_one_direction(demo: TestClient, demo_db: Path) -> None:
    """Protective factors leave as protection (higher = better protected) in every channel: the
    headline protection is the mean of the factors shown, rankings put the least protected first
    and maps keep the darkest colour for the most vulnerable end."""
    checked = 0
    for row in demo.get("/api/v1/rankings", params={"level": "wijk"}).json()["rows"][:8]:
        out = demo.get(f"/api/v1/scores/{row['code']}").json()
        factors = [c["score"]["value"] for c in out["protective_factors"]]
        if out["protective"]["value"] is None or None in factors:
            continue
        assert out["protective"]["value"] == pytest.approx(sum(factors) / len(factors), abs=0.01)
        checked += 1
    assert checked >= 3
    ranked = demo.get(
        "/api/v1/rankings", params={"level": "wijk", "metric": "char:nearby_care"}
    ).json()["rows"]
    values = [r["figure"]["value"] for r in ranked if r["figure"]["value"] is not None]
    assert values == sorted(values)  # least protected (lowest protection) first
    exported = list(csv.DictReader(io.StringIO(demo.get("/api/v1/exports/wijk.csv").text)))
    by_code = {r["code"]: r for r in exported}
    first = ranked[0]
    assert float(by_code[first["code"]]["char_nearby_care"]) == pytest.approx(
        first["figure"]["value"], abs=0.01
    )
    from wijkradar.reports import svg

    assert svg.scale_for("protective").colour(95) == svg.PALETTE[0]
    assert svg.scale_for("index").colour(95) == svg.PALETTE[-1]


def test_api_answers_304_for_the_build_it_serves(demo: TestClient) -> None:
    first = demo.get(f"/api/v1/scores/{BREAK_WIJK}")
    build_id = demo.get("/api/v1/build").json()["build_id"]
    assert first.headers["etag"] == f'W/"{build_id}"'
    again = demo.get(
        f"/api/v1/scores/{BREAK_WIJK}", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    stale = demo.get(f"/api/v1/scores/{BREAK_WIJK}", headers={"If-None-Match": 'W/"old"'})
    assert stale.status_code == 200 and stale.json()["region"]["code"] == BREAK_WIJK
    refused = demo.get("/api/v1/scores/WK980103?year=2011")
    assert refused.status_code == 404 and "etag" not in refused.headers


def test_api_answers_are_kept_per_build(demo_db: Path, tmp_path: Path) -> None:
    live = tmp_path / "monitor.duckdb"
    shutil.copy(demo_db, live)
    with TestClient(create_app(Settings(db=live))) as client:
        first = client.get(f"/api/v1/scores/{BREAK_WIJK}")
        assert client.get(f"/api/v1/scores/{BREAK_WIJK}").content == first.content
        gz = client.get(f"/api/v1/scores/{BREAK_WIJK}", headers={"Accept-Encoding": "gzip"})
        assert gz.json() == first.json()
        other = build_sample(tmp_path / "other.duckdb", demo=False)
        os.replace(other, live)
        after = client.get(f"/api/v1/scores/{BREAK_WIJK}")
        assert after.status_code == 404  # the new build has no such area: not the old answer
        assert after.headers.get("etag") is None


def test_ranking_page_offers_csv_for_dutch_excel(demo: TestClient) -> None:
    page = demo.get("/ranglijst", params={"level": "wijk"}).text
    href = re.search(r'href="([^"]*dialect=excel-nl[^"]*)"', page)
    assert href is not None
    body = demo.get(href[1].replace("&amp;", "&")).content
    assert body.startswith(b"\xef\xbb\xbfdemo;code;name;level;year")


def test_build_constants_are_read_once_per_build(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkradar.store import constants

    loads: list[str] = []
    real_load = constants.load

    def counting(con: object) -> constants.BuildConstants:
        found = real_load(con)  # type: ignore[arg-type]
        loads.append(found.build_id)
        return found

    monkeypatch.setattr(constants, "load", counting)
    monkeypatch.setattr(constants, "_CACHE", {})
    live = tmp_path / "monitor.duckdb"
    shutil.copy(demo_db, live)
    with TestClient(create_app(Settings(db=live))) as client:
        for url in (
            f"/api/v1/scores/{BREAK_WIJK}?lang=en",
            "/api/v1/rankings?level=wijk",
            f"/gebied/{BREAK_WIJK}",
            "/kaart/GM9801",
            "/api/v1/exports/wijk.csv",
        ):
            assert client.get(url).status_code == 200
        assert len(loads) == 1
        os.replace(build_sample(tmp_path / "other.duckdb", demo=False), live)
        assert client.get("/api/v1/build").status_code == 200
        assert len(loads) == 2 and loads[0] != loads[1]


def test_public_pages_are_kept_but_never_for_a_signed_in_request(demo: TestClient) -> None:
    first = demo.get("/kaart/GM9801")
    assert first.status_code == 200 and first.headers["etag"].startswith('W/"')
    again = demo.get("/kaart/GM9801", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    signed_in = demo.get(
        "/kaart/GM9801",
        headers={"If-None-Match": first.headers["etag"], "Cookie": "session=abc"},
    )
    assert signed_in.status_code == 200 and "etag" not in signed_in.headers


def test_a_reload_asks_for_a_fresh_answer(demo: TestClient) -> None:
    url = f"/api/v1/scores/{BREAK_WIJK}"
    cached = demo.get(url)
    assert demo.get(url, headers={"Cache-Control": "no-cache"}).json() == cached.json()


def test_a_new_build_warms_the_national_map_pages(demo_db: Path, tmp_path: Path) -> None:
    """serve fills the per-build caches on a thread of its own when it opens a build (the
    first and each new one), so the first reader of a national map does not wait for them."""
    import time

    from wijkradar.api.routers import pages
    from wijkradar.store.reader import LiveDatabase

    live = tmp_path / "monitor.duckdb"
    shutil.copy(demo_db, live)
    opened: list[str] = []
    db = LiveDatabase(live, on_new_build=lambda: opened.append("opened"))
    db.cursor()
    db.cursor()
    os.replace(build_sample(tmp_path / "other.duckdb", demo=False), live)
    new_id = db.build_id()
    deadline = time.monotonic() + 10
    while len(opened) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened == ["opened", "opened"]  # once per build, not per cursor
    db.close()

    with TestClient(create_app(Settings(db=live))) as client:
        assert client.get("/api/v1/build").json()["build_id"] == new_id
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(key[0] == new_id and key[2] == "wijk" for key in list(pages._MAPS)):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the national wijk map was not computed after the build opened")
