"""CbsKwbFiles on fixtures in the layout of the real CBS files (see fixtures/cbs/published)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkradar.sources.base import SourceResult
from wijkradar.sources.cbs_kwb import CbsKwbFiles


def read(directory: Path) -> tuple[dict[int, SourceResult], list[str]]:
    source = CbsKwbFiles(directory)
    results = {r.provenance.year: r for r in source.read() if r.provenance.year is not None}
    return results, source.warnings


def cell(result: SourceResult, code: str, variable: str) -> tuple[float | None, str]:
    rows = [
        (row["value"], row["status"])
        for row in result.observations.to_pylist()
        if row["region_code"] == code and row["variable"] == variable
    ]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def published(fixtures: Path) -> Path:
    return fixtures / "cbs" / "published"


def test_2024_typed_dump_with_renamed_education_keys(published: Path) -> None:
    results, _ = read(published)
    result = results[2024]
    assert result.provenance.table_id == "85984NED"
    assert cell(result, "GM0363", "OpleidingsniveauLaag") == (142000.0, "ok")
    assert cell(result, "GM0363", "OpleidingsniveauMiddelbaar") == (226000.0, "ok")
    assert cell(result, "BU03630000", "OpleidingsniveauHoog") == (450.0, "ok")
    assert cell(result, "WK0363MB", "OpleidingsniveauLaag") == (None, "missing")
    variables = {v.key: v for v in result.variables}
    assert variables["OpleidingsniveauLaag"].title == "Basisonderwijs, vmbo, mbo1"
    # A key aliases.yml does not know is kept, because DataProperties describes it.
    assert cell(result, "NL00", "PersonenInArmoede") == (3.2, "ok")


def test_text_topics_in_the_typed_set(published: Path) -> None:
    results, warnings = read(published)
    result = results[2024]
    # MateVanStedelijkheid comes as text "1" and is still a figure (it is in aliases.yml) ...
    assert cell(result, "GM0363", "MateVanStedelijkheid") == (1.0, "ok")
    # ... postcode and coverage code are labels, not figures.
    keys = set(result.observations.column("variable").to_pylist())
    assert not keys & {"MeestVoorkomendePostcode", "Dekkingspercentage"}
    assert any("MeestVoorkomendePostcode_118" in w for w in warnings)


def test_2024_codes_padding_levels_and_parents(published: Path) -> None:
    results, _ = read(published)
    regions = {r.code: r for r in results[2024].regions}
    assert set(regions) == {"NL00", "GM0363", "WK0363MB", "BU03630000"}
    assert regions["WK0363MB"].level.value == "wijk"
    assert regions["WK0363MB"].parent_code == "GM0363"
    assert results[2024].changes == ()


def test_kwb2023_csv_comma_separated_with_padded_markers(published: Path) -> None:
    results, _ = read(published)
    result = results[2023]
    assert result.provenance.table_id == "kwb2023"
    assert cell(result, "NL00", "GemiddeldInkomenPerInwoner") == (34.1, "ok")
    assert cell(result, "WK0363MB", "OpleidingsniveauLaag") == (1700.0, "ok")
    assert cell(result, "BU03630000", "OpleidingsniveauLaag") == (None, "suppressed")
    assert cell(result, "WK0363MB", "HuishOnderOfRondSociaalMinimum") == (None, "suppressed")
    assert cell(result, "BU03630000", "AfstandTotHuisartsenpraktijk") == (0.2, "ok")
    names = {r.code: r.name for r in result.regions}
    assert names["WK0363MB"] == "Dapperbuurt"
    assert {r.code: r.level.value for r in result.regions}["WK0363MB"] == "wijk"
