"""Partner signals on SQLite and PostgreSQL: organisations and users, checks (personal data
refused with a reason), append-only status history, recent signals, bulk CSV (all or nothing),
token API lookup, retention with aggregates and deletion records, and the access rules."""

from __future__ import annotations

import datetime as dt

import pytest
from ops_helpers import GM_A, GM_B
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock, textcheck
from wijkradar.ops.partners import area_signals as sig
from wijkradar.ops.partners.models import (
    AreaSignal,
    AreaSignalAggregate,
    AreaSignalDeletion,
    AreaSignalStatus,
)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def frozen() -> object:
    clock.freeze(dt.datetime(2026, 11, 15, 12, 0))
    yield None
    clock.freeze(None)


def _orgs(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as session, session.begin():
        a = sig.add_org(session, GM_A, "Huisartsenpraktijk Test", "huisarts", ["WK980101"])
        a2 = sig.add_org(session, GM_A, "Voedselbank Test", "voedselbank", ["WK980102"])
        b = sig.add_org(session, GM_B, "School B", "school", ["WK980201"])
        sig.add_member(session, "p-a", PASSWORD, a)
        sig.add_member(session, "p-a2", PASSWORD, a2)
        sig.add_member(session, "p-b", PASSWORD, b)
        return a.id, a2.id, b.id


def _inp(**kw: object) -> sig.SignalInput:
    base: dict[str, object] = {
        "wijk": "WK980101",
        "month": "2026-10",
        "characteristics": ["financial_buffer"],
        "groups": ["lonely_elderly"],
        "direction": "meer",
        "band": "10-24",
        "text": "",
    }
    base.update(kw)
    return sig.SignalInput(**base)  # type: ignore[arg-type]


P_A = Principal("p-a", "partner", GM_A)
P_A2 = Principal("p-a2", "partner", GM_A)
P_B = Principal("p-b", "partner", GM_B)
COORD_A = Principal("coord-a", "coordinator", GM_A)
ANALYST_B = Principal("analyst-b", "analyst", GM_B)

REFUSED = [
    ("Mevrouw Jansen belt steeds over haar huur.", "name"),
    ("Zie Dorpsstraat 12 voor de situatie.", "address"),
    ("Bel 06-12345678 voor overleg.", "phone"),
    ("Mail naar j.devries@example.nl", "email"),
    ("Geboren 03-04-1957, woont alleen.", "birthdate"),
    ("BSN 111222333 is bekend bij ons.", "bsn"),
    ("Veel vragen uit 1234 AB de laatste weken.", "postcode"),
]
ACCEPTED = [
    "Meer ouderen aan de balie met vragen over de energierekening.",
    "Jongeren hangen 's avonds bij het winkelcentrum, meer dan vorig jaar.",
    "Sinds september 25 extra aanmeldingen bij de voedselbank, vooral gezinnen.",
    "Wachtlijst schuldhulp loopt op; 3 scholen melden ontbijtloze kinderen.",
    "Nummer 123456789 van het formulier is onbekend.",  # nine digits failing the 11-test
]


def test_personal_data_is_refused_with_a_reason(ops_factory: sessionmaker[Session]) -> None:
    a, _, _ = _orgs(ops_factory)
    for text_, kind in REFUSED:
        with ops_factory() as session, session.begin():
            org = sig.org_of(session, P_A)
            assert org.id == a
            with pytest.raises(sig.SignalRefused) as refused:
                sig.submit(session, org, _inp(text=text_), "p-a", "web")
        ((field, message),) = refused.value.problems
        assert field == "tekst", text_
        assert message.startswith("De tekst lijkt"), text_
        # the explanation names the kind of data, never the data itself
        assert text_.split()[1] not in message, text_
        assert kind in [f.kind for f in textcheck.find_personal_data(text_)], text_
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(AreaSignal)) == 0


def test_plain_texts_are_accepted(ops_factory: sessionmaker[Session]) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        org = sig.org_of(session, P_A)
        for text_ in ACCEPTED:
            signal = sig.submit(session, org, _inp(text=text_), "p-a", "web")
            assert signal.status == "ontvangen"
            assert signal.text == text_


