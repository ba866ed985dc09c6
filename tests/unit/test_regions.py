"""Regions: hierarchy from codes, change detection, lineage and harmonisation sums."""

from __future__ import annotations

import pyarrow as pa
import pytest

from wijkradar.domain import OBSERVATION_SCHEMA, Level, Region, RegionChange
from wijkradar.regions import (
    became,
    came_from,
    code_in_year,
    complete_year,
    detect_changes,
    harmonise_gemeenten,
    known_reorganisations,
)
from wijkradar.regions.changes import flagged_codes, kwb_year, parse_reorganisations

GM = Level.GEMEENTE


def test_parents_follow_codes_and_provinces() -> None:
    regions = complete_year(
        2023,
        [Region("GM0363", "Amsterdam", GM, 2023, provincie_code="PV27")],
        ["BU03630001", "WK036300", "GM0599", "NL00"],
        provinces={"GM0599": "PV28"},
    )
    assert regions["BU03630001"].parent_code == "WK036300"
    assert regions["BU03630001"].gemeente_code == "GM0363"
    assert regions["BU03630001"].provincie_code == "PV27"
    assert regions["WK036300"].parent_code == "GM0363"
    assert regions["GM0363"].parent_code == "PV27"
    assert regions["GM0599"].parent_code == "PV28"
    assert regions["NL00"].parent_code is None
    assert "NL01" not in regions  # the source's land code tops the tree


def test_land_added_when_absent() -> None:
    regions = complete_year(2021, [], ["GM0014"])
    assert regions["NL01"].name == "Nederland"
    assert regions["GM0014"].parent_code == "NL01"


def test_kwb_year_of_a_change() -> None:
    import datetime as dt

    assert kwb_year(dt.date(2019, 1, 1)) == 2019
    assert kwb_year(dt.date(2022, 3, 24)) == 2023  # Weesp: after 1 January -> next KWB


def test_shipped_reorganisations_are_consistent() -> None:
    data = known_reorganisations()
    assert "CBS" in data.source
    weesp = [c for c in data.changes if c.code_from == "GM0457"]
    assert [(c.year_from, c.code_to, c.kind) for c in weesp] == [(2022, "GM0363", "merged")]
    haaren = {c.code_to for c in data.changes if c.code_from == "GM0788"}
    assert haaren == {"GM0757", "GM0824", "GM0855", "GM0865"}
    for change in data.changes:
        assert change.code_from.startswith("GM") and len(change.code_from) == 6
        assert change.code_to.startswith("GM") and len(change.code_to) == 6
        assert change.year_to == change.year_from + 1


# CBS's number of gemeenten on 1 January (KWB year); the reorganisations must add up to it.
GEMEENTEN_PER_YEAR = {2017: 388, 2018: 380, 2019: 355, 2020: 355, 2021: 352, 2022: 345, 2023: 342}


def test_shipped_reorganisations_add_up_to_the_number_of_gemeenten() -> None:
    changes = known_reorganisations().changes
    count = GEMEENTEN_PER_YEAR[2017]
    for year in range(2018, 2024):
        these = [c for c in changes if c.year_to == year]
        vanished = {c.code_from for c in these} - {c.code_to for c in these}
        created = {c.code_to for c in these} - {c.code_from for c in these}
        # A split's receivers existed already unless created by a merger the same day.
        created -= {c.code_to for c in these if c.kind == "split"} - {
            c.code_to for c in these if c.kind == "merged" and c.code_to != c.code_from
        }
        count += len(created) - len(vanished)
        assert count == GEMEENTEN_PER_YEAR[year], year


def test_shipped_reorganisations_fixed_codes() -> None:
    by_target = {}
    for c in known_reorganisations().changes:
        by_target.setdefault(c.code_to, set()).add(c.code_from)
    assert by_target["GM1963"] == {"GM0584", "GM0585", "GM0588", "GM0611", "GM0617"}
    assert by_target["GM1954"] == {"GM0881", "GM0951", "GM0962"}  # Onderbanken, Nuth, Schinnen
    # Wassenaar (GM0629) and Kerkrade (GM0928) were never merged in 2018-2025.
    codes = {c.code_from for c in known_reorganisations().changes}
    assert not codes & {"GM0629", "GM0928"}


