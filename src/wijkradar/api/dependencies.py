"""Request dependencies: the settings, a database cursor, and parsed query parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import Depends, HTTPException, Query, Request

from wijkradar.api.i18n import LANGS, Translator
from wijkradar.api.settings import Settings
from wijkradar.domain import WijkradarError
from wijkradar.domain.region import is_national
from wijkradar.store import constants, profiles, queries

LEVELS = ("gemeente", "wijk", "buurt")
# The published schema says which metrics exist, so a client (or a fuzzer) knows before asking.
METRIC_PATTERN = "^(" + "|".join(queries.METRICS) + r"|theme:[A-Za-z0-9_]+|char:[A-Za-z0-9_]+)$"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_con(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current build (store.reader.LiveDatabase; cursors are per-thread safe)."""
    cursor = request.app.state.db.cursor()
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
    """The view asked for, every part checked against what the build holds (store.constants,
    read once per build): an unknown year, framework, reference, theme or characteristic is a
    404 (well-formed by the schema, but not in this build) and a malformed metric a 422, each
    naming what is available."""
    k = constants.of(con)
    if not k.score_years:
        raise HTTPException(404, "the monitor database holds no years")
    frameworks = list(k.frameworks) or ["tno"]
    defaults = (k.score_years[0], frameworks[0], k.national, "stacking")
    reference = k.reference(reference.strip().upper() if reference else None)
    try:
        profiles.check_view(k, year=year, reference=reference, framework=framework)
    except WijkradarError as error:
        raise HTTPException(404, str(error)) from None
    year = year or k.score_years[0]
    framework = framework or frameworks[0]
    metric = metric or "stacking"
    kind, _, item = metric.partition(":")
    if kind == "theme" and item not in k.themes.get(framework, ()):
        themes = ", ".join(k.themes.get(framework, ()))
        raise HTTPException(404, f"unknown theme {item!r} in {framework}; available: {themes}")
    if kind == "char" and item not in k.characteristics:
        chars = ", ".join(k.characteristics)
        raise HTTPException(404, f"unknown characteristic {item!r}; available: {chars}")
    if not (metric in queries.METRICS or kind in ("theme", "char")):
        raise HTTPException(
            422,
            f"unknown metric {metric!r}; use stacking, index, protective, theme:<id> or char:<id>",
        )
    return View(year, framework, reference, metric, defaults)


def get_within(
    con: Con,
    within: Annotated[
        str | None, Query(max_length=12, description="a GM/PV/WK code the build holds")
    ] = None,
) -> str | None:
    """The area to look within (None: the whole country); an unknown code is a 404."""
    if not within or not within.strip():
        return None
    code = within.strip().upper()
    if is_national(code):
        return None
    try:
        profiles.check_view(constants.of(con), within=code)
    except WijkradarError as error:
        raise HTTPException(404, str(error)) from None
    return code


WithinDep = Annotated[str | None, Depends(get_within)]
ViewDep = Annotated[View, Depends(get_view)]


def get_level(level: Annotated[str, Query(pattern="^(gemeente|wijk|buurt)$")] = "gemeente") -> str:
    return level


LevelDep = Annotated[str, Depends(get_level)]
