"""Settings of the operational store, read from the environment under WIJKRADAR_OPS_."""

from __future__ import annotations

from decimal import Decimal

from pydantic_settings import BaseSettings, SettingsConfigDict


class OpsSettings(BaseSettings):
    """WIJKRADAR_OPS_DB, _THRESHOLD, _NO_ATTEMPT_DAYS, _RETENTION_MONTHS,
    _CLOSED_RETENTION_MONTHS, _SECURE_COOKIES, _SESSION_HOURS,
    _SIGNAL_RETENTION_MONTHS; see docs/ops/admin.md."""

    model_config = SettingsConfigDict(env_prefix="WIJKRADAR_OPS_", env_file=".env", extra="ignore")

    #: SQLAlchemy URL; SQLite file by default, e.g. postgresql+psycopg://user@host/db in production
    db: str = "sqlite:///var/ops.sqlite"
    #: arrears below this amount (euro) are recorded but not picked up ("onterecht signaal")
    threshold: Decimal = Decimal("50")
    #: an open case without any contact attempt after this many days is highlighted
    no_attempt_days: int = 14
    #: person-level data of signals that led to no help: deleted this many months after the
    #: household's last signal
    retention_months: int = 6
    #: closed cases (help given or refused): deleted this many months after closing
    closed_retention_months: int = 18
    #: session cookie only over HTTPS; turn off only for a local http:// trial
    secure_cookies: bool = True
    session_hours: int = 8
    #: partner signals (about areas, not persons) are deleted this many months after their
    #: month; counts per wijk, month and characteristic and a deletion record stay
    signal_retention_months: int = 24
