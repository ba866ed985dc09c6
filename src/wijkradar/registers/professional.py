"""Registers for professionals: the maatwerk register (logged-in users only, every view
audited), escalations (LET, anonymised: the personal-data text check refuses names, BSNs,
addresses...) with a pattern report, and Big 5 aggregates with disclosure rules."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wijkradar.compute.disclosure import Linked, disclose_count, release_linked
from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts import audit
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.registers import textguard
from wijkradar.registers.initiatives import may_edit
from wijkradar.registers.models import Big5, Escalation, MaatwerkContact

DOMAINS = ("werk_inkomen", "schulden", "wonen", "zorg", "jeugd", "onderwijs", "veiligheid")
BIG5 = ("wonen", "zorg", "inkomen", "school_werk", "support")
STATUSES = ("open", "opgelost", "niet_opgelost")
QUARTER = re.compile(r"^(20\d\d)Q([1-4])$")


# -- maatwerk register ---------------------------------------------------------------------


def add_contact(
    session: Session,
    principal: Principal,
    organisation: str,
    domain: str,
    role: str,
    reach: str,
    gemeente_code: str | None = None,
) -> int:
    if not may_edit(principal):
        raise PermissionError("editors only")
    if domain not in DOMAINS:
        raise WijkradarError(f"domain {domain!r}: expected one of {', '.join(DOMAINS)}")
    contact = MaatwerkContact(
        organisation=organisation,
        gemeente_code=gemeente_code,
        domain=domain,
        role=role,
        reach=reach,
        active=True,
    )
    session.add(contact)
    session.flush()
    audit.record(session, principal.username, gemeente_code or "", "change", "maatwerk", contact.id)
    return contact.id


def find_contacts(
    session: Session, principal: Principal, domain: str | None = None, text: str = ""
) -> list[MaatwerkContact]:
    """Contacts by domain/text; each contact shown is an audited view."""
    query = select(MaatwerkContact).where(MaatwerkContact.active.is_(True))
    if domain:
        query = query.where(MaatwerkContact.domain == domain)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(
            or_(
                func.lower(MaatwerkContact.organisation).like(like),
                func.lower(MaatwerkContact.role).like(like),
            )
        )
    rows = list(session.scalars(query.order_by(MaatwerkContact.organisation)))
    for row in rows:
        audit.record(
            session, principal.username, principal.gemeente_code or "", "view", "maatwerk", row.id
        )
    return rows


# -- escalations (LET) ---------------------------------------------------------------------


class PersonalData(WijkradarError):
    """Free text that seems to hold personal data; the message names the kind, never the data."""


def add_escalation(
    session: Session,
    principal: Principal,
    opened_on: dt.date,
    domains: list[str],
    laws: list[str],
    organisations: list[str],
    status: str = "open",
    resolution: str = "",
    lesson: str = "",
    lang: str = "nl",
) -> int:
    if principal.gemeente_code is None and principal.role != "admin":
        raise PermissionError("no gemeente")
    if principal.role not in ("coordinator", "editor", "admin"):
        raise PermissionError("coordinators and editors only")
    if status not in STATUSES:
        raise WijkradarError(f"status {status!r}: expected one of {', '.join(STATUSES)}")
    for field in [resolution, lesson, *laws, *organisations]:
        findings = textguard.find_personal_data(field)
        if findings:
            raise PersonalData(textguard.explain(findings, lang))
    row = Escalation(
        gemeente_code=principal.gemeente_code or "",
        opened_on=opened_on,
        domains=json.dumps(sorted(set(domains))),
        laws=json.dumps(sorted({law.strip() for law in laws if law.strip()})),
        organisations=json.dumps(sorted({o.strip() for o in organisations if o.strip()})),
        status=status,
        resolution=resolution,
        lesson=lesson,
        username=principal.username,
    )
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True)
class Pattern:
    what: str  # law | organisation | domain
    name: str
    period: str  # YYYY or "all"
    cases: int
    unresolved: int


def pattern_report(session: Session, by_year: bool = True) -> list[Pattern]:
    """Which laws, organisations and domains block most (count of cases naming them), per year;
    small counts are kept because escalations hold no personal data and are few by nature."""
    counts: Counter[tuple[str, str, str]] = Counter()
    unresolved: Counter[tuple[str, str, str]] = Counter()
    for row in session.scalars(select(Escalation)):
        period = str(row.opened_on.year) if by_year else "all"
        for what, values in (
            ("law", json.loads(row.laws)),
            ("organisation", json.loads(row.organisations)),
            ("domain", json.loads(row.domains)),
        ):
            for value in values:
                counts[(what, value, period)] += 1
                if row.status != "opgelost":
                    unresolved[(what, value, period)] += 1
    out = [Pattern(w, n, p, c, unresolved[(w, n, p)]) for (w, n, p), c in counts.items()]
    return sorted(out, key=lambda x: (x.period, x.what, -x.cases, x.name))


# -- Big 5 ---------------------------------------------------------------------------------


def enter_big5(
    session: Session,
    principal: Principal,
    gemeente_code: str,
    quarter: str,
    turning_18: int,
    **domains: int,
) -> None:
    """Aggregates for one gemeente and quarter (replacing an earlier entry of the same)."""
    if principal.role not in ("coordinator", "analyst", "editor", "admin"):
        raise PermissionError("no access")
    if principal.role != "admin" and principal.gemeente_code != gemeente_code:
        raise PermissionError("own gemeente only")
    if not QUARTER.match(quarter):
        raise WijkradarError(f"quarter {quarter!r}: expected e.g. 2026Q1")
    if set(domains) != set(BIG5):
        raise WijkradarError(f"Big 5 needs exactly: {', '.join(BIG5)}")
    for key, value in domains.items():
        if not 0 <= value <= turning_18:
            raise WijkradarError(f"{key} = {value}: expected 0..{turning_18} (turning 18)")
    row = session.get(Big5, (gemeente_code, quarter))
    if row is None:
        row = Big5(gemeente_code=gemeente_code, quarter=quarter)
        session.add(row)
    row.turning_18 = turning_18
    for key, value in domains.items():
        setattr(row, key, value)
    row.entered_by = principal.username
    row.at = clock.now()
    session.flush()


@dataclass(frozen=True)
class Big5Row:
    gemeente_code: str  # "NL" for the national total
    quarter: str
    turning_18: int | None  # disclosed (suppressed below 10, rounded to 5)
    shares: dict[str, float | None]  # % with the domain in order; None when not disclosable


def _quarter_raw(turning_18: int, counts: dict[str, int]) -> dict[tuple[str, str], int]:
    raw = {("turning_18", ""): turning_18}
    for key in BIG5:
        raw[(key, "in_order")] = counts[key]
        raw[(key, "not")] = turning_18 - counts[key]
    return raw


def _released_gemeente(turning_18: int, counts: dict[str, int]) -> Linked[tuple[str, str]]:
    """One gemeente's quarter: per domain, those with it in order and those without add up to
    the youths turning 18, so a domain's count beside the total gives the rest. The rest is never
    shown but protected (compute.disclosure.release_linked); a domain whose rest is below the
    threshold is withheld outright (a share of 39 of 40 says "one without")."""
    raw = _quarter_raw(turning_18, counts)
    sums = [(("turning_18", ""), [(k, "in_order"), (k, "not")]) for k in BIG5]
    never = {(k, "not") for k in BIG5}
    small_rest = {(k, "in_order") for k in BIG5 if disclose_count(raw[(k, "not")]) is None}
    return release_linked(
        raw, sums, unreleased=never, withheld=small_rest, hide_last=[("turning_18", "")]
    )


def _row(code: str, quarter: str, values: Mapping[tuple[str, str], int | None]) -> Big5Row:
    """Shares from the released counts only: from the exact ones a share with one decimal gives
    both back (30 of 40 is 75.0 %, which no other pair near 40 gives)."""
    total = values[("turning_18", "")]
    shares: dict[str, float | None] = {}
    for key in BIG5:
        count = values[(key, "in_order")]
        shares[key] = None if total is None or count is None else round(100 * count / total, 1)
    return Big5Row(code, quarter, total, shares)


def _released_quarter(rows: Sequence[Big5]) -> dict[tuple[str, str], int | None]:
    """The gemeenten of one quarter, each released on its own (its page), and the national sum
    released with them: the national figures minus the gemeenten's must not pin a hidden one.
    Where they would, a national figure is hidden first (a gemeente's stands on its own page);
    with the national figures hidden each gemeente is as safe as alone, so none changes."""
    raw: dict[tuple[str, str, str], int] = {}
    withheld: set[tuple[str, str, str]] = set()
    bounds: dict[tuple[str, str, str], tuple[int, int]] = {}
    for r in rows:
        counts = _counts(r)
        alone = _released_gemeente(r.turning_18, counts)
        for cell, value in _quarter_raw(r.turning_18, counts).items():
            key = (r.gemeente_code, *cell)
            raw[key] = value
            bounds[key] = alone.ranges[cell]
            if alone.values[cell] is None:
                withheld.add(key)
    codes = sorted(r.gemeente_code for r in rows)
    national: dict[tuple[str, str, str], int] = {}
    for cell in _quarter_raw(0, {k: 0 for k in BIG5}):
        national[("NL", *cell)] = sum(raw[(c, *cell)] for c in codes)
    sums = [(cell, [(c, *cell[1:]) for c in codes]) for cell in national]
    for area in ("NL", *codes):
        sums += [
            ((area, "turning_18", ""), [(area, k, "in_order"), (area, k, "not")]) for k in BIG5
        ]
    released = release_linked(
        {**raw, **national},
        sums,
        unreleased={("NL", k, "not") for k in BIG5},
        withheld=withheld,
        bounds=bounds,
        hide_first=national,
    ).values
    return {cell[1:]: released[cell] for cell in national}


def _by_quarter(rows: Iterable[Big5]) -> dict[str, list[Big5]]:
    out: dict[str, list[Big5]] = {}
    for r in rows:
        out.setdefault(r.quarter, []).append(r)
    return out


def big5_trend(session: Session, gemeente_code: str) -> list[Big5Row]:
    """Per quarter: the gemeente's released figures (the same whoever else entered that
    quarter: see _released_quarter)."""
    rows = session.scalars(
        select(Big5).where(Big5.gemeente_code == gemeente_code).order_by(Big5.quarter)
    )
    return [
        _row(r.gemeente_code, r.quarter, _released_gemeente(r.turning_18, _counts(r)).values)
        for r in rows
    ]


def _counts(r: Big5) -> dict[str, int]:
    return {k: getattr(r, k) for k in BIG5}


def big5_national(session: Session) -> list[Big5Row]:
    """Per quarter: all gemeenten that entered figures, summed (the national comparison) and
    released together with each gemeente's figures."""
    quarters = _by_quarter(session.scalars(select(Big5)))
    return [_row("NL", q, _released_quarter(rows)) for q, rows in sorted(quarters.items())]
