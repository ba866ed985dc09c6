"""HTML pages: map drill-down, area profile, ranking, method and sources. Work without JS."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

import duckdb
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from wijkradar.api import analysis_view, area_panels, views
from wijkradar.api.dependencies import Con, LevelDep, T, View, ViewDep, WithinDep
from wijkradar.api.i18n import Translator
from wijkradar.api.settings import Settings
from wijkradar.compute import disclosure
from wijkradar.domain import WijkradarError
from wijkradar.domain.methodology import Characteristic, Framework
from wijkradar.domain.region import is_national
from wijkradar.methodology import load_cached
from wijkradar.registers import fitgap
from wijkradar.reports import exports, numbers, svg
from wijkradar.reports.outgoing import release, rules_summary
from wijkradar.store import catalog, constants, queries


def _fmt(value: float | None, lang: str, decimals: int | None = None) -> str:
    """A number in the page's language (reports.numbers: 12.345,6 in Dutch)."""
    return numbers.number(value, lang, decimals)


#: Rows of the accessible table per page; a national buurt map has over 10 000 areas.
ROWS_PER_PAGE = 250
#: Areas at or above this count are drawn at whole-pixel precision on a wider map.
LARGE_MAP = 300
DEPTH = {"land": 0, "provincie": 1, "gemeente": 2, "wijk": 3, "buurt": 4}


_OUTLINES: dict[tuple[str | None, str, int, str | None], svg.Outlines] = {}


def _project(geometries: dict[str, str]) -> svg.Outlines:
    large = len(geometries) >= LARGE_MAP
    return svg.outlines(geometries, width=800 if large else 560, decimals=0 if large else 1)


#: Per build, area, view and language: the map page's released areas and SVG (_map_parts).
_MAPS: dict[tuple[Any, ...], tuple[list[dict[str, Any]], str, str]] = {}


def _outlines(
    con: duckdb.DuckDBPyConnection, build_id: str | None, level: str, year: int, within: str | None
) -> svg.Outlines:
    """Projected outlines of a level, kept per build: a build never changes once published."""
    key = (build_id, level, year, within)
    hit = _OUTLINES.get(key)
    if hit is None:
        hit = _project(queries.boundaries(con, level, year, within))
        if len(_OUTLINES) >= 32:
            _OUTLINES.pop(next(iter(_OUTLINES)))
        _OUTLINES[key] = hit
    return hit


def _map_parts(
    page: Page, view: View, area: dict[str, Any], child_level: str | None, within: str | None
) -> tuple[list[dict[str, Any]], str, str]:
    """The map page's areas (released, labelled, linked), its SVG and its certainty note."""
    con, t = page.con, page.t
    rows = (
        queries.metric_values(
            con,
            child_level,
            view.year,
            within=within,
            metric=view.metric,
            framework=view.framework,
            reference=view.reference,
        )
        if child_level
        else []
    )
    unit = views.UNITS.get(view.metric, "index 0-100")
    for row in rows:
        # Map figures leave through the same door as every other figure (scores pass).
        out = release(row["value"], unit, row["status"])
        row["value"], row["status"] = out.value, out.status
        row["label"] = page.value_label(row["value"], row["status"])
        target = "/gebied/" if row["level"] == "buurt" else "/kaart/"
        row["href"] = page.url(target + row["code"])
    map_svg = ""
    if child_level:
        shapes = _outlines(con, page.build.get("build_id"), child_level, view.year, within)
        if shapes.paths:
            title = t("map_of", level=t(f"level_{child_level}"), area=area["name"])
            map_svg = svg.choropleth(
                [
                    svg.Area(r["code"], r["name"], r["value"], r["status"], r["href"], r["label"])
                    for r in rows
                ],
                shapes,
                title=f"{title} — {page.metric_label(view.metric)}, {view.year}",
                scale=svg.scale_for(
                    view.metric,
                    protection=view.metric.removeprefix("char:")
                    in constants.of(con).protective_ids,
                ),
                legend_title=page.metric_label(view.metric),
                status_labels={
                    "suppressed": t("status_suppressed"),
                    "missing": t("status_missing"),
                },
            )
    note = analysis_view.map_note(con, child_level, view.year, view.reference, page.lang)
    return rows, map_svg, note


