"""Registers for professionals: the maatwerk register (logged-in users only, every view
audited), escalations (LET, anonymised: the personal-data text check refuses names, BSNs,
addresses...) with a pattern report, and Big 5 aggregates with disclosure rules."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wijkradar.compute.disclosure import disclose_count
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


def _disclose(code: str, quarter: str, total: int, counts: dict[str, int]) -> Big5Row:
    shown = disclose_count(total)
    shares: dict[str, float | None] = {}
    for key in BIG5:
        # a share reveals the count behind it: both the count and the rest must be disclosable
        ok = shown is not None and disclose_count(counts[key]) is not None
        ok = ok and disclose_count(total - counts[key]) is not None
        shares[key] = round(100 * counts[key] / total, 1) if ok else None
    return Big5Row(code, quarter, shown, shares)


def big5_trend(session: Session, gemeente_code: str) -> list[Big5Row]:
    """Per quarter: the gemeente's disclosed figures."""
    rows = session.scalars(
        select(Big5).where(Big5.gemeente_code == gemeente_code).order_by(Big5.quarter)
    )
    return [
        _disclose(r.gemeente_code, r.quarter, r.turning_18, {k: getattr(r, k) for k in BIG5})
        for r in rows
    ]


def big5_national(session: Session) -> list[Big5Row]:
    """Per quarter: all gemeenten that entered figures, summed (the national comparison)."""
    totals: dict[str, dict[str, int]] = {}
    for r in session.scalars(select(Big5)):
        bucket = totals.setdefault(r.quarter, {k: 0 for k in ("turning_18", *BIG5)})
        bucket["turning_18"] += r.turning_18
        for key in BIG5:
            bucket[key] += getattr(r, key)
    return [
        _disclose("NL", q, b["turning_18"], {k: b[k] for k in BIG5})
        for q, b in sorted(totals.items())
    ]
