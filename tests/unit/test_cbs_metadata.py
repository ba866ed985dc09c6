"""tables.yml and aliases.yml: loaded, validated, and covering the canonical variables."""

from __future__ import annotations

import pytest

from wijkradar.sources.cbs_kwb.columns import aliases, parse_aliases
from wijkradar.sources.cbs_kwb.tables import (
    kwb_tables,
    parse_tables,
    table_for_year,
    year_for_table,
)

CANONICAL = [
    "AantalInwoners",
    "Mannen",
    "Vrouwen",
    "k_0Tot15Jaar",
    "k_15Tot25Jaar",
    "k_25Tot45Jaar",
    "k_45Tot65Jaar",
    "k_65JaarOfOuder",
    "HuishoudensTotaal",
    "Eenpersoonshuishoudens",
    "HuishoudensZonderKinderen",
    "HuishoudensMetKinderen",
    "GemiddeldeHuishoudensgrootte",
    "Bevolkingsdichtheid",
    "GemiddeldeWOZWaardeVanWoningen",
    "HuurwoningenTotaal",
    "InBezitWoningcorporatie",
    "OpleidingsniveauLaag",
    "OpleidingsniveauMiddelbaar",
    "OpleidingsniveauHoog",
    "Nettoarbeidsparticipatie",
    "PercentageZelfstandigen",
    "GemiddeldInkomenPerInwoner",
    "k_40PersonenMetLaagsteInkomen",
    "HuishoudensMetEenLaagInkomen",
    "HuishOnderOfRondSociaalMinimum",
    "PersonenPerSoortUitkeringBijstand",
    "PersonenPerSoortUitkeringAO",
    "PersonenPerSoortUitkeringWW",
    "PersonenPerSoortUitkeringAOW",
    "JongerenMetJeugdzorgInNatura",
    "PercentageJongerenMetJeugdzorg",
    "WmoClienten",
    "WmoClientenRelatief",
    "GeweldsEnSeksueleMisdrijven",
    "BedrijfsvestigingenTotaal",
    "GIHandelEnHoreca",
    "AfstandTotHuisartsenpraktijk",
    "AfstandTotGroteSupermarkt",
    "AfstandTotKinderdagverblijf",
    "AfstandTotSchool",
    "OppervlakteLand",
    "MateVanStedelijkheid",
]


def test_known_table_ids() -> None:
    assert table_for_year(2019).table_id == "84583NED"
    assert table_for_year(2023).table_id == "85618NED"
    assert table_for_year(2024).table_id == "85984NED"
    assert year_for_table("85039ned") == 2021
    assert year_for_table("99999NED") is None
    assert set(range(2013, 2025)) <= set(kwb_tables())


def test_unconfirmed_ids_are_marked() -> None:
    unconfirmed = {year for year, table in kwb_tables().items() if not table.confirmed}
    assert unconfirmed and all(kwb_tables()[year].note for year in unconfirmed)
    assert 2023 not in unconfirmed


def test_unknown_year_names_known_years() -> None:
    with pytest.raises(KeyError, match="known years: 2013"):
        table_for_year(1999)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tables": {2020: {"id": "8479NED", "confirmed": True}}}, "look like"),
        ({"tables": {"2020": {"id": "84799NED", "confirmed": True}}}, "integer"),
        (
            {
                "tables": {
                    2020: {"id": "84799NED", "confirmed": True},
                    2021: {"id": "84799NED", "confirmed": True},
                }
            },
            "both",
        ),
        ({"tables": {2020: {"id": "84799NED"}}}, "confirmed"),
        ({"years": {}}, "expected a mapping"),
    ],
)
def test_tables_validation(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_tables(data)


def test_every_canonical_variable_has_a_short_code_and_unit() -> None:
    names = aliases()
    for key in CANONICAL:
        assert key in names.variables, key
        assert names.variables[key].unit, key
        assert key in names.short.values(), f"{key} has no short code"


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("AantalInwoners_5", "AantalInwoners"),
        ("k_0Tot15Jaar_8", "k_0Tot15Jaar"),
        ("a_00_14", "k_0Tot15Jaar"),
        ("A_INW", "AantalInwoners"),
        ("g_wozbag", "GemiddeldeWOZWaardeVanWoningen"),
        ("g_woz", "GemiddeldeWOZWaardeVanWoningen"),
        ("p_hh_osm", "HuishOnderOfRondSociaalMinimum"),
        (" a_soz_wb ", "PersonenPerSoortUitkeringBijstand"),
        ("g_afs_hp", "AfstandTotHuisartsenpraktijk"),
        ("a_bst_b", "a_bst_b"),
    ],
)
def test_normalise(column: str, key: str) -> None:
    assert aliases().normalise(column) == key


@pytest.mark.parametrize(
    ("column", "role"),
    [
        ("WijkenEnBuurten", "code"),
        ("gwb_code_10", "code"),
        ("Codering_3", "codering"),
        ("SoortRegio_2", "kind"),
        ("recs", "kind"),
        ("Gemeentenaam_1", "gemeente_name"),
        ("gwb_code_8", "ignore"),
        ("AantalInwoners_5", None),
    ],
)
def test_identifier_roles(column: str, role: str | None) -> None:
    names = aliases()
    assert names.role(names.normalise(column)) == role


def test_aliases_reject_a_short_code_used_twice() -> None:
    data = {
        "variables": {
            "A": {"title": "a", "unit": "aantal", "short": ["x_1"]},
            "B": {"title": "b", "unit": "aantal", "short": ["x_1"]},
        }
    }
    with pytest.raises(ValueError, match="x_1"):
        parse_aliases(data)
