"""store.profiles on a small real build: ranking by protection and by one characteristic, reason
codes worded per language, and a profile read in few queries that agrees with the tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from test_scores_pipeline import build_db
from typer.testing import CliRunner

from wijkradar.cli import app, register_commands
from wijkradar.domain import WijkradarError
from wijkradar.store.profiles import area_profile, ranking
from wijkradar.store.reader import open_read

YEAR = 2022
SMALL = "BU00020011"  # 50 inhabitants in build_db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("profiles") / "monitor.duckdb")


@pytest.fixture
def con(db: Path) -> duckdb.DuckDBPyConnection:
    connection = open_read(db)
    yield connection  # type: ignore[misc]
    connection.close()


def _stored(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, float | None]:
    return {str(r[0]): r[1] for r in con.execute(sql, [YEAR]).fetchall()}


def test_rank_by_protective_puts_the_least_protected_first(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = ranking(con, "buurt", YEAR, by="protective")
    stored = _stored(
        con,
        "SELECT region_code, protective FROM area_scores WHERE level = 'buurt' AND period = ? "
        "AND reference = 'NL01' AND framework = 'tno'",
    )
    assert [r.code for r in rows] == sorted(
        stored, key=lambda c: (stored[c] is None, stored[c] or 0.0, c)
    )
    assert all(r.value == stored[r.code] for r in rows)
    scored = [r.value for r in rows if r.value is not None]
    assert len(scored) >= 2 and scored[0] < scored[-1]
    assert rows[-1].value is None and rows[-1].code == SMALL


@pytest.mark.parametrize("characteristic", ["financial_buffer", "nearby_care"])
def test_rank_by_characteristic_follows_its_stored_score(
    con: duckdb.DuckDBPyConnection, characteristic: str
) -> None:
    rows = ranking(con, "buurt", YEAR, by=f"char:{characteristic}", within="GM0001")
    stored = _stored(
        con,
        "SELECT region_code, score FROM characteristic_scores WHERE level = 'buurt' "
        f"AND period = ? AND reference = 'NL01' AND characteristic = '{characteristic}' "
        "AND region_code LIKE 'BU0001%'",
    )
    assert [r.code for r in rows] == sorted(
        stored, key=lambda c: (stored[c] is None, -(stored[c] or 0.0), c)
    )
    # a protective factor's value leaves as protection 100 - S (least protected first)
    shown = {c: (None if v is None else 100 - v) for c, v in stored.items()}
    expected = shown if characteristic == "nearby_care" else stored
    assert [r.value for r in rows] == [expected[r.code] for r in rows]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_rank_by_an_unknown_characteristic_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(WijkradarError, match="no characteristic 'wealth'"):
        ranking(con, "buurt", YEAR, by="char:wealth")
    with pytest.raises(WijkradarError, match="char:<id>"):
        ranking(con, "buurt", YEAR, by="flags")


def test_profile_carries_the_reason_code_in_its_language(con: duckdb.DuckDBPyConnection) -> None:
    nl = area_profile(con, SMALL, YEAR, lang="nl")
    en = area_profile(con, SMALL, YEAR, lang="en")
    assert nl.status == "too_small" and nl.status_reason_code == "too_small"
    minimum = nl.status_reason_params["min_population"]
    assert minimum > 50
    assert nl.status_reason_text == f"minder dan {minimum} inwoners"
    assert en.status_reason_text == f"fewer than {minimum} inhabitants" == en.status_reason
    ok = area_profile(con, "BU00010000", YEAR)
    assert (ok.status, ok.status_reason_code, ok.status_reason_params) == ("ok", "", {})


def test_profile_agrees_with_the_tables(con: duckdb.DuckDBPyConnection) -> None:
    p = area_profile(con, "BU00010003", None)
    assert p.period == max(t.period for t in p.trend)
    trend = con.execute(
        "SELECT period, stacking, overall_index, status FROM area_scores "
        "WHERE region_code = 'BU00010003' AND reference = 'NL01' AND framework = 'tno' "
        "ORDER BY period"
    ).fetchall()
    assert [(t.period, t.stacking, t.overall_index, t.status) for t in p.trend] == trend
    assert p.stacking == sum(1 for c in p.characteristics if c.flagged and not c.protective)
    for comparison, where in ((p.country, ""), (p.parent, "AND a.region_code LIKE 'BU0001%'")):
        assert comparison is not None
        row = con.execute(
            "SELECT avg(stacking), avg(overall_index) FROM area_scores a WHERE level = 'buurt' "
            "AND period = ? AND reference = 'NL01' AND framework = 'tno' AND status = 'ok' "
            + where,
            [p.period],
        ).fetchone()
        assert row is not None
        assert comparison.stacking == round(row[0])
        assert comparison.overall_index == pytest.approx(row[1])
    assert p.parent is not None and p.parent.code == "GM0001"


def test_show_words_the_reason_in_dutch(db: Path) -> None:
    register_commands()
    result = CliRunner().invoke(
        app, ["show", SMALL, "--year", str(YEAR), "--db", str(db)], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    assert "te weinig inwoners — minder dan" in result.output
    assert "fewer than" not in result.output


def test_rank_by_characteristic_in_the_cli(db: Path) -> None:
    register_commands()
    result = CliRunner().invoke(
        app,
        [
            *("rank", "--level", "buurt", "--by", "char:financial_buffer", "--lang", "en"),
            *("--year", str(YEAR), "--db", str(db)),
        ],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "Code" in line)
    assert header.count("financial_buffer") == 1 and "▼" in header
