"""Intake of a partner's file: check every row, then add the signals in one transaction.

Idempotent on partner + reference + signal date. Households by normalised address; flags
multiple (same address, same month), successive (same address, within the 6 months before) and
repeat (same partner and reference, within 6 months, amount not higher: recorded, not picked
up). Signals whose address has no buurt, lies in another gemeente, or names another person
than the open case at that address wait in the review queue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping as MappingT
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts import audit
from wijkradar.ops.arrears import priority
from wijkradar.ops.arrears.mapping import Mapping
from wijkradar.ops.arrears.rows import Rejection, Row, parse_row, read_table
from wijkradar.ops.core import addresses, clock
from wijkradar.ops.core.models import Case, Household, ImportRun, Partner, Signal, StatusChange
from wijkradar.ops.core.sqlutil import chunks, insert_ignore, insert_many_ignore, retrying

SIX_MONTHS = dt.timedelta(days=183)
REVIEW_REASONS = {
    "unplaced": {
        "nl": "adres niet in een buurt te plaatsen",
        "en": "address not placed in a buurt",
    },
    "other_gemeente": {"nl": "adres in een andere gemeente", "en": "address in another gemeente"},
    "name_mismatch": {
        "nl": "naam past niet bij de open zaak op dit adres",
        "en": "name does not match the open case at this address",
    },
}


@dataclass
class ImportResult:
    import_id: int | None = None
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    not_picked_up: int = 0
    review: int = 0
    cases_touched: int = 0
    rejected: list[Rejection] = field(default_factory=list)


class ImportRejected(WijkradarError):
    """Rows failed their checks and nothing was imported; .result.rejected says which."""

    def __init__(self, filename: str, result: ImportResult) -> None:
        first = result.rejected[0].line(filename)
        more = len(result.rejected) - 1
        super().__init__(first + (f" (and {more} more rejected rows)" if more else ""))
        self.result = result


@dataclass
class _Known:
    """A signal already at a household, as far as the flags and matching need it."""

    id: int | None
    partner_id: int
    reference: str
    signal_date: dt.date
    amount: Decimal
    status: str
    case_id: int | None
    name_key: str
    birth_date: dt.date | None
    #: the pending insert of a signal of this import (to set its multiple flag), else None
    values: dict[str, object] | None = None


def check_rows(
    content: bytes, filename: str, mapping: Mapping
) -> tuple[list[Row], list[Rejection], int]:
    """(valid rows, rejections, number of rows) - reads the whole file, touches no database."""
    today = clock.today()
    valid: list[Row] = []
    rejected: list[Rejection] = []
    total = 0
    for number, raw in read_table(content, filename, mapping):
        total += 1
        parsed = parse_row(raw, number, mapping, today)
        (rejected if isinstance(parsed, Rejection) else valid).append(parsed)  # type: ignore[arg-type]
    return valid, rejected, total


def import_file(
    factory: sessionmaker[Session],
    content: bytes,
    filename: str,
    mapping: Mapping,
    username: str,
    *,
    gemeente_scope: str | None,
    threshold: Decimal,
    skip_invalid: bool = False,
    stacking: MappingT[str, int] | None = None,
) -> ImportResult:
    """Check `content` and import it in one transaction. With rejected rows nothing is imported
    (ImportRejected) unless skip_invalid, which imports the valid rows and reports the rest."""
    if gemeente_scope is not None and mapping.gemeente != gemeente_scope:
        raise WijkradarError(
            f"{filename}: mapping is for {mapping.gemeente}, you work in {gemeente_scope}"
        )
    rows, rejected, total = check_rows(content, filename, mapping)
    result = ImportResult(rows=total, rejected=rejected)
    if rejected and not skip_invalid:
        raise ImportRejected(filename, result)

    def work() -> ImportResult:
        attempt = ImportResult(rows=total, rejected=rejected)
        with factory() as session, session.begin():
            _import(session, rows, mapping, username, threshold, stacking, attempt)
        return attempt

    return retrying(work)


def _partner(session: Session, mapping: Mapping) -> Partner:
    insert_ignore(
        session,
        Partner.__table__,  # type: ignore[arg-type]
        {"gemeente_code": mapping.gemeente, "name": mapping.partner, "kind": mapping.kind},
        ("gemeente_code", "name"),
    )
    partner = session.scalars(
        select(Partner).where(
            Partner.gemeente_code == mapping.gemeente, Partner.name == mapping.partner
        )
    ).one()
    if partner.kind != mapping.kind:
        raise WijkradarError(
            f"partner {mapping.partner!r} is registered as kind {partner.kind}, "
            f"mapping says {mapping.kind}"
        )
    return partner


def _households(session: Session, gemeente: str, rows: list[Row]) -> dict[str, int]:
    """address key -> household id, inserting the missing households in bulk (a household
    another import inserts at the same moment is taken as it is)."""
    keys = {addresses.address_key(r.postcode, r.huisnummer, r.toevoeging): r for r in rows}
    missing = set(keys)
    for batch in chunks(keys):
        for key in session.scalars(
            select(Household.address_key).where(
                Household.gemeente_code == gemeente, Household.address_key.in_(batch)
            )
        ):
            missing.discard(key)
    places = addresses.placements(session, {keys[k].postcode for k in missing})
    values = []
    for key in sorted(missing):
        row = keys[key]
        place = places.get((row.postcode, row.huisnummer))
        values.append(
            {
                "gemeente_code": gemeente,
                "address_key": key,
                "postcode": row.postcode,
                "huisnummer": row.huisnummer,
                "toevoeging": row.toevoeging,
                "buurt_code": place.buurt_code if place else None,
                "wijk_code": place.wijk_code if place else None,
            }
        )
    for part in chunks(values):
        insert_many_ignore(
            session,
            Household.__table__,  # type: ignore[arg-type]
            part,
            ("gemeente_code", "address_key"),
        )
    found: dict[str, int] = {}
    for batch in chunks(keys):
        for hid, key in session.execute(
            select(Household.id, Household.address_key).where(
                Household.gemeente_code == gemeente, Household.address_key.in_(batch)
            )
        ):
            found[key] = hid
    return found


def _import(
    session: Session,
    rows: list[Row],
    mapping: Mapping,
    username: str,
    threshold: Decimal,
    stacking: MappingT[str, int] | None,
    result: ImportResult,
) -> None:
    now = clock.now()
    gemeente = mapping.gemeente
    partner = _partner(session, mapping)
    run = ImportRun(
        gemeente_code=gemeente,
        partner_id=partner.id,
        at=now,
        username=username,
        rows_total=result.rows,
        rows_added=0,
        rows_duplicate=0,
    )
    session.add(run)
    session.flush()
    result.import_id = run.id
    existing = set(
        session.execute(
            select(Signal.reference, Signal.signal_date).where(Signal.partner_id == partner.id)
        ).all()
    )
    households = _households(session, gemeente, rows)
    buurt_of = dict(
        session.execute(
            select(Household.id, Household.buurt_code).where(
                Household.id.in_(list(households.values()))
            )
        ).all()
        if len(households) <= 1000
        else [
            pair
            for batch in chunks(households.values())
            for pair in session.execute(
                select(Household.id, Household.buurt_code).where(Household.id.in_(batch))
            ).all()
        ]
    )
    places = addresses.placements(session, {r.postcode for r in rows})

    earliest = min((r.signal_date for r in rows), default=clock.today()) - SIX_MONTHS
    known: dict[int, list[_Known]] = defaultdict(list)
    open_cases: dict[int, int] = {}
    for batch in chunks(set(households.values())):
        for found in session.execute(
            select(
                Signal.id,
                Signal.partner_id,
                Signal.reference,
                Signal.signal_date,
                Signal.amount,
                Signal.status,
                Signal.case_id,
                Signal.name_key,
                Signal.birth_date,
                Signal.household_id,
            ).where(Signal.household_id.in_(batch), Signal.signal_date >= earliest)
        ):
            sid, pid, ref, date, amount, status, cid, key, born, household_id = found
            assert household_id is not None
            known[household_id].append(_Known(sid, pid, ref, date, amount, status, cid, key, born))
        for cid, hid in session.execute(
            select(Case.id, Case.household_id).where(
                Case.household_id.in_(batch), Case.state != "afgesloten"
            )
        ):
            open_cases[hid] = cid

    seen: set[tuple[str, dt.date]] = set()
    make_multiple: set[int] = set()
    new_households: dict[int, dt.date] = {}
    pending: list[dict[str, object]] = []
    for row in sorted(rows, key=lambda r: (r.signal_date, r.number)):
        identity = (row.reference, row.signal_date)
        if identity in existing or identity in seen:
            result.duplicates += 1
            continue
        seen.add(identity)
        hid = households[addresses.address_key(row.postcode, row.huisnummer, row.toevoeging)]
        history = known[hid]
        month = (row.signal_date.year, row.signal_date.month)
        same_month = [k for k in history if (k.signal_date.year, k.signal_date.month) == month]
        month_start = row.signal_date.replace(day=1)
        successive = any(
            row.signal_date - SIX_MONTHS <= k.signal_date < month_start for k in history
        )
        earlier = [
            k
            for k in history
            if k.partner_id == partner.id
            and k.reference == row.reference
            and row.signal_date - SIX_MONTHS <= k.signal_date <= row.signal_date
            and k.status not in ("onterecht", "herhaald")
        ]
        repeat = bool(earlier) and row.amount <= max(k.amount for k in earlier)
        name_key = addresses.name_key(row.name)
        status, review, case_id = "nog_niet_opgepakt", None, None
        place = places.get((row.postcode, row.huisnummer))
        if row.amount < threshold:
            status = "onterecht"
        elif repeat:
            status = "herhaald"
            case_id = open_cases.get(hid)
        elif place is None:
            review = "unplaced"
        elif place.gemeente_code != gemeente:
            review = "other_gemeente"
        else:
            case_id = open_cases.get(hid)
            if case_id is not None and _conflicts(history, case_id, name_key, row.birth_date):
                review, case_id = "name_mismatch", None
            elif case_id is None:
                # a case to open: stands in as -household id until the cases are inserted
                case_id = -hid
                open_cases[hid] = case_id
                new_households[hid] = row.signal_date
        values: dict[str, object] = {
            "gemeente_code": gemeente,
            "partner_id": partner.id,
            "import_id": run.id,
            "household_id": hid,
            "case_id": case_id,
            "reference": row.reference,
            "signal_date": row.signal_date,
            "arrears_start": row.arrears_start,
            "amount": row.amount,
            "crisis": row.crisis,
            "warm_handover": row.warm_handover,
            "status": status,
            "multiple": bool(same_month),
            "successive": successive,
            "repeat": repeat,
            "review_reason": review,
            "name": row.name,
            "name_key": name_key,
            "birth_date": row.birth_date,
            "postcode": row.postcode,
            "huisnummer": row.huisnummer,
            "toevoeging": row.toevoeging,
        }
        pending.append(values)
        for k in same_month:
            if k.id is not None:
                make_multiple.add(k.id)
            elif k.values is not None:
                k.values["multiple"] = True
        history.append(
            _Known(
                None,
                partner.id,
                row.reference,
                row.signal_date,
                row.amount,
                status,
                case_id,
                name_key,
                row.birth_date,
                values,
            )
        )
    opened = _open_cases(session, new_households, gemeente, username)
    new_cases = {cid for cid, created in opened.values() if created}
    for values in pending:
        if isinstance(values["case_id"], int) and values["case_id"] < 0:
            values["case_id"] = opened[-values["case_id"]][0]
    for part in chunks(pending):
        insert_many_ignore(
            session,
            Signal.__table__,  # type: ignore[arg-type]
            part,
            ("partner_id", "reference", "signal_date"),
        )
    # what this import inserted carries its id (no RETURNING: psycopg converts each long
    # multi-row statement anew, which cost more than the inserts themselves)
    inserted = set(
        session.execute(
            select(Signal.reference, Signal.signal_date).where(Signal.import_id == run.id)
        ).all()
    )
    added = [v for v in pending if (v["reference"], v["signal_date"]) in inserted]
    # signals a concurrent import inserted first count as known ones
    result.duplicates += len(pending) - len(added)
    result.added = len(added)
    result.not_picked_up = sum(v["status"] in ("onterecht", "herhaald") for v in added)
    result.review = sum(v["review_reason"] is not None for v in added)
    touched = {int(v["case_id"]) for v in added if v["case_id"] is not None}  # type: ignore[call-overload]
    empty = new_cases - touched
    if empty:  # opened for signals that turned out to be known already
        session.execute(delete(StatusChange).where(StatusChange.case_id.in_(empty)))
        session.execute(delete(Case).where(Case.id.in_(empty)))
    for batch in chunks(make_multiple):
        session.execute(update(Signal).where(Signal.id.in_(batch)).values(multiple=True))
    refresh_cases(session, touched, stacking, buurt_of)
    run.rows_added = result.added
    run.rows_duplicate = result.duplicates
    result.cases_touched = len(touched)
    audit.record(session, username, gemeente, "import", "import", run.id)


def _conflicts(
    history: list[_Known], case_id: int, name_key: str, birth_date: dt.date | None
) -> bool:
    """True when the open case's signals name only other people than this row."""
    others = [k for k in history if k.case_id == case_id]
    if birth_date is not None and any(k.birth_date == birth_date for k in others):
        return False
    named = [k for k in others if k.name_key]
    return bool(name_key and named) and not any(
        addresses.same_person(k.name_key, name_key) for k in named
    )


