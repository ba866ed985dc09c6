"""A national-size KWB table (17 000 regions x 100 variables) parses fast and loads into DuckDB."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb

from wijkradar.sources.cbs_kwb import CbsKwbFiles

N_GEMEENTEN, WIJKEN_PER_GEMEENTE, BUURTEN_PER_WIJK, N_VARIABLES = 340, 10, 4, 100


def write_national_dump(folder: Path) -> int:
    """An UntypedDataSet in CBS's padded-string format; every 50th cell secret ('.')."""
    rng = random.Random(7)
    folder.mkdir(parents=True)
    keys = [f"Variabele{i}_{i + 5}" for i in range(N_VARIABLES)]
    properties = [
        {"Key": key, "Title": f"Variabele {i}", "Unit": "aantal", "Type": "Topic"}
        for i, key in enumerate(keys)
    ]
    (folder / "TableInfos.json").write_text(
        json.dumps({"value": [{"Identifier": "85618NED", "Title": "KWB 2023", "Period": "2023"}]})
    )
    (folder / "DataProperties.json").write_text(json.dumps({"value": properties}))
    rows = []
    codes = [("NL00", "Land")]
    for g in range(1, N_GEMEENTEN + 1):
        codes.append((f"GM{g:04d}", "Gemeente"))
        for w in range(WIJKEN_PER_GEMEENTE):
            codes.append((f"WK{g:04d}{w:02d}", "Wijk"))
            codes += [(f"BU{g:04d}{w:02d}{b:02d}", "Buurt") for b in range(BUURTEN_PER_WIJK)]
    for index, (code, kind) in enumerate(codes):
        row: dict[str, object] = {"ID": index, "WijkenEnBuurten": code.ljust(10)}
        row["SoortRegio_2"] = kind.ljust(9)
        for key in keys:
            row[key] = "       ." if rng.random() < 0.02 else f"{rng.randint(0, 99999):>10}"
        rows.append(row)
    (folder / "UntypedDataSet.json").write_text(json.dumps({"value": rows}))
    return len(codes)


def test_national_table_parses_and_loads(tmp_path: Path) -> None:
    """A table of national size reads completely; its speed is measured in
    benchmarks/build_vs_parse.py, not here (a timed test only fails on a busy machine)."""
    n_regions = write_national_dump(tmp_path / "kwb" / "85618NED")
    assert n_regions > 17_000

    (result,) = CbsKwbFiles(tmp_path / "kwb").read()
    assert result.observations.num_rows == n_regions * N_VARIABLES
    assert len(result.regions) == n_regions

    con = duckdb.connect(str(tmp_path / "check.duckdb"))
    observations = result.observations
    con.register("obs", observations)
    counts = dict(con.execute("SELECT status, count(*) FROM obs GROUP BY status").fetchall())
    assert counts["suppressed"] == result.suppressed > 0
    assert counts["ok"] == n_regions * N_VARIABLES - result.suppressed - result.missing
    nulls = con.execute("SELECT count(*) FROM obs WHERE status <> 'ok' AND value IS NOT NULL")
    assert nulls.fetchone() == (0,)
    con.close()
