"""`wijkradar validate` and hotspots on real data: KWB 2020 gemeenten (Wijk- en Buurtkaart
extract, no GGD indicators) against the GGD health monitor 2016 (figures on the 2020 indeling),
both from ../shared/data."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from cli_run import Cli
from test_uncertainty_build import methodology_with_uncertainty
from wbk2020 import Wbk2020Gemeenten

from wijkradar.pipeline import BuildOptions, build
from wijkradar.sources.boundaries import BoundariesFile

REPO = Path(__file__).resolve().parents[2]
GGD = "gezondheidsmonitor/50090NED_2016_18plus_UntypedDataSet.xlsx"


@pytest.fixture(scope="module")
def real_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("real2020")
    root = methodology_with_uncertainty(tmp)
    db = tmp / "monitor.duckdb"
    sources = [
        Wbk2020Gemeenten(shared_data),
        BoundariesFile(
            shared_data / "boundaries" / "gemeente_2020_wgs84_buurtvergelijker.geojson", year=2020
        ),
    ]
    build(sources, db, options=BuildOptions(methodology_dir=root))
    return db


def _rho(out: str, measure: str) -> tuple[float, int]:
    match = re.search(rf"│ {measure}\s+│ (-?[0-9.]+)\s+│[^│]+│ (\d+)", out)
    assert match, out
    return float(match.group(1)), int(match.group(2))


def test_index_tracks_difficulty_making_ends_meet(
    real_db: Path, shared_data: Path, cli: Cli
) -> None:
    code, out, err = cli(
        [
            "validate",
            "--outcome",
            f"{shared_data / GGD}:MoeiteMetRondkomen_38",
            "--areas",
            str(REPO / "docs" / "examples" / "nplv-gemeenten.yml"),
            "--db",
            str(real_db),
            "--lang",
            "en",
        ]
    )
    assert code == 0, err
    rho, n = _rho(out, "overall_index")
    assert n >= 340  # gemeenten of 2020 with both a score and a GGD figure
    assert rho > 0.6
    buffer, _ = _rho(out, "financial_buffer")
    assert buffer > 0.7  # the characteristic built from income shares tracks it best
    auc = re.search(r"│ overall_index .*│ ([0-9.]+) \((\d+)/(\d+)\)", out)
    assert auc and float(auc.group(1)) > 0.7 and auc.group(2) == "19"


def test_bad_outcome_column_is_one_line_and_exit_2(
    real_db: Path, shared_data: Path, cli: Cli
) -> None:
    code, _, err = cli(
        ["validate", "--outcome", f"{shared_data / GGD}:NoSuchColumn", "--db", str(real_db)]
    )
    assert code == 2
    assert "NoSuchColumn" in err and len(err.strip().splitlines()) == 1


def test_real_hotspots_and_certainty(real_db: Path) -> None:
    with duckdb.connect(str(real_db), read_only=True) as con:
        hot = con.execute(
            "SELECT region_code FROM hotspots WHERE measure = 'stacking' AND cluster = 'hot'"
        ).fetchall()
        tested = con.execute(
            "SELECT count(*) FROM hotspots WHERE measure = 'stacking' AND cluster <> 'not_tested'"
        ).fetchone()
        classes = dict(
            con.execute(
                "SELECT certainty, count(*) FROM flag_certainty WHERE flagged "
                "AND reference = 'NL01' GROUP BY 1"
            ).fetchall()
        )
    assert tested and tested[0] > 340  # islands (Wadden) are not tested
    assert hot  # 2020: clusters in East Groningen and Parkstad Limburg
    assert {"GM0917", "GM0928"} & {r[0] for r in hot}  # Heerlen, Kerkrade
    assert set(classes) <= {"certain", "likely", "uncertain"} and classes.get("certain", 0) > 0
