"""Typed settings, read from the environment under the prefix WIJKRADAR_ (and a .env file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """WIJKRADAR_DB, WIJKRADAR_LANG, WIJKRADAR_BASE_URL; see .env.example."""

    model_config = SettingsConfigDict(env_prefix="WIJKRADAR_", env_file=".env", extra="ignore")

    db: Path = Path("var/monitor.duckdb")
    lang: Literal["nl", "en"] = "nl"
    #: public address of the site, e.g. https://wijkradar.example.nl; when set, pages name their
    #: canonical and nl/en alternate addresses (which must be absolute); "" = leave them out
    base_url: str = ""
