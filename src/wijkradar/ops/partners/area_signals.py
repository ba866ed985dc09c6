"""Partner signals about areas: organisations and their users and tokens, checking and storing a
signal, its append-only status history, recent signals before a submit, bulk CSV, retention.

A signal is about a wijk or buurt in a month, never about a person: its free text is checked
for personal data (ops.textcheck) before it is stored and refused with an explanation.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, delete, exists, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.compute.disclosure import disclose_count
from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts import audit, auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock, textcheck
from wijkradar.ops.core.models import PurgeGuard, User
from wijkradar.ops.partners.models import (
    BANDS,
    DIRECTIONS,
    NEXT_STATUS,
    ORG_KINDS,
    AreaSignal,
    AreaSignalAggregate,
    AreaSignalDeletion,
    AreaSignalStatus,
    AreaSignalTopic,
    PartnerMember,
    PartnerOrg,
    PartnerOrgWijk,
    PartnerToken,
)

ALL = "*"
MAX_TEXT = 500
MAX_NOTE = 300
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
STAFF = frozenset({"coordinator", "analyst", "admin"})


class SignalRefused(WijkradarError):
    """A signal (or CSV row) that cannot be stored; `problems` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


class NotAllowed(WijkradarError):
    pass


@dataclass
class SignalInput:
    wijk: str
    month: str
    characteristics: list[str]
    groups: list[str]
    direction: str
    band: str
    text: str = ""
    buurt: str = ""


def characteristic_ids() -> tuple[str, ...]:
    from wijkradar.methodology.cache import load_cached

    return tuple(c.id for c in load_cached().risk_characteristics)


def group_ids() -> tuple[str, ...]:
    from wijkradar.methodology.triangulation import load_cached

    return tuple(g.id for g in load_cached().groups)


# --- organisations, users, tokens -----------------------------------------------------------


def add_org(session: Session, gemeente: str, name: str, kind: str, wijken: list[str]) -> PartnerOrg:
    if not auth.GEMEENTE.match(gemeente):
        raise WijkradarError(f"gemeente: expected GMxxxx, found {gemeente!r}")
    if kind not in ORG_KINDS:
        raise WijkradarError(f"kind: expected one of {', '.join(ORG_KINDS)}, found {kind!r}")
    for wijk in wijken:
        if not _in_gemeente(wijk, "WK", gemeente):
            raise WijkradarError(f"wijk: expected a WK code of {gemeente}, found {wijk!r}")
    if session.scalar(
        select(PartnerOrg).where(PartnerOrg.gemeente_code == gemeente, PartnerOrg.name == name)
    ):
        raise WijkradarError(f"partner {name!r} already exists in {gemeente}")
    org = PartnerOrg(
        gemeente_code=gemeente, name=name, kind=kind, active=True, created_at=clock.now()
    )
    session.add(org)
    session.flush()
    session.add_all(PartnerOrgWijk(org_id=org.id, wijk_code=w) for w in sorted(set(wijken)))
    return org


def find_org(session: Session, gemeente: str, name: str) -> PartnerOrg:
    org = session.scalar(
        select(PartnerOrg).where(PartnerOrg.gemeente_code == gemeente, PartnerOrg.name == name)
    )
    if org is None:
        raise WijkradarError(f"no partner {name!r} in {gemeente}")
    return org


def add_member(session: Session, username: str, password: str, org: PartnerOrg) -> None:
    user = auth.add_user(session, username, password, "partner", org.gemeente_code)
    session.add(PartnerMember(user_id=user.id, org_id=org.id))


def org_of(session: Session, principal: Principal) -> PartnerOrg:
    """The organisation of a partner user (NotAllowed for anyone else)."""
    if principal.role != "partner":
        raise NotAllowed("partner users only")
    org = session.scalar(
        select(PartnerOrg)
        .join(PartnerMember, PartnerMember.org_id == PartnerOrg.id)
        .join(User, User.id == PartnerMember.user_id)
        .where(User.username == principal.username, PartnerOrg.active.is_(True))
    )
    if org is None:
        raise NotAllowed("no active organisation for this user")
    return org


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, org: PartnerOrg, label: str) -> str:
    """A new API token (shown once; only its hash is stored)."""
    token = "wrp_" + secrets.token_urlsafe(32)
    session.add(
        PartnerToken(
            token_hash=_digest(token),
            org_id=org.id,
            label=label[:80],
            created_at=clock.now(),
            revoked=False,
        )
    )
    return token


