"""Spec: the small financial buffer across KWB 2023 -> 2024 (methodology 2026.2, reference NL01).

Four buurten of 1 000 inhabitants. 2023 delivers only the old low-income share; 2024 delivers the
poverty measure and, to prove it is ignored there, a stale low-income share as well:

    area  2023 HuishoudensMetEenLaagInkomen   2024 PersonenInArmoede  PersonenTot25BovenArmoedegrens
    A     10                                  2                       3
    B     20                                  8                       9
    C     30                                  4                       6
    D     40                                  6                       12

Percentiles p = 100 (r − 1)/(n − 1):
    2023 laag_inkomen       A 0, B 33.3, C 66.7, D 100      armoede: missing
    2024 armoede            A 0, B 100, C 33.3, D 66.7      laag_inkomen: missing
    2024 rond_armoedegrens  A 0, B 66.7, C 33.3, D 100
Financial buffer S = mean of the percentiles the year has:
    2023 (1 indicator)   A 0, B 33.3, C 66.7, D 100
    2024 (2 indicators)  A 0, B 83.3, C 33.3, D 83.3
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from read_ranks import ranks_as_read

from wijkradar.compute.inputs import LevelYear
from wijkradar.compute.scoring import score_level_year
from wijkradar.methodology import load

CODES = ["BU00010001", "BU00010002", "BU00010003", "BU00010004"]
A, B, C, D = CODES

TABLES: dict[int, dict[str, list[float]]] = {
    2023: {"HuishoudensMetEenLaagInkomen": [10, 20, 30, 40]},
    2024: {
        "HuishoudensMetEenLaagInkomen": [40, 30, 20, 10],
        "PersonenInArmoede": [2, 8, 4, 6],
        "PersonenTot25BovenArmoedegrens": [3, 9, 6, 12],
    },
}


Ranks = dict[tuple[str, str], tuple[float | None, str]]
Buffer = dict[str, tuple[float | None, int]]


def _scores(year: int) -> tuple[Ranks, Buffer]:
    table = {"AantalInwoners": [1000.0] * 4, **TABLES[year]}
    rows = [
        (code, var, float(value))
        for var, values in table.items()
        for code, value in zip(CODES, values, strict=True)
    ]
    obs = pa.table(
        {
            "region_code": [r[0] for r in rows],
            "variable": [r[1] for r in rows],
            "value": pa.array([r[2] for r in rows], type=pa.float64()),
            "status": ["ok"] * len(rows),
            "source_id": [f"CBS/KWB/{year}@000000000000"] * len(rows),
        }
    )
    data = LevelYear.from_long("buurt", year, CODES, [None] * 4, [None] * 4, obs)
    tables = score_level_year(data, load("2026.2"))
    ranks = ranks_as_read(tables)
    buffer = {
        r["region_code"]: (r["score"], r["n_indicators"])
        for r in tables.characteristic_scores.to_pylist()
        if r["characteristic"] == "financial_buffer"
    }
    return ranks, buffer


def test_2023_uses_the_low_income_share() -> None:
    ranks, buffer = _scores(2023)
    assert [ranks[(c, "laag_inkomen")][0] for c in CODES] == pytest.approx(
        [0, 100 / 3, 200 / 3, 100]
    )
    assert ranks[(A, "armoede")] == (None, "missing")
    assert ranks[(A, "rond_armoedegrens")] == (None, "missing")
    assert [buffer[c][0] for c in CODES] == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert {buffer[c][1] for c in CODES} == {1}


def test_2024_uses_the_poverty_measure_only() -> None:
    ranks, buffer = _scores(2024)
    assert [ranks[(c, "armoede")][0] for c in CODES] == pytest.approx([0, 100, 100 / 3, 200 / 3])
    assert [ranks[(c, "rond_armoedegrens")][0] for c in CODES] == pytest.approx(
        [0, 200 / 3, 100 / 3, 100]
    )
    # A delivered HuishoudensMetEenLaagInkomen does not count after KWB 2023.
    assert ranks[(A, "laag_inkomen")] == (None, "missing")
    assert [buffer[c][0] for c in CODES] == pytest.approx([0, 250 / 3, 100 / 3, 250 / 3])
    assert {buffer[c][1] for c in CODES} == {2}
