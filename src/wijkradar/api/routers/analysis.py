"""Uncertainty, hotspots, peer groups and validity: JSON under /api/v1 and the page /analyse.

Everything but validity is read as the build stored it. Validity correlates stored scores with
a stored outcome variable (e.g. a GGD figure): a rank correlation over a few hundred rows, so it
is computed per request rather than for every possible outcome in the build.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from wijkradar.api.dependencies import Con, T
from wijkradar.api.routers.pages import Page
from wijkradar.compute.areasets import CAVEATS, GapSeries, gap_series
from wijkradar.compute.validity import validity_rows
from wijkradar.reports.hotspot_map import hotspot_svg, outlines_for
from wijkradar.store import analysis

Year = Annotated[int | None, Query(ge=1900, le=2100, description="year (default: latest)")]
Reference = Annotated[str, Query(pattern="^(NL\\d{2}|PV\\d{2}|GM\\d{4})$")]
Level = Annotated[str, Query(pattern="^(gemeente|wijk|buurt)$")]
Measure = Annotated[str, Query(max_length=60, pattern="^[a-z_]+$")]


class FlagCertainty(BaseModel):
    flagged: bool
    p_flag: float
    certainty: str  # certain | likely | uncertain


class Interval(BaseModel):
    lower: float
    upper: float
    model: str  # binomial | margin | none


class UncertaintyOut(BaseModel):
    code: str
    name: str
    year: int
    reference: str
    stacking: int | None = None
    stacking_lower: int | None = None
    stacking_upper: int | None = None
    p_toxic_mix: float | None = None
    p_stacking_ge: list[float] = []
    index_lower: float | None = None
    index_upper: float | None = None
    rank_lower: int | None = None
    rank_upper: int | None = None
    draws: int | None = None
    simulated_years: list[int] = Field(
        default=[],
        description="years of this level with a simulation; methodology 2026.4 simulates the "
        "latest only, so another year has intervals but no flag certainty (not simulated, "
        "which is not the same as uncertain)",
    )
    characteristics: dict[str, FlagCertainty] = {}
    indicators: dict[str, Interval] = {}


class PeerOut(BaseModel):
    code: str
    name: str | None
    rank: int
    distance: float


class PeersOut(BaseModel):
    code: str
    year: int
    peers: list[PeerOut]


class ValidityItem(BaseModel):
    measure: str
    rho: float | None
    n: int
    lower: float | None
    upper: float | None


class ValidityOut(BaseModel):
    outcome: str
    outcome_year: int
    level: str
    year: int
    reference: str
    items: list[ValidityItem]


TEXT = {
    "nl": {
        "title": "Analyse: zekerheid, hotspots en samenhang",
        "hot": "hotspot",
        "cold": "coldspot",
        "none": "geen cluster",
        "not_tested": "niet getoetst (geen buren)",
        "hotspots": "Hotspots",
        "validity": "Samenhang met een uitkomst",
        "outcome": "Uitkomst",
        "measure": "Maat",
        "show": "Toon",
        "no_analysis": "Deze build heeft geen onzekerheids- en hotspotgegevens (de methodiek "
        "heeft geen uncertainty.yml).",
        "hot_note": "Getis-Ord Gi*, queen-buren, correctie {correction}, alpha {alpha}",
        "validity_note": "Spearman-rangcorrelatie met n en een benaderd 95%-interval. Samenhang "
        "is geen oorzaak.",
        "caveats": "Let op bij vergelijken over de jaren",
        "level": "Niveau",
        "year": "Jaar",
        "set": "Gebiedenset (codes, komma's)",
        "set_title": "{n} gebieden tegenover de andere gebieden van dit niveau",
        "gap": "verschil",
        "slope": "per jaar",
        "narrows": "kleiner",
        "yes": "ja",
        "no": "nee",
    },
    "en": {
        "title": "Analysis: certainty, hotspots and association",
        "hot": "hot spot",
        "cold": "cold spot",
        "none": "no cluster",
        "not_tested": "not tested (no neighbours)",
        "hotspots": "Hotspots",
        "validity": "Association with an outcome",
        "outcome": "Outcome",
        "measure": "Measure",
        "show": "Show",
        "no_analysis": "This build has no uncertainty or hotspot results (its methodology has "
        "no uncertainty.yml).",
        "hot_note": "Getis-Ord Gi*, queen neighbours, correction {correction}, alpha {alpha}",
        "validity_note": "Spearman rank correlation with n and an approximate 95 % interval. "
        "Association is not causation.",
        "caveats": "Caveats when comparing over the years",
        "level": "Level",
        "year": "Year",
        "set": "Area set (codes, commas)",
        "set_title": "{n} areas against the other areas of this level",
        "gap": "gap",
        "slope": "per year",
        "narrows": "narrows",
        "yes": "yes",
        "no": "no",
    },
}


def _latest(con: Any, level: str, year: int | None) -> int:
    years = analysis.scored_years(con, level)
    if not years:
        raise HTTPException(404, f"no scores at level {level}")
    if year is None:
        return years[-1]
    if year not in years:
        raise HTTPException(404, f"no {level} scores for {year}")
    return year


def _validity(
    con: Any, outcome: str, outcome_year: int | None, level: str, year: int, reference: str
) -> ValidityOut:
    found = [
        o
        for o in analysis.outcome_variables(con)
        if o["variable"] == outcome and o["level"] == level
    ]
    if not found:
        raise HTTPException(404, f"no stored variable {outcome!r} at level {level}")
    periods = [int(o["period"]) for o in found]
    period = outcome_year if outcome_year is not None else max(periods)
    if period not in periods:
        raise HTTPException(404, f"{outcome} has no values for {period}")
    values = analysis.outcome_values(con, outcome, level, period)
    measures = analysis.measures(con, level, year, reference, "tno")
    items = [
        ValidityItem(
            measure=row.measure,
            rho=row.correlation.rho,
            n=row.correlation.n,
            lower=row.correlation.lower,
            upper=row.correlation.upper,
        )
        for row in validity_rows(measures, values)
    ]
    return ValidityOut(
        outcome=outcome,
        outcome_year=period,
        level=level,
        year=year,
        reference=reference,
        items=items,
    )


def _gaps(con: Any, level: str, members: list[str]) -> list[GapSeries]:
    """An area set (codes of `level`) against the other areas, every scored year."""
    years = analysis.scored_years(con, level)
    per_year = {y: analysis.measures(con, level, y, "NL01", "tno") for y in years}
    names = list(dict.fromkeys(m for by in per_year.values() for m in by))
    return [
        gap_series(name, {y: per_year[y].get(name, {}) for y in years}, set(members))
        for name in names
    ]


def api_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["analysis"])

    @api.get("/uncertainty/{code}", response_model=UncertaintyOut)
    def uncertainty(
        con: Con, code: str, year: Year = None, reference: Reference = "NL01"
    ) -> UncertaintyOut:
        """How sure the area's flags, stacking and rank are: per characteristic P(top decile)
        and its certainty class, the stacking interval, P(stacking ≥ k), the index and rank
        intervals, and every indicator's interval with its model."""
        region = analysis.region(con, code.strip().upper(), year)
        if region is None:
            raise HTTPException(404, f"unknown region {code}")
        period = int(region["year"])
        stack = analysis.stacking_uncertainty(con, region["code"], period, reference) or {}
        return UncertaintyOut(
            code=region["code"],
            name=region["name"],
            year=period,
            reference=reference,
            simulated_years=analysis.simulated_years(con, str(region["level"])),
            **{k: v for k, v in stack.items() if v is not None},
            characteristics={
                k: FlagCertainty(**v)
                for k, v in analysis.flag_certainty(con, region["code"], period, reference).items()
            },
            indicators={
                k: Interval(**v)
                for k, v in analysis.indicator_intervals(con, region["code"], period).items()
            },
        )

    @api.get(
        "/hotspots/{level}.geojson",
        responses={200: {"content": {"application/geo+json": {}}}},
    )
    def hotspots(
        con: Con, level: str, year: Year = None, measure: Measure = "stacking"
    ) -> Response:
        """Hot and cold spots of stacking (or a characteristic's score) as a GeoJSON layer:
        per area Gi*, p, q (after the correction named in the metadata) and the cluster."""
        if level not in ("gemeente", "wijk", "buurt"):
            raise HTTPException(404, "use /api/v1/hotspots/{gemeente|wijk|buurt}.geojson")
        period = _latest(con, level, year)
        rows = analysis.hotspots(con, level, period, measure)
        features = [
            {
                "type": "Feature",
                "properties": {k: v for k, v in r.items() if k != "geometry"},
                "geometry": json.loads(r["geometry"]) if r["geometry"] else None,
            }
            for r in rows
        ]
        body = {
            "type": "FeatureCollection",
            "metadata": {
                "level": level,
                "year": period,
                "measure": measure,
                "statistic": "Getis-Ord Gi* (binary queen contiguity, self included)",
                "correction": rows[0]["correction"] if rows else None,
                "alpha": rows[0]["alpha"] if rows else None,
            },
            "features": features,
        }
        return Response(json.dumps(body), media_type="application/geo+json")

    @api.get("/peers/{code}", response_model=PeersOut)
    def peers(con: Con, code: str, year: Year = None) -> PeersOut:
        """Similar gemeenten (size, urbanity, income), most similar first."""
        region = analysis.region(con, code.strip().upper(), year)
        if region is None or region["level"] != "gemeente":
            raise HTTPException(404, f"not a gemeente in this build: {code}")
        rows = analysis.peers(con, region["code"], int(region["year"]))
        return PeersOut(
            code=region["code"],
            year=int(region["year"]),
            peers=[PeerOut(**r) for r in rows],
        )

    @api.get("/validity", response_model=ValidityOut)
    def validity(
        con: Con,
        outcome: Annotated[str, Query(max_length=80, pattern="^[A-Za-z0-9_]+$")],
        level: Level = "gemeente",
        year: Year = None,
        outcome_year: Year = None,
        reference: Reference = "NL01",
    ) -> ValidityOut:
        """Spearman's ρ (with n and a 95 % interval) of the index, stacking and every
        characteristic against a stored outcome variable of the same level."""
        return _validity(con, outcome, outcome_year, level, _latest(con, level, year), reference)

    return api


