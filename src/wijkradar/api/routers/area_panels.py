"""JSON of the area profile's panels: partner signals and white spots (api/area_panels.py).
Read from the operational store, so never kept by the build cache (api/caching.py LIVE)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from wijkradar.api import area_panels, views
from wijkradar.api.dependencies import Con, ViewDep
from wijkradar.api.routers.api_v1 import REFUSALS
from wijkradar.registers import fitgap

Lang = Annotated[str, Query(pattern="^(nl|en)$")]


def factory(request: Request) -> Any:
    return request.app.state.ops.factory_or_none()


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)

    @api.get("/partner-signals/{code}", response_model=area_panels.SignalsPanel)
    def partner_signals(
        request: Request, con: Con, code: str, view: ViewDep, lang: Lang = "nl"
    ) -> area_panels.SignalsPanel:
        """Partner signals of a wijk (a gemeente: summed over its wijken) over the last 3, 6
        and 12 months, per characteristic, with their direction and the radar class. Counts
        below 10 are null; no text, no partner."""
        reg = views.get_region(con, code, view.year)
        flagged = fitgap.flagged_at(con, reg["code"], view.year)
        return area_panels.signals_panel(factory(request), con, reg["code"], flagged, lang)

    @api.get("/fit-gap/{code}", response_model=area_panels.GapPanel)
    def fit_gap(
        request: Request, con: Con, code: str, view: ViewDep, lang: Lang = "nl"
    ) -> area_panels.GapPanel:
        """White spots of a gemeente, wijk or buurt: its flagged characteristics and groups
        against the local initiatives serving them, and the unmet share of partner signals."""
        reg = views.get_region(con, code, view.year)
        return area_panels.gap_panel(con, factory(request), reg["code"], view.year, lang)

    return api
