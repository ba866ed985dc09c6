"""The personal-data check on free text: realistic Dutch texts refused and accepted."""

from __future__ import annotations

from datetime import date

import pytest

from wijkradar.ops.core.textcheck import bsn_valid, explain, find_personal_data

TODAY = date(2026, 11, 25)

REFUSED = [
    ("Mevrouw Jansen belde ons gisteren over haar energierekening.", "name"),
    ("Jan de Vries heeft al drie maanden geen huur betaald.", "name"),
    ("Het gezin op de Dorpsstraat 12 zit zonder stroom.", "address"),
    ("Fam. woont aan de Hoofdweg 120-2, graag langsgaan.", "address"),
    ("Bel even naar 06-12345678 voor een afspraak.", "phone"),
    ("Bereikbaar op +31 6 1234 5678 na vijven.", "phone"),
    ("Contact via m.deboer@example.nl graag.", "email"),
    ("Cliënt is geboren op 3 april 1961 en woont alleen.", "birthdate"),
    ("Geboortedatum 12-03-1956, weduwe, veel schulden.", "birthdate"),
    ("BSN 111222333 is bekend bij de gemeente.", "bsn"),
    ("Burgerservicenummer 1112.22.333 staat in het dossier.", "bsn"),
    ("Postcode 7811 AB, grote achterstand bij de woningcorporatie.", "postcode"),
]

ACCEPTED = [
    "In de wijk zien we meer gezinnen met betalingsachterstanden, vooral bij de energierekening.",
    "Meer jongeren bij de voedselbank sinds de zomer.",
    "Sinds 1 september 2026 meer aanmeldingen bij het inloopspreekuur in Emmerhout.",
    "Ouderen in de Kerkstraat en omgeving komen minder naar het buurthuis.",
    "Veel vragen over de energietoeslag; ongeveer 20 tot 50 huishoudens.",
    "Ordernummer 123456789 van de bulklevering kwam niet aan.",
    "Docenten merken dat kinderen vaker zonder ontbijt op school komen.",
]


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_personal_data_is_found(text: str, kind: str) -> None:
    findings = find_personal_data(text, today=TODAY)
    assert kind in {f.kind for f in findings}, (text, findings)
    for f in findings:
        assert 0 <= f.fragment_start < f.fragment_end <= len(text)


@pytest.mark.parametrize("text", ACCEPTED)
def test_area_level_text_is_accepted(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []


def test_explanation_names_the_kinds_and_never_repeats_the_data() -> None:
    text = "Mevrouw de Boer, 06-12345678, BSN 111222333."
    findings = find_personal_data(text, today=TODAY)
    for lang, word in (("nl", "telefoonnummer"), ("en", "phone number")):
        sentence = explain(findings, lang)
        assert word in sentence and "BSN" in sentence
        assert "12345678" not in sentence and "Boer" not in sentence and "111222333" not in sentence
    assert explain([], "nl") == ""


def test_bsn_eleven_test() -> None:
    assert bsn_valid("111222333")
    assert bsn_valid("123456782")
    assert not bsn_valid("123456789")
    assert not bsn_valid("000000000")
    assert not bsn_valid("12345678")


def test_nine_digits_that_fail_the_eleven_test_are_no_bsn() -> None:
    assert [f.kind for f in find_personal_data("Kenmerk 123456789.", today=TODAY)] == []


def test_recent_dates_are_no_birth_dates_unless_said_so() -> None:
    assert find_personal_data("Gesprek op 12-11-2026 in het wijkcentrum.", today=TODAY) == []
    said = find_personal_data("Zoon geboren 02-02-2020, moeder zoekt hulp.", today=TODAY)
    assert "birthdate" in {f.kind for f in said}
