"""A small real DuckDB build: observations in, scores and profiles out (pipeline.score.run)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wijkradar.methodology import latest_version
from wijkradar.pipeline import score
from wijkradar.store.profiles import area_profile, ranking
from wijkradar.store.reader import open_read
from wijkradar.store.writer import open_build

YEARS = (2021, 2022)
OLD_CODE, RECODED = "BU00020010", "BU00020099"  # the same buurt, renumbered in 2022
SRC = "CBS/85618NED/2022@abcdefabcdef"
PCT_VARS = (
    "PercentageZelfstandigen",
    "HuishoudensMetEenLaagInkomen",
    "HuishOnderOfRondSociaalMinimum",
    "PercentageJongerenMetJeugdzorg",
    "WmoClientenRelatief",
    "AfstandTotHuisartsenpraktijk",
    "AfstandTotSchool",
)


def _buurten() -> list[tuple[str, str, str]]:
    out = []
    for g, gm in enumerate(("GM0001", "GM0002")):
        for b in range(12):
            code = f"BU{gm[2:]}{b:04d}"
            out.append((code, gm, f"PV2{g}"))
    return out


def build_db(path: Path) -> Path:
    """Two gemeenten with twelve buurten each; buurt 0 of GM0001 is the most vulnerable,
    buurt 11 of GM0002 has 50 inhabitants (too small), one income value is suppressed."""
    rng = random.Random(7)
    with open_build(path) as writer:
        con = writer.con
        con.execute(
            "INSERT INTO sources VALUES (?, 'CBS', '85618NED', 'Kerncijfers wijken en buurten', "
            "2022, '2024-01-01T00:00:00Z', 'CC BY 4.0', 'sha256:' || repeat('ab', 32), NULL, "
            "'observations', 0, 0, 0)",
            [SRC],
        )
        rows = []
        for year in YEARS:
            for i, (code_then, gm, pv) in enumerate(_buurten()):
                code = RECODED if (code_then, year) == (OLD_CODE, 2022) else code_then
                con.execute(
                    "INSERT INTO regions VALUES (?, ?, 'buurt', ?, ?, ?, ?)",
                    [code, year, f"Buurt {code[-2:]}", gm, gm, pv],
                )
                worst = code == "BU00010000"
                pop = 50.0 if code == "BU00020011" else 1000.0 + 10 * i
                rows.append((code, year, "AantalInwoners", pop, "ok"))
                for var in PCT_VARS:
                    value = 99.0 if worst else rng.uniform(1, 60)
                    if var.startswith("Afstand"):
                        value = 20.0 if worst else rng.uniform(0.2, 3)
                    rows.append((code, year, var, value, "ok"))
                for var, base in (
                    ("PersonenPerSoortUitkeringBijstand", 30),
                    ("PersonenPerSoortUitkeringAO", 40),
                    ("PersonenPerSoortUitkeringWW", 20),
                    ("k_65JaarOfOuder", 150),
                    ("k_15Tot25Jaar", 120),
                    ("Eenpersoonshuishoudens", 200),
                ):
                    value = pop * 0.9 if worst else base + rng.uniform(0, base)
                    rows.append((code, year, var, value, "ok"))
                rows.append((code, year, "HuishoudensTotaal", pop / 2, "ok"))
                rows.append((code, year, "GIHandelEnHoreca", 90.0 if worst else 5.0 + i, "ok"))
                rows.append((code, year, "BedrijfsvestigingenTotaal", 100.0, "ok"))
        rows.append(("BU00010005", 2022, "GemiddeldInkomenPerInwoner", None, "suppressed"))
        con.executemany(
            "INSERT INTO observations VALUES (?, 'buurt', ?, ?, ?, ?, ?)",
            [(c, y, v, val, s, SRC) for c, y, v, val, s in rows],
        )
        con.execute(
            "INSERT INTO region_changes VALUES ('buurt', 2021, 'BU00020001', 2022, 'BU00020001', "
            "'changed', 1.0, 'boundary moved')"
        )
        con.execute(
            "INSERT INTO region_changes VALUES ('buurt', 2021, ?, 2022, ?, 'recoded', 1.0, '')",
            [OLD_CODE, RECODED],
        )
        version = score.run(writer)
        con.execute(
            "INSERT INTO build VALUES ('test', now(), 'test', ?, 'x', '{}', false)", [version]
        )
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("scores") / "monitor.duckdb")


def test_stored_scores(db: Path) -> None:
    con = open_read(db)
    version = con.execute("SELECT methodology_version FROM build").fetchone()
    assert version is not None and version[0] == latest_version() == "2026.4"
    # The deliberately worst buurt tops every CBS-based characteristic nationally.
    row = con.execute(
        "SELECT stacking, toxic_mix, status FROM area_scores WHERE region_code='BU00010000' "
        "AND reference='NL01' AND framework='tno' AND period=2022"
    ).fetchone()
    assert row is not None
    stacking, toxic, status = row
    assert status == "ok" and toxic is True
    assert stacking == 8  # every risk characteristic with a KWB indicator
    small = con.execute(
        "SELECT status, stacking, overall_index FROM area_scores WHERE region_code='BU00020011' "
        "AND reference='NL01' AND framework='tno' AND period=2022"
    ).fetchone()
    assert small == ("too_small", None, None)
    suppressed = con.execute(
        "SELECT status, value FROM indicator_values WHERE region_code='BU00010005' "
        "AND indicator='inkomen_per_inwoner' AND period=2022"
    ).fetchone()
    assert suppressed == ("suppressed", None)
    # No rank row for a value that is not there: its status is the value's (schema.sql).
    ranked = con.execute(
        "SELECT count(*) FROM indicator_ranks WHERE region_code='BU00010005' "
        "AND indicator='inkomen_per_inwoner' AND period=2022"
    ).fetchone()
    assert ranked == (0,)
    not_ok = con.execute(
        "SELECT count(*) FROM indicator_ranks r JOIN indicator_values v USING "
        "(region_code, period, indicator) WHERE v.status <> 'ok'"
    ).fetchone()
    assert not_ok == (0,)
    # Gemeente references rank within their own twelve buurten.
    n_gm = con.execute(
        "SELECT count(DISTINCT region_code) FROM area_scores WHERE reference='GM0001'"
    ).fetchone()
    assert n_gm == (12,)
    brk = con.execute(
        "SELECT status FROM area_changes WHERE region_code='BU00020001' AND reference='NL01' "
        "AND framework='tno' AND period=2022 AND base_period=2021"
    ).fetchone()
    assert brk == ("break",)
    ok = con.execute(
        "SELECT status, d_stacking FROM area_changes WHERE region_code='BU00010000' "
        "AND reference='NL01' AND framework='tno' AND period=2022 AND base_period=2021"
    ).fetchone()
    assert ok == ("ok", 0)
    recoded = con.execute(
        "SELECT status, base_code, d_overall IS NOT NULL FROM area_changes "
        "WHERE region_code=? AND framework='tno' AND period=2022 AND base_period=2021 "
        "ORDER BY reference",
        [RECODED],
    ).fetchall()
    assert recoded == [("ok", OLD_CODE, True)] * 3  # against GM0002, NL01 and PV21


def test_profile_explains_flags(db: Path) -> None:
    con = open_read(db)
    profile = area_profile(con, "BU00010000", year=2022)
    assert profile.stacking == 8 and profile.toxic_mix
    flagged = [c for c in profile.characteristics if c.flagged]
    assert {c.id for c in flagged} >= {"financial_buffer", "disability", "age"}
    buffer = next(c for c in flagged if c.id == "financial_buffer")
    low_income = next(i for i in buffer.indicators if i.id == "laag_inkomen")
    assert low_income.value == 99.0 and low_income.unit == "%"
    assert low_income.percentile == 100.0
    assert low_income.publisher == "CBS" and low_income.table_id == "85618NED"
    assert [t.period for t in profile.trend] == [2021, 2022]
    assert profile.parent is not None and profile.parent.code == "GM0001"
    assert profile.country is not None and profile.country.stacking is not None
    assert profile.overall_index is not None
    assert profile.parent.overall_index is not None
    assert profile.overall_index > profile.parent.overall_index
    assert any(t.id == "work_income" and t.score is not None for t in profile.themes)


def test_ranking(db: Path) -> None:
    con = open_read(db)
    rows = ranking(con, "buurt", year=2022, within="GM0001", limit=3)
    assert rows[0].code == "BU00010000"
    assert len(rows) == 3
    assert all(r.code.startswith("BU0001") for r in rows)
    assert rows[0].stacking is not None and rows[0].stacking >= (rows[1].stacking or 0)


def test_profile_trend_follows_a_renumbered_code(db: Path) -> None:
    """The years before a one-to-one renumbering are shown under the old code, marked as such;
    the area's own years carry no code."""
    con = open_read(db)
    profile = area_profile(con, RECODED, 2022)
    old_year, new_year = profile.trend
    assert (old_year.period, old_year.code) == (2021, OLD_CODE)
    assert (new_year.period, new_year.code) == (2022, None)
    stored = con.execute(
        "SELECT stacking FROM area_scores WHERE region_code = ? AND period = 2021 "
        "AND reference = 'NL01' AND framework = 'tno'",
        [OLD_CODE],
    ).fetchone()
    assert stored is not None and old_year.stacking == stored[0]
