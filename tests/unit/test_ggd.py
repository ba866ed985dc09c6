"""Gezondheidsmonitor source: CBS's export forms (xlsx, JSON, dump folder) and OData online."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from openpyxl import Workbook

from wijkradar.domain import InputError
from wijkradar.sources import registry
from wijkradar.sources.ggd import GgdFiles, GgdOnline

BASE = "https://dataderden.cbs.nl/ODataApi/odata"
HEADER = [
    "ID",
    "Leeftijd",
    "Marges",
    "WijkenEnBuurten",
    "Perioden",
    "Gemeentenaam_1",
    "SoortRegio_2",
    "Codering_3",
    "ErnstigZeerErnstigEenzaam_29",
    "MoeiteMetRondkomen_38",
    "BeperktVanwegeGezondheid_17",
]
REGIONS = [
    ("NL01", "Nederland", "Land"),
    ("GM0363", "Amsterdam", "Gemeente"),
    ("WK036300", "Amsterdam", "Wijk"),
    ("BU03630000", "Amsterdam", "Buurt"),
]
# (Leeftijd, Marges) -> offset added to the estimate, so each cell is told apart
CELLS = {
    ("20300", "MW00000"): 0.0,
    ("20300", "MOG0095"): -2.0,
    ("20300", "MBG0095"): 2.5,
    ("53115", "MW00000"): 10.0,
}


def pad(value: str, width: int = 8) -> str:
    return value.rjust(width)


def rows(periods: tuple[str, ...] = ("2016JJ00",)) -> list[list[Any]]:
    out: list[list[Any]] = []
    for period in periods:
        for (age, margin), offset in CELLS.items():
            for n, (code, name, kind) in enumerate(REGIONS):
                lonely = pad(f"{10.0 + n + offset:.1f}")
                money = "       ." if code == "BU03630000" else pad(f"{20.0 + n + offset:.1f}")
                names = [code.ljust(10), period, name.ljust(40), kind.ljust(10), code.ljust(20)]
                out.append([len(out) + 1, int(age), margin, *names, lonely, money, None])
    return out


def write_xlsx(path: Path, data: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    book.save(path)
    return path


def records(data: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(HEADER, row, strict=True)) for row in data]


def by_key(results: list[Any]) -> dict[tuple[int, str, str], tuple[float | None, str]]:
    out = {}
    for result in results:
        for r in result.observations.to_pylist():
            out[(r["period"], r["region_code"], r["variable"])] = (r["value"], r["status"])
    return out


def test_xlsx_export_ages_margins_markers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "50090NED_2016_UntypedDataSet.xlsx", rows())
    source = GgdFiles(path)
    (result,) = source.read()
    got = by_key([result])
    assert got[(2016, "GM0363", "ErnstigZeerErnstigEenzaam")] == (11.0, "ok")
    assert got[(2016, "GM0363", "ErnstigZeerErnstigEenzaam__lo95")] == (9.0, "ok")
    assert got[(2016, "GM0363", "ErnstigZeerErnstigEenzaam__hi95")] == (13.5, "ok")
    assert got[(2016, "WK036300", "MoeiteMetRondkomen_65plus")] == (32.0, "ok")
    # "." is secret: suppressed with no value, never 0
    assert got[(2016, "BU03630000", "MoeiteMetRondkomen")] == (None, "suppressed")
    assert result.suppressed == 4
    # a topic the table leaves empty is not stored as missing figures
    assert not any(key[2].startswith("BeperktVanwegeGezondheid") for key in got)
    assert {r.code for r in result.regions} == {code for code, _, _ in REGIONS}
    # 50090NED's 2016 figures are on the 2020 division: provenance and warnings say so
    assert result.provenance.year == 2016
    assert "gebiedsindeling 2020" in result.provenance.title
    assert any("2020 division" in w for w in source.warnings)
    variables = {v.key: v for v in result.variables}
    assert variables["MoeiteMetRondkomen__hi95"].unit == "%"
    assert "bovengrens" in variables["MoeiteMetRondkomen__hi95"].title
    assert "65 jaar of ouder" in variables["MoeiteMetRondkomen_65plus"].title


def test_json_export_and_dump_folder_read_the_same(tmp_path: Path) -> None:
    data = rows()
    xlsx = by_key(list(GgdFiles(write_xlsx(tmp_path / "50090NED.xlsx", data)).read()))
    single = tmp_path / "50090NED_UntypedDataSet.json"
    single.write_text(json.dumps({"value": records(data)}), encoding="utf-8")
    assert by_key(list(GgdFiles(single).read())) == xlsx
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "UntypedDataSet.json").write_text(json.dumps({"value": records(data)}))
    (folder / "TableInfos.json").write_text(
        json.dumps({"value": [{"Identifier": "50090NED", "Title": "Gezondheid per wijk en buurt"}]})
    )
    assert by_key(list(GgdFiles(folder).read())) == xlsx


def test_survey_years_are_not_carried_forward(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "50120NED.xlsx", rows(("2016JJ00", "2020JJ00")))
    results = list(GgdFiles(path).read())
    assert [r.provenance.year for r in results] == [2016, 2020]
    periods = {r["period"] for result in results for r in result.observations.to_pylist()}
    assert periods == {2016, 2020}  # nothing for 2017-2019
    # 50120NED's division is not stated in tables.yml: no note is invented
    assert all("gebiedsindeling" not in r.provenance.title for r in results)


def test_bad_value_names_row_and_column(tmp_path: Path) -> None:
    data = rows()
    data[5][8] = "   veel"
    with pytest.raises(InputError) as caught:
        list(GgdFiles(write_xlsx(tmp_path / "50090NED.xlsx", data)).read())
    assert (caught.value.row, caught.value.column, caught.value.found) == (
        7,
        "ErnstigZeerErnstigEenzaam_29",
        "veel",
    )


def test_registered_by_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "50090NED.xlsx", rows())
    source = registry.create("ggd-files", path=path)
    assert isinstance(source, GgdFiles)
    assert "ggd-online" in registry.names()


class FakeDataderden:
    """CBS's catalogue for third-party tables: OData v3 JSON with $top/$skip paging."""

    def __init__(self, data: list[list[Any]], age_key: str = "53115") -> None:
        values = records(data)
        for row in values:
            row["Leeftijd"] = age_key if str(row["Leeftijd"]) == "53115" else "20300"
        self.tables: dict[str, list[dict[str, Any]]] = {
            "TableInfos": [
                {
                    "Identifier": "50090NED",
                    "Title": "Gezondheid per wijk en buurt",
                    "Period": "2016",
                }
            ],
            "DataProperties": [
                {"Key": "Leeftijd", "Type": "Dimension", "Title": "Leeftijd"},
                {
                    "Key": "ErnstigZeerErnstigEenzaam_29",
                    "Type": "Topic",
                    "Title": "Ernstig/zeer ernstig eenzaam",
                    "Unit": "%",
                },
            ],
            "WijkenEnBuurten": [{"Key": c.ljust(10), "Title": n} for c, n, _ in REGIONS],
            "Leeftijd": [
                {"Key": "20300", "Title": "18 jaar of ouder"},
                {"Key": age_key, "Title": "65 jaar of ouder"},
            ],
            "UntypedDataSet": values,
        }
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        parts = urlsplit(str(request.url))
        name = parts.path.rsplit("/", 1)[-1]
        if not parts.path.startswith("/ODataApi/odata/50090NED/") or name not in self.tables:
            return httpx.Response(404, text="not found")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        found = self.tables[name]
        if "$top" in query:
            skip = int(query.get("$skip", "0"))
            found = found[skip : skip + int(query["$top"])]
        return httpx.Response(200, json={"odata.metadata": "x", "value": found})