def test_detect_same_appeared_disappeared_merged_and_flagged() -> None:
    merges = parse_reorganisations(
        {
            "changes": [
                {
                    "effective": "2022-01-01",
                    "kind": "merged",
                    "into": "GM0003",
                    "from": ["GM0001", "GM0002"],
                },
            ]
        }
    ).changes
    codes = {
        2021: {"GM0001", "GM0002", "GM0009", "BU00090001", "BU00090002"},
        2022: {"GM0003", "GM0009", "BU00090001", "BU00090003"},
    }
    changes = detect_changes(codes, known=merges, flagged={2022: {"BU00090001"}})
    got = {(c.code_from, c.code_to, c.kind) for c in changes}
    assert got == {
        ("GM0001", "GM0003", "merged"),
        ("GM0002", "GM0003", "merged"),
        ("GM0009", "GM0009", "same"),
        ("BU00090001", "BU00090001", "changed"),
        ("BU00090002", "", "disappeared"),
        ("", "BU00090003", "appeared"),
    }


def test_known_changes_for_codes_outside_the_data_are_left_out() -> None:
    changes = detect_changes(
        {2022: {"GM0363", "GM0457"}, 2023: {"GM0363"}}, known=known_reorganisations().changes
    )
    assert {c.code_from for c in changes} == {"GM0363", "GM0457"}


def test_flagged_records_from_a_source() -> None:
    """A source's "flagged" record: a break for a code in both years, never stored itself; a
    flagged new code appeared; a source's own record of the same pair wins (it has a weight)."""
    wk, bu = Level.WIJK, Level.BUURT
    codes = {
        2021: {"WK000901", "WK000902", "BU00090101"},
        2022: {"WK000901", "WK000902", "BU00090101", "BU00090102"},
    }
    known = [
        RegionChange(wk, 2021, "WK000901", 2022, "WK000901", "flagged", 1.0, "CBS flag 3: x"),
        RegionChange(bu, 2021, "BU00090102", 2022, "BU00090102", "flagged", 1.0, "CBS flag 2"),
        RegionChange(wk, 2021, "WK000902", 2022, "WK000902", "changed", 0.8, "moved out"),
        RegionChange(wk, 2021, "WK000902", 2022, "WK000902", "flagged", 1.0, "CBS flag 3: y"),
    ]
    changes = detect_changes(codes, known=known)
    got = {(c.code_from, c.code_to, c.kind, c.weight, c.note) for c in changes}
    assert got == {
        ("WK000901", "WK000901", "changed", 1.0, "CBS flag 3: x"),
        ("WK000902", "WK000902", "changed", 0.8, "moved out"),
        ("BU00090101", "BU00090101", "same", 1.0, ""),
        ("", "BU00090102", "appeared", 1.0, ""),
    }


def test_flag_values() -> None:
    rows = [("BU1", 2022, 1.0), ("BU2", 2022, 3.0), ("BU3", 2022, None), ("BU4", 2023, 2.0)]
    assert flagged_codes(rows) == {2022: {"BU2"}, 2023: {"BU4"}}


def chain() -> list[RegionChange]:
    return [
        RegionChange(GM, 2020, "GM0001", 2021, "GM0003", "merged"),
        RegionChange(GM, 2020, "GM0002", 2021, "GM0003", "merged"),
        RegionChange(GM, 2022, "GM0003", 2023, "GM0005", "merged"),
        RegionChange(GM, 2022, "GM0004", 2023, "GM0005", "merged"),
        RegionChange(GM, 2022, "GM0006", 2023, "GM0007", "split", 0.5),
        RegionChange(GM, 2022, "GM0006", 2023, "GM0008", "split", 0.5),
    ]


