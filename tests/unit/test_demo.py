"""The synthetic demo generator: format, consistency, events, determinism, and reading it back."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely

from wijkradar.sources.demo import PUBLISHER, DemoFiles, demo_sources, generate
from wijkradar.sources.demo.figures import SECRET_WHEN_TINY, VARIABLES

CANONICAL = {spec.key for spec in VARIABLES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    start = time.perf_counter()
    files = generate(tmp_path_factory.mktemp("demo"))
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"small demo took {elapsed:.2f} s"
    return files


def _table(files: DemoFiles, year: int) -> dict[str, dict[str, Any]]:
    """Rows by stripped code, with suffixes stripped from the keys (read back by hand)."""
    folder = files.kwb_dir / f"DEMO{year}"
    rows = json.loads((folder / "UntypedDataSet.json").read_text(encoding="utf-8"))["value"]
    return {
        row["WijkenEnBuurten"].strip(): {re.sub(r"_\d+$", "", k): v for k, v in row.items()}
        for row in rows
    }


def _num(text: str) -> float:
    return float(text.strip())


def test_odata_dump_format(demo: DemoFiles) -> None:
    keys_by_year = {}
    for year in demo.years:
        folder = demo.kwb_dir / f"DEMO{year}"
        info = json.loads((folder / "TableInfos.json").read_text(encoding="utf-8"))["value"][0]
        assert info["Identifier"] == f"DEMO{year}" and info["Period"] == str(year)
        assert "SYNTHETISCHE DEMO / synthetic demo" in info["Title"]
        props = json.loads((folder / "DataProperties.json").read_text(encoding="utf-8"))["value"]
        topics = {p["Key"] for p in props if p["Type"] == "Topic"}
        assert {re.sub(r"_\d+$", "", k) for k in topics} >= CANONICAL
        keys_by_year[year] = topics
        names = json.loads((folder / "WijkenEnBuurten.json").read_text(encoding="utf-8"))["value"]
        assert names[0] == {**names[0], "Key": "NL00      ", "Title": "Nederland"}
        rows = _table(demo, year)
        assert rows["NL00"]["SoortRegio"] == "Land     "
    assert keys_by_year[2019] != keys_by_year[2022]  # suffixes move between editions, as at CBS


def test_counts_add_up_and_parts_fit(demo: DemoFiles) -> None:
    for year in demo.years:
        rows = _table(demo, year)
        parents = (("BU", "WK", 8), ("WK", "GM", 6), ("GM", "NL", 2))
        for level_prefix, parent_prefix, cut in parents:
            sums: dict[str, float] = {}
            for code, row in rows.items():
                if code.startswith(level_prefix):
                    parent = "NL00" if parent_prefix == "NL" else parent_prefix + code[2:cut]
                    sums[parent] = sums.get(parent, 0) + _num(row["AantalInwoners"])
            for parent, total in sums.items():
                assert _num(rows[parent]["AantalInwoners"]) == total, (year, parent)
        for row in rows.values():
            people = _num(row["AantalInwoners"])
            assert _num(row["Mannen"]) + _num(row["Vrouwen"]) == people
            ages = (
                "k_0Tot15Jaar",
                "k_15Tot25Jaar",
                "k_25Tot45Jaar",
                "k_45Tot65Jaar",
                "k_65JaarOfOuder",
            )
            assert sum(_num(row[a]) for a in ages) == people
            assert _num(row["Eenpersoonshuishoudens"]) <= _num(row["HuishoudensTotaal"])
            assert _num(row["InBezitWoningcorporatie"]) <= _num(row["HuurwoningenTotaal"]) + 0.5
            assert 1 <= _num(row["MateVanStedelijkheid"]) <= 5


def test_merger_and_changed_wijk(demo: DemoFiles) -> None:
    y2021, y2022 = _table(demo, 2021), _table(demo, 2022)
    assert {"GM9803", "GM9804"} <= set(y2021) and "GM9805" not in y2021
    assert "GM9805" in y2022 and not {"GM9803", "GM9804"} & set(y2022)
    assert _num(y2022["GM9805"]["AantalInwoners"]) > _num(y2021["GM9803"]["AantalInwoners"])
    assert all(
        y2022[c]["IndelingswijzigingWijkenEnBuurten"] == "2"
        for c in y2022
        if c.startswith("WK9805")
    )
    changed = [
        c
        for c, r in y2021.items()
        if c.startswith("WK") and r["IndelingswijzigingWijkenEnBuurten"] == "3"
    ]
    assert len(changed) == 2 and all(c.startswith("WK9801") for c in changed)
    changes = json.loads(demo.changes.read_text(encoding="utf-8"))["changes"]
    merged = [(c["code_from"], c["code_to"]) for c in changes if c["kind"] == "merged"]
    assert sorted(merged) == [("GM9803", "GM9805"), ("GM9804", "GM9805")]
    donor = [c for c in changes if c["kind"] == "changed" and c["year_to"] == 2021]
    assert sum(
        c["weight"] for c in donor if c["code_from"] == donor[0]["code_from"]
    ) == pytest.approx(1)


def test_tiny_buurten_secret_and_some_missing(demo: DemoFiles) -> None:
    rows = _table(demo, 2023)
    tiny = [r for c, r in rows.items() if c.startswith("BU") and _num(r["AantalInwoners"]) < 50]
    assert len(tiny) >= 2
    assert all(r[k].strip() == "." for r in tiny for k in SECRET_WHEN_TINY)
    cells = [v for r in rows.values() for v in r.values() if isinstance(v, str)]
    assert cells.count("") + sum(v.strip() == "-" for v in cells) >= 3
    assert any(v.strip() == "-99997" for v in cells)


def test_latent_factors_make_realistic_correlations(demo: DemoFiles) -> None:
    rows = [
        r
        for c, r in _table(demo, 2022).items()
        if c.startswith("BU") and _num(r["AantalInwoners"]) >= 50
    ]
    low = np.array([_num(r["HuishoudensMetEenLaagInkomen"]) for r in rows])
    bijstand = np.array(
        [_num(r["PersonenPerSoortUitkeringBijstand"]) / _num(r["AantalInwoners"]) for r in rows]
    )
    woz = np.array(
        [
            _num(r["GemiddeldeWOZWaardeVanWoningen"])
            if r["GemiddeldeWOZWaardeVanWoningen"].strip() not in ("", "-")
            else np.nan
            for r in rows
        ]
    )
    assert np.corrcoef(low, bijstand)[0, 1] > 0.4
    ok = ~np.isnan(woz)
    assert np.corrcoef(low[ok], woz[ok])[0, 1] < -0.2
    ww = [_num(_table(demo, y)["NL00"]["PersonenPerSoortUitkeringWW"]) for y in (2019, 2020, 2022)]
    assert ww[1] > ww[0] and ww[1] > ww[2]  # the corona year


def test_deterministic_for_a_seed(demo: DemoFiles, tmp_path: Path) -> None:
    again = generate(tmp_path / "a", years=[2021])
    other = generate(tmp_path / "b", years=[2021], seed=7)
    name = "DEMO2021/UntypedDataSet.json"
    original = (demo.kwb_dir / name).read_bytes()
    assert (again.kwb_dir / name).read_bytes() == original
    assert (other.kwb_dir / name).read_bytes() != original


def test_boundaries_tile_each_gemeente(demo: DemoFiles) -> None:
    data = json.loads((demo.boundaries_dir / "buurten_2022.geojson").read_text(encoding="utf-8"))
    assert data["crs"]["properties"]["name"].endswith("28992")
    gemeenten = json.loads(
        (demo.boundaries_dir / "gemeenten_2022.geojson").read_text(encoding="utf-8")
    )
    outline = {
        f["properties"]["gemeentecode"]: shapely.from_geojson(json.dumps(f["geometry"]))
        for f in gemeenten["features"]
    }
    assert set(outline) == {"GM9801", "GM9802", "GM9805"}
    by_gemeente: dict[str, list[Any]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        assert set(props) >= {
            "buurtcode",
            "buurtnaam",
            "wijkcode",
            "gemeentecode",
            "gemeentenaam",
            "jaar",
        }
        by_gemeente.setdefault(props["gemeentecode"], []).append(
            shapely.from_geojson(json.dumps(feature["geometry"]))
        )
    for code, cells in by_gemeente.items():
        union = shapely.union_all(cells)
        # Equal up to the 1 cm coordinate grid: no gaps, no overlaps.
        assert union.area == pytest.approx(outline[code].area, rel=1e-6)
        assert sum(c.area for c in cells) == pytest.approx(
            outline[code].area, rel=1e-6
        )  # no overlaps
        minx, miny, maxx, maxy = union.bounds
        assert minx > 0 and maxx < 280000 and miny > 300000 and maxy < 625000


def test_read_back_through_the_build_sources(demo: DemoFiles) -> None:
    results = [r for source in demo_sources(demo) for r in source.read()]
    assert all(r.provenance.publisher == PUBLISHER for r in results)
    kwb = [r for r in results if r.provenance.table_id.startswith("DEMO2")]
    assert len(kwb) == 5 and all(r.suppressed > 0 for r in kwb)
    gebieden = [r for r in results if r.provenance.table_id.startswith("DEMOGEB")]
    assert [r.provenance.kind for r in gebieden] == ["regions"] * 5
    links = {
        (g.code, g.provincie_code) for r in gebieden if r.provenance.year == 2022 for g in r.regions
    }
    assert links == {("PV98", "PV98"), ("GM9801", "PV98"), ("GM9802", "PV98"), ("GM9805", "PV98")}
    variables = {v.key for r in kwb for v in r.variables}
    assert variables >= CANONICAL
    regions_2022 = {g.code for r in kwb if r.provenance.year == 2022 for g in r.regions}
    assert "GM9805" in regions_2022 and "GM9803" not in regions_2022
    local = next(r for r in results if r.provenance.kind == "local")
    assert "ggd_psychische_klachten" in set(local.observations.column("variable").to_pylist())
    changes = [c for r in results for c in r.changes]
    assert {c.kind for c in changes} >= {"merged", "changed", "recoded"}
    boundaries = [b for r in results for b in r.boundaries]
    assert len({(b.code, b.year) for b in boundaries}) == len(boundaries) > 500
