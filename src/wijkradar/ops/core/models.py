"""Tables of the operational store (SQLAlchemy 2 declarative). Changes go through a migration.

Person-level columns (names, birth dates, addresses, amounts) live only in `signals` and
`households`; everything else refers to them by id. Append-only tables (audit_log,
case_status_history, contact_attempts) refuse UPDATE and DELETE by database triggers
(migrations/versions/0001_initial.py); retention removes contact attempts and history only
together with their case, through the purge function that switches the guard off for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("admin", "coordinator", "outreach", "analyst", "partner", "editor")
PERSON_ROLES = frozenset({"coordinator", "outreach"})


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    #: NULL only for admins; every other role works inside one gemeente
    gemeente_code: Mapped[str | None] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginThrottle(Base):
    """Failed logins per username (also for names that do not exist, so probing is throttled)."""

    __tablename__ = "login_throttle"
    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime)


class WebSession(Base):
    __tablename__ = "web_sessions"
    #: sha256 of the cookie value: a stolen database does not yield live sessions
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(80))
    gemeente_code: Mapped[str] = mapped_column(String(6))
    action: Mapped[str] = mapped_column(String(20))  # view | change | export | delete | import
    record_type: Mapped[str] = mapped_column(String(20))  # case | signal | household | import
    record_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index("ix_audit_gemeente_at", "gemeente_code", "at"),)


class PostcodeBuurt(Base):
    """Address -> buurt/wijk (CBS publishes this yearly as 'postcode-huisnummer-buurt')."""

    __tablename__ = "postcode_buurt"
    postcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    huisnummer: Mapped[int] = mapped_column(Integer, primary_key=True)
    buurt_code: Mapped[str] = mapped_column(String(10))
    wijk_code: Mapped[str] = mapped_column(String(8))
    gemeente_code: Mapped[str] = mapped_column(String(6))


class Partner(Base):
    """A Signaalpartner of one gemeente; kind from EnumSignaalpartner."""

    __tablename__ = "partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    __table_args__ = (UniqueConstraint("gemeente_code", "name"),)


class Household(Base):
    """One normalised address in a gemeente; signals there form one case."""

    __tablename__ = "households"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    address_key: Mapped[str] = mapped_column(String(40))  # "1234AB|12|A"
    postcode: Mapped[str] = mapped_column(String(6))
    huisnummer: Mapped[int] = mapped_column(Integer)
    toevoeging: Mapped[str] = mapped_column(String(10), default="")
    buurt_code: Mapped[str | None] = mapped_column(String(10))
    wijk_code: Mapped[str | None] = mapped_column(String(8))
    __table_args__ = (UniqueConstraint("gemeente_code", "address_key"),)


class Case(Base):
    """A Vroegsignaalzaak: the handling of one household's signals."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default="nieuw")
    #: DDAS EnumEindresultaat key, set when the case is closed
    result: Mapped[str | None] = mapped_column(String(30))
    matched_on: Mapped[dt.date] = mapped_column(Date)  # matchingsdatum
    match_start: Mapped[dt.date] = mapped_column(Date)  # startdatum_matchingperiode
    match_end: Mapped[dt.date] = mapped_column(Date)  # einddatum_matchingperiode
    picked_up_on: Mapped[dt.date | None] = mapped_column(Date)  # datum_opgepakt
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    last_signal_on: Mapped[dt.date] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON list of [points, reason key, value]; shown beside the score
    priority_reasons: Mapped[str] = mapped_column(Text, default="[]")
    #: at most one open case per household (partial unique index)
    __table_args__ = (
        Index("ix_cases_queue", "gemeente_code", "state", "priority"),
        Index("ix_cases_household", "household_id"),
        Index(
            "ix_cases_open_queue",
            "gemeente_code",
            "priority",
            "id",
            sqlite_where=text("state <> 'afgesloten'"),
            postgresql_where=text("state <> 'afgesloten'"),
        ),
        Index(
            "uq_open_case",
            "household_id",
            unique=True,
            sqlite_where=text("state <> 'afgesloten'"),
            postgresql_where=text("state <> 'afgesloten'"),
        ),
    )


class ImportRun(Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(80))
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_added: Mapped[int] = mapped_column(Integer)
    rows_duplicate: Mapped[int] = mapped_column(Integer)


class Signal(Base):
    """A Vroegsignaal, with the person and address as the partner gave them."""

    __tablename__ = "signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE")
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(80))
    signal_date: Mapped[dt.date] = mapped_column(Date)  # signaaldatum
    arrears_start: Mapped[dt.date | None] = mapped_column(Date)  # ontstaansdatum
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # bedrag
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)  # crisissignaal
    warm_handover: Mapped[bool] = mapped_column(Boolean, default=False)  # warmeOverdracht
    #: EnumSignaalstatus key, or "opgepakt" when a case took it up
    status: Mapped[str] = mapped_column(String(30))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)  # same address, same month
    successive: Mapped[bool] = mapped_column(Boolean, default=False)  # same address, 6 months
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)  # same partner, not higher
    #: why it waits in the review queue (unplaced address, name mismatch); NULL when not
    review_reason: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200), default="")
    name_key: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    postcode: Mapped[str] = mapped_column(String(6))
    huisnummer: Mapped[int] = mapped_column(Integer)
    toevoeging: Mapped[str] = mapped_column(String(10), default="")
    __table_args__ = (
        UniqueConstraint("partner_id", "reference", "signal_date", name="uq_signal_identity"),
        Index("ix_signals_case", "case_id"),
        Index("ix_signals_household", "household_id"),
        Index("ix_signals_gemeente_date", "gemeente_code", "signal_date"),
    )


class StatusChange(Base):
    """Append-only history of a case's state and result."""

    __tablename__ = "case_status_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20))
    result: Mapped[str | None] = mapped_column(String(30))
    __table_args__ = (Index("ix_history_case", "case_id"),)


class ContactAttempt(Base):
    """A Contactpoging (append-only)."""

    __tablename__ = "contact_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # EnumContactsoort key
    reached: Mapped[bool] = mapped_column(Boolean)  # bereikt
    on: Mapped[dt.date] = mapped_column(Date)  # datum
    part_of_day: Mapped[str] = mapped_column(String(10))  # EnumDagdeel key
    username: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_attempts_case", "case_id"),)


class ReachAggregate(Base):
    """Counts per wijk, month and partner kind that survive the purge of person-level rows.

    partner_kind "*" holds household totals (a household with signals of two kinds counts once).
    """

    __tablename__ = "reach_aggregates"
    gemeente_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)  # "" when unplaced
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM of signal date
    partner_kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    signals: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)
    reached: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)


class PurgeGuard(Base):
    """Holds a row only inside a purge transaction: the append-only triggers then allow deleting
    a purged case's history (never the audit log)."""

    __tablename__ = "purge_guard"
    id: Mapped[int] = mapped_column(primary_key=True)
