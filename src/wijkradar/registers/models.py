"""Tables of the registers (same metadata as the operational store; migration 0201_registers).

Initiatives follow Open Referral's HSDS 3 objects: organization, service, location,
service_at_location, taxonomy_term and attribute (the link of a service to a term). Our
characteristics, groups and kinds are taxonomies. HSDS's `assured_date` is our 'last verified',
separate from `last_modified` ('last changed').

No table here holds person-level data: the maatwerk register holds work contacts of
professionals (shown to logged-in users only), escalations are anonymised (text check on entry),
Big 5 holds aggregates per gemeente and quarter.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkradar.ops.core.models import Base


class Organization(Base):
    __tablename__ = "reg_organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")


class Service(Base):
    """An initiative or national measure."""

    __tablename__ = "reg_service"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("reg_organization.id"))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    #: HSDS status: active | inactive | defunct | temporarily closed; retiring sets "defunct"
    status: Mapped[str] = mapped_column(String(30), default="active")
    #: local | national (also a taxonomy term, kept here for fast filtering)
    kind: Mapped[str] = mapped_column(String(20))
    assured_date: Mapped[dt.date] = mapped_column(Date)  # last verified
    last_modified: Mapped[dt.datetime] = mapped_column(DateTime)  # last changed
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300), default="")
    __table_args__ = (Index("ix_reg_service_kind", "kind", "status"),)


class Location(Base):
    """Where a service works: a gemeente (CBS code) and optionally a wijk and a point."""

    __tablename__ = "reg_location"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("reg_organization.id"))
    name: Mapped[str] = mapped_column(String(300))
    location_type: Mapped[str] = mapped_column(String(10), default="physical")
    #: HSDS external_identifier, type "CBS gemeentecode" (or wijkcode when wijk_code is set)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    wijk_code: Mapped[str | None] = mapped_column(String(8))
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    __table_args__ = (Index("ix_reg_location_gemeente", "gemeente_code"),)


class ServiceAtLocation(Base):
    __tablename__ = "reg_service_at_location"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("reg_service.id", ondelete="CASCADE"))
    location_id: Mapped[str] = mapped_column(ForeignKey("reg_location.id", ondelete="CASCADE"))
    __table_args__ = (Index("ix_reg_sal_service", "service_id"),)


class TaxonomyTerm(Base):
    """A term of one of our taxonomies: characteristic, group or kind."""

    __tablename__ = "reg_taxonomy_term"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "<taxonomy>:<code>"
    taxonomy: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))


class Attribute(Base):
    """HSDS attribute: a service linked to a taxonomy term."""

    __tablename__ = "reg_attribute"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("reg_service.id", ondelete="CASCADE"))
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("reg_taxonomy_term.id"))
    __table_args__ = (Index("ix_reg_attribute_service", "service_id"),)


class Change(Base):
    """History of every add/edit/retire/verify in the registers: who, when, what it became."""

    __tablename__ = "reg_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(80))
    record_type: Mapped[str] = mapped_column(String(30))  # service | group | contact | ...
    record_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # add | edit | retire | verify | import
    #: JSON of the record after the change
    snapshot: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_reg_change_record", "record_type", "record_id"),)


class Group(Base):
    """One of the twelve groups (seed 004 §6)."""

    __tablename__ = "reg_group"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    characteristics: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ids
    sources: Mapped[str] = mapped_column(Text, default="")
    policy: Mapped[str] = mapped_column(Text, default="")
    #: monitor indicator that estimates the group's size per area, or "" when none exists
    size_indicator: Mapped[str] = mapped_column(String(80), default="")
    size_note: Mapped[str] = mapped_column(Text, default="")


class GroupScore(Base):
    """A score on one axis (need, resilience, policy_gap), 1-5; the newest per axis counts."""

    __tablename__ = "reg_group_score"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("reg_group.id"))
    axis: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_reg_group_score", "group_id", "axis"),)


class MaatwerkContact(Base):
    """A maatwerk specialist's work contact (logged-in professionals only; every view audited)."""

    __tablename__ = "reg_maatwerk"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    gemeente_code: Mapped[str | None] = mapped_column(String(6))  # NULL: national agency
    domain: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(200))
    reach: Mapped[str] = mapped_column(String(300))  # work phone/e-mail/desk, as given
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_reg_maatwerk_domain", "domain"),)


class Escalation(Base):
    """An anonymised LET case where rules block help."""

    __tablename__ = "reg_escalation"
    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    domains: Mapped[str] = mapped_column(Text)  # JSON list
    laws: Mapped[str] = mapped_column(Text)  # JSON list
    organisations: Mapped[str] = mapped_column(Text)  # JSON list
    status: Mapped[str] = mapped_column(String(20))  # open | opgelost | niet_opgelost
    resolution: Mapped[str] = mapped_column(Text, default="")
    lesson: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str] = mapped_column(String(80))
    __table_args__ = (Index("ix_reg_escalation_opened", "opened_on"),)


class Big5(Base):
    """Young people turning 18 leaving youth care, per gemeente and quarter (aggregates)."""

    __tablename__ = "reg_big5"
    gemeente_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6), primary_key=True)  # "2026Q1"
    turning_18: Mapped[int] = mapped_column(Integer)
    wonen: Mapped[int] = mapped_column(Integer)
    zorg: Mapped[int] = mapped_column(Integer)
    inkomen: Mapped[int] = mapped_column(Integer)  # inkomen en schulden
    school_werk: Mapped[int] = mapped_column(Integer)
    support: Mapped[int] = mapped_column(Integer)  # steunfiguur
    entered_by: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
