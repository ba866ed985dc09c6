"""area_changes: pairs over years, breaks, missing scores and recoded regions (hand-computed)."""

from __future__ import annotations

import pyarrow as pa

from wijkradar.compute.changes import area_changes, lineage
from wijkradar.compute.scoring import AREA_SCHEMA

# code: {year: (stacking, overall_index, status)}
SCORES = {
    "BU01": {2021: (2, 40.0, "ok"), 2022: (5, 55.0, "ok")},  # unchanged
    "BU02": {2021: (3, 50.0, "ok")},  # recoded into BU09 in 2022
    "BU09": {2022: (1, 45.0, "ok")},
    "BU03": {2022: (4, 60.0, "ok")},  # new, no predecessor
    "BU04": {2021: (1, 20.0, "ok"), 2022: (2, 30.0, "ok")},  # boundary changed in 2022
    "BU05": {2021: (None, None, "too_small"), 2022: (2, 30.0, "ok")},
}


def _table() -> pa.Table:
    rows = [
        {
            "framework": "tno",
            "reference": "NL01",
            "region_code": code,
            "level": "buurt",
            "period": year,
            "stacking": stacking,
            "toxic_mix": None,
            "overall_index": index,
            "protective": None,
            "status": status,
            "status_reason": "",
        }
        for code, years in SCORES.items()
        for year, (stacking, index, status) in years.items()
    ]
    return pa.Table.from_pylist(rows, schema=AREA_SCHEMA)


def _by_code(table: pa.Table) -> dict[tuple[str, int, int], tuple[object, ...]]:
    return {
        (r["region_code"], r["period"], r["base_period"]): (
            r["status"],
            r["d_stacking"],
            r["d_overall"],
            r["base_code"],
        )
        for r in table.to_pylist()
    }


BROKEN = [("BU04", 2022), ("BU09", 2022)]  # region_changes marks the recoded code as well
LINKS = [("BU02", 2021, "BU09", 2022)]


def test_pairs_breaks_and_missing() -> None:
    got = _by_code(area_changes(_table(), BROKEN))
    assert got[("BU01", 2022, 2021)] == ("ok", 3, 15.0, None)
    assert got[("BU03", 2022, 2021)] == ("break", None, None, None)
    assert got[("BU04", 2022, 2021)] == ("break", None, None, None)
    assert got[("BU05", 2022, 2021)] == ("missing", None, None, None)
    # Without a link the recoded code is a new area: a break, no comparison with BU02.
    assert got[("BU09", 2022, 2021)] == ("break", None, None, None)
    assert len(got) == 5


def test_recoded_region_compares_with_its_old_code() -> None:
    got = _by_code(area_changes(_table(), BROKEN, LINKS))
    assert got[("BU09", 2022, 2021)] == ("ok", 1 - 3, 45.0 - 50.0, "BU02")
    assert got[("BU01", 2022, 2021)] == ("ok", 3, 15.0, None)
    assert got[("BU04", 2022, 2021)] == ("break", None, None, None)
    assert len(got) == 5


def test_a_later_break_of_the_old_code_still_breaks_the_series() -> None:
    scores = _table()
    extra = pa.Table.from_pylist(
        [
            {**scores.slice(0, 1).to_pylist()[0], "region_code": "BU02", "period": 2020},
        ],
        schema=AREA_SCHEMA,
    )
    table = pa.concat_tables([scores, extra])
    got = _by_code(area_changes(table, [*BROKEN, ("BU02", 2021)], LINKS))
    assert got[("BU09", 2022, 2021)][0] == "ok"
    assert got[("BU09", 2022, 2020)] == ("break", None, None, "BU02")
    assert got[("BU02", 2021, 2020)] == ("break", None, None, None)


def test_lineage_follows_chains_in_year_order() -> None:
    codes = ["A", "B", "C", "D"]
    links = [("B", 2021, "C", 2022), ("A", 2020, "B", 2021)]
    assert lineage(codes, links).tolist() == [0, 0, 0, 3]