def _paginate(rows: Sequence[Any], pagina: int, link: Callable[[int], str]) -> dict[str, Any]:
    """One page of a long table for a template: its rows, where it starts, and a link to every
    page (none when everything fits on one), so the table works without JavaScript."""
    n_pages = max(1, math.ceil(len(rows) / ROWS_PER_PAGE))
    pagina = min(pagina, n_pages)
    first = (pagina - 1) * ROWS_PER_PAGE
    return {
        "rows": rows[first : first + ROWS_PER_PAGE],
        "n_rows": len(rows),
        "first_row": first + 1,
        "pagina": pagina,
        "pager": [(n, link(n)) for n in range(1, n_pages + 1)] if n_pages > 1 else [],
    }


class Page:
    """Shared page context: translator, links that keep the view and language, footer facts."""

    def __init__(
        self, request: Request, con: duckdb.DuckDBPyConnection, t: Translator, view: View | None
    ) -> None:
        self.request, self.con, self.t, self.view = request, con, t, view
        self.lang = t.lang
        self.build = queries.build_info(con) or {}
        self.sources = catalog.sources(con)
        self.methodology = load_cached(self.build.get("methodology_version"))

    def url(self, path: str, **params: Any) -> str:
        merged: dict[str, Any] = {}
        if self.view is not None:
            merged.update(self.view.query())
        merged.update(params)
        if self.lang != "nl":
            merged["lang"] = self.lang
        clean = {k: v for k, v in merged.items() if v is not None and v != ""}
        return path + ("?" + urlencode(clean) if clean else "")

    def alternate(self, lang: str) -> str | None:
        """This page's absolute address in `lang` for <link rel=canonical/alternate>, or None
        when WIJKRADAR_BASE_URL is not set (such links must be absolute)."""
        settings: Settings = self.request.app.state.settings
        base = settings.base_url.rstrip("/")
        if not base:
            return None
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        if lang != "nl":
            params["lang"] = lang
        return base + self.request.url.path + ("?" + urlencode(params) if params else "")

    def lang_switch(self) -> str:
        params = dict(self.request.query_params)
        params["lang"] = "en" if self.lang == "nl" else "nl"
        return self.request.url.path + "?" + urlencode(params)

    def status(self, status: str) -> str:
        return self.t(f"status_{status}")

    def value_label(self, value: float | None, status: str) -> str:
        return (
            _fmt(value, self.lang) if value is not None and status == "ok" else self.status(status)
        )

    def unit(self, unit: str) -> str:
        """A unit as the page's language writes it (the web's i18n "units" map)."""
        return self.t.unit(unit)

    def year_label(self, year: int | None) -> str:
        return self.t("no_year") if year is None else str(year)

    def ranking_metric_label(self, metric: str) -> str:
        """As metric_label, saying which end comes first where that is the lowest."""
        if metric == "protective":
            return self.t("metric_protective_ranking")
        return self.metric_label(metric)

    def metric_label(self, metric: str) -> str:
        if metric.startswith("theme:"):
            return self.t("metric_theme", id=self.theme_label(metric[6:]))
        if metric.startswith("char:"):
            key = "metric_protective_factor" if self._protective(metric[5:]) else "metric_char"
            return self.t(key, id=self.characteristic_label(metric[5:]))
        return self.t(f"metric_{metric}")

    def _protective(self, characteristic: str) -> bool:
        return any(c.id == characteristic for c in self.methodology.protective_factors)

    def framework_label(self, framework: str) -> str:
        return self._label(self.methodology.framework, framework)

    def _label(self, find: Callable[[str], Framework | Characteristic], key: str) -> str:
        """The item's label in the page's language; its id when the build's methodology lacks it."""
        try:
            return find(key).labels.get(self.lang)
        except KeyError:
            return key

    def region_label(self, code: str) -> str:
        """A reference area by name and code ("Nederland (NL01)"), as a visitor knows it."""
        name = self._reference_names.get(code)
        return f"{name} ({code})" if name else code

    @cached_property
    def _reference_names(self) -> dict[str, str]:
        # One query per page: the reference menu lists every gemeente (hundreds of options).
        return queries.reference_names(self.con, self.view.year if self.view else None)

    def characteristic_label(self, characteristic: str) -> str:
        return self._label(self.methodology.characteristic, characteristic)

    def theme_label(self, theme: str) -> str:
        framework = self.view.framework if self.view is not None else "tno"
        try:
            themes = self.methodology.framework(framework).themes
        except KeyError:
            return theme
        return next((x.labels.get(self.lang) for x in themes if x.id == theme), theme)

    def context(self, **extra: Any) -> dict[str, Any]:
        licences = sorted({s["licence"] for s in self.sources})
        publishers = sorted({s["publisher"] for s in self.sources})
        return {
            "request": self.request,
            "page": self,
            "t": self.t,
            "lang": self.lang,
            "demo": bool(self.build.get("demo")),
            "build": self.build,
            "footer_sources": ", ".join(publishers) or "–",
            "footer_licences": ", ".join(licences) or "–",
            "disclosure": rules_summary(self.lang),
            "fmt": lambda v, decimals=None: _fmt(v, self.lang, decimals),
            **extra,
        }


