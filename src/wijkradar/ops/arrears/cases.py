"""Reading and changing cases, always through a Principal's rights, always audited.

Every function here that returns or changes person-level data first checks that the principal
may see persons of the case's gemeente, then writes an audit entry. A case of another gemeente
is reported as absent (CaseNotFound), so ids of other gemeenten leak nothing either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts import audit
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.arrears import codes
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import (
    Case,
    ContactAttempt,
    Household,
    Partner,
    Signal,
    StatusChange,
)

OPEN_CASE = text("cases.state <> 'afgesloten'")


class CaseNotFound(WijkradarError):
    pass


class NotAllowed(WijkradarError):
    pass


@dataclass(frozen=True)
class QueueRow:
    case_id: int
    priority: int
    reasons: str
    state: str
    address: str
    wijk_code: str | None
    buurt_code: str | None
    signals: int
    last_signal_on: dt.date
    attempts: int
    overdue: bool


def _require_persons(principal: Principal, gemeente: str) -> None:
    if not principal.may_see_persons_of(gemeente):
        raise NotAllowed("no access to person-level data of this gemeente")


def work_queue(
    session: Session,
    principal: Principal,
    no_attempt_days: int,
    limit: int = 100,
    offset: int = 0,
) -> list[QueueRow]:
    """Open cases of the principal's gemeente, highest priority first (audited as one view)."""
    gemeente = principal.gemeente_code or ""
    _require_persons(principal, gemeente)
    # the page first (index ix_cases_queue), then counts for just those cases
    page = session.execute(
        select(Case, Household)
        .join(Household, Household.id == Case.household_id)
        # a literal, not a bound parameter: the planner can then use the partial index
        .where(Case.gemeente_code == gemeente, OPEN_CASE)
        .order_by(Case.priority.desc(), Case.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    ids = [case.id for case, _ in page]
    n_attempts = dict(
        session.execute(
            select(ContactAttempt.case_id, func.count())
            .where(ContactAttempt.case_id.in_(ids))
            .group_by(ContactAttempt.case_id)
        ).all()
    )
    n_signals = dict(
        session.execute(
            select(Signal.case_id, func.count())
            .where(Signal.case_id.in_(ids))
            .group_by(Signal.case_id)
        ).all()
    )
    rows = [
        (case, household, n_attempts.get(case.id, 0), n_signals.get(case.id, 0))
        for case, household in page
    ]
    today = clock.today()
    out = [
        QueueRow(
            case_id=case.id,
            priority=case.priority,
            reasons=case.priority_reasons,
            state=case.state,
            address=_address(household),
            wijk_code=household.wijk_code,
            buurt_code=household.buurt_code,
            signals=n_signals,
            last_signal_on=case.last_signal_on,
            attempts=n_attempts,
            overdue=n_attempts == 0 and (today - case.matched_on).days > no_attempt_days,
        )
        for case, household, n_attempts, n_signals in rows
    ]
    audit.record(session, principal.username, gemeente, "view", "queue")
    return out


def _address(household: Household) -> str:
    pc = f"{household.postcode[:4]} {household.postcode[4:]}"
    toev = f"-{household.toevoeging}" if household.toevoeging else ""
    return f"{pc} {household.huisnummer}{toev}"


@dataclass(frozen=True)
class CaseView:
    case: Case
    address: str
    wijk_code: str | None
    buurt_code: str | None
    signals: list[tuple[Signal, Partner]]
    attempts: list[ContactAttempt]
    history: list[StatusChange]


def _case(session: Session, principal: Principal, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or not principal.may_see_persons_of(case.gemeente_code):
        raise CaseNotFound(f"no case {case_id}")
    return case


def view_case(session: Session, principal: Principal, case_id: int) -> CaseView:
    case = _case(session, principal, case_id)
    household = session.get(Household, case.household_id)
    assert household is not None
    signals = [
        (s, p)
        for s, p in session.execute(
            select(Signal, Partner)
            .join(Partner)
            .where(Signal.case_id == case.id)
            .order_by(Signal.signal_date)
        )
    ]
    attempts = list(
        session.scalars(
            select(ContactAttempt)
            .where(ContactAttempt.case_id == case.id)
            .order_by(ContactAttempt.on, ContactAttempt.id)
        )
    )
    history = list(
        session.scalars(
            select(StatusChange).where(StatusChange.case_id == case.id).order_by(StatusChange.id)
        )
    )
    audit.record(session, principal.username, case.gemeente_code, "view", "case", case.id)
    return CaseView(
        case,
        _address(household),
        household.wijk_code,
        household.buurt_code,
        signals,
        attempts,
        history,
    )


def _pick_up(session: Session, case: Case, username: str) -> None:
    """The first action on a case picks it up (DDAS datum_opgepakt)."""
    if case.picked_up_on is not None:
        return
    case.picked_up_on = clock.today()
    case.state = "in_behandeling"
    session.add(StatusChange(case_id=case.id, at=clock.now(), username=username, state=case.state))
    for signal in session.scalars(
        select(Signal).where(Signal.case_id == case.id, Signal.status == "nog_niet_opgepakt")
    ):
        signal.status = codes.PICKED_UP


def record_attempt(
    session: Session,
    principal: Principal,
    case_id: int,
    kind: str,
    reached: bool,
    on: dt.date,
    part_of_day: str,
) -> ContactAttempt:
    case = _case(session, principal, case_id)
    codes.check(codes.CONTACT_KINDS, kind, "contact kind")
    codes.check(codes.PARTS_OF_DAY, part_of_day, "part of day")
    if on > clock.today():
        raise WijkradarError("a contact attempt cannot be in the future")
    if case.state == "afgesloten":
        raise WijkradarError(f"case {case_id} is closed")
    _pick_up(session, case, principal.username)
    attempt = ContactAttempt(
        case_id=case.id,
        kind=kind,
        reached=reached,
        on=on,
        part_of_day=part_of_day,
        username=principal.username,
        recorded_at=clock.now(),
    )
    session.add(attempt)
    session.flush()
    audit.record(session, principal.username, case.gemeente_code, "change", "case", case.id)
    return attempt


def close_case(session: Session, principal: Principal, case_id: int, result: str) -> None:
    """Close with a DDAS end result; the case's signals get their DDAS status."""
    case = _case(session, principal, case_id)
    codes.check(codes.END_RESULTS, result, "end result")
    if case.state == "afgesloten":
        raise WijkradarError(f"case {case_id} is already closed")
    if result not in codes.NOT_PICKED_UP:
        _pick_up(session, case, principal.username)
    case.state = "afgesloten"
    case.result = result
    case.closed_on = clock.today()
    session.add(
        StatusChange(
            case_id=case.id,
            at=clock.now(),
            username=principal.username,
            state=case.state,
            result=result,
        )
    )
    new_status = result if result in codes.NOT_PICKED_UP else codes.PICKED_UP
    for signal in session.scalars(
        select(Signal).where(Signal.case_id == case.id, Signal.status == "nog_niet_opgepakt")
    ):
        signal.status = new_status
    audit.record(session, principal.username, case.gemeente_code, "change", "case", case.id)


def review_queue(session: Session, principal: Principal) -> list[tuple[Signal, Partner]]:
    gemeente = principal.gemeente_code or ""
    _require_persons(principal, gemeente)
    rows = [
        (s, p)
        for s, p in session.execute(
            select(Signal, Partner)
            .join(Partner)
            .where(Signal.gemeente_code == gemeente, Signal.review_reason.is_not(None))
            .order_by(Signal.signal_date, Signal.id)
        )
    ]
    audit.record(session, principal.username, gemeente, "view", "review")
    return rows


def resolve_review(
    session: Session, principal: Principal, signal_id: int, decision: str, username: str
) -> None:
    """decision 'accept': into the household's open case (opened if none); 'decline': not
    picked up, other reason (DDAS: 'Niet opgepakt: andere reden')."""
    from wijkradar.ops.arrears.intake import _open_case, refresh_cases

    if principal.role != "coordinator":
        raise NotAllowed("only a coordinator resolves the review queue")
    signal = session.get(Signal, signal_id)
    if signal is None or not principal.may_see_persons_of(signal.gemeente_code):
        raise CaseNotFound(f"no signal {signal_id}")
    if signal.review_reason is None:
        raise WijkradarError(f"signal {signal_id} is not in the review queue")
    if decision == "accept":
        assert signal.household_id is not None
        signal.case_id, _created = _open_case(
            session, signal.household_id, signal.gemeente_code, signal.signal_date, username
        )
        refresh_cases(session, {signal.case_id}, None)
    elif decision == "decline":
        signal.status = "andere_reden"
    else:
        raise WijkradarError("decision must be accept or decline")
    signal.review_reason = None
    audit.record(session, username, signal.gemeente_code, "change", "signal", signal.id)


def partner_feedback(
    session: Session, principal: Principal, partner_id: int
) -> list[tuple[str, dt.date, bool | None]]:
    """(reference, signal date, picked up?) - never why (DDAS: partners may only know whether a
    signal was picked up). None = not decided yet."""
    partner = session.get(Partner, partner_id)
    if partner is None or not principal.may_see_persons_of(partner.gemeente_code):
        raise CaseNotFound(f"no partner {partner_id}")
    if principal.role != "coordinator":
        raise NotAllowed("only a coordinator exports partner feedback")
    out: list[tuple[str, dt.date, bool | None]] = []
    for signal in session.scalars(
        select(Signal).where(Signal.partner_id == partner_id).order_by(Signal.signal_date)
    ):
        if signal.status == codes.PICKED_UP:
            picked: bool | None = True
        elif signal.status == "nog_niet_opgepakt" or signal.review_reason is not None:
            picked = None
        else:
            picked = False
        out.append((signal.reference, signal.signal_date, picked))
    audit.record(
        session, principal.username, partner.gemeente_code, "export", "partner", partner_id
    )
    return out
