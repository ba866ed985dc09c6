"""Maatwerk register (audited views), escalations (text check, pattern report) and Big 5
(disclosure, trend, national), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import transaction
from wijkradar.ops.core.models import AuditEntry
from wijkradar.registers import professional, textguard

EDITOR = Principal("ed", "editor", "GM0014")
COORD = Principal("co", "coordinator", "GM0014")
ANALYST = Principal("an", "analyst", "GM0014")
OTHER = Principal("ot", "analyst", "GM0034")


def test_maatwerk_search_by_domain_and_every_view_audited(
    ops_factory: sessionmaker[Session],
) -> None:
    with transaction(ops_factory) as session:
        professional.add_contact(session, EDITOR, "UWV", "werk_inkomen", "maatwerkloket", "x")
        professional.add_contact(session, EDITOR, "CJIB", "schulden", "noodstop", "y")
        professional.add_contact(session, EDITOR, "Gemeente Groningen", "schulden", "team", "z")
        with pytest.raises(PermissionError):
            professional.add_contact(session, COORD, "X", "schulden", "r", "r")
        with pytest.raises(WijkradarError):
            professional.add_contact(session, EDITOR, "X", "astrologie", "r", "r")
    with transaction(ops_factory) as session:
        found = professional.find_contacts(session, COORD, domain="schulden")
        assert [c.organisation for c in found] == ["CJIB", "Gemeente Groningen"]
        assert [c.organisation for c in professional.find_contacts(session, COORD, text="uwv")] == [
            "UWV"
        ]
    with transaction(ops_factory) as session:
        views = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "maatwerk", AuditEntry.action == "view"
            )
        ).all()
        assert len(views) == 3 and {v.username for v in views} == {"co"}


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Mevrouw woont op Dorpsstraat 12", "address"),
        ("bel 06-12345678 voor overleg", "phone"),
        ("BSN 111222333 geblokkeerd", "bsn"),
        ("adres 9711 AB", "postcode"),
        ("mail a.b@example.nl", "email"),
        ("geboren 01-02-1990", "birthdate"),
    ],
)
def test_text_check_finds_personal_data(text: str, kind: str) -> None:
    assert kind in {f.kind for f in textguard.find_personal_data(text)}
    sentence = textguard.explain(textguard.find_personal_data(text))
    assert text.split()[-1] not in sentence  # the data itself is never echoed


def test_escalations_refuse_personal_data_and_report_patterns(
    ops_factory: sessionmaker[Session],
) -> None:
    assert textguard.find_personal_data("Participatiewet art. 18 blokkeerde maatwerk") == []
    with transaction(ops_factory) as session:
        with pytest.raises(professional.PersonalData) as refused:
            professional.add_escalation(
                session,
                COORD,
                dt.date(2026, 1, 5),
                ["schulden"],
                ["Participatiewet"],
                ["UWV"],
                lesson="Dhr. woont Kerkstraat 4, BSN 111222333",
            )
        assert "111222333" not in str(refused.value) and "Kerkstraat" not in str(refused.value)
        with pytest.raises(PermissionError):
            professional.add_escalation(session, ANALYST, dt.date(2026, 1, 5), [], [], [])
        for day, laws, orgs, status in (
            (dt.date(2025, 3, 1), ["Participatiewet"], ["UWV"], "opgelost"),
            (
                dt.date(2026, 1, 5),
                ["Participatiewet", "Wet kinderopvang"],
                ["Belastingdienst"],
                "open",
            ),
            (dt.date(2026, 2, 9), ["Participatiewet"], ["UWV", "CJIB"], "niet_opgelost"),
        ):
            professional.add_escalation(
                session, COORD, day, ["werk_inkomen"], laws, orgs, status, lesson="regel knelt"
            )
    with transaction(ops_factory) as session:
        report = professional.pattern_report(session)
        laws_2026 = [p for p in report if p.period == "2026" and p.what == "law"]
        assert (laws_2026[0].name, laws_2026[0].cases, laws_2026[0].unresolved) == (
            "Participatiewet",
            2,
            2,
        )
        overall = professional.pattern_report(session, by_year=False)
        uwv = next(p for p in overall if p.name == "UWV")
        assert (uwv.cases, uwv.unresolved) == (2, 1)


def test_big5_disclosure_trend_and_national(ops_factory: sessionmaker[Session]) -> None:
    five = {"wonen": 30, "zorg": 35, "inkomen": 20, "school_werk": 28, "support": 39}
    with transaction(ops_factory) as session:
        professional.enter_big5(session, COORD, "GM0014", "2026Q1", 40, **five)
        professional.enter_big5(
            session,
            COORD,
            "GM0014",
            "2026Q2",
            8,
            wonen=4,
            zorg=8,
            inkomen=3,
            school_werk=5,
            support=6,
        )
        professional.enter_big5(
            session,
            OTHER,
            "GM0034",
            "2026Q1",
            60,
            wonen=50,
            zorg=55,
            inkomen=41,
            school_werk=44,
            support=58,
        )
        with pytest.raises(PermissionError):
            professional.enter_big5(session, OTHER, "GM0014", "2026Q3", 10, **five)
        with pytest.raises(WijkradarError):
            professional.enter_big5(session, COORD, "GM0014", "2026Q5", 40, **five)
        with pytest.raises(WijkradarError):
            professional.enter_big5(session, COORD, "GM0014", "2026Q3", 10, **five)
    with transaction(ops_factory) as session:
        trend = professional.big5_trend(session, "GM0014")
        assert [r.quarter for r in trend] == ["2026Q1", "2026Q2"]
        assert trend[0].turning_18 == 40 and trend[0].shares["wonen"] == 75.0
        # 39 of 40 have support: the one without would be revealed, so no share
        assert trend[0].shares["support"] is None
        assert trend[1].turning_18 is None and set(trend[1].shares.values()) == {None}
        national = professional.big5_national(session)
        q1 = next(r for r in national if r.quarter == "2026Q1")
        assert q1.turning_18 == 100 and q1.shares["wonen"] == 80.0
