"""Spec: a small table in, hand-computed scores out (methodology 2026.1, reference NL01).

Areas A-D have 1 000 inhabitants, E has 100 (below the minimum of 200). Values:

    area  laag_inkomen %  AO count   65+ count  jeugdzorg %
    A     10              10         300        5
    B     20              30         100        5
    C     20              suppressed 200        5
    D     40              20         400        10
    E     5               1          10         1

Percentiles p = 100 (r − 1)/(n − 1), ties averaged, C's AO and all of E left out:
    laag_inkomen  A 0, B 50, C 50, D 100
    ao_uitkering  (1, 3, -, 2 per 100)  A 0, B 100, D 50
    ouderen       (30, 10, 20, 40 %)    A 66.7, B 0, C 33.3, D 100
    jeugdzorg     ranks 2, 2, 2, 4      A 33.3, B 33.3, C 33.3, D 100
Flags (top decile of each score): buffer D, disability B, age D, family D.
Stacking A 0, B 1, D 3 (toxic mix); C has 3 scored characteristics < 4: insufficient_data.
Index A = mean(0, 0, 66.7, 33.3) = 25, B = mean(50, 100, 0, 33.3) = 45.8, D = 87.5.
Theme work & income (weights buffer 3, disability 2, family 2, age 2; available 9 of 22, above a
0.4 share set for this spec): D = (300 + 100 + 200 + 200) / 9 = 88.9, A = (0 + 0 + 66.7 + 133.3) /
9 = 22.2.
"""

from __future__ import annotations

import dataclasses
import json

import pyarrow as pa
import pytest
from read_ranks import ranks_as_read

from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_level_year
from wijkradar.methodology import load

CODES = ["BU00010001", "BU00010002", "BU00010003", "BU00010004", "BU00010005"]
A, B, C, D, E = CODES
SRC = "CBS/85618NED/2022@000000000000"


def _inputs() -> LevelYear:
    rows: list[tuple[str, str, float | None, str]] = []
    table = {
        "AantalInwoners": [1000, 1000, 1000, 1000, 100],
        "HuishoudensMetEenLaagInkomen": [10, 20, 20, 40, 5],
        "PersonenPerSoortUitkeringAO": [10, 30, None, 20, 1],
        "k_65JaarOfOuder": [300, 100, 200, 400, 10],
        "PercentageJongerenMetJeugdzorg": [5, 5, 5, 10, 1],
    }
    for var, values in table.items():
        for code, value in zip(CODES, values, strict=True):
            rows.append(
                (
                    code,
                    var,
                    None if value is None else float(value),
                    "ok" if value is not None else "suppressed",
                )
            )
    obs = pa.table(
        {
            "region_code": [r[0] for r in rows],
            "variable": [r[1] for r in rows],
            "value": pa.array([r[2] for r in rows], type=pa.float64()),
            "status": [r[3] for r in rows],
            "source_id": [SRC] * len(rows),
        }
    )
    return LevelYear.from_long("buurt", 2022, CODES, [None] * 5, [None] * 5, obs)


@pytest.fixture(scope="module")
def result() -> dict[str, dict[tuple[str, str], object]]:
    m = load("2026.1")
    m = dataclasses.replace(m, settings=dataclasses.replace(m.settings, min_theme_weight_share=0.4))
    tables = score_level_year(_inputs(), m)
    ranks = ranks_as_read(tables)
    chars = {
        (r["region_code"], r["characteristic"]): (r["score"], r["flagged"], r["n_indicators"])
        for r in tables.characteristic_scores.to_pylist()
    }
    areas = {(r["region_code"], r["framework"]): r for r in tables.area_scores.to_pylist()}
    themes = {
        (r["region_code"], r["theme"]): r["score"]
        for r in tables.theme_scores.to_pylist()
        if r["framework"] == "tno"
    }
    reasons = {
        r["region_code"]: (r["reason_code"], json.loads(r["reason_params"]))
        for r in tables.area_status_reasons.to_pylist()
    }
    return {"ranks": ranks, "chars": chars, "areas": areas, "themes": themes, "reasons": reasons}  # type: ignore[dict-item]


def test_indicator_percentiles(result: dict) -> None:  # type: ignore[type-arg]
    ranks = result["ranks"]
    assert [ranks[(c, "laag_inkomen")][0] for c in (A, B, C, D)] == [0, 50, 50, 100]
    assert ranks[(C, "ao_uitkering")] == (None, "suppressed")
    assert [ranks[(c, "ao_uitkering")][0] for c in (A, B, D)] == [0, 100, 50]
    assert ranks[(E, "laag_inkomen")] == (None, "too_small")
    assert ranks[(A, "ouderen")][0] == pytest.approx(200 / 3)
    assert ranks[(A, "jeugdzorg")][0] == pytest.approx(100 / 3)
    assert ranks[(A, "ggd_psychische_klachten")] == (None, "missing")


def test_characteristics_and_flags(result: dict) -> None:  # type: ignore[type-arg]
    chars = result["chars"]
    assert chars[(B, "financial_buffer")] == (50.0, False, 1)
    assert chars[(D, "financial_buffer")] == (100.0, True, 1)
    assert chars[(B, "disability")] == (100.0, True, 1)
    assert chars[(C, "disability")] == (None, None, 0)
    assert chars[(D, "age")][1] is True and chars[(A, "age")][1] is False
    assert chars[(E, "age")] == (None, None, 0)


def test_stacking_index_and_status(result: dict) -> None:  # type: ignore[type-arg]
    areas = result["areas"]
    a, b, c, d, e = (areas[(x, "tno")] for x in CODES)
    assert (a["stacking"], b["stacking"], d["stacking"]) == (0, 1, 3)
    assert d["toxic_mix"] is True and b["toxic_mix"] is False
    assert c["status"] == "insufficient_data" and c["stacking"] is None
    assert c["status_reason"].startswith("3 of 12 risk characteristics scored")
    assert e["status"] == "too_small" and e["overall_index"] is None
    assert a["overall_index"] == pytest.approx(25.0)
    assert b["overall_index"] == pytest.approx(137.5 / 3)
    assert d["overall_index"] == pytest.approx(87.5)


def test_reason_codes(result: dict) -> None:  # type: ignore[type-arg]
    """Only areas without a score get a reason; its code and parameters, not a sentence."""
    reasons = result["reasons"]
    assert set(reasons) == {C, E}
    assert reasons[C] == ("insufficient_characteristics", {"scored": 3, "total": 12, "needed": 4})
    assert reasons[E][0] == "too_small" and reasons[E][1]["min_population"] > 0
    # The English sentence kept in area_scores is the same reason worded.
    area_c = result["areas"][(C, "tno")]
    assert area_c["status_reason"] == "3 of 12 risk characteristics scored, 4 needed"


def test_theme_weights(result: dict) -> None:  # type: ignore[type-arg]
    themes = result["themes"]
    assert themes[(D, "work_income")] == pytest.approx(800 / 9)
    assert themes[(A, "work_income")] == pytest.approx(200 / 9)
    # Physical health has 4 of 12 weight available (< 0.4): no score rather than a guess.
    assert themes[(D, "physical_health")] is None
