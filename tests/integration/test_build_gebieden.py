"""CBS "Gebieden in Nederland": provinces and the gemeente -> provincie link, offline and online."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from wijkradar.domain import InputError, Level
from wijkradar.pipeline import build
from wijkradar.sources import registry
from wijkradar.sources.cbs_gebieden import CbsGebiedenFiles, CbsGebiedenOnline, gebieden_dumps
from wijkradar.sources.cbs_gebieden.tables import gebieden_tables, table_for_year
from wijkradar.sources.cbs_kwb import CbsKwbFiles

# As CBS's 85385NED returns it: padded values, topic pairs Code_n / Naam_n+1 (COROP before
# provincie, so the provincie pair must be found by its PV codes, not by position).
ROWS = [
    ("GM0363", "Amsterdam", "CR23", "Groot-Amsterdam", "PV27", "Noord-Holland"),
    ("GM0344", "Utrecht", "CR17", "Utrecht", "PV26", "Utrecht"),
    ("GM0457", "Weesp", "CR23", "Groot-Amsterdam", "PV27", "Noord-Holland"),
]


def write_gebieden(folder: Path, rows: list[tuple[str, ...]] = ROWS, year: int = 2022) -> Path:
    folder.mkdir(parents=True)

    def dump(name: str, value: list[dict[str, Any]]) -> None:
        (folder / name).write_text(json.dumps({"value": value}), encoding="utf-8")

    dump(
        "TableInfos.json",
        [
            {
                "Identifier": table_for_year(year).table_id,
                "Title": f"Gebieden in Nederland {year}",
                "Period": str(year),
            }
        ],
    )
    dump(
        "DataProperties.json",
        [
            {"Type": "GeoDimension", "Key": "RegioS", "Title": "Regio's"},
            {"Type": "Topic", "Key": "Code_1", "Title": "Code"},
            {"Type": "Topic", "Key": "Naam_2", "Title": "Naam"},
            {"Type": "Topic", "Key": "Code_10", "Title": "Code"},
            {"Type": "Topic", "Key": "Naam_11", "Title": "Naam"},
            {"Type": "Topic", "Key": "Code_28", "Title": "Code"},
            {"Type": "Topic", "Key": "Naam_29", "Title": "Naam"},
        ],
    )
    dump(
        "UntypedDataSet.json",
        [
            {
                "ID": i,
                "RegioS": f"{gm:<8}",
                "Code_1": f"{gm:<8}",
                "Naam_2": f"{name:<30}",
                "Code_10": f"{cr:<6}",
                "Naam_11": f"{corop:<30}",
                "Code_28": f"{pv:<6}",
                "Naam_29": f"{province:<30}",
            }
            for i, (gm, name, cr, corop, pv, province) in enumerate(rows)
        ],
    )
    return folder


def test_provinces_and_links(tmp_path: Path) -> None:
    write_gebieden(tmp_path / "85067NED")
    (result,) = CbsGebiedenFiles(tmp_path).read()
    assert (result.provenance.year, result.provenance.kind) == (2022, "regions")
    assert result.observations.num_rows == 0
    by_code = {r.code: r for r in result.regions}
    assert (by_code["PV27"].name, by_code["PV27"].level) == ("Noord-Holland", Level.PROVINCIE)
    assert by_code["PV26"].name == "Utrecht"
    amsterdam = by_code["GM0363"]
    assert (amsterdam.name, amsterdam.parent_code, amsterdam.provincie_code) == (
        "Amsterdam",
        "PV27",
        "PV27",
    )
    assert len(by_code) == 5


def test_kwb_reader_leaves_gebieden_dumps_alone(fixtures: Path, tmp_path: Path) -> None:
    shutil.copytree(fixtures / "cbs" / "odata", tmp_path / "odata")
    write_gebieden(tmp_path / "85067NED")
    assert [p.name for p in gebieden_dumps(tmp_path)] == ["85067NED"]
    kwb = list(CbsKwbFiles(tmp_path).read())
    assert [r.provenance.table_id for r in kwb] == ["85618NED"]


def test_no_provincie_column_is_an_error(tmp_path: Path) -> None:
    rows = [(gm, name, cr, corop, cr, corop) for gm, name, cr, corop, _, _ in ROWS]
    write_gebieden(tmp_path / "85067NED", rows)
    with pytest.raises(InputError, match="no provincie columns"):
        list(CbsGebiedenFiles(tmp_path).read())


def test_one_province_two_names_names_the_row(tmp_path: Path) -> None:
    rows = [*ROWS[:2], ("GM0457", "Weesp", "CR23", "Groot-Amsterdam", "PV27", "Holland")]
    write_gebieden(tmp_path / "85067NED", rows)
    with pytest.raises(InputError) as caught:
        list(CbsGebiedenFiles(tmp_path).read())
    assert (caught.value.row, caught.value.column, caught.value.found) == (3, "Naam_29", "Holland")


def test_table_ids_and_registry() -> None:
    assert table_for_year(2023).table_id == "85385NED"
    assert not any(t.confirmed for t in gebieden_tables().values())
    assert isinstance(registry.create("cbs-gebieden-files", directory="."), CbsGebiedenFiles)


def test_build_fills_the_kwb_gemeente_province(fixtures: Path, tmp_path: Path) -> None:
    """KWB 2023 gives GM0363 without a province; Gebieden 2023 gives PV27: no conflict."""
    write_gebieden(tmp_path / "geb" / "85385NED", year=2023)
    db = tmp_path / "m.duckdb"
    build([CbsKwbFiles(fixtures / "cbs" / "odata"), CbsGebiedenFiles(tmp_path / "geb")], db)
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(
        (code, (parent, province))
        for code, parent, province in con.execute(
            "SELECT code, parent_code, provincie_code FROM regions WHERE year = 2023"
        ).fetchall()
    )
    assert rows["GM0363"] == ("PV27", "PV27")
    assert rows["PV27"] == ("NL00", "PV27")  # the land row of the KWB table tops the tree
    assert rows["BU03630000"] == ("WK036300", "PV27")


class FakeCbs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        name = request.url.path.rsplit("/", 1)[-1]
        assert request.url.path.startswith("/ODataApi/odata/85385NED/")
        body = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        if name == "UntypedDataSet":
            skip = int(request.url.params.get("$skip", "0"))
            top = int(request.url.params.get("$top", "10000"))
            body = {"value": body["value"][skip : skip + top]}
        return httpx.Response(200, json=body)


def test_online_fetches_once_then_uses_the_cache(tmp_path: Path) -> None:
    served = write_gebieden(tmp_path / "served", year=2023)
    fake = FakeCbs(served)
    client = httpx.Client(transport=httpx.MockTransport(fake))
    source = CbsGebiedenOnline([2023], cache_dir=tmp_path / "cache", client=client)
    (result,) = source.read()
    assert result.provenance.table_id == "85385NED"
    assert {r.code for r in result.regions} >= {"PV26", "PV27", "GM0344"}
    assert (tmp_path / "cache" / "85385NED" / "all" / "manifest.json").is_file()
    fetched = len(fake.requests)
    assert fetched == 3
    list(CbsGebiedenOnline([2023], cache_dir=tmp_path / "cache", client=client).read())
    assert len(fake.requests) == fetched
