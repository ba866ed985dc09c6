"""Assemble stored results into response models, shared by the JSON API and the pages.

Reads only: store.profiles for scores and explanations, store.queries for regions and the build.
Every outgoing number passes reports.outgoing.release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
from fastapi import HTTPException
from fastapi.responses import Response

from wijkradar.api import models
from wijkradar.api.dependencies import View
from wijkradar.domain import WijkradarError
from wijkradar.reports import exports
from wijkradar.reports.outgoing import release
from wijkradar.store import catalog, constants, profiles, queries

UNITS = {"stacking": "aantal kenmerken", "index": "index 0-100", "protective": "index 0-100"}


def released_count(value: Any, unit: str = UNITS["stacking"], status: str = "ok") -> int | None:
    """A whole number (stacking, a mean stacking) through reports.outgoing.release."""
    out = release(None if value is None else float(value), unit, status)
    return None if out.value is None else int(out.value)


def released_index(value: Any, status: str = "ok") -> float | None:
    """An index 0-100 through reports.outgoing.release, to one decimal."""
    out = release(None if value is None else float(value), UNITS["index"], status)
    return None if out.value is None else round(out.value, 1)


def method_version(con: duckdb.DuckDBPyConnection) -> str | None:
    build = queries.build_info(con)
    return None if build is None else build.get("methodology_version")


def figure(
    value: Any,
    status: str,
    unit: str,
    year: int,
    source_ids: list[str],
    method: str | None,
    kinds: Mapping[str, str] | None = None,
    declared_units: Sequence[str] = (),
) -> models.Figure:
    """One figure through reports.outgoing.release; `kinds` (queries.source_kinds) tells which
    sources are published open data, `declared_units` what the inputs declared."""
    out = release(
        None if value is None else float(value), unit, status, source_ids, kinds, declared_units
    )
    return models.Figure(
        value=out.value,
        status=out.status,
        unit=unit,
        year=year,
        source_ids=source_ids,
        method_version=method,
        disclosure=out.note,
    )


def region_out(row: dict[str, Any]) -> models.RegionOut:
    code = row["code"]
    return models.RegionOut(
        code=code,
        name=row["name"],
        level=row["level"],
        year=row["year"],
        parent_code=row.get("parent_code"),
        gemeente_code=row.get("gemeente_code"),
        links={
            "self": f"/api/v1/regions/{code}",
            "children": f"/api/v1/regions/{code}/children",
            "scores": f"/api/v1/scores/{code}",
            "page": f"/gebied/{code}",
        },
    )


def get_region(con: duckdb.DuckDBPyConnection, code: str, year: int | None) -> dict[str, Any]:
    row = queries.region(con, code.strip().upper(), year)
    if row is None:
        raise HTTPException(404, f"unknown region {code!r}" + (f" in {year}" if year else ""))
    return row


def indicator_values(
    con: duckdb.DuckDBPyConnection, code: str, view: View
) -> list[models.IndicatorValue]:
    k = constants.of(con)
    method = k.methodology_version
    kinds = k.source_kinds
    return [
        models.IndicatorValue(
            indicator=v["indicator"],
            figure=figure(
                v["value"],
                # a count the build's families withhold (store.withheld) leaves as suppressed
                "suppressed" if (code, v["indicator"], view.year) in k.withheld else v["status"],
                v["unit"],
                v["period"],
                list(v["source_ids"] or []),
                method,
                kinds,
                k.declared_units(v["indicator"], tuple(v["source_ids"] or ())),
            ),
            percentile=_pct(v["percentile"]),
        )
        for v in queries.indicator_values(con, code, view.year, view.reference)
    ]


def _pct(value: float | None) -> float | None:
    out = release(None if value is None else float(value), "percentiel", "ok")
    return None if out.value is None else round(out.value, 1)


def _indicator(
    ind: profiles.IndicatorDetail, year: int, method: str, kinds: Mapping[str, str]
) -> models.IndicatorDetail:
    return models.IndicatorDetail(
        indicator=ind.id,
        label=ind.label,
        measure=ind.measure,
        figure=figure(
            ind.value,
            "suppressed" if ind.withheld else ind.status,
            ind.unit,
            year,
            list(ind.source_ids),
            method,
            kinds,
            ind.declared_units,
        ),
        percentile=_pct(ind.percentile),
        source=models.SourceRef(
            publisher=ind.publisher, table_id=ind.table_id, year=ind.source_year
        ),
    )


def _characteristic(
    c: profiles.CharacteristicDetail, year: int, method: str, kinds: Mapping[str, str]
) -> models.CharacteristicOut:
    srcs = sorted({s for ind in c.indicators for s in ind.source_ids})
    return models.CharacteristicOut(
        characteristic=c.id,
        label=c.label,
        protective=c.protective,
        score=figure(c.score, c.status, "percentiel", year, srcs, method, kinds),
        flagged=c.flagged,
        n_indicators=c.n_indicators,
        indicators=[_indicator(i, year, method, kinds) for i in c.indicators],
        spread=None if c.spread is None else models.Spread(**vars(c.spread)),
        change=None if c.change is None or c.score is None else round(c.change, 1),
    )


def profile(
    con: duckdb.DuckDBPyConnection, code: str, view: View, lang: str = "nl"
) -> profiles.AreaProfile | None:
    """The stored profile (store.profiles.area_profile), or None when nothing is stored."""
    try:
        return profiles.area_profile(
            con, code, view.year, view.reference, view.framework, "en" if lang == "en" else "nl"
        )
    except WijkradarError:
        return None


def scores(
    con: duckdb.DuckDBPyConnection, code: str, view: View, lang: str = "nl"
) -> models.ScoresOut:
    """An area's scores as store.profiles.area_profile reads them, every figure released."""
    reg = get_region(con, code, view.year)
    prof = profile(con, reg["code"], view, lang)
    k = constants.of(con)  # once: method version and source kinds are constants of the build
    method = k.methodology_version or ""
    if prof is None:
        empty = figure(None, "missing", "", view.year, [], method)
        return models.ScoresOut(
            region=region_out(reg),
            year=view.year,
            framework=view.framework,
            reference=view.reference,
            method_version=method,
            status="missing",
            status_reason="",
            status_reason_code="",
            stacking=empty,
            toxic_mix=None,
            toxic_mix_threshold=0,
            overall_index=empty,
            protective=empty,
            characteristics=[],
            protective_factors=[],
            themes=[],
            trend=[],
            comparison=[],
        )
    srcs = sorted({s for c in prof.characteristics for i in c.indicators for s in i.source_ids})
    kinds = k.source_kinds

    def fig(value: Any, unit: str) -> models.Figure:
        status = prof.status if prof.status != "ok" or value is not None else "missing"
        return figure(value, status, unit, prof.period, srcs, prof.methodology_version, kinds)

    chars = [
        _characteristic(c, prof.period, prof.methodology_version, kinds)
        for c in prof.characteristics
    ]
    stacking = fig(prof.stacking, UNITS["stacking"])
    return models.ScoresOut(
        region=region_out(reg),
        year=prof.period,
        framework=prof.framework,
        reference=prof.reference,
        method_version=prof.methodology_version,
        status=prof.status,
        status_reason=prof.status_reason_text,
        status_reason_code=prof.status_reason_code,
        stacking=stacking,
        # The flag restates the stacking: shown only with it.
        toxic_mix=prof.toxic_mix if stacking.value is not None else None,
        toxic_mix_threshold=prof.toxic_mix_threshold,
        overall_index=fig(prof.overall_index, UNITS["index"]),
        protective=fig(prof.protective, UNITS["protective"]),
        characteristics=[c for c in chars if not c.protective],
        protective_factors=[c for c in chars if c.protective],
        themes=[
            models.ThemeOut(
                theme=t.id,
                label=t.label,
                score=figure(t.score, t.status, "index 0-100", prof.period, srcs, method, kinds),
            )
            for t in prof.themes
        ],
        trend=[
            models.TrendPoint(
                year=p.period,
                stacking=released_count(p.stacking, status=p.status),
                overall_index=released_index(p.overall_index, p.status),
                status=p.status,
                code=p.code,
                series_break=(
                    None if p.series_break is None else models.SeriesBreak(**vars(p.series_break))
                ),
            )
            for p in prof.trend
        ],
        comparison=[
            models.Comparison(
                code=c.code,
                name=c.name,
                level=c.level,
                stacking=released_count(c.stacking, status=c.status),
                overall_index=released_index(c.overall_index, c.status),
            )
            for c in (prof.parent, prof.country)
            if c is not None
        ],
    )


