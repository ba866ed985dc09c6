"""Outreach, closing, partner feedback, DDAS export, reach and retention on both engines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from ops_helpers import (
    ANALYST_A,
    COORD_A,
    GM_A,
    OUTREACH_A,
    csv,
    mapping,
    row,
    run_import,
    seed_postcodes,
)
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.compute import disclosure
from wijkradar.ops.arrears import cases, ddas, reach
from wijkradar.ops.arrears.retention import purge
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import AuditEntry, Case, ContactAttempt, ReachAggregate, Signal
from wijkradar.ops.core.settings import OpsSettings


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(dt.datetime(2026, 11, 1, 12, 0))
    yield
    clock.freeze(None)


def _first_case(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalars(select(Case.id).order_by(Case.id)).first() or 0)


def test_attempt_picks_up_and_history_is_append_only(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    run_import(ops_factory, csv(row("R1")))
    case_id = _first_case(ops_factory)
    with ops_factory() as session, session.begin():
        cases.record_attempt(
            session, OUTREACH_A, case_id, "telefoon", False, dt.date(2026, 10, 20), "avond"
        )
    with ops_factory() as session, session.begin():
        cases.record_attempt(
            session, OUTREACH_A, case_id, "huisbezoek", True, dt.date(2026, 10, 22), "middag"
        )
    with ops_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert (case.state, case.picked_up_on) == ("in_behandeling", dt.date(2026, 11, 1))
        assert session.scalars(select(Signal.status)).one() == "opgepakt"
        assert session.scalar(select(func.count()).select_from(ContactAttempt)) == 2
    for sql in ("UPDATE contact_attempts SET reached = false", "DELETE FROM case_status_history"):
        with pytest.raises(DBAPIError), ops_factory() as session, session.begin():
            session.execute(text(sql))
    with pytest.raises(cases.WijkradarError, match="future"), ops_factory() as session:
        cases.record_attempt(
            session, OUTREACH_A, case_id, "brief", False, dt.date(2026, 11, 2), "ochtend"
        )


def test_close_feedback_and_ddas_export(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    run_import(ops_factory, csv(row("R1"), row("R2", nr="2"), row("R3", nr="3", amount="10,00")))
    with ops_factory() as session:
        first, second = session.scalars(select(Case.id).order_by(Case.id)).all()
    with ops_factory() as session, session.begin():
        cases.record_attempt(
            session, COORD_A, first, "telefoon", True, dt.date(2026, 10, 20), "ochtend"
        )
        cases.close_case(session, COORD_A, first, "quick_fix")
        cases.close_case(session, COORD_A, second, "andere_reden")
    with ops_factory() as session, session.begin():
        partner_id = session.scalars(select(Signal.partner_id)).first()
        assert partner_id is not None
        feedback = cases.partner_feedback(session, COORD_A, partner_id)
        with pytest.raises(cases.NotAllowed):
            cases.partner_feedback(session, OUTREACH_A, partner_id)
    # only yes/no: never the reason (DDAS rule)
    assert sorted((ref, picked) for ref, _, picked in feedback) == [
        ("R1", True),
        ("R2", False),
        ("R3", False),
    ]
    with ops_factory() as session:
        lines = ddas.monthly(session, GM_A, dt.date(2026, 10, 1)).splitlines()
    assert lines[0] == "gemeente;maand;object;attribuut;waarde;aantal"
    assert "GM9801;2026-10;Vroegsignaal;type;Huur;3" in lines
    assert "GM9801;2026-10;Vroegsignaal;status;Niet opgepakt: onterecht signaal;1" in lines
    assert "GM9801;2026-10;Vroegsignaal;status;Niet opgepakt: andere reden;1" in lines
    assert "GM9801;2026-10;Contactpoging;soort;Telefoon;1" in lines
    with ops_factory() as session:
        nov = ddas.monthly(session, GM_A, dt.date(2026, 11, 1)).splitlines()
    assert "GM9801;2026-11;Vroegsignaalzaak;resultaat;(Budget)advies en/of ‘quick fix’;1" in nov


def test_reach_discloses_and_survives_the_purge(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    # 14 households in wijk 01 signalled in April 2026; 4 in wijk 02 (too few to show)
    run_import(
        ops_factory,
        csv(
            *(row(f"A{n}", nr=str(n), date="15-04-2026", since="01-03-2026") for n in range(1, 15))
        ),
    )
    run_import(
        ops_factory,
        csv(*(row(f"B{n}", pc="1000 AB", nr=str(n), date="15-04-2026") for n in range(1, 5))),
    )
    with ops_factory() as session, session.begin():
        ids = session.scalars(select(Case.id).order_by(Case.id)).all()
        for case_id in ids[:12]:
            cases.record_attempt(
                session, COORD_A, case_id, "huisbezoek", True, dt.date(2026, 4, 20), "middag"
            )
            cases.close_case(
                session,
                COORD_A,
                case_id,
                "geen_hulp_nodig" if case_id % 2 else "vervolg_financieel",
            )
    with ops_factory() as session:
        before = reach.report(session, ANALYST_A, GM_A, {"WK980101": 2000.0})
        with pytest.raises(cases.NotAllowed):
            reach.report(session, OUTREACH_A, GM_A, {})
        with pytest.raises(cases.NotAllowed):
            reach.report(session, ANALYST_A, "GM9802", {})
    rows = {r.wijk: r for r in before}
    assert (rows["WK980101"].signals, rows["WK980101"].households) == (15, 15)  # 14 -> rounded
    # shares from the released counts: 12 of 14 (86 %) would give both back; 6 accepted of 14
    # are below the threshold, so no share
    assert rows["WK980101"].reached_pct == round(100 * 10 / 15)
    assert rows["WK980101"].accepted_pct is None
    assert rows["WK980101"].per_1000 == 7.5  # from the released 15: 14 would show through
    assert rows["WK980102"].signals is None and rows["WK980102"].reached_pct is None
    # seven months later the closed cases without help and their signals are gone
    clock.freeze(dt.datetime(2026, 11, 20, 3, 0))
    report = purge(ops_factory, OpsSettings(db="unused", retention_months=6))
    assert report.cases == 6  # the 6 closed without help; 6 with help stay 18 months
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(ReachAggregate)) > 0
        after = reach.report(session, ANALYST_A, GM_A, {"WK980101": 2000.0})
        deleted = session.scalars(
            select(AuditEntry.record_id).where(AuditEntry.action == "delete")
        ).all()
    assert len(deleted) == 6
    assert [
        (r.wijk, r.month, r.signals, r.households, r.reached_pct, r.accepted_pct) for r in after
    ] == [(r.wijk, r.month, r.signals, r.households, r.reached_pct, r.accepted_pct) for r in before]
    # after 18 months also the cases with help go; figures still the same
    clock.freeze(dt.datetime(2028, 6, 1, 3, 0))
    second = purge(ops_factory, OpsSettings(db="unused"))
    assert second.cases == 6
    with ops_factory() as session:
        again = reach.report(session, ANALYST_A, GM_A, {"WK980101": 2000.0})
        assert session.scalar(select(func.count()).select_from(Signal)) == 6  # the 6 open cases
    assert [(r.signals, r.reached_pct, r.accepted_pct) for r in again] == [
        (r.signals, r.reached_pct, r.accepted_pct) for r in before
    ]


def test_other_partner_kinds_reach_columns(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    run_import(
        ops_factory,
        csv(*(row(f"E{n}", nr=str(n)) for n in range(1, 11))),
        mapping("Energie", "energie"),
    )
    with ops_factory() as session:
        rows = reach.report(session, COORD_A, GM_A, {})
    assert rows[0].by_kind == {"energie": 10}


def test_reach_figures_leave_as_families(ops_factory: sessionmaker[Session]) -> None:
    """A wijk's total over all months is the sum of its months, and a month's count the sum of
    its partner kinds: released one by one, 40 (38) minus 10 (12) and 15 (17) pins the third
    month to 9, and 40 (38) minus huur 10 (12) and energie 15 (17) pins the third kind to 9."""
    months = {"2026-01": 12, "2026-02": 17, "2026-03": 9}
    kinds = {"huur": 12, "energie": 17, "water": 9}
    with ops_factory() as session, session.begin():
        for month, n in months.items():
            for kind in ("huur", "*"):
                session.add(
                    ReachAggregate(
                        gemeente_code=GM_A,
                        wijk_code="WK980101",
                        month=month,
                        partner_kind=kind,
                        signals=n,
                        households=n,
                        reached=0,
                        accepted=0,
                    )
                )
        for kind, n in [*kinds.items(), ("*", sum(kinds.values()))]:
            session.add(
                ReachAggregate(
                    gemeente_code=GM_A,
                    wijk_code="WK980102",
                    month="2026-04",
                    partner_kind=kind,
                    signals=n,
                    households=n,
                    reached=0,
                    accepted=0,
                )
            )
    with ops_factory() as session:
        rows = {(r.wijk, r.month): r for r in reach.report(session, COORD_A, GM_A, {})}
        totals = reach.wijk_totals(session, COORD_A, GM_A)
    assert totals == {"WK980101": 40, "WK980102": 40}
    first = [rows[("WK980101", m)].signals for m in months]
    assert first == [None, 15, None]  # 12 hidden too, though 10 alone
    # a month hidden to protect another hides its kinds: they would add up to it
    assert rows[("WK980101", "2026-01")].by_kind == {"energie": None, "huur": None, "water": None}
    assert rows[("WK980101", "2026-02")].by_kind["huur"] == 15
    second = rows[("WK980102", "2026-04")]
    assert second.signals == 40
    assert second.by_kind == {"energie": 15, "huur": None, "water": None}
    # what a reader of the page can infer of each hidden count keeps at least two values
    for parent, children, small in (
        (40, first, [False, False, True]),
        (40, list(second.by_kind.values()), [False, False, True]),
    ):
        for r in disclosure.feasible_ranges(parent, children, small):
            assert r is None or r[1] > r[0]


def test_a_gemeente_total_leaves_with_its_wijken(ops_factory: sessionmaker[Session]) -> None:
    """The registers' report shows the gemeente's total, the reach and white-spot pages each
    wijk's: 38 = 12 + 17 + 9 pins the third wijk when each is released alone. The smallest shown
    wijk is hidden too, and with its total its months (which would add up to it)."""
    from wijkradar.registers import fitgap

    with ops_factory() as session, session.begin():
        for wijk, n in (("WK980101", 12), ("WK980102", 17), ("WK980103", 9)):
            for kind in ("huur", "*"):
                session.add(
                    ReachAggregate(
                        gemeente_code=GM_A,
                        wijk_code=wijk,
                        month="2026-02",
                        partner_kind=kind,
                        signals=n,
                        households=n,
                        reached=0,
                        accepted=0,
                    )
                )
    with ops_factory() as session:
        figures = reach.released_signals(reach.counts(session, GM_A))
        rows = {r.wijk: r for r in reach.report(session, COORD_A, GM_A, {})}
        gap_signals = fitgap._signals(session, GM_A)
    assert figures.gemeente == 40
    assert figures.totals == {"WK980101": None, "WK980102": 15, "WK980103": None}
    assert gap_signals == figures.totals  # the white-spot page shows the same
    assert rows["WK980101"].signals is None and rows["WK980101"].by_kind == {"huur": None}
    assert rows["WK980102"].signals == 15
    small = [False, False, True]
    for r in disclosure.feasible_ranges(40, list(figures.totals.values()), small):
        assert r is None or r[1] > r[0]