def test_field_checks_name_field_expected_and_found(ops_factory: sessionmaker[Session]) -> None:
    _orgs(ops_factory)
    with ops_factory() as session:
        org = sig.org_of(session, P_A)
        problems = dict(
            sig.check(
                _inp(
                    wijk="WK980201",  # another gemeente's wijk
                    month="2026-12",  # the future
                    characteristics=["nonsense"],
                    direction="up",
                    band="12",
                ),
                org.gemeente_code,
            )
        )
    assert set(problems) == {"wijk", "maand", "kenmerken", "richting", "huishoudens"}
    assert "WK980201" in problems["wijk"] and "GM9801" in problems["wijk"]
    assert "2026-11" in problems["maand"]
    assert "'12'" in problems["huishoudens"]


def test_status_history_is_append_only_and_follows_the_steps(
    ops_factory: sessionmaker[Session],
) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        sid = sig.submit(session, sig.org_of(session, P_A), _inp(), "p-a", "web").id
    with (
        ops_factory() as session,
        session.begin(),
        pytest.raises(sig.NotAllowed),
    ):  # partners do not set statuses
        sig.set_status(session, P_A, sid, "besproken", "")
    with (
        ops_factory() as session,
        session.begin(),
        pytest.raises(sig.NotAllowed),
    ):  # another gemeente's staff do not see it
        sig.set_status(session, ANALYST_B, sid, "besproken", "")
    with ops_factory() as session, session.begin():
        sig.set_status(session, COORD_A, sid, "besproken", "In wijkoverleg besproken")
    with (
        ops_factory() as session,
        session.begin(),
        pytest.raises(sig.SignalRefused),
    ):  # no personal data in notes either
        sig.set_status(session, COORD_A, sid, "opgevolgd", "Mevrouw Jansen gebeld")
    with ops_factory() as session, session.begin():
        sig.set_status(session, COORD_A, sid, "opgevolgd", "Extra spreekuur in buurthuis")
    with (
        ops_factory() as session,
        session.begin(),
        pytest.raises(sig.SignalRefused),
    ):  # a final status has no next step
        sig.set_status(session, COORD_A, sid, "besproken", "")
    with ops_factory() as session:
        steps = [(h.status, h.note) for h in sig.history(session, sid)]
        assert steps == [
            ("ontvangen", ""),
            ("besproken", "In wijkoverleg besproken"),
            ("opgevolgd", "Extra spreekuur in buurthuis"),
        ]
        assert sig.get(session, P_A, sid).status == "opgevolgd"
    for statement in (
        "UPDATE area_signal_history SET note = 'x'",
        "DELETE FROM area_signal_history",
    ):
        with ops_factory() as session, pytest.raises(DBAPIError), session.begin():
            session.execute(text(statement))


def test_partners_see_their_own_signals_only(ops_factory: sessionmaker[Session]) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        own = sig.submit(session, sig.org_of(session, P_A), _inp(), "p-a", "web").id
        other = sig.submit(
            session, sig.org_of(session, P_A2), _inp(wijk="WK980102"), "p-a2", "web"
        ).id
        sig.submit(session, sig.org_of(session, P_B), _inp(wijk="WK980201"), "p-b", "web")
    with ops_factory() as session:
        assert [s.id for s in sig.listing(session, P_A)] == [own]
        assert {s.id for s in sig.listing(session, COORD_A)} == {own, other}
        assert [s.gemeente_code for s in sig.listing(session, ANALYST_B)] == [GM_B]
        with pytest.raises(sig.NotAllowed):
            sig.get(session, P_A, other)
        with pytest.raises(sig.NotAllowed):
            sig.get(session, ANALYST_B, own)
        with pytest.raises(sig.NotAllowed):
            sig.listing(session, Principal("w", "outreach", GM_A))