def _open_cases(
    session: Session, first_signal: dict[int, dt.date], gemeente: str, username: str
) -> dict[int, tuple[int, bool]]:
    """household id -> (its open case, created now?) for households that had none when the
    import read them. On PostgreSQL the households are locked first (in id order, so two imports
    cannot deadlock on them) and read again: a case another import opened meanwhile is used."""
    found: dict[int, tuple[int, bool]] = {}
    if not first_signal:
        return found
    if session.get_bind().dialect.name == "postgresql":
        for batch in chunks(sorted(first_signal)):
            session.execute(
                select(Household.id)
                .where(Household.id.in_(batch))
                .order_by(Household.id)
                .with_for_update()
            )
            for cid, hid in session.execute(
                select(Case.id, Case.household_id).where(
                    Case.household_id.in_(batch), Case.state != "afgesloten"
                )
            ):
                found[hid] = (cid, False)
    today, now = clock.today(), clock.now()
    rows = []
    for hid, signal_date in sorted(first_signal.items()):
        if hid in found:
            continue
        month_start = signal_date.replace(day=1)
        next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
        rows.append(
            {
                "gemeente_code": gemeente,
                "household_id": hid,
                "state": "nieuw",
                "result": None,
                "matched_on": today,
                "match_start": month_start,
                "match_end": next_month - dt.timedelta(days=1),
                "picked_up_on": None,
                "closed_on": None,
                "last_signal_on": signal_date,
                "priority": 0,
                "priority_reasons": "[]",
            }
        )
    cases: Table = Case.__table__  # type: ignore[assignment]
    history: Table = StatusChange.__table__  # type: ignore[assignment]
    for part in chunks(rows):
        session.execute(insert(cases), part)
        # read the ids back: these households had no open case (and are locked on PostgreSQL)
        created = list(
            session.execute(
                select(cases.c.household_id, cases.c.id).where(
                    cases.c.household_id.in_([r["household_id"] for r in part]),
                    cases.c.state != "afgesloten",
                )
            ).all()
        )
        for hid, cid in created:
            found[hid] = (cid, True)
        session.execute(
            insert(history),
            [
                {"case_id": cid, "at": now, "username": username, "state": "nieuw", "result": None}
                for _, cid in created
            ],
        )
    return found