def explanation(
    con: duckdb.DuckDBPyConnection, code: str, view: View, lang: str = "nl"
) -> models.Explanation:
    """Why an area is flagged: its flagged risk characteristics, each with the indicators behind
    it (value, unit, percentile, source publisher/table/year)."""
    return explain(scores(con, code, view, lang), lang)


def explain(result: models.ScoresOut, lang: str = "nl") -> models.Explanation:
    """The explanation of already read scores (so a page reads the profile once)."""
    flagged = [c for c in result.characteristics if c.flagged]
    names = ", ".join(c.label for c in flagged)
    n, total, name = len(flagged), len(result.characteristics), result.region.name
    if lang == "en":
        summary = (
            f"{name} is flagged on {n} of {total} risk characteristics in {result.year}: {names}."
            if flagged
            else f"{name} has no flagged risk characteristic in {result.year}."
        )
    else:
        summary = (
            f"{name} is gemarkeerd op {n} van {total} risicokenmerken in {result.year}: {names}."
            if flagged
            else f"{name} heeft geen gemarkeerd risicokenmerk in {result.year}."
        )
    return models.Explanation(
        region=result.region,
        year=result.year,
        reference=result.reference,
        summary=summary,
        flagged=flagged,
    )


#: Metrics a ranking can order by (store.profiles.ranking), besides "theme:<id>" and "char:<id>".
RANKING_METRICS = ("stacking", "index", "protective")
RANKING_HELP = "use stacking, index, protective, theme:<id> or char:<id>"