#: last_used_at is written when the stored value is older than this: the list shows when a
#: token was last used to within these minutes without a write on every API request
TOKEN_USE_MINUTES = 10
#: a token's id: the first hex digits of its sha256 (not secret: the hash of 256 random bits);
#: as an integer it is the audit log's record_id (7 digits fit a 32-bit column)
TOKEN_ID_DIGITS = 7


def org_for_token(session: Session, token: str) -> PartnerOrg | None:
    """The organisation of a live token; None for unknown, revoked or inactive. Looked up on
    every request, so a revocation counts from its commit on."""
    row = session.get(PartnerToken, _digest(token))
    if row is None or row.revoked:
        return None
    org = session.get(PartnerOrg, row.org_id)
    if org is None or not org.active:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at >= dt.timedelta(
        minutes=TOKEN_USE_MINUTES
    ):
        row.last_used_at = now
    return org


@dataclass(frozen=True)
class TokenInfo:
    id: str
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_by: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def tokens(session: Session, org: PartnerOrg) -> list[TokenInfo]:
    """The organisation's tokens, newest first (never the token itself)."""
    rows = session.scalars(
        select(PartnerToken)
        .where(PartnerToken.org_id == org.id)
        .order_by(PartnerToken.created_at.desc(), PartnerToken.token_hash)
    )
    return [
        TokenInfo(
            r.token_hash[:TOKEN_ID_DIGITS],
            r.label,
            r.created_at,
            r.last_used_at,
            r.revoked_at if r.revoked else None,
            r.revoked_by,
        )
        for r in rows
    ]


def revoke_token(session: Session, org: PartnerOrg, token_id: str, username: str) -> TokenInfo:
    """Revoke one of the organisation's tokens by its id (or a longer prefix of its hash);
    audited. Revoking a revoked token is refused, so the log holds one entry per revocation."""
    token_id = token_id.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{" + str(TOKEN_ID_DIGITS) + ",64}", token_id):
        raise WijkradarError(
            f"token: expected the {TOKEN_ID_DIGITS}-character id from the token list, "
            f"found {token_id[:20]!r}"
        )
    rows = list(
        session.scalars(
            select(PartnerToken)
            .where(PartnerToken.org_id == org.id, PartnerToken.token_hash.startswith(token_id))
            .with_for_update()
        )
    )
    if not rows:
        raise WijkradarError(f"token: no token {token_id} of {org.name}")
    if len(rows) > 1:
        raise WijkradarError(f"token: {token_id} is ambiguous; give more characters of the id")
    row = rows[0]
    if row.revoked:
        raise WijkradarError(f"token: {token_id} was revoked already")
    row.revoked = True
    row.revoked_at = clock.now()
    row.revoked_by = username[:80]
    audit.record(
        session,
        username,
        org.gemeente_code,
        "change",
        "partner_token",
        int(row.token_hash[:TOKEN_ID_DIGITS], 16),
    )
    session.flush()
    return TokenInfo(
        row.token_hash[:TOKEN_ID_DIGITS],
        row.label,
        row.created_at,
        row.last_used_at,
        row.revoked_at,
        row.revoked_by,
    )


def org_wijken(session: Session, gemeente: str) -> dict[str, list[str]]:
    """wijk -> names of the organisations that work there (coverage)."""
    out: dict[str, list[str]] = defaultdict(list)
    for wijk, name in session.execute(
        select(PartnerOrgWijk.wijk_code, PartnerOrg.name)
        .join(PartnerOrg, PartnerOrg.id == PartnerOrgWijk.org_id)
        .where(PartnerOrg.gemeente_code == gemeente, PartnerOrg.active.is_(True))
        .order_by(PartnerOrg.name)
    ):
        out[wijk].append(name)
    return dict(out)