def _open_case(
    session: Session, household_id: int, gemeente: str, signal_date: dt.date, username: str
) -> tuple[int, bool]:
    """(the household's open case, whether it was created now). On PostgreSQL the household
    row is locked first, so two concurrent imports never open two cases for one address."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
        existing = session.scalars(
            select(Case.id).where(Case.household_id == household_id, Case.state != "afgesloten")
        ).first()
        if existing is not None:
            return existing, False
    month_start = signal_date.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    case_id = session.execute(
        insert(Case)
        .values(
            gemeente_code=gemeente,
            household_id=household_id,
            state="nieuw",
            matched_on=clock.today(),
            match_start=month_start,
            match_end=next_month - dt.timedelta(days=1),
            last_signal_on=signal_date,
            priority=0,
            priority_reasons="[]",
        )
        .returning(Case.id)
    ).scalar_one()
    session.execute(
        insert(StatusChange).values(
            case_id=case_id, at=clock.now(), username=username, state="nieuw"
        )
    )
    return case_id, True


def refresh_cases(
    session: Session,
    case_ids: set[int],
    stacking: MappingT[str, int] | None,
    buurt_of: MappingT[int, str | None] | None = None,
) -> None:
    """Recompute priority and last signal date of these cases from their signals."""
    today = clock.today()
    for batch in chunks(case_ids):
        facts: dict[int, list[priority.SignalFacts]] = defaultdict(list)
        last: dict[int, dt.date] = {}
        rows = session.execute(
            select(
                Signal.case_id,
                Partner.kind,
                Signal.amount,
                Signal.signal_date,
                Signal.arrears_start,
                Signal.successive,
                Signal.repeat,
                Signal.crisis,
                Signal.warm_handover,
            )
            .join(Partner, Partner.id == Signal.partner_id)
            .where(Signal.case_id.in_(batch))
        )
        for found_case, kind, amount, date, start, successive, repeat, crisis, warm in rows:
            assert found_case is not None
            case_id = found_case
            facts[case_id].append(
                priority.SignalFacts(kind, amount, date, start, successive, repeat, crisis, warm)
            )
            last[case_id] = max(last.get(case_id, date), date)
        households = dict(
            session.execute(select(Case.id, Case.household_id).where(Case.id.in_(batch))).all()
        )
        if buurt_of is None or any(h not in buurt_of for h in households.values()):
            buurt_of = dict(
                session.execute(
                    select(Household.id, Household.buurt_code).where(
                        Household.id.in_(list(households.values()))
                    )
                ).all()
            )
        changes = []
        for case_id, household_id in households.items():
            points, reasons = priority.score(
                facts[case_id],
                priority.stacking_lookup(stacking, buurt_of.get(household_id)),
                today,
            )
            change: dict[str, object] = {
                "id": case_id,
                "priority": points,
                "priority_reasons": priority.encode(reasons),
            }
            if case_id in last:
                change["last_signal_on"] = last[case_id]
            changes.append(change)
        for group in _same_keys(changes):
            session.execute(update(Case), group)


def _same_keys(changes: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Bulk UPDATE by primary key needs the same keys in every dict of one call."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for change in changes:
        groups[tuple(sorted(change))].append(change)
    return list(groups.values())
