"""The methodology YAML: schemas, cross-references, frozen releases and the generated docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.methodology import default_root, load
from wijkradar.methodology.docs import render
from wijkradar.methodology.release import releases, verify

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "methodology"
    shutil.copytree(default_root(), root)
    return root


def test_latest_version_loads_and_covers_every_characteristic() -> None:
    m = load()
    assert len(m.risk_characteristics) == 12
    for c in m.risk_characteristics:
        assert m.indicators_for(c.id) or c.gap, c.id
    tno = m.framework("tno")
    assert len(tno.themes) == 7
    # The DOMAIN.md matrix: financial buffer x work & income is strong, flexible x safety barely.
    assert tno.weight("financial_buffer", "work_income") == 3
    assert tno.weight("flexible_employment", "safety") == 0
    assert sum(1 for w in tno.weights) == 12 * 7
    assert len(m.framework("corona_dashboard").themes) == 5


def test_schema_rejects_a_bad_indicator(copy: Path) -> None:
    path = copy / "2026.1" / "indicators" / "work_income.yml"
    path.write_text(path.read_text().replace("polarity: higher_is_worse", "polarity: up", 1))
    with pytest.raises(InputError, match="indicators schema at indicators/0/polarity"):
        load("2026.1", root=copy)


def test_proxy_needs_a_reason(copy: Path) -> None:
    path = copy / "2026.1" / "indicators" / "work_income.yml"
    text = path.read_text()
    start = text.index("    proxy_reason: No open source counts")
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + text[end:])
    with pytest.raises(InputError, match="proxy_reason"):
        load("2026.1", root=copy)


def test_unknown_characteristic_is_refused(copy: Path) -> None:
    path = copy / "2026.1" / "indicators" / "protective.yml"
    path.write_text(path.read_text().replace("serves: nearby_care", "serves: nearby_cure"))
    with pytest.raises(InputError, match="unknown characteristic"):
        load("2026.1", root=copy)


def test_characteristic_without_indicator_must_state_its_gap(copy: Path) -> None:
    path = copy / "2026.1" / "frameworks" / "characteristics.yml"
    text = path.read_text()
    start = text.index("    gap: >-\n      No open source measures language")
    end = text.index("  - id: age")
    path.write_text(text[:start] + text[end:])
    inds = copy / "2026.1" / "indicators" / "health_social.yml"
    text = inds.read_text()
    start, end = text.index("  - id: local_laaggeletterdheid"), text.index("  - id: ouderen")
    inds.write_text(text[:start] + text[end:])
    with pytest.raises(InputError, match="language_digital has no indicator and no stated gap"):
        load("2026.1", root=copy)


def test_weight_for_unknown_theme_is_refused(copy: Path) -> None:
    path = copy / "2026.1" / "frameworks" / "tno.yml"
    path.write_text(path.read_text().replace("    safety: {w: 0", "    safetee: {w: 0", 1))
    with pytest.raises(InputError, match="unknown theme"):
        load("2026.1", root=copy)


def test_released_versions_are_unchanged() -> None:
    assert "2026.1" in releases()
    assert verify() == []


def test_editing_a_released_version_is_detected(copy: Path) -> None:
    path = copy / "2026.1" / "methodology.yml"
    path.write_text(path.read_text().replace("toxic_mix_threshold: 3", "toxic_mix_threshold: 4"))
    assert verify(copy) == ["2026.1/methodology.yml: changed after release 2026.1"]


def test_docs_are_generated_from_the_yaml() -> None:
    page = (REPO / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert page == render(load()), "run: python -m wijkradar.methodology.docs > docs/methodology.md"