def ranking_metric_ok(metric: str) -> bool:
    return metric in RANKING_METRICS or metric.startswith(("theme:", "char:"))


def metric_unit(metric: str) -> str:
    """The unit of a metric's values: a characteristic's score is a mean of percentiles."""
    return "percentiel" if metric.startswith("char:") else UNITS.get(metric, "index 0-100")


def ranking(
    con: duckdb.DuckDBPyConnection,
    level: str,
    view: View,
    within: str | None,
    limit: int | None,
) -> models.RankingOut:
    """Areas ordered by store.profiles.ranking; areas without a score last, without a rank.

    "protective" orders the least protected first; ties in stacking are ordered by the index.
    """
    if not ranking_metric_ok(view.metric):
        raise HTTPException(422, f"cannot rank by {view.metric!r}; {RANKING_HELP}")
    method = method_version(con)
    try:
        rows = profiles.ranking(
            con,
            level,
            view.year,
            within=within,
            by=view.metric,
            framework=view.framework,
            reference=view.reference,
            limit=limit,
        )
    except WijkradarError as error:  # e.g. char:<id> the build's methodology lacks: well-formed
        raise HTTPException(404, str(error)) from None  # but unknown here, like a framework
    unit = metric_unit(view.metric)
    out_rows = []
    for r in rows:
        shown = figure(r.value, r.status, unit, r.period, [], method)
        stacking = released_count(r.stacking, status=r.status)
        out_rows.append(
            models.RankingRow(
                rank=r.rank if shown.value is not None else None,
                code=r.code,
                name=r.name,
                gemeente_code=r.gemeente_code,
                gemeente_name=r.gemeente_name,
                figure=shown,
                stacking=stacking,
                overall_index=released_index(r.overall_index, r.status),
                toxic_mix=r.toxic_mix if stacking is not None else None,
            )
        )
    return models.RankingOut(
        level=level,
        by=view.metric,
        framework=view.framework,
        reference=view.reference,
        within=within,
        rows=out_rows,
    )


def export_table(
    con: duckdb.DuckDBPyConnection, level: str, view: View, within: str | None
) -> exports.ExportTable:
    """All scores of one level in the view's year, framework and reference."""
    return exports.export_table(
        con,
        level,
        view.year,
        within=within,
        framework=view.framework,
        reference=view.reference,
    )


def download(
    body: bytes, name: str, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A response the browser saves as the file `name`."""
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', **(headers or {})},
    )


def build(con: duckdb.DuckDBPyConnection) -> models.BuildOut:
    info = queries.build_info(con)
    if info is None:
        raise HTTPException(404, "the monitor database has no build record")
    from wijkradar.reports.outgoing import rules_summary

    return models.BuildOut(
        build_id=info["build_id"],
        created_at=info["created_at"],
        code_version=info["code_version"],
        method_version=info["methodology_version"],
        demo=bool(info["demo"]),
        disclosure=rules_summary(),
        sources=[models.SourceOut.model_validate(s) for s in catalog.sources(con)],
    )