# --- checking and storing ----------------------------------------------------------------------


def _in_gemeente(code: str, prefix: str, gemeente: str) -> bool:
    digits = 6 if prefix == "WK" else 8
    pattern = prefix + r"\d{" + str(digits) + "}"
    return bool(re.fullmatch(pattern, code)) and code[2:6] == gemeente[2:]


def check(inp: SignalInput, gemeente: str, lang: str = "nl") -> list[tuple[str, str]]:
    """Problems with a signal, as (field, message); empty when it may be stored."""
    en = lang == "en"
    problems: list[tuple[str, str]] = []
    if not _in_gemeente(inp.wijk, "WK", gemeente):
        problems.append(
            ("wijk", f"expected a wijk code of {gemeente} (WK{gemeente[2:]}nn), found {inp.wijk!r}")
        )
    if inp.buurt and not (
        _in_gemeente(inp.buurt, "BU", gemeente) and inp.buurt[2:8] == inp.wijk[2:8]
    ):
        problems.append(("buurt", f"expected a buurt code in {inp.wijk}, found {inp.buurt!r}"))
    this_month = f"{clock.today():%Y-%m}"
    if not MONTH.match(inp.month):
        problems.append(("maand", f"expected YYYY-MM, found {inp.month!r}"))
    elif inp.month > this_month:
        problems.append(("maand", f"expected a month up to {this_month}, found {inp.month}"))
    known_c, known_g = set(characteristic_ids()), set(group_ids())
    bad = [c for c in inp.characteristics if c not in known_c]
    if bad:
        problems.append(("kenmerken", f"unknown characteristic {bad[0]!r}"))
    bad = [g for g in inp.groups if g not in known_g]
    if bad:
        problems.append(("groepen", f"unknown group {bad[0]!r}"))
    if not inp.characteristics and not inp.groups:
        problems.append(
            (
                "kenmerken",
                "choose at least one characteristic or group"
                if en
                else "kies minstens één kenmerk of groep",
            )
        )
    if inp.direction not in DIRECTIONS:
        problems.append(("richting", f"expected {'/'.join(DIRECTIONS)}, found {inp.direction!r}"))
    if inp.band not in BANDS:
        problems.append(("huishoudens", f"expected {'/'.join(BANDS)}, found {inp.band!r}"))
    if len(inp.text) > MAX_TEXT:
        problems.append(("tekst", f"expected at most {MAX_TEXT} characters, found {len(inp.text)}"))
    findings = textcheck.find_personal_data(inp.text) if inp.text else []
    if findings:
        problems.append(("tekst", textcheck.explain(findings, lang)))
    return problems


def submit(
    session: Session,
    org: PartnerOrg,
    inp: SignalInput,
    username: str,
    source: str,
    lang: str = "nl",
) -> AreaSignal:
    problems = check(inp, org.gemeente_code, lang)
    if problems:
        raise SignalRefused(problems)
    return _store(session, org, inp, username, source)


def _store(
    session: Session, org: PartnerOrg, inp: SignalInput, username: str, source: str
) -> AreaSignal:
    now = clock.now()
    signal = AreaSignal(
        org_id=org.id,
        gemeente_code=org.gemeente_code,
        wijk_code=inp.wijk,
        buurt_code=inp.buurt or None,
        month=inp.month,
        direction=inp.direction,
        band=inp.band,
        text=inp.text.strip(),
        status="ontvangen",
        source=source,
        username=username,
        created_at=now,
    )
    session.add(signal)
    session.flush()
    session.add_all(
        [AreaSignalTopic(signal_id=signal.id, kind="c", topic=c) for c in set(inp.characteristics)]
        + [AreaSignalTopic(signal_id=signal.id, kind="g", topic=g) for g in set(inp.groups)]
    )
    session.add(
        AreaSignalStatus(
            signal_id=signal.id, at=now, username=username, status="ontvangen", note=""
        )
    )
    audit.record(session, username, org.gemeente_code, "change", "area_signal", signal.id)
    return signal


