"""The build step on a small LevelYear: GGD estimates with published margins, areas without a
known population, and which rows it writes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from wijkradar.compute.inputs import LevelYear
from wijkradar.methodology import load
from wijkradar.methodology.analysis import load_analysis
from wijkradar.pipeline.analysis import uncertainty_parts

GGD = ("ErvarenGezondheidGoedZeerGoed", "HoogRisicoOpAngstOfDepressie",
       "ErnstigZeerErnstigEenzaam", "MoeiteMetRondkomen")  # fmt: skip


def _data(with_population: bool) -> LevelYear:
    rng = np.random.default_rng(3)
    codes = [f"WK0001{i:02d}" for i in range(20)]
    rows: dict[str, list[object]] = {k: [] for k in ("region_code", "variable", "value")}
    for code in codes:
        for key in GGD:
            estimate = float(rng.uniform(10, 40))
            for suffix, value in (
                ("", estimate),
                ("__lo95", estimate - 3),
                ("__hi95", estimate + 3),
            ):
                rows["region_code"].append(code)
                rows["variable"].append(key + suffix)
                rows["value"].append(value)
        if with_population:
            rows["region_code"].append(code)
            rows["variable"].append("AantalInwoners")
            rows["value"].append(1000.0)
    n = len(rows["value"])
    table = pa.table({**rows, "status": ["ok"] * n, "source_id": ["CBS/RIVM/50090NED/2016@x"] * n})
    return LevelYear.from_long("wijk", 2016, codes, ["GM0001"] * 20, [None] * 20, table)


def _parts(data: LevelYear) -> dict[str, pa.Table]:
    methodology = load("2026.3")
    settings = load_analysis("2026.3")
    assert settings is not None
    out: dict[str, list[pa.Table]] = {}
    for name, rows in uncertainty_parts(data, methodology, settings):
        out.setdefault(name, []).append(rows)
    return {name: pa.concat_tables(tables) for name, tables in out.items()}


def test_margins_are_used_and_unknown_population_gives_no_stacking() -> None:
    parts = _parts(_data(False))
    intervals = parts["indicator_intervals"].to_pylist()
    ggd = [r for r in intervals if r["indicator"] == "ggd_moeite_rondkomen"]
    assert ggd and {r["model"] for r in ggd} == {"margin"}
    assert all(abs((r["upper"] - r["lower"]) - 6.0) < 1e-9 for r in ggd)
    # Four characteristics scored, but without inhabitants scoring gives no area score: so no
    # stacking interval either; the flags still get their certainty.
    assert parts["stacking_uncertainty"].num_rows == 0
    assert parts["flag_certainty"].num_rows > 0
    with_population = _parts(_data(True))
    assert with_population["stacking_uncertainty"].num_rows == 40  # NL01 and GM0001 families
