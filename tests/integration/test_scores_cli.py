"""`wijkradar show` and `wijkradar rank` on a small real build: one language at a time, each
measure once, secret and missing told apart, long lines wrapped inside their column."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from test_scores_pipeline import build_db
from typer.testing import CliRunner

from wijkradar.cli import app, register_commands
from wijkradar.cli.scores import _indicator_value, render_profile
from wijkradar.store.profiles import IndicatorDetail, area_profile
from wijkradar.store.reader import open_read

ENGLISH_WORDS = re.compile(
    r"\b(percentile|missing|reference|methodology|Average|Stacking|inhabitants)\b",
    re.IGNORECASE,
)
DUTCH_WORDS = re.compile(
    r"\b(percentiel|ontbreekt|referentie|methodologie|Gemiddelde|inwoners)\b", re.IGNORECASE
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("cli") / "monitor.duckdb")


def _run(*args: str) -> str:
    register_commands()
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


def test_show_in_dutch_is_all_dutch(db: Path) -> None:
    out = _run("show", "BU00010000", "--year", "2022", "--db", str(db))
    assert "Gemiddelde in Nederland:" in out and "Nederland Nederland" not in out
    assert "Waarom gemarkeerd" in out and "Indicatoren" in out and "Percentiel" in out
    assert not ENGLISH_WORDS.search(out), ENGLISH_WORDS.search(out)


def test_show_in_english_is_all_english(db: Path) -> None:
    out = _run("show", "BU00010000", "--year", "2022", "--lang", "en", "--db", str(db))
    assert "Average in the Netherlands:" in out and "Why flagged" in out
    assert "neighbourhood" in out and "Percentile" in out
    assert not DUTCH_WORDS.search(out), DUTCH_WORDS.search(out)


def test_rank_shows_the_ranked_measure_once(db: Path) -> None:
    out = _run("rank", "--level", "buurt", "--year", "2022", "--db", str(db))
    header = next(line for line in out.splitlines() if "Code" in line)
    assert header.count("Stapeling") == 1 and "▼" in header
    assert "Gemeente" in header  # buurt names repeat across gemeenten
    first = next(line for line in out.splitlines() if "BU000" in line)
    assert "BU00010000" in first  # the most vulnerable buurt first
    assert "GM0001" in first  # its gemeente (no gemeente row in this build: the code)
    theme = _run(
        "rank",
        "--level",
        "buurt",
        "--by",
        "theme:work_income",
        "--lang",
        "en",
        "--year",
        "2022",
        "--db",
        str(db),
    )
    header = next(line for line in theme.splitlines() if "Code" in line)
    assert header.count("work_income") == 1 and "Stacking" in header


def _indicator(status: str, value: float | None, source: str, unit: str) -> IndicatorDetail:
    return IndicatorDetail(
        "x", "X", unit, value, status, None, "direct", (source,), None, None, None
    )


def test_secret_missing_and_small_counts_read_differently() -> None:
    secret = _indicator_value(_indicator("suppressed", None, "CBS/t/2022@x", "%"), "nl")
    missing = _indicator_value(_indicator("missing", None, "CBS/t/2022@x", "%"), "nl")
    small = _indicator_value(_indicator("ok", 7.0, "GGD/monitor/2022@x", "aantal"), "nl")
    shown = _indicator_value(_indicator("ok", 12.0, "GGD/monitor/2022@x", "aantal"), "nl")
    assert len({secret, missing, small}) == 3
    assert secret == "geheim (bron)" and missing == "ontbreekt"
    assert small.startswith("< 10") and shown == "10,0 aantal"  # Dutch decimal comma


def test_long_explanation_lines_wrap_in_their_column(db: Path) -> None:
    con = open_read(db)
    profile = area_profile(con, "BU00010000", year=2022)
    con.close()
    buffer = io.StringIO()
    render_profile(profile, "nl", Console(file=buffer, width=70, color_system=None))
    lines = buffer.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 70
    start = lines.index(next(line for line in lines if "Waarom gemarkeerd" in line))
    explanation = lines[start + 1 : start + 12]
    # Every explanation line sits under its characteristic: indented, never from column 0.
    assert all(line.startswith("  ") for line in explanation if line.strip())