def test_lineage_forward_and_back() -> None:
    forward = became(chain(), "GM0001", 2020)
    assert [(s.year, s.code) for s in forward] == [(2021, "GM0003"), (2023, "GM0005")]
    back = came_from(chain(), "GM0005", 2023)
    assert {(s.year, s.code) for s in back} == {
        (2022, "GM0003"),
        (2022, "GM0004"),
        (2020, "GM0001"),
        (2020, "GM0002"),
    }
    assert code_in_year(chain(), "GM0002", 2019, 2024) == "GM0005"
    assert code_in_year(chain(), "GM0006", 2020, 2023) is None  # split
    assert code_in_year(chain(), "GM0009", 2020, 2023) == "GM0009"
    with pytest.raises(ValueError):
        code_in_year(chain(), "GM0001", 2023, 2020)


def observations(rows: list[tuple[str, int, str, float | None, str]]) -> pa.Table:
    return pa.table(
        {
            "region_code": [r[0] for r in rows],
            "level": ["gemeente"] * len(rows),
            "period": [r[1] for r in rows],
            "variable": [r[2] for r in rows],
            "value": [r[3] for r in rows],
            "status": [r[4] for r in rows],
            "source_id": ["s"] * len(rows),
        },
        schema=OBSERVATION_SCHEMA,
    )


UNITS = {"AantalInwoners": "aantal", "Perc": "%", "GemiddeldeHuishoudensgrootte": "aantal"}


def harmonised(rows: list[tuple[str, int, str, float | None, str]]) -> dict[tuple, tuple]:
    table = harmonise_gemeenten(
        observations(rows), UNITS, chain(), 2023, ["GM0005", "GM0007", "GM0008", "GM0009"]
    )
    return {
        (r["region_code"], r["period"], r["variable"]): (r["value"], r["status"], r["method"])
        for r in table.to_pylist()
    }


def test_counts_are_summed_over_merged_predecessors() -> None:
    result = harmonised(
        [
            ("GM0001", 2020, "AantalInwoners", 100.0, "ok"),
            ("GM0002", 2020, "AantalInwoners", 50.0, "ok"),
            ("GM0004", 2020, "AantalInwoners", 7.0, "ok"),
            ("GM0005", 2023, "AantalInwoners", 160.0, "ok"),
            ("GM0009", 2020, "AantalInwoners", 3.0, "ok"),
        ]
    )
    assert result[("GM0005", 2020, "AantalInwoners")] == (157.0, "ok", "summed")
    assert result[("GM0005", 2023, "AantalInwoners")] == (160.0, "ok", "same")
    assert result[("GM0009", 2020, "AantalInwoners")] == (3.0, "ok", "same")


def test_ratios_and_averages_are_breaks_not_sums() -> None:
    result = harmonised(
        [
            ("GM0003", 2022, "Perc", 10.0, "ok"),
            ("GM0004", 2022, "Perc", 20.0, "ok"),
            ("GM0003", 2022, "GemiddeldeHuishoudensgrootte", 2.0, "ok"),
            ("GM0004", 2022, "GemiddeldeHuishoudensgrootte", 2.2, "ok"),
        ]
    )
    assert result[("GM0005", 2022, "Perc")] == (None, "missing", "break")
    assert result[("GM0005", 2022, "GemiddeldeHuishoudensgrootte")] == (None, "missing", "break")


def test_suppressed_or_absent_predecessor_gives_no_sum() -> None:
    result = harmonised(
        [
            ("GM0003", 2022, "AantalInwoners", 150.0, "ok"),
            ("GM0004", 2022, "AantalInwoners", None, "suppressed"),
            ("GM0001", 2020, "AantalInwoners", 100.0, "ok"),
            # GM0002 and GM0004 have no 2020 row at all: the sum would be too small.
        ]
    )
    assert result[("GM0005", 2022, "AantalInwoners")] == (None, "suppressed", "summed")
    assert result[("GM0005", 2020, "AantalInwoners")] == (None, "missing", "summed")


def test_split_receivers_are_breaks() -> None:
    result = harmonised(
        [
            ("GM0006", 2022, "AantalInwoners", 100.0, "ok"),
            ("GM0007", 2022, "AantalInwoners", 10.0, "ok"),
        ]
    )
    assert result[("GM0007", 2022, "AantalInwoners")] == (None, "missing", "break")
    assert not any(key[0] == "GM0006" for key in result)
