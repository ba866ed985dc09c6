"""Request dependencies: the settings, a database cursor, and parsed query parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import Depends, HTTPException, Query, Request

from wijkradar.api.i18n import LANGS, Translator
from wijkradar.api.settings import Settings
from wijkradar.store import queries

LEVELS = ("gemeente", "wijk", "buurt")
# The published schema says which metrics exist, so a client (or a fuzzer) knows before asking.
METRIC_PATTERN = "^(" + "|".join(queries.METRICS) + r"|theme:[A-Za-z0-9_]+|char:[A-Za-z0-9_]+)$"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_con(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the app's one read-only connection (DuckDB cursors are per-thread safe)."""
    cursor = request.app.state.db().cursor()
    try:
        yield cursor
    finally:
        cursor.close()


Con = Annotated[duckdb.DuckDBPyConnection, Depends(get_con)]


def get_translator(
    request: Request, lang: Annotated[str | None, Query(pattern="^(nl|en)$")] = None
) -> Translator:
    settings = get_settings(request)
    return Translator(lang if lang in LANGS else settings.lang)


T = Annotated[Translator, Depends(get_translator)]


@dataclass(frozen=True)
class View:
    """What to show: year, framework, reference area and metric, validated against the build."""

    year: int
    framework: str
    reference: str
    metric: str
    defaults: tuple[int, str, str, str] = (0, "", "", "")  # what an empty query would choose

    def query(self, **extra: Any) -> dict[str, Any]:
        """Query parameters that differ from the defaults (short links: a national map holds
        thousands), plus `extra`."""
        own = {
            "year": self.year,
            "framework": self.framework,
            "reference": self.reference,
            "metric": self.metric,
        }
        chosen = dict(zip(own, self.defaults, strict=True))
        return {k: v for k, v in own.items() if chosen[k] != v} | extra


def get_view(
    con: Con,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    framework: Annotated[str | None, Query(max_length=40)] = None,
    reference: Annotated[str | None, Query(max_length=12)] = None,
    metric: Annotated[str | None, Query(max_length=80, pattern=METRIC_PATTERN)] = None,
) -> View:
    years = queries.score_years(con)
    if not years:
        raise HTTPException(404, "the monitor database holds no years")
    frameworks = queries.frameworks(con) or ["tno"]
    # The country's code differs between sources (CBS KWB: NL00; elsewhere NL01).
    national = [r for r in queries.references(con) if r.startswith("NL")]
    defaults = (years[0], frameworks[0], national[0] if national else "NL01", "stacking")
    if year is None:
        year = years[0]
    elif year not in years:
        raise HTTPException(404, f"no scores for year {year}; available: {years}")
    framework = framework or frameworks[0]
    if framework not in frameworks:
        raise HTTPException(404, f"unknown framework {framework!r}; available: {frameworks}")
    metric = metric or "stacking"
    if not (metric in queries.METRICS or metric.startswith(("theme:", "char:"))):
        raise HTTPException(422, f"unknown metric {metric!r}")
    reference = reference or defaults[2]
    return View(year, framework, reference, metric, defaults)


ViewDep = Annotated[View, Depends(get_view)]


def get_level(level: Annotated[str, Query(pattern="^(gemeente|wijk|buurt)$")] = "gemeente") -> str:
    return level


LevelDep = Annotated[str, Depends(get_level)]