def may_read(session: Session, principal: Principal, signal: AreaSignal) -> bool:
    """Partners read their own organisation's signals; gemeente staff read their gemeente's."""
    if principal.role == "partner":
        return org_of(session, principal).id == signal.org_id
    if principal.role == "admin":
        return True
    return principal.role in STAFF and principal.gemeente_code == signal.gemeente_code


def get(session: Session, principal: Principal, signal_id: int) -> AreaSignal:
    signal = session.get(AreaSignal, signal_id)
    if signal is None or not may_read(session, principal, signal):
        raise NotAllowed("no such signal")
    return signal


def set_status(
    session: Session, principal: Principal, signal_id: int, status: str, note: str, lang: str = "nl"
) -> None:
    """Append a status (gemeente staff of the signal's gemeente): received -> discussed ->
    acted on / no action. The note is checked for personal data like the signal's text."""
    signal = session.get(AreaSignal, signal_id, with_for_update=True)
    if signal is None or principal.role not in STAFF or not may_read(session, principal, signal):
        raise NotAllowed("no such signal")
    if status not in NEXT_STATUS[signal.status]:
        raise SignalRefused(
            [("status", f"expected one of {NEXT_STATUS[signal.status]}, found {status!r}")]
        )
    if len(note) > MAX_NOTE:
        raise SignalRefused([("notitie", f"expected at most {MAX_NOTE} characters")])
    findings = textcheck.find_personal_data(note)
    if findings:
        raise SignalRefused([("notitie", textcheck.explain(findings, lang))])
    session.add(
        AreaSignalStatus(
            signal_id=signal.id,
            at=clock.now(),
            username=principal.username,
            status=status,
            note=note.strip(),
        )
    )
    signal.status = status
    audit.record(
        session, principal.username, signal.gemeente_code, "change", "area_signal", signal.id
    )


def history(session: Session, signal_id: int) -> list[AreaSignalStatus]:
    return list(
        session.scalars(
            select(AreaSignalStatus)
            .where(AreaSignalStatus.signal_id == signal_id)
            .order_by(AreaSignalStatus.id)
        )
    )