def _direction(change: float | None) -> str:
    if change is None:
        return ""
    return "up" if change >= 0.5 else ("down" if change <= -0.5 else "same")


def _spine(page: Page, result: Any) -> str:
    """The spine chart that leads an area profile: every characteristic with a spread (a
    national-reference profile), risk characteristics first, protective factors marked (+)."""
    rows = [
        svg.SpineRow(
            label=c.label + (" (+)" if c.protective else ""),
            value=c.score.value,
            low=c.spread.low,
            q1=c.spread.q1,
            q3=c.spread.q3,
            high=c.spread.high,
            median=c.spread.median,
            flagged=bool(c.flagged),
            direction=_direction(c.change),
            value_text=page.value_label(c.score.value, c.score.status),
        )
        for c in (*result.characteristics, *result.protective_factors)
        if c.spread is not None
    ]
    if not rows:
        return ""
    level = page.t(f"level_{result.region.level}")
    return svg.spine_chart(rows, title=page.t("spine_title", level=level))


def install_error_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """A refused page request (unknown area, year, reference, theme, ...) gets a page that says
    what was not found and what the build holds, in the site's layout, with status 404; the API
    keeps its JSON answers."""

    async def handler(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        path = request.url.path
        # the workspace (/werk) answers its own refusals (403/404/422), not with the site's page
        public = not path.startswith(("/api/", "/docs", "/openapi", "/static", "/werk"))
        if not public or error.status_code not in (404, 422):
            return await http_exception_handler(request, error)
        lang = request.query_params.get("lang", request.app.state.settings.lang)
        t = Translator(lang if lang in ("nl", "en") else "nl")
        detail = error.detail if isinstance(error.detail, str) else ""
        try:
            con = request.app.state.db.cursor()
        except WijkradarError:
            return HTMLResponse(
                f"<h1>{escape(t('not_found'))}</h1><p>{escape(detail)}</p>", status_code=404
            )
        try:
            page = Page(request, con, t, None)
            return templates.TemplateResponse(
                request,
                "not_found.html",
                page.context(code=path.rsplit("/", 1)[-1], detail=detail),
                status_code=404,
            )
        finally:
            con.close()

    app.add_exception_handler(StarletteHTTPException, handler)
    app.add_exception_handler(RequestValidationError, _validation_as_404(handler))


def _validation_as_404(
    handler: Callable[[Request, Exception], Any],
) -> Callable[[Request, Exception], Any]:
    async def on_invalid(request: Request, error: Exception) -> Response:
        if request.url.path.startswith(("/api/", "/docs", "/openapi")):
            return await request_validation_exception_handler(request, error)  # type: ignore[arg-type]
        assert isinstance(error, RequestValidationError)
        names = ", ".join(str(e.get("loc", ["", "?"])[-1]) for e in error.errors())
        response: Response = await handler(
            request, StarletteHTTPException(404, f"invalid parameter: {names}")
        )
        return response

    return on_invalid


def router(templates: Jinja2Templates) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    def render(name: str, page: Page, status_code: int = 200, **extra: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            page.request, name, page.context(**extra), status_code=status_code
        )

    @pages.get("/", response_class=HTMLResponse)
    def home(request: Request, con: Con, t: T, view: ViewDep) -> HTMLResponse:
        return map_page(request, con, t, view, queries.land_code(con, view.year))

    @pages.get("/kaart/{code}", response_class=HTMLResponse)
    def map_page(
        request: Request,
        con: Con,
        t: T,
        view: ViewDep,
        code: str,
        niveau: Annotated[str | None, Query(pattern="^(gemeente|wijk|buurt)$")] = None,
        pagina: Annotated[int, Query(ge=1)] = 1,
    ) -> HTMLResponse:
        page = Page(request, con, t, view)
        area = queries.region(con, code.upper(), view.year)
        if area is None and is_national(code):
            # NL01 and NL00 both name the country (CBS KWB writes NL00, other sources NL01).
            area = queries.region(con, queries.land_code(con, view.year), view.year)
        if area is None:
            return render(
                "not_found.html",
                page,
                404,
                code=code,
                detail=t("no_region", code=code.upper(), year=view.year),
            )
        child_level = queries.CHILD_LEVEL.get(area["level"])
        if niveau is not None and child_level is not None:
            if DEPTH[niveau] <= DEPTH[area["level"]]:
                raise HTTPException(422, f"niveau {niveau!r} is not below {area['level']}")
            child_level = niveau
        within = None if area["level"] == "land" else area["code"]
        # The areas, their labels and links, the SVG and the certainty note depend only on the
        # build, the area, the view and the language, not on the table page: kept per build (a
        # national map costs ~100 ms to compute: the query, the release of each figure, the SVG).
        key = (
            page.build.get("build_id"),
            area["code"],
            child_level,
            view.year,
            view.framework,
            view.reference,
            view.metric,
            page.lang,
        )
        cached = _MAPS.get(key)
        if cached is None:
            cached = _map_parts(page, view, area, child_level, within)
            if len(_MAPS) >= 64:
                _MAPS.pop(next(iter(_MAPS)), None)
            _MAPS[key] = cached
        rows, map_svg, note = cached
        extra = {"niveau": niveau} if niveau else {}
        paging = _paginate(
            rows, pagina, lambda n: page.url(request.url.path, **extra, pagina=n) + "#table-h"
        )
        metrics = [
            *queries.METRICS,
            *(f"theme:{x}" for x in queries.themes(con, view.framework)),
            *(f"char:{x}" for x in queries.characteristics(con)),
        ]
        crumbs = queries.ancestors(con, area["code"], view.year)
        # Only references that rank the areas on this map: the country and the areas this one
        # lies in (or is); a national list of every gemeente would be hundreds of options.
        chain = {area["code"], *(c["code"] for c in crumbs)}
        references = {r for r in queries.references(con) if is_national(r) or r in chain}
        return render(
            "map.html",
            page,
            area=area,
            child_level=child_level,
            niveau=niveau,
            **paging,
            map_svg=map_svg,
            crumbs=crumbs,
            metrics=metrics,
            years=queries.score_years(con),
            frameworks=queries.frameworks(con) or ["tno"],
            references=sorted({view.reference, *references}),
            certainty_note=note,
        )

    @pages.get("/gebied/{code}", response_class=HTMLResponse)
    def profile(request: Request, con: Con, t: T, view: ViewDep, code: str) -> HTMLResponse:
        page = Page(request, con, t, view)
        if queries.region(con, code.upper(), view.year) is None:
            return render(
                "not_found.html",
                page,
                404,
                code=code,
                detail=t("no_region", code=code.upper(), year=view.year),
            )
        result = views.scores(con, code, view, page.lang)
        why = views.explain(result, page.lang)
        reg = result.region
        trend_points = [
            (p.year, None if p.stacking is None else float(p.stacking)) for p in result.trend
        ]
        index_points = [(p.year, p.overall_index) for p in result.trend]
        breaks = [(p.year, p.series_break.note) for p in result.trend if p.series_break]
        charts = {
            "stacking": svg.sparkline(trend_points, label=t("stacking"), y_max=12, breaks=breaks),
            "index": svg.sparkline(
                index_points, label=t("overall_index"), y_max=100, breaks=breaks
            ),
            "spine": _spine(page, result),
        }
        # the operational store's panels; None when there is none (the page says so)
        ops = request.app.state.ops.factory_or_none()
        gap = area_panels.gap_panel(con, ops, reg.code, view.year, page.lang)
        flagged = fitgap.flagged_at(con, reg.code, view.year)
        signals = area_panels.signals_panel(ops, con, reg.code, flagged, page.lang)
        return render(
            "profile.html",
            page,
            result=result,
            why=why,
            charts=charts,
            crumbs=queries.ancestors(con, reg.code, view.year),
            has_children=bool(queries.children(con, reg.code, view.year)),
            signals=signals,
            gap=gap,
            suppress_below=disclosure.SUPPRESS_BELOW,
            round_to=disclosure.ROUND_TO,
            extra=analysis_view.profile_extra(
                con, reg.code, view.year, view.reference, view.framework, page.lang
            ),
        )

    @pages.get("/ranglijst", response_model=None)
    def ranking(
        request: Request,
        con: Con,
        t: T,
        view: ViewDep,
        level: LevelDep,
        within: WithinDep,
        format: Annotated[str, Query(pattern="^(html|csv)$")] = "html",
        pagina: Annotated[int, Query(ge=1)] = 1,
        dialect: Annotated[str, Query(pattern="^(excel|excel-nl)$")] = "excel",
    ) -> Response:
        if format == "csv":
            table = views.export_table(con, level, view, within)
            name = f"wijkradar-ranglijst-{level}-{within or 'NL'}-{view.year}.csv"
            return views.download(exports.to_csv(table, dialect), name, "text/csv; charset=utf-8")
        if not views.ranking_metric_ok(view.metric):
            # A link carried over from a map with a metric a ranking lacks shows the default.
            view = replace(view, metric="stacking")
        page = Page(request, con, t, view)
        result = views.ranking(con, level, view, within or None, None)
        paging = _paginate(
            result.rows,
            pagina,
            lambda n: (
                page.url("/ranglijst", level=level, within=within, pagina=n) + "#ranking-table"
            ),
        )
        gemeenten = queries.regions_at(con, "gemeente", view.year)
        metrics = [
            *views.RANKING_METRICS,
            *(f"theme:{x}" for x in queries.themes(con, view.framework)),
            *(f"char:{x}" for x in queries.characteristics(con)),
        ]
        return render(
            "ranking.html",
            page,
            result=result,
            **paging,
            level=level,
            within=within,
            gemeenten=gemeenten,
            metrics=metrics,
            years=queries.score_years(con),
            csv_href=page.url("/ranglijst", level=level, within=within, format="csv"),
            csv_nl_href=page.url(
                "/ranglijst", level=level, within=within, format="csv", dialect="excel-nl"
            ),
        )

    @pages.get("/methode", response_class=HTMLResponse)
    def method(request: Request, con: Con, t: T) -> HTMLResponse:
        """The methodology the build used, from its YAML (wijkradar.methodology)."""
        page = Page(request, con, t, None)
        m = page.methodology
        groups = [
            (c, m.indicators_for(c.id)) for c in (*m.risk_characteristics, *m.protective_factors)
        ]
        return render(
            "method.html",
            page,
            m=m,
            groups=groups,
            present={r["indicator"] for r in queries.indicators(con)},
            suppress_below=disclosure.SUPPRESS_BELOW,
            round_to=disclosure.ROUND_TO,
        )

    @pages.get("/bronnen", response_class=HTMLResponse)
    def sources(request: Request, con: Con, t: T) -> HTMLResponse:
        return render("sources.html", Page(request, con, t, None))

    @pages.get("/kaart", include_in_schema=False)
    def map_root(request: Request) -> RedirectResponse:
        return RedirectResponse(
            str(request.url_for("home").include_query_params(**request.query_params))
        )

    return pages
