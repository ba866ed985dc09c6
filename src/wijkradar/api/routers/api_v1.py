"""The JSON API under /api/v1. Serves stored results only; every figure carries provenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from wijkradar.api import models, views
from wijkradar.api.dependencies import Con, LevelDep, ViewDep, WithinDep
from wijkradar.reports import exports
from wijkradar.store import queries

#: Documented refusals, so the OpenAPI schema says what an unknown parameter gets.
REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.ErrorOut, "description": "unknown area, year, reference or framework"},
    422: {"model": models.ErrorOut, "description": "unknown or malformed parameter"},
}
Lang = Annotated[str, Query(pattern="^(nl|en)$")]


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)

    @api.get("/build", response_model=models.BuildOut)
    def build(con: Con) -> models.BuildOut:
        """The build served: method version, demo flag, every source with licence and checksum."""
        return views.build(con)

    @api.get("/regions", response_model=models.RegionList)
    def regions(con: Con, view: ViewDep, level: LevelDep, within: WithinDep) -> models.RegionList:
        """Regions of one level in one year, optionally within an area."""
        rows = queries.regions_at(con, level, view.year, within)
        return models.RegionList(year=view.year, items=[views.region_out(r) for r in rows])

    @api.get("/regions/{code}", response_model=models.RegionOut)
    def region(con: Con, code: str, year: int | None = None) -> models.RegionOut:
        """Look up one region (latest year unless `year` is given)."""
        return views.region_out(views.get_region(con, code, year))

    @api.get("/regions/{code}/children", response_model=models.RegionList)
    def children(con: Con, code: str, view: ViewDep) -> models.RegionList:
        """Next level down: gemeenten, wijken of a gemeente, buurten of a wijk."""
        reg = views.get_region(con, code, view.year)
        rows = queries.children(con, reg["code"], view.year)
        return models.RegionList(year=view.year, items=[views.region_out(r) for r in rows])

    @api.get("/indicators", response_model=list[models.IndicatorMeta])
    def indicators(con: Con) -> list[models.IndicatorMeta]:
        """The indicators in this build, with unit, levels and years covered."""
        return [models.IndicatorMeta.model_validate(r) for r in queries.indicators(con)]

    @api.get("/values/{code}", response_model=models.ValuesOut)
    def values(con: Con, code: str, view: ViewDep) -> models.ValuesOut:
        """Indicator values of one area and year with percentile, source, unit and status."""
        reg = views.get_region(con, code, view.year)
        return models.ValuesOut(
            region=views.region_out(reg),
            reference=view.reference,
            values=views.indicator_values(con, reg["code"], view),
        )

    @api.get("/scores/{code}", response_model=models.ScoresOut)
    def scores(
        con: Con,
        code: str,
        view: ViewDep,
        lang: Lang = "nl",
    ) -> models.ScoresOut:
        """Stacking, toxic mix, index, characteristics, themes and trend of one area; labels and
        the status reason in `lang`."""
        return views.scores(con, code, view, lang)

    @api.get("/explanations/{code}", response_model=models.Explanation)
    def explanation(
        con: Con,
        code: str,
        view: ViewDep,
        lang: Lang = "nl",
    ) -> models.Explanation:
        """Why an area is flagged: flagged characteristics and the indicator values behind them."""
        return views.explanation(con, code, view, lang)

    @api.get("/rankings", response_model=models.RankingOut)
    def rankings(
        con: Con,
        view: ViewDep,
        level: LevelDep,
        within: WithinDep,
        limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    ) -> models.RankingOut:
        """Areas ordered by `metric` (stacking | index | protective | theme:<id> | char:<id>)."""
        return views.ranking(con, level, view, within, limit)

    @api.get(
        "/exports/{level}.{fmt}",
        responses={200: {"content": {"text/csv": {}, "application/geo+json": {}}}},
    )
    def export(
        con: Con,
        level: str,
        fmt: str,
        view: ViewDep,
        within: WithinDep,
        dialect: Annotated[
            str,
            Query(
                pattern="^(excel|excel-nl)$",
                description="CSV only: excel-nl = semicolon, decimal comma, UTF-8 BOM",
            ),
        ] = "excel",
    ) -> Response:
        """All scores of one level as CSV or GeoJSON (metadata in the GeoJSON and a header)."""
        if level not in ("gemeente", "wijk", "buurt") or fmt not in ("csv", "geojson"):
            raise HTTPException(404, "use /api/v1/exports/{gemeente|wijk|buurt}.{csv|geojson}")
        table = views.export_table(con, level, view, within)
        name = f"wijkradar-{level}-{within or 'NL'}-{view.year}.{fmt}"
        headers = {
            "X-Wijkradar-Method-Version": str(table.metadata.get("method_version")),
            "X-Wijkradar-Build": str(table.metadata.get("build_id")),
        }
        if fmt == "csv":
            body = exports.to_csv(table, dialect)
            return views.download(body, name, "text/csv; charset=utf-8", headers)
        body = exports.to_geojson(table, con, level, view.year)
        return views.download(body, name, "application/geo+json", headers)

    return api