def topics(session: Session, signal_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    out: dict[int, tuple[list[str], list[str]]] = {i: ([], []) for i in signal_ids}
    if not signal_ids:
        return out
    for sid, kind, topic in session.execute(
        select(AreaSignalTopic.signal_id, AreaSignalTopic.kind, AreaSignalTopic.topic)
        .where(AreaSignalTopic.signal_id.in_(signal_ids))
        .order_by(AreaSignalTopic.topic)
    ):
        out[sid][0 if kind == "c" else 1].append(topic)
    return out


def listing(session: Session, principal: Principal, limit: int = 100) -> list[AreaSignal]:
    """A partner's own organisation's signals, or the gemeente's for its staff; newest first."""
    query = select(AreaSignal).order_by(AreaSignal.id.desc()).limit(limit)
    if principal.role == "partner":
        query = query.where(AreaSignal.org_id == org_of(session, principal).id)
    elif principal.role in STAFF and principal.gemeente_code:
        query = query.where(AreaSignal.gemeente_code == principal.gemeente_code)
    elif principal.role != "admin":
        raise NotAllowed("no access to partner signals")
    return list(session.scalars(query))


@dataclass
class Recent:
    """What a partner sees before submitting: its own recent signals about the same wijk and
    characteristics, and the disclosed count of all partners' signals there."""

    own: list[AreaSignal] = field(default_factory=list)
    all_count: int | None = None
    all_raw_positive: bool = False


def recent(
    session: Session, org: PartnerOrg, wijk: str, characteristics: list[str], months: int = 3
) -> Recent:
    start = months_back(f"{clock.today():%Y-%m}", months - 1)
    where = [AreaSignal.wijk_code == wijk, AreaSignal.month >= start]
    if characteristics:
        # correlated on the topics' primary key, so the wijk's signals drive the query
        where.append(
            exists().where(
                AreaSignalTopic.signal_id == AreaSignal.id,
                AreaSignalTopic.kind == "c",
                AreaSignalTopic.topic.in_(characteristics),
            )
        )
    total = session.scalar(select(func.count()).select_from(AreaSignal).where(*where)) or 0
    own = list(
        session.scalars(
            select(AreaSignal)
            .where(*where, AreaSignal.org_id == org.id)
            .order_by(AreaSignal.id.desc())
            .limit(20)
        )
    )
    return Recent(own, disclose_count(total), total > 0)


# --- bulk CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = ("wijk", "buurt", "maand", "kenmerken", "groepen", "richting", "huishoudens", "tekst")


def parse_csv(content: bytes, name: str) -> list[SignalInput]:
    """Rows of a partner's monthly CSV (';' or ',' separated, UTF-8); lists use '|'."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SignalRefused([(name, "expected UTF-8 text")]) from None
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    missing = [c for c in CSV_COLUMNS[:-1] if c not in (reader.fieldnames or [])]
    if missing:
        raise SignalRefused(
            [(f"{name} row 1", f"column {missing[0]!r} missing; expected {', '.join(CSV_COLUMNS)}")]
        )
    out = []
    for row in reader:
        out.append(
            SignalInput(
                wijk=(row.get("wijk") or "").strip(),
                buurt=(row.get("buurt") or "").strip(),
                month=(row.get("maand") or "").strip(),
                characteristics=[
                    c.strip() for c in (row.get("kenmerken") or "").split("|") if c.strip()
                ],
                groups=[g.strip() for g in (row.get("groepen") or "").split("|") if g.strip()],
                direction=(row.get("richting") or "").strip(),
                band=(row.get("huishoudens") or "").strip(),
                text=(row.get("tekst") or "").strip(),
            )
        )
    return out


def import_csv(
    factory: sessionmaker[Session],
    org_id: int,
    content: bytes,
    name: str,
    username: str,
    lang: str = "nl",
) -> int:
    """Store every row or none: the first bad rows are reported as 'file row N column: problem'."""
    rows = parse_csv(content, name)
    with factory() as session, session.begin():
        org = session.get(PartnerOrg, org_id)
        if org is None:
            raise WijkradarError(f"no partner organisation {org_id}")
        problems: list[tuple[str, str]] = []
        for number, inp in enumerate(rows, start=2):
            for column, message in check(inp, org.gemeente_code, lang):
                problems.append((f"{name} row {number} column {column}", message))
        if problems:
            raise SignalRefused(problems[:50])
        for inp in rows:
            _store(session, org, inp, username, "csv")
        audit.record(session, username, org.gemeente_code, "import", "area_signal", None)
    return len(rows)


# --- counts and retention ----------------------------------------------------------------------


def months_back(month: str, n: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + mon - 1 - n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def monthly_counts(
    session: Session,
    gemeente: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(wijk, month, characteristic or '*') -> (signals, of which 'more'): live signals plus
    the aggregates retention kept; only months since..until (inclusive) when given, which is
    all a classification reads (radar.span)."""
    more = func.sum(case((AreaSignal.direction == "meer", 1), else_=0))
    overall = select(AreaSignal.wijk_code, AreaSignal.month, func.count(), more).group_by(
        AreaSignal.wijk_code, AreaSignal.month
    )
    per = (
        select(AreaSignal.wijk_code, AreaSignal.month, AreaSignalTopic.topic, func.count(), more)
        .join(AreaSignalTopic, AreaSignalTopic.signal_id == AreaSignal.id)
        .where(AreaSignalTopic.kind == "c")
        .group_by(AreaSignal.wijk_code, AreaSignal.month, AreaSignalTopic.topic)
    )
    kept = select(
        AreaSignalAggregate.wijk_code,
        AreaSignalAggregate.month,
        AreaSignalAggregate.characteristic,
        AreaSignalAggregate.signals,
        AreaSignalAggregate.more,
    )
    if gemeente is not None:
        overall = overall.where(AreaSignal.gemeente_code == gemeente)
        per = per.where(AreaSignal.gemeente_code == gemeente)
        kept = kept.where(AreaSignalAggregate.gemeente_code == gemeente)
    if since is not None:
        overall = overall.where(AreaSignal.month >= since)
        per = per.where(AreaSignal.month >= since)
        kept = kept.where(AreaSignalAggregate.month >= since)
    if until is not None:
        overall = overall.where(AreaSignal.month <= until)
        per = per.where(AreaSignal.month <= until)
        kept = kept.where(AreaSignalAggregate.month <= until)
    if session.get_bind().dialect.name == "postgresql":
        # the national aggregation's hash tables spill to disk at the default 4 MB
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    # tuples straight into the dict: at a million signals building lists and converting them
    # afterwards cost as much as the SQL
    out: dict[tuple[str, str, str], tuple[int, int]] = {
        (wijk, month, ALL): (n, int(m or 0)) for wijk, month, n, m in session.execute(overall)
    }
    out.update(
        ((wijk, month, topic), (n, int(m or 0)))
        for wijk, month, topic, n, m in session.execute(per)
    )
    for wijk, month, topic, n, m in session.execute(kept):
        key = (wijk, month, topic)
        had = out.get(key, (0, 0))
        out[key] = (had[0] + n, had[1] + m)
    return out


@dataclass(frozen=True)
class PurgeReport:
    signals: int
    gemeenten: int


def purge(factory: sessionmaker[Session], retention_months: int) -> PurgeReport:
    """Delete signals whose month is more than `retention_months` before this month; their
    counts go into area_signal_aggregates and each gemeente gets a deletion record. One
    transaction: a failed purge deletes nothing."""
    cutoff = months_back(f"{clock.today():%Y-%m}", retention_months)
    with factory() as session, session.begin():
        old = AreaSignal.month < cutoff
        per_gemeente = session.execute(
            select(
                AreaSignal.gemeente_code,
                func.min(AreaSignal.month),
                func.max(AreaSignal.month),
                func.count(),
            )
            .where(old)
            .group_by(AreaSignal.gemeente_code)
        ).all()
        if not per_gemeente:
            return PurgeReport(0, 0)
        for gemeente, *_ in per_gemeente:
            rows = session.execute(
                select(
                    AreaSignal.id, AreaSignal.wijk_code, AreaSignal.month, AreaSignal.direction
                ).where(old, AreaSignal.gemeente_code == gemeente)
            ).all()
            tops = topics(session, [r[0] for r in rows])
            counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
            for sid, wijk, month, direction in rows:
                for key in (ALL, *tops[sid][0]):
                    c = counts[(wijk, month, key)]
                    c[0] += 1
                    c[1] += direction == "meer"
            for (wijk, month, key), (n, m) in counts.items():
                agg = session.get(AreaSignalAggregate, (gemeente, wijk, month, key))
                if agg is None:
                    session.add(
                        AreaSignalAggregate(
                            gemeente_code=gemeente,
                            wijk_code=wijk,
                            month=month,
                            characteristic=key,
                            signals=n,
                            more=m,
                        )
                    )
                else:
                    agg.signals += n
                    agg.more += m
        guard = PurgeGuard()
        session.add(guard)
        session.flush()
        session.execute(
            delete(AreaSignal).where(old), execution_options={"synchronize_session": False}
        )
        session.delete(guard)
        now = clock.now()
        for gemeente, first, last, n in per_gemeente:
            session.add(
                AreaSignalDeletion(
                    at=now,
                    gemeente_code=gemeente,
                    month_from=first,
                    month_to=last,
                    signals=n,
                    reason=f"retention: {retention_months} months",
                )
            )
            audit.record(session, "retention", gemeente, "delete", "area_signal", None)
        return PurgeReport(sum(r[3] for r in per_gemeente), len(per_gemeente))