def page_router(templates: Jinja2Templates) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/analyse", response_class=HTMLResponse)
    def analysis_page(
        request: Request,
        con: Con,
        t: T,
        niveau: Level = "gemeente",
        jaar: Year = None,
        maat: Measure = "stacking",
        uitkomst: Annotated[str | None, Query(max_length=80, pattern="^[A-Za-z0-9_]+$")] = None,
        gebieden: Annotated[
            str | None,
            Query(max_length=4000, pattern="^[A-Za-z0-9, ]*$", description="area set: codes"),
        ] = None,
    ) -> HTMLResponse:
        page = Page(request, con, t, None)
        u = TEXT["en" if page.lang == "en" else "nl"]
        years = analysis.scored_years(con, niveau)
        year = _latest(con, niveau, jaar) if years else None
        index = analysis.hotspot_index(con)
        rows = analysis.hotspots(con, niveau, year, maat) if year is not None else []
        note = (
            u["hot_note"].format(correction=rows[0]["correction"], alpha=rows[0]["alpha"])
            if rows
            else ""
        )

        def label(measure: str) -> str:
            if measure in ("stacking", "overall_index"):
                return t(measure)
            return page.characteristic_label(measure)

        shapes = outlines_for((str(page.build.get("build_id")), niveau, year or 0), rows)
        map_svg = hotspot_svg(
            rows,
            title=f"{u['hotspots']}: {label(maat)}, {t('level_' + niveau)} {year}",
            labels=u,
            note=note,
            shapes=shapes,
        )
        outcomes = sorted(
            {o["variable"] for o in analysis.outcome_variables(con) if o["level"] == niveau}
        )
        validity = (
            _validity(con, uitkomst, None, niveau, year, "NL01")
            if uitkomst and year is not None
            else None
        )
        measures = sorted({str(i["measure"]) for i in index if i["level"] == niveau})
        members = sorted({c.strip().upper() for c in (gebieden or "").split(",") if c.strip()})
        gaps = _gaps(con, niveau, members) if members else []
        return templates.TemplateResponse(
            request,
            "analysis.html",
            page.context(
                u=u,
                niveau=niveau,
                year=year,
                years=years,
                maat=maat,
                measures=measures or ["stacking"],
                index=[i for i in index if i["level"] == niveau and i["period"] == year],
                hot=[r for r in rows if r["cluster"] in ("hot", "cold")],
                map_svg=map_svg,
                note=note,
                outcomes=outcomes,
                uitkomst=uitkomst,
                validity=validity,
                caveats=CAVEATS["en" if page.lang == "en" else "nl"],
                has_analysis=bool(index),
                label=label,
                gebieden=", ".join(members),
                n_members=len(members),
                gaps=gaps,
                gap_years=analysis.scored_years(con, niveau),
            ),
        )

    return pages
