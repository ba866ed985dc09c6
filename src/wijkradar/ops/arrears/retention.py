"""Retention: person-level rows are deleted when their time is up; reach aggregates stay.

- Signals that led to no help (no case, not picked up, or a case closed without help): deleted
  with their case `retention_months` after the household's last signal.
- Cases closed with help (codes.HELP_ACCEPTED): deleted `closed_retention_months` after closing.
- Open cases are never deleted automatically; households without signals or cases go too.
Before deleting, the rows' counts are added to reach_aggregates; each deletion is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.accounts import audit
from wijkradar.ops.arrears import codes, reach
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import Case, Household, PurgeGuard, ReachAggregate, Signal
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.ops.core.sqlutil import chunks

PURGE_USER = "system:purge"


@dataclass
class PurgeReport:
    signals: int = 0
    cases: int = 0
    households: int = 0


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def purge(factory: sessionmaker[Session], settings: OpsSettings) -> PurgeReport:
    """One transaction: nothing is half-purged."""
    today = clock.today()
    signal_cutoff = _months_before(today, settings.retention_months)
    closed_cutoff = _months_before(today, settings.closed_retention_months)
    report = PurgeReport()
    with factory() as session, session.begin():
        last_signal = dict(
            session.execute(
                select(Signal.household_id, func.max(Signal.signal_date)).group_by(
                    Signal.household_id
                )
            ).all()
        )
        cases = session.scalars(select(Case).where(Case.state == "afgesloten")).all()
        doomed_cases: set[int] = set()
        for case in cases:
            if case.result in codes.HELP_ACCEPTED:
                if case.closed_on is not None and case.closed_on < closed_cutoff:
                    doomed_cases.add(case.id)
            elif last_signal.get(case.household_id, today) < signal_cutoff:
                doomed_cases.add(case.id)
        open_households = set(
            session.scalars(select(Case.household_id).where(Case.state != "afgesloten"))
        )
        loose = session.execute(
            select(Signal.id, Signal.household_id).where(Signal.case_id.is_(None))
        )
        doomed_signals = {
            sid
            for sid, hid in loose
            if hid not in open_households and last_signal.get(hid, today) < signal_cutoff
        }
        for batch in chunks(doomed_cases):
            doomed_signals.update(
                session.scalars(select(Signal.id).where(Signal.case_id.in_(batch)))
            )
        _keep_aggregates(session, doomed_signals)
        session.execute(insert(PurgeGuard).values(id=1))
        by_gemeente: dict[str, list[int]] = defaultdict(list)
        for batch in chunks(doomed_signals):
            session.execute(delete(Signal).where(Signal.id.in_(batch)))
        for batch in chunks(doomed_cases):
            for cid, gemeente in session.execute(
                select(Case.id, Case.gemeente_code).where(Case.id.in_(batch))
            ):
                by_gemeente[gemeente].append(cid)
            session.execute(delete(Case).where(Case.id.in_(batch)))
        empty = session.scalars(
            select(Household.id).where(
                ~select(Signal.id).where(Signal.household_id == Household.id).exists(),
                ~select(Case.id).where(Case.household_id == Household.id).exists(),
            )
        ).all()
        for batch in chunks(empty):
            session.execute(delete(Household).where(Household.id.in_(batch)))
        session.execute(delete(PurgeGuard))
        for gemeente, ids in by_gemeente.items():
            for cid in ids:
                audit.record(session, PURGE_USER, gemeente, "delete", "case", cid)
        report.signals = len(doomed_signals)
        report.cases = len(doomed_cases)
        report.households = len(empty)
    return report


def _keep_aggregates(session: Session, signal_ids: set[int]) -> None:
    if not signal_ids:
        return
    gemeenten = {
        g
        for batch in chunks(signal_ids)
        for g in session.scalars(select(Signal.gemeente_code).where(Signal.id.in_(batch)))
    }
    for gemeente in gemeenten:
        gone = [f for batch in chunks(signal_ids) for f in reach.facts(session, gemeente, batch)]
        for (wijk, month, kind), c in reach.tally(gone).items():
            key = (gemeente, wijk, month, kind)
            row = session.get(ReachAggregate, key)
            if row is None:
                row = ReachAggregate(
                    gemeente_code=gemeente,
                    wijk_code=wijk,
                    month=month,
                    partner_kind=kind,
                    signals=0,
                    households=0,
                    reached=0,
                    accepted=0,
                )
                session.add(row)
            row.signals += c.signals
            row.households += c.households
            row.reached += c.reached
            row.accepted += c.accepted
        session.flush()
