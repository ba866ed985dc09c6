"""The methodology YAML: schemas, cross-references, frozen releases and the generated docs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from wijkradar.domain import InputError
from wijkradar.methodology import default_root, latest_version, load
from wijkradar.methodology.analysis import load_analysis
from wijkradar.methodology.docs import render
from wijkradar.methodology.release import releases, verify
from wijkradar.methodology.triangulation import load as load_triangulation

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


# The checksum of 2026.1 as released (docs/methodology.md showed it): 2026.2 must not touch it.
RELEASED_2026_1 = "sha256:ab910afe093b4e508efcdae113960200ac60a9d15e7bf57fcc523208c1e2b587"


def test_2026_1_is_unchanged_by_the_next_release() -> None:
    old = load("2026.1")
    assert old.checksum == RELEASED_2026_1
    assert "armoede" not in {i.id for i in old.indicators}
    low = next(i for i in old.indicators if i.id == "laag_inkomen")
    assert [(d.from_year, d.to_year) for d in low.derivations] == [(2014, None)]


def test_2026_2_takes_the_poverty_measure_from_kwb_2024() -> None:
    m = load("2026.2")
    assert "2026.2" in releases()
    by_id = {i.id: i for i in m.indicators}
    expected = {
        "laag_inkomen": [(2014, 2023, "HuishoudensMetEenLaagInkomen")],
        "sociaal_minimum": [(2014, 2023, "HuishOnderOfRondSociaalMinimum")],
        "armoede": [(2024, None, "PersonenInArmoede")],
        "rond_armoedegrens": [(2024, None, "PersonenTot25BovenArmoedegrens")],
    }
    for ind_id, derivations in expected.items():
        ind = by_id[ind_id]
        assert ind.serves == "financial_buffer" and ind.measure == "direct", ind_id
        assert ind.polarity == "higher_is_worse" and ind.unit == "%", ind_id
        assert [(d.from_year, d.to_year, d.numerator) for d in ind.derivations] == derivations
        assert "not comparable across 2023 -> 2024" in ind.definition, ind_id
    assert by_id["armoede"].labels.nl == "Personen in armoede"

    def buffer(year: int) -> list[str]:
        return [i.id for i in m.indicators_for("financial_buffer") if i.derivation_for(year)]

    assert buffer(2023) == ["laag_inkomen", "sociaal_minimum", "bijstand", "inkomen_per_inwoner"]
    assert buffer(2024) == ["armoede", "rond_armoedegrens", "bijstand", "inkomen_per_inwoner"]


def test_2026_2_differs_from_2026_1_only_in_the_financial_buffer() -> None:
    old, new = load("2026.1"), load("2026.2")
    assert new.settings == old.settings
    assert new.characteristics == old.characteristics
    assert new.frameworks == old.frameworks
    others = [i for i in new.indicators if i.serves != "financial_buffer"]
    assert others == [i for i in old.indicators if i.serves != "financial_buffer"]
    old_dir, new_dir = default_root() / "2026.1", default_root() / "2026.2"
    changed = {"methodology.yml", "indicators/work_income.yml"}
    names = {p.relative_to(old_dir).as_posix() for p in old_dir.rglob("*.yml")}
    assert names == {p.relative_to(new_dir).as_posix() for p in new_dir.rglob("*.yml")}
    for name in sorted(names - changed):
        assert (new_dir / name).read_bytes() == (old_dir / name).read_bytes(), name


def test_the_default_for_new_builds_is_the_newest_release() -> None:
    """load() without a version takes the newest version folder; in the repository that folder
    must be released (frozen), so a default build never scores with an unfrozen draft."""
    newest = max(releases(), key=lambda v: tuple(int(x) for x in v.split(".")))
    assert newest == "2026.4"
    assert latest_version() == newest and load().version == newest


# The checksum of 2026.2 as released: 2026.3 must not touch it.
RELEASED_2026_2 = "sha256:855f1c37be6de3311fa3bd2a6072085aff5181c699a1228193a4b9436d7470f1"


def test_2026_3_adds_kwb_and_ggd_indicators_and_changes_nothing_else() -> None:
    old, new = load("2026.2"), load("2026.3")
    assert old.checksum == RELEASED_2026_2
    assert "2026.3" in releases()
    assert new.settings == old.settings and new.frameworks == old.frameworks
    by_id = {i.id: i for i in new.indicators}
    buffer, worse, better = "financial_buffer", "higher_is_worse", "higher_is_better"
    added = {
        "personen_laagste_inkomen": (buffer, worse, "k_40PersonenMetLaagsteInkomen"),
        "nettoarbeidsparticipatie": (buffer, better, "Nettoarbeidsparticipatie"),
        "woz_waarde": (buffer, better, "GemiddeldeWOZWaardeVanWoningen"),
        "huurwoningen": (buffer, worse, "HuurwoningenTotaal"),
        "corporatiewoningen": (buffer, worse, "InBezitWoningcorporatie"),
        "geboorten": ("family_situation", worse, "GeboorteRelatief"),
        "ggd_moeite_rondkomen": (buffer, worse, "MoeiteMetRondkomen"),
        "ggd_ervaren_gezondheid_goed": ("health", better, "ErvarenGezondheidGoedZeerGoed"),
    }
    assert set(by_id) - {i.id for i in old.indicators} == set(added)
    for ind_id, (serves, polarity, numerator) in added.items():
        ind = by_id[ind_id]
        assert (ind.serves, ind.polarity, ind.derivations[0].numerator) == (
            serves,
            polarity,
            numerator,
        ), ind_id
        assert ind.measure == "direct" or ind.proxy_reason, ind_id
    # births from the count where KWB gives only GeboorteTotaal
    births = by_id["geboorten"].derivations[1]
    assert (births.numerator, births.denominator, births.scale) == (
        "GeboorteTotaal",
        ("AantalInwoners",),
        1000,
    )
    # the published GGD table comes before a municipality's own file
    for ind_id, key in (
        ("ggd_psychische_klachten", "HoogRisicoOpAngstOfDepressie"),
        ("ggd_ernstig_eenzaam", "ErnstigZeerErnstigEenzaam"),
    ):
        assert [d.numerator for d in by_id[ind_id].derivations] == [key, ind_id]
    # CBS's published shares where a year has them but not the counts
    for ind_id, share in (
        ("ouderen", "p_65_eo_jr"),
        ("jongvolwassenen", "p_15_24_jr"),
        ("eenpersoonshuishoudens", "p_eenp_hh"),
    ):
        first, second = by_id[ind_id].derivations
        assert first.denominator and (second.numerator, second.denominator) == (share, ())
    extended = {"ggd_psychische_klachten", "ggd_ernstig_eenzaam", "ouderen", "jongvolwassenen"}
    extended.add("eenpersoonshuishoudens")
    unchanged = [i for i in old.indicators if i.id not in extended]
    assert all(i in new.indicators for i in unchanged)


def test_2026_4_only_simulates_the_latest_year_and_changes_nothing_else() -> None:
    old, new = load("2026.3"), load("2026.4")
    assert "2026.4" in releases()
    assert new.settings == old.settings and new.frameworks == old.frameworks
    assert new.indicators == old.indicators
    before, after = load_analysis("2026.3"), load_analysis("2026.4")
    assert before is not None and after is not None
    assert (before.periods, after.periods) == ("all", "latest")
    assert replace(after, version="2026.3", periods="all") == before
    assert replace(load_triangulation("2026.4"), version="2026.3") == load_triangulation("2026.3")
