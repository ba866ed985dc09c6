"""CbsKwbOnline against httpx.MockTransport serving responses in CBS OData v3's format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from wijkradar.domain import Level, WijkradarError
from wijkradar.sources import registry
from wijkradar.sources.cbs_kwb import CbsKwbOnline

BASE = "https://opendata.cbs.nl/ODataApi/odata/85618NED"


def fixture_json(fixtures: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (fixtures / "cbs" / "odata" / "85618NED" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


class FakeCbs:
    """Serves the 85618NED fixture like CBS does, with $top/$skip paging and $filter."""

    def __init__(self, fixtures: Path, failures: int = 0, next_links: bool = False) -> None:
        self.tables = {
            name: fixture_json(fixtures, name)
            for name in ("TableInfos", "DataProperties", "WijkenEnBuurten", "UntypedDataSet")
        }
        self.requests: list[httpx.Request] = []
        self.failures = failures
        self.next_links = next_links

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            self.failures -= 1
            return httpx.Response(503, text="Service Unavailable")
        parts = urlsplit(str(request.url))
        name = parts.path.rsplit("/", 1)[-1]
        if not parts.path.startswith("/ODataApi/odata/85618NED/") or name not in self.tables:
            return httpx.Response(404, text="not found")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        rows = self.tables[name]["value"]
        if "$filter" in query:
            wanted = [t.split("'")[1] for t in query["$filter"].split(" or ")]
            rows = [r for r in rows if r["SoortRegio_2"].strip() in wanted]
        body: dict[str, Any] = {"odata.metadata": f"{BASE}/$metadata#{name}"}
        if "$top" in query:
            top, skip = int(query["$top"]), int(query.get("$skip", "0"))
            page = rows[skip : skip + top]
            if self.next_links and skip + top < len(rows):
                body["odata.nextLink"] = f"{BASE}/{name}?$format=json&$top={top}&$skip={skip + top}"
            rows = page
        body["value"] = rows
        return httpx.Response(200, json=body)


def source(tmp_path: Path, fake: FakeCbs, **options: Any) -> CbsKwbOnline:
    client = httpx.Client(transport=httpx.MockTransport(fake))
    return CbsKwbOnline(
        years=[2023], cache_dir=tmp_path / "cache", client=client, sleep=lambda s: None, **options
    )


def data_requests(fake: FakeCbs) -> list[httpx.Request]:
    return [r for r in fake.requests if r.url.path.endswith("/UntypedDataSet")]


def test_pages_with_top_and_skip(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    (result,) = source(tmp_path, fake, page_size=3).read()
    skips = [r.url.params["$skip"] for r in data_requests(fake)]
    assert skips == ["0", "3", "6"]  # 8 rows in pages of 3
    assert result.observations.num_rows == 8 * 5
    assert result.provenance.table_id == "85618NED"
    assert result.provenance.url == BASE
    assert {r.code: r.name for r in result.regions}["BU03630000"] == "Kop Zeedijk"
    assert (result.suppressed, result.missing) == (5, 2)


def test_follows_next_link(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures, next_links=True)
    (result,) = source(tmp_path, fake, page_size=5).read()
    assert len(data_requests(fake)) == 2
    assert len(result.regions) == 8


def test_503_then_success(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures, failures=2)
    slept: list[float] = []
    online = CbsKwbOnline(
        years=[2023],
        cache_dir=tmp_path / "cache",
        client=httpx.Client(transport=httpx.MockTransport(fake)),
        sleep=slept.append,
        backoff=0.5,
    )
    (result,) = online.read()
    assert slept == [0.5, 1.0]
    assert len(result.regions) == 8


def test_gives_up_after_bounded_attempts(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures, failures=100)
    with pytest.raises(WijkradarError, match="gave up after 3 attempts"):
        list(source(tmp_path, fake, max_attempts=3).read())
    assert len(fake.requests) == 3
    assert not list((tmp_path / "cache").rglob("manifest.json"))


def test_connection_errors_are_retried(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    calls = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectTimeout("timed out", request=request)
        return fake(request)

    online = CbsKwbOnline(
        years=[2023],
        cache_dir=tmp_path / "cache",
        client=httpx.Client(transport=httpx.MockTransport(flaky)),
        sleep=lambda s: None,
    )
    assert len(next(iter(online.read())).regions) == 8


def test_cache_hit_does_no_request(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    first = next(iter(source(tmp_path, fake).read()))
    fetched = len(fake.requests)
    assert fetched > 0
    again = source(tmp_path, fake)
    second = next(iter(again.read()))
    fingerprint = again.fingerprint()
    assert len(fake.requests) == fetched
    assert second.provenance == first.provenance
    assert fingerprint.startswith("sha256:")


def test_changed_cache_is_refetched(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    online = source(tmp_path, fake)
    folder = online.ensure_cached(2023)
    fetched = len(fake.requests)
    page = folder / "UntypedDataSet-0001.json"
    page.write_bytes(page.read_bytes().replace(b"17811291", b"99999999"))
    next(iter(online.read()))
    assert len(fake.requests) == 2 * fetched
    assert b"17811291" in page.read_bytes()


def test_levels_filter_on_soort_regio(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    (result,) = source(tmp_path, fake, levels=["gemeente"]).read()
    (request,) = data_requests(fake)
    assert request.url.params["$filter"] == "substringof('Gemeente',SoortRegio_2)"
    assert {r.code for r in result.regions} == {"GM0363", "GM0014"}
    assert {r.level for r in result.regions} == {Level.GEMEENTE}


def test_http_404_is_a_clear_error(fixtures: Path, tmp_path: Path) -> None:
    fake = FakeCbs(fixtures)
    online = CbsKwbOnline(
        years=[2023],
        cache_dir=tmp_path / "cache",
        client=httpx.Client(transport=httpx.MockTransport(fake)),
        base_url="https://opendata.cbs.nl/ODataApi/odata/wrong",
    )
    with pytest.raises(WijkradarError, match="HTTP 404"):
        list(online.read())


def test_registered_under_its_name(tmp_path: Path) -> None:
    online = registry.create("cbs-kwb-online", years=[2023], cache_dir=tmp_path)
    assert online.name == "cbs-kwb-online"
