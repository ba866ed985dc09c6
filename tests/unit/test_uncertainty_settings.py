"""methodology/<version>/uncertainty.yml: schema, cross-checks, and what a folder holding only
that file means for the version list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.methodology import default_root
from wijkradar.methodology.analysis import load_analysis
from wijkradar.methodology.loader import versions


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "methodology"
    shutil.copytree(default_root(), root)
    return root


def test_the_repository_file_loads() -> None:
    settings = load_analysis("2026.3")
    assert settings is not None
    assert settings.confidence == 0.95 and settings.draws >= 100
    assert settings.binomial_scale("bijstand", "per 100 inwoners") == 100
    assert settings.binomial_scale("handel_horeca", "%") is None  # excluded with a reason
    assert settings.binomial_scale("inkomen_per_inwoner", "x 1 000 euro") is None
    assert settings.likely <= settings.certain
    assert settings.references == ("national", "gemeente")


def test_released_versions_have_no_uncertainty_settings() -> None:
    assert load_analysis("2026.2") is None


def test_schema_rejects_a_bad_threshold(copy: Path) -> None:
    path = copy / "2026.3" / "uncertainty.yml"
    path.write_text(path.read_text().replace("certain: 0.90", "certain: 1.5"))
    with pytest.raises(InputError, match="uncertainty schema at certainty/certain"):
        load_analysis("2026.3", copy)


def test_likely_above_certain_is_refused(copy: Path) -> None:
    path = copy / "2026.3" / "uncertainty.yml"
    path.write_text(path.read_text().replace("likely: 0.60", "likely: 0.95"))
    with pytest.raises(InputError, match="likely must not exceed"):
        load_analysis("2026.3", copy)


def test_a_folder_without_methodology_yml_is_not_a_version(copy: Path) -> None:
    (copy / "2099.1").mkdir()
    (copy / "2099.1" / "uncertainty.yml").write_text("version: '2099.1'\n")
    assert "2099.1" not in versions(copy)


def test_an_unknown_reference_family_is_refused(copy: Path) -> None:
    path = copy / "2026.3" / "uncertainty.yml"
    path.write_text(path.read_text().replace("[national, gemeente]", "[national, wijk]"))
    with pytest.raises(InputError, match="simulation/references/1"):
        load_analysis("2026.3", copy)
