"""The gemeente report and the national overview (print-friendly HTML, PDF through WeasyPrint),
Dutch or English. Page 1 is an infographic: the stacking map, the characteristics flagged most,
the trend, the white spots and, where present, the reach of early signals; then the detail per
wijk and the sources.

Monitor figures are scores and flags (no counts of people); early-signal counts go through the
disclosure rules (compute/disclosure.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops.arrears import reach
from wijkradar.ops.core.models import ReachAggregate, Signal
from wijkradar.registers import fitgap, groups
from wijkradar.registers.i18n import WORDS
from wijkradar.reports import svg
from wijkradar.store import catalog, queries

HERE = Path(__file__).resolve().parent
FORMATS = ("pdf", "html")
STACKING_SCALE = svg.Scale((0, 1, 3, 5, 7, math.inf), ("0", "1–2", "3–4", "5–6", "7+"))

_ENTRIES: dict[str, dict[str, str]] = {
    "title": {"nl": "Wijkradar-rapport", "en": "Wijkradar report"},
    "national_title": {
        "nl": "Wijkradar: landelijk overzicht",
        "en": "Wijkradar: national overview",
    },
    "stacking_map": {"nl": "Stapeling per wijk", "en": "Stacking per wijk"},
    "stacking_map_nl": {"nl": "Stapeling per gemeente", "en": "Stacking per gemeente"},
    "top": {"nl": "Meest gemarkeerde kenmerken", "en": "Characteristics flagged most"},
    "wijken_flagged": {"nl": "wijken gemarkeerd", "en": "wijken flagged"},
    "trend": {"nl": "Trend: stapeling van de gemeente", "en": "Trend: the gemeente's stacking"},
    "trend_nl": {
        "nl": "Trend: gemeenten met stapeling 3 of meer",
        "en": "Trend: gemeenten with stacking 3 or more",
    },
    "white": {"nl": "Witte vlekken: veel nood, geen aanbod", "en": "White spots: need, no offer"},
    "no_white": {"nl": "Geen witte vlekken gevonden.", "en": "No white spots found."},
    "reach": {"nl": "Bereik vroegsignalering", "en": "Reach of early signals"},
    "reach_line": {
        "nl": "{signals} signalen, {households} huishoudens, {reached} bereikt",
        "en": "{signals} signals, {households} households, {reached} reached",
    },
    "no_reach": {"nl": "Geen vroegsignalen vastgelegd.", "en": "No early signals recorded."},
    "detail": {"nl": "Per wijk", "en": "Per wijk"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "made": {
        "nl": "Gemaakt op {date} uit build {build}.",
        "en": "Made on {date} from build {build}.",
    },
    "year": {"nl": "Jaar", "en": "Year"},
    "groups_priority": {"nl": "Groepen op prioriteit", "en": "Groups by priority"},
    "disclosure": {
        "nl": "Aantallen onder 10 niet getoond, andere afgerond op 5.",
        "en": "Counts below 10 not shown, others rounded to 5.",
    },
}
# the report's own, shorter wording of three register words
REPORT_WORDS = WORDS.extend(
    "report", _ENTRIES, replacing=frozenset({"disclosure", "no_white", "reach"})
)


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes | None


def _stacking_map(
    con: duckdb.DuckDBPyConnection, level: str, year: int, within: str | None, title: str
) -> str:
    framework = fitgap._framework(con)
    shapes = queries.boundaries(con, level, year, within=within)
    scores = queries.area_scores_at(con, level, year, framework, "NL01")
    areas = []
    for region in queries.regions_at(con, level, year, within=within):
        row = scores.get(region["code"])
        value = None if row is None else row["stacking"]
        areas.append(
            svg.Area(
                code=region["code"],
                name=region["name"],
                value=None if value is None else float(value),
                status="ok" if value is not None else "missing",
                href=f"#area-{region['code']}",
                label="–" if value is None else str(value),
            )
        )
    if not shapes:
        return ""
    return svg.choropleth(
        areas,
        shapes,
        title=title,
        scale=STACKING_SCALE,
        legend_title=title,
        status_labels={"suppressed": "–", "missing": "–"},
        width=420,
    )


def _reach(session: Session, gemeente: str | None) -> dict[str, int | None] | None:
    """Early signals (live plus purged aggregates), summed over wijken and months, released
    with the reach page's families and, nationally, with every gemeente's totals
    (reach.released_gemeenten); None when the store has none. National: every gemeente with
    signals."""
    if gemeente is None:
        codes = set(session.scalars(select(Signal.gemeente_code).distinct()))
        codes |= set(session.scalars(select(ReachAggregate.gemeente_code).distinct()))
    else:
        codes = {gemeente}
    data = {code: reach.counts(session, code) for code in sorted(codes)}
    national, own = reach.released_gemeenten(data)
    if national is None:
        return None
    shown = national if gemeente is None else own[gemeente]
    return {"signals": shown.signals, "households": shown.households, "reached": shown.reached}


def _sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [
        {"title": s["title"], "publisher": s["publisher"], "year": s["year"], "url": s["url"]}
        for s in catalog.sources(con)
    ]


def gemeente_context(
    con: duckdb.DuckDBPyConnection, session: Session, code: str, lang: str
) -> dict[str, Any]:
    year = queries.latest_year(con)
    region = queries.region(con, code, year) if year else None
    if year is None or region is None or region["level"] != "gemeente":
        raise WijkradarError(f"report: {code} is not a gemeente of this build")
    words = REPORT_WORDS.lookup(lang)
    gaps = fitgap.area_gaps(con, session, code)
    top = Counter(c for g in gaps for c in g.flagged).most_common(6)
    white = Counter(c for g in gaps for c in g.white_spots).most_common()
    framework = fitgap._framework(con)
    series = []
    for y in sorted(queries.score_years(con)):
        row = queries.area_scores_at(con, "gemeente", y, framework, "NL01").get(code)
        series.append(
            (y, None if row is None or row["stacking"] is None else float(row["stacking"]))
        )
    build = queries.build_info(con) or {}
    return {
        "national": False,
        "name": region["name"],
        "code": code,
        "year": year,
        "demo": bool(build.get("demo")),
        "build": str(build.get("build_id", ""))[:12],
        "map": _stacking_map(con, "wijk", year, code, words("stacking_map")),
        "top": top,
        "n_areas": len(gaps),
        "trend": svg.sparkline(series, label=words("trend"), width=300, height=70, y_max=12),
        "series": series,
        "white": white,
        "gaps": gaps,
        "reach": _reach(session, code),
        "sources": _sources(con),
        "priorities": [],
        "coverage": [],
    }


def national_context(con: duckdb.DuckDBPyConnection, session: Session, lang: str) -> dict[str, Any]:
    year = queries.latest_year(con)
    if year is None:
        raise WijkradarError("report: the monitor has no scores yet (run wijkradar build)")
    words = REPORT_WORDS.lookup(lang)
    framework = fitgap._framework(con)
    scores = queries.characteristic_scores_at(con, "gemeente", year, "NL01")
    top = Counter(c for (_, c), r in scores.items() if r["flagged"]).most_common(6)
    series = []
    for y in sorted(queries.score_years(con)):
        rows = queries.area_scores_at(con, "gemeente", y, framework, "NL01").values()
        series.append((y, float(sum(1 for r in rows if (r["stacking"] or 0) >= 3))))
    coverage = fitgap.national(con, session)
    build = queries.build_info(con) or {}
    return {
        "national": True,
        "name": "Nederland",
        "code": "NL",
        "year": year,
        "demo": bool(build.get("demo")),
        "build": str(build.get("build_id", ""))[:12],
        "map": _stacking_map(con, "gemeente", year, None, words("stacking_map_nl")),
        "top": top,
        "n_areas": len(queries.regions_at(con, "gemeente", year)),
        "trend": svg.sparkline(series, label=words("trend_nl"), width=300, height=70),
        "series": series,
        "white": [(c.characteristic, c.flagged_areas - c.covered_areas) for c in coverage],
        "gaps": [],
        "reach": _reach(session, None),
        "sources": _sources(con),
        "priorities": groups.priorities(session),
        "coverage": coverage,
    }


def render(
    monitor_db: Path, session: Session, code: str | None, lang: str = "nl", fmt: str = "pdf"
) -> Rendered:
    """The report of gemeente `code` (None: the national overview) as HTML and, for pdf, PDF."""
    if fmt not in FORMATS:
        raise WijkradarError(f"report format {fmt!r}: expected pdf or html")
    con = fitgap.open_monitor(monitor_db)
    if con is None:
        raise WijkradarError(f"report: no monitor database at {monitor_db} (run wijkradar build)")
    try:
        ctx = (
            national_context(con, session, lang)
            if code is None
            else gemeente_context(con, session, code, lang)
        )
    finally:
        con.close()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    template = templates.env.get_template("reg_report.html")
    html = template.render(
        r=REPORT_WORDS.lookup(lang),
        lang=lang,
        terms=groups.terms(lang),
        today=dt.date.today().isoformat(),
        **ctx,
    )
    if fmt == "html":
        return Rendered(html, None)
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(HERE)).write_pdf()
    return Rendered(html, bytes(pdf) if pdf is not None else b"")
