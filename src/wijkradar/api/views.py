"""Assemble stored results into response models, shared by the JSON API and the pages.

Reads only (store.queries); every outgoing number passes reports.outgoing.release.
"""

from __future__ import annotations

from typing import Any

import duckdb
from fastapi import HTTPException

from wijkradar.api import models
from wijkradar.api.dependencies import View
from wijkradar.reports.outgoing import release
from wijkradar.store import queries

UNITS = {"stacking": "aantal kenmerken", "index": "index 0-100", "protective": "index 0-100"}


def method_version(con: duckdb.DuckDBPyConnection) -> str | None:
    build = queries.build_info(con)
    return None if build is None else build.get("methodology_version")


def figure(
    value: Any, status: str, unit: str, year: int, source_ids: list[str], method: str | None
) -> models.Figure:
    out = release(None if value is None else float(value), unit, status, source_ids)
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


def _sources_of(values: list[dict[str, Any]]) -> list[str]:
    return sorted({s for v in values for s in (v.get("source_ids") or [])})


def indicator_values(
    con: duckdb.DuckDBPyConnection, code: str, view: View
) -> list[models.IndicatorValue]:
    method = method_version(con)
    return [
        models.IndicatorValue(
            indicator=v["indicator"],
            figure=figure(
                v["value"], v["status"], v["unit"], v["period"], list(v["source_ids"] or []), method
            ),
            percentile=None if v["percentile"] is None else round(float(v["percentile"]), 1),
        )
        for v in queries.indicator_values(con, code, view.year, view.reference)
    ]


def scores(con: duckdb.DuckDBPyConnection, code: str, view: View) -> models.ScoresOut:
    reg = get_region(con, code, view.year)
    code = reg["code"]
    method = method_version(con)
    srcs = _sources_of(queries.indicator_values(con, code, view.year, view.reference))
    area = queries.area_score(con, code, view.year, view.framework, view.reference) or {
        "status": "missing",
        "status_reason": "",
        "stacking": None,
        "toxic_mix": None,
        "overall_index": None,
        "protective": None,
    }
    status = area["status"]

    def fig(value: Any, unit: str, st: str = status) -> models.Figure:
        return figure(
            value,
            st if value is not None or st != "ok" else "missing",
            unit,
            view.year,
            srcs,
            method,
        )

    chars = [
        models.CharacteristicOut(
            characteristic=c["characteristic"],
            score=fig(c["score"], "percentiel", c["status"]),
            flagged=c["flagged"],
            n_indicators=c["n_indicators"],
        )
        for c in queries.characteristic_scores(con, code, view.year, view.reference)
    ]
    themes = [
        models.ThemeOut(theme=t["theme"], score=fig(t["score"], "index 0-100", t["status"]))
        for t in queries.theme_scores(con, code, view.year, view.framework, view.reference)
    ]
    trend = [
        models.TrendPoint(
            year=p["period"],
            stacking=p["stacking"],
            overall_index=None if p["overall_index"] is None else round(p["overall_index"], 1),
            status=p["status"],
        )
        for p in queries.area_trend(con, code, view.framework, view.reference)
    ]
    return models.ScoresOut(
        region=region_out(reg),
        framework=view.framework,
        reference=view.reference,
        status=status,
        status_reason=area.get("status_reason") or "",
        stacking=fig(area["stacking"], UNITS["stacking"]),
        toxic_mix=area["toxic_mix"],
        overall_index=fig(area["overall_index"], UNITS["index"]),
        protective=fig(area["protective"], UNITS["protective"]),
        characteristics=chars,
        themes=themes,
        trend=trend,
    )


def explanation(
    con: duckdb.DuckDBPyConnection, code: str, view: View, lang: str = "nl"
) -> models.Explanation:
    """Why an area is flagged: its flagged characteristics, with the indicator values behind
    them (value, unit, percentile, source, year)."""
    result = scores(con, code, view)
    flagged = [c for c in result.characteristics if c.flagged]
    names = ", ".join(c.characteristic for c in flagged)
    if lang == "en":
        summary = (
            f"{result.region.name} is flagged on {len(flagged)} of "
            f"{len(result.characteristics)} characteristics in {view.year}: {names}."
            if flagged
            else f"{result.region.name} has no flagged characteristic in {view.year}."
        )
    else:
        summary = (
            f"{result.region.name} is gemarkeerd op {len(flagged)} van "
            f"{len(result.characteristics)} kenmerken in {view.year}: {names}."
            if flagged
            else f"{result.region.name} heeft geen gemarkeerd kenmerk in {view.year}."
        )
    return models.Explanation(
        region=result.region,
        reference=view.reference,
        summary=summary,
        flagged=flagged,
        indicators=indicator_values(con, result.region.code, view),
    )


def ranking(
    con: duckdb.DuckDBPyConnection,
    level: str,
    view: View,
    within: str | None,
    limit: int | None,
) -> models.RankingOut:
    method = method_version(con)
    rows = queries.ranking(
        con,
        level,
        view.year,
        within=within,
        by=view.metric,
        framework=view.framework,
        reference=view.reference,
        limit=limit,
    )
    unit = UNITS.get(view.metric, "percentiel")
    return models.RankingOut(
        level=level,
        by=view.metric,
        framework=view.framework,
        reference=view.reference,
        within=within,
        rows=[
            models.RankingRow(
                rank=r["rank"],
                code=r["code"],
                name=r["name"],
                figure=figure(r["value"], r["status"], unit, view.year, [], method),
            )
            for r in rows
        ],
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
        sources=[models.SourceOut.model_validate(s) for s in queries.sources(con)],
    )