def test_online_pages_and_caches(tmp_path: Path) -> None:
    data = rows()
    fake = FakeDataderden(data, age_key="99999")  # 65+ known only by its dimension title
    client = httpx.Client(transport=httpx.MockTransport(fake))
    online = GgdOnline(cache_dir=tmp_path / "cache", client=client, page_size=5)
    (result,) = online.read()
    assert str(fake.requests[0].url).startswith(f"{BASE}/50090NED/")
    skips = [r.url.params["$skip"] for r in fake.requests if r.url.path.endswith("UntypedDataSet")]
    assert skips == [str(n) for n in range(0, len(data) + 1, 5)]
    expected = by_key(list(GgdFiles(write_xlsx(tmp_path / "50090NED.xlsx", data)).read()))
    assert by_key([result]) == expected
    names = {r.code: r.name for r in result.regions}
    assert names["BU03630000"] == "Amsterdam" and names["GM0363"] == "Amsterdam"
    assert {v.key: v.title for v in result.variables}["ErnstigZeerErnstigEenzaam"].startswith(
        "Ernstig/zeer ernstig eenzaam"
    )
    before = len(fake.requests)
    list(online.read())  # from the cache: no new request
    assert len(fake.requests) == before


def test_real_file_when_present(shared_data: Path) -> None:
    path = shared_data / "gezondheidsmonitor" / "50090NED_2016_18plus_UntypedDataSet.xlsx"
    (result,) = GgdFiles(path).read()
    got = by_key([result])
    national = got[(2016, "NL01", "MoeiteMetRondkomen")][0]
    assert national is not None and 10 < national < 30
    assert got[(2016, "GM0363", "ErnstigZeerErnstigEenzaam")][1] == "ok"
    levels = set(result.observations.column("level").to_pylist())
    assert levels == {"land", "gemeente", "wijk", "buurt"}
    assert all(v is None for v, s in got.values() if s != "ok")


def test_kwb_reader_leaves_gezondheidsmonitor_files_alone(tmp_path: Path) -> None:
    from wijkradar.sources.cbs_kwb.files import discover

    write_xlsx(tmp_path / "50090NED_2016_UntypedDataSet.xlsx", rows())
    folder = tmp_path / "ggd_dump"
    folder.mkdir()
    (folder / "UntypedDataSet.json").write_text(json.dumps({"value": records(rows())}))
    (folder / "TableInfos.json").write_text(json.dumps({"value": [{"Identifier": "50120NED"}]}))
    properties = [{"Key": "Leeftijd", "Type": "Dimension"}, {"Key": "Marges", "Type": "Dimension"}]
    (folder / "DataProperties.json").write_text(json.dumps({"value": properties}))
    skipped: list[Path] = []
    assert discover(tmp_path, skipped) == []
    assert [p.name for p in skipped] == ["50090NED_2016_UntypedDataSet.xlsx"]
    assert {r.provenance.year for r in GgdFiles(folder).read()} == {2016}
