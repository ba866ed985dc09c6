"""Commands: show (an area's profile) and rank (areas of a level). Read stored scores only;
every number shown passes through compute.disclosure."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wijkradar.cli.data import DbOption, db_path
from wijkradar.compute.disclosure import disclose_value, is_published_source
from wijkradar.store.profiles import AreaProfile, IndicatorDetail, area_profile, ranking
from wijkradar.store.reader import open_read

TEXT = {
    "nl": {
        "char": "Risicokenmerk",
        "score": "Score",
        "flag": "Vlag",
        "ind": "indicatoren",
        "stack": "Stapeling",
        "toxic": "giftige mix",
        "index": "Index",
        "prot": "Bescherming",
        "themes": "Thema's",
        "trend": "Verloop",
        "why": "Waarom gemarkeerd",
        "src": "Bronnen",
        "year": "Jaar",
        "status": "Status",
        "none": "geen gemarkeerde kenmerken",
        "parent": "Gemiddelde in gemeente",
        "country": "Gemiddelde in Nederland",
    },
    "en": {
        "char": "Risk characteristic",
        "score": "Score",
        "flag": "Flag",
        "ind": "indicators",
        "stack": "Stacking",
        "toxic": "toxic mix",
        "index": "Index",
        "prot": "Protection",
        "themes": "Themes",
        "trend": "Trend",
        "why": "Why flagged",
        "src": "Sources",
        "year": "Year",
        "status": "Status",
        "none": "no flagged characteristics",
        "parent": "Average in gemeente",
        "country": "Average in the Netherlands",
    },
}


def _num(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _indicator_value(ind: IndicatorDetail) -> str:
    published = any(is_published_source(s) for s in ind.source_ids)
    shown = disclose_value(ind.value, ind.unit, published)
    if shown is None:
        return ind.status if ind.status != "ok" else "< 10"
    return f"{shown:.1f} {ind.unit}"


def render_profile(profile: AreaProfile, lang: str, console: Console) -> None:
    t = TEXT["en" if lang == "en" else "nl"]
    console.print(
        f"[bold]{profile.name}[/bold] ({profile.code}, {profile.level}) — {profile.period}, "
        f"reference {profile.reference}, {profile.framework}, methodology "
        f"{profile.methodology_version}"
    )
    if profile.status != "ok":
        console.print(f"[yellow]{t['status']}: {profile.status} — {profile.status_reason}[/yellow]")
    toxic = f" ([red]{t['toxic']}[/red])" if profile.toxic_mix else ""
    console.print(
        f"{t['stack']}: {_num(profile.stacking)} / 12{toxic} · {t['index']}: "
        f"{_num(profile.overall_index, 1)} · {t['prot']}: {_num(profile.protective, 1)}"
    )
    for label, comp in ((t["parent"], profile.parent), (t["country"], profile.country)):
        if comp is not None:
            console.print(
                f"  {label} {comp.name}: {t['stack']} {_num(comp.stacking)}, "
                f"{t['index']} {_num(comp.overall_index, 1)}"
            )
    table = Table(title=None)
    for col in (t["char"], t["score"], t["flag"], t["ind"]):
        table.add_column(col)
    for c in profile.characteristics:
        flag = "[red]●[/red]" if c.flagged else ("" if c.flagged is not None else "—")
        label = f"{c.label} (+)" if c.protective else c.label
        table.add_row(
            label,
            _num(c.score),
            flag,
            str(c.n_indicators)
            if c.score is not None
            else (c.status if not c.gap else c.status + " (gap)"),
        )
    console.print(table)
    themes = Table(title=t["themes"])
    themes.add_column(t["themes"])
    themes.add_column(t["score"])
    for th in profile.themes:
        themes.add_row(th.label, _num(th.score) if th.score is not None else th.status)
    console.print(themes)
    trend = " · ".join(
        f"{p.period}: {_num(p.stacking)}" + ("" if p.status == "ok" else f" ({p.status})")
        for p in profile.trend
    )
    console.print(f"{t['trend']} ({t['stack']}): {trend}")
    console.print(f"[bold]{t['why']}[/bold]")
    if not profile.why_flagged:
        console.print(f"  {t['none']}")
    sources: set[str] = set()
    for c in profile.why_flagged:
        console.print(f"  [red]●[/red] {c.label} ({_num(c.score)})")
        for ind in c.indicators:
            src = f"{ind.publisher} {ind.table_id} {ind.source_year}" if ind.publisher else "—"
            console.print(
                f"      {ind.label}: {_indicator_value(ind)}, percentile "
                f"{_num(ind.percentile)} \\[{ind.measure}] — {src}"
            )
            sources.update(ind.source_ids)
    if sources:
        console.print(f"{t['src']}: " + ", ".join(sorted(sources)))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def show(
        code: Annotated[str, typer.Argument(help="Region code, e.g. GM0363 or BU03630000.")],
        year: Annotated[int | None, typer.Option(help="Year (default: the latest).")] = None,
        reference: Annotated[
            str, typer.Option(help="Reference population: NL01, a PVxx or a GMxxxx.")
        ] = "NL01",
        framework: Annotated[str, typer.Option(help="tno or corona_dashboard.")] = "tno",
        lang: Annotated[str, typer.Option(help="nl or en.")] = "nl",
        db: DbOption = None,
    ) -> None:
        """Show an area's profile: characteristics, stacking, themes, trend and why flagged."""
        con = open_read(db_path(db))
        try:
            profile = area_profile(con, code.strip().upper(), year, reference, framework, lang)
        finally:
            con.close()
        render_profile(profile, lang, Console())

    @app.command()
    def rank(
        level: Annotated[str, typer.Option(help="gemeente, wijk or buurt.")] = "gemeente",
        within: Annotated[
            str | None, typer.Option(help="Only areas in this gemeente or provincie.")
        ] = None,
        year: Annotated[int | None, typer.Option(help="Year (default: the latest).")] = None,
        by: Annotated[str, typer.Option(help="stacking, index or theme:<id>.")] = "stacking",
        framework: Annotated[str, typer.Option(help="tno or corona_dashboard.")] = "tno",
        reference: Annotated[str, typer.Option(help="Reference population.")] = "NL01",
        top: Annotated[int, typer.Option(help="How many rows.")] = 20,
        db: DbOption = None,
    ) -> None:
        """Rank areas of a level, most vulnerable first."""
        con = open_read(db_path(db))
        try:
            rows = ranking(con, level, year, within, by, framework, reference, top)
        finally:
            con.close()
        table = Table(title=f"{level} — {by} ({reference}, {framework})")
        for col in ("#", "code", "name", "stacking", "index", by, "status"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r.rank),
                r.code,
                r.name,
                _num(r.stacking),
                _num(r.overall_index, 1),
                _num(r.value, 1),
                r.status,
            )
        Console().print(table)
