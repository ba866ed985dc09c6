"""Tables of partner signals (issue 10): partner organisations, their members and API tokens,
area signals with their characteristics/groups and append-only status history, aggregates and
deletion records that survive retention, and the vindplaatsen register.

Same Base/metadata as the operational store (ops/core/models.py); migration 0101_partners. A partner
signal is about an area, never about a person: no names, addresses or person ids anywhere here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkradar.ops.core.models import Base

#: kinds of partner organisation (the seeds' "vindplaatsen" and local partners)
ORG_KINDS = (
    "huisarts",
    "school",
    "sociaal_wijkteam",
    "woningcorporatie",
    "voedselbank",
    "welzijn",
    "jongerenwerk",
    "bibliotheek",
    "buurthuis",
    "anders",
)
#: kinds of vindplaats (place where people in need can be found)
PLACE_KINDS = ("voedselbank", "buurthuis", "bibliotheek", "school", "huisarts", "anders")
DIRECTIONS = ("meer", "gelijk", "minder")
#: rough number of households a signal is about; never an exact small count
BANDS = ("1-9", "10-24", "25-49", "50-99", "100+")
#: status of a signal: received -> discussed -> acted on / no action
STATUSES = ("ontvangen", "besproken", "opgevolgd", "geen_actie")
NEXT_STATUS = {
    "ontvangen": ("besproken", "opgevolgd", "geen_actie"),
    "besproken": ("opgevolgd", "geen_actie"),
    "opgevolgd": (),
    "geen_actie": (),
}


class PartnerOrg(Base):
    """A local partner organisation of one gemeente (not a creditor: see models.Partner)."""

    __tablename__ = "partner_orgs"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("uq_partner_org_name", "gemeente_code", "name", unique=True),)


class PartnerOrgWijk(Base):
    """A wijk an organisation works in (its coverage)."""

    __tablename__ = "partner_org_wijken"
    org_id: Mapped[int] = mapped_column(
        ForeignKey("partner_orgs.id", ondelete="CASCADE"), primary_key=True
    )
    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)


class PartnerMember(Base):
    """A user with role `partner` belongs to exactly one organisation."""

    __tablename__ = "partner_members"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(ForeignKey("partner_orgs.id", ondelete="CASCADE"))


class PartnerToken(Base):
    """A bearer token for a partner's own system; only its sha256 is stored."""

    __tablename__ = "partner_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("partner_orgs.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: written at most every TOKEN_USE_MINUTES (area_signals), so a busy client costs no write
    #: per request (migration 0202)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(80))


class AreaSignal(Base):
    """What a partner sees in an area in a month: characteristics, groups, direction, band."""

    __tablename__ = "area_signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("partner_orgs.id"))
    gemeente_code: Mapped[str] = mapped_column(String(6))
    wijk_code: Mapped[str] = mapped_column(String(8))
    buurt_code: Mapped[str | None] = mapped_column(String(10))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    direction: Mapped[str] = mapped_column(String(6))
    band: Mapped[str] = mapped_column(String(6))
    text: Mapped[str] = mapped_column(Text, default="")
    #: current status (the history table is the record; this copy makes lists cheap)
    status: Mapped[str] = mapped_column(String(12), default="ontvangen")
    source: Mapped[str] = mapped_column(String(4))  # web | api | csv
    username: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (
        Index("ix_area_signals_gemeente_month", "gemeente_code", "month"),
        #: with direction, the overall count per wijk and month reads only this index (0202)
        Index("ix_area_signals_wijk_month_dir", "wijk_code", "month", "direction"),
        Index("ix_area_signals_org", "org_id"),
    )


class AreaSignalTopic(Base):
    """One characteristic ('c') or group ('g') a signal names."""

    __tablename__ = "area_signal_topics"
    signal_id: Mapped[int] = mapped_column(
        ForeignKey("area_signals.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    #: no index on (kind, topic): SQLite would then drive aggregations from this table (all
    #: signals of the country) instead of from a gemeente's signals
    topic: Mapped[str] = mapped_column(String(30), primary_key=True)


class AreaSignalStatus(Base):
    """Append-only status history of an area signal, with a short note of what was done."""

    __tablename__ = "area_signal_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("area_signals.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(500), default="")
    __table_args__ = (Index("ix_area_signal_history_signal", "signal_id"),)


class AreaSignalAggregate(Base):
    """Counts per wijk, month and characteristic ('*' = all signals) of deleted signals."""

    __tablename__ = "area_signal_aggregates"
    gemeente_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    wijk_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    characteristic: Mapped[str] = mapped_column(String(30), primary_key=True)
    signals: Mapped[int] = mapped_column(Integer, default=0)
    more: Mapped[int] = mapped_column(Integer, default=0)


class AreaSignalDeletion(Base):
    """What a retention run deleted: how many signals of which months (append-only)."""

    __tablename__ = "area_signal_deletions"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    month_from: Mapped[str] = mapped_column(String(7))
    month_to: Mapped[str] = mapped_column(String(7))
    signals: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(80))


class Vindplaats(Base):
    """A place where people in need can be found, placed in its buurt by postcode or by its
    point (latitude/longitude, WGS84) inside the monitor's buurt boundaries (migration 0202)."""

    __tablename__ = "vindplaatsen"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(6))
    huisnummer: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    buurt_code: Mapped[str | None] = mapped_column(String(10))
    wijk_code: Mapped[str | None] = mapped_column(String(8))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("partner_orgs.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_vindplaatsen_gemeente", "gemeente_code"),)