def test_recent_shows_own_signals_and_only_a_disclosed_total(
    ops_factory: sessionmaker[Session],
) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        a, a2 = sig.org_of(session, P_A), sig.org_of(session, P_A2)
        for _ in range(3):
            sig.submit(session, a, _inp(), "p-a", "web")
        for _ in range(9):
            sig.submit(session, a2, _inp(), "p-a2", "web")
        sig.submit(session, a2, _inp(characteristics=["health"]), "p-a2", "web")
        sig.submit(session, a2, _inp(month="2026-06"), "p-a2", "web")  # too old
    with ops_factory() as session:
        seen = sig.recent(session, sig.org_of(session, P_A), "WK980101", ["financial_buffer"])
        assert len(seen.own) == 3
        assert seen.all_count == 10  # 12 -> rounded to 10, never the exact small count
        few = sig.recent(session, sig.org_of(session, P_A), "WK980101", ["health"])
        assert few.own == [] and few.all_count is None and few.all_raw_positive


def test_csv_import_is_all_or_nothing(ops_factory: sessionmaker[Session]) -> None:
    a, _, _ = _orgs(ops_factory)
    header = "wijk;buurt;maand;kenmerken;groepen;richting;huishoudens;tekst\n"
    good = "WK980101;;2026-10;financial_buffer|health;lonely_elderly;meer;10-24;Meer vragen\n"
    bad = "WK980101;;2026-10;financial_buffer;;meer;10-24;Bel 06-12345678\n"
    with pytest.raises(sig.SignalRefused) as refused:
        sig.import_csv(ops_factory, a, (header + good + bad).encode(), "okt.csv", "p-a")
    assert refused.value.problems[0][0] == "okt.csv row 3 column tekst"
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(AreaSignal)) == 0
    assert sig.import_csv(ops_factory, a, (header + good * 3).encode(), "okt.csv", "p-a") == 3
    with ops_factory() as session:
        counts = sig.monthly_counts(session, GM_A)
    assert counts[("WK980101", "2026-10", "*")] == (3, 3)
    assert counts[("WK980101", "2026-10", "health")] == (3, 3)
    with pytest.raises(sig.SignalRefused) as missing:
        sig.import_csv(ops_factory, a, b"wijk;maand\nWK980101;2026-10\n", "x.csv", "p-a")
    assert "column 'buurt' missing" in missing.value.problems[0][1]


def test_tokens_resolve_to_their_organisation_only(ops_factory: sessionmaker[Session]) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        org = sig.org_of(session, P_A)
        token = sig.issue_token(session, org, "eigen systeem")
    with ops_factory() as session:
        found = sig.org_for_token(session, token)
        assert found is not None and found.name == "Huisartsenpraktijk Test"
        assert sig.org_for_token(session, token + "x") is None
        assert sig.org_for_token(session, "") is None


def test_retention_keeps_aggregates_and_a_deletion_record(
    ops_factory: sessionmaker[Session],
) -> None:
    _orgs(ops_factory)
    with ops_factory() as session, session.begin():
        a = sig.org_of(session, P_A)
        old = sig.submit(session, a, _inp(month="2024-09"), "p-a", "web").id
        sig.submit(session, a, _inp(month="2024-09", direction="minder"), "p-a", "web")
        sig.submit(session, a, _inp(month="2026-10"), "p-a", "web")
        sig.set_status(session, COORD_A, old, "besproken", "")
    with ops_factory() as session:
        before = sig.monthly_counts(session, GM_A)
    report = sig.purge(ops_factory, 24)  # today 2026-11: months before 2024-11 go
    assert (report.signals, report.gemeenten) == (2, 1)
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(AreaSignal)) == 1
        assert session.scalar(select(func.count()).select_from(AreaSignalStatus)) == 1
        assert sig.monthly_counts(session, GM_A) == before
        agg = session.get(AreaSignalAggregate, (GM_A, "WK980101", "2024-09", "*"))
        assert agg is not None and (agg.signals, agg.more) == (2, 1)
        record = session.scalars(select(AreaSignalDeletion)).one()
        assert (record.month_from, record.month_to, record.signals) == ("2024-09", "2024-09", 2)
    assert sig.purge(ops_factory, 24).signals == 0
