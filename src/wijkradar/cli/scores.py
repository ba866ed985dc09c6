"""Commands: show (an area's profile) and rank (areas of a level). Read stored scores only;
every number shown passes through compute.disclosure."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from wijkradar.cli.data import DbOption, db_path
from wijkradar.cli.scores_text import (
    MEASURES,
    RANK_BY,
    TEXT,
    lang_of,
    level_text,
    status_text,
    unit_text,
)
from wijkradar.compute.disclosure import PUBLISHED_KINDS, SUPPRESSED_TEXT
from wijkradar.domain import WijkradarError
from wijkradar.domain.region import NATIONAL_CODE
from wijkradar.methodology import load_cached
from wijkradar.reports import numbers
from wijkradar.reports.outgoing import release
from wijkradar.store import constants
from wijkradar.store.profiles import (
    AreaProfile,
    CharacteristicDetail,
    IndicatorDetail,
    RankingRow,
    area_profile,
    ranking,
)
from wijkradar.store.reader import open_read

INDENT = 4  # explanation lines under a flagged characteristic wrap at this indent


def _num(value: float | None, digits: int = 0, *, lang: str) -> str:
    """A number as the language writes it (12.345,6 in Dutch); a dash when there is none."""
    return "—" if value is None else numbers.number(value, lang, digits)


def _indicator_value(ind: IndicatorDetail, lang: str) -> str:
    """The value as shown: a source's secret cell, a missing one and our own small-number
    suppression read differently."""
    if ind.status != "ok":
        return status_text(ind.status, lang)
    if ind.withheld:  # hidden to protect a sibling: reads like any count below the threshold
        return SUPPRESSED_TEXT[lang]
    # The one exit for a figure (reports.outgoing.release): published sources, declared units.
    kinds = {s: min(PUBLISHED_KINDS) for s in ind.source_ids} if ind.published else {}
    out = release(ind.value, ind.unit, ind.status, ind.source_ids, kinds, ind.declared_units)
    shown = out.value
    if shown is None:
        return SUPPRESSED_TEXT[lang]
    return f"{numbers.number(shown, lang, 1)} {unit_text(ind.unit, lang)}"


def _characteristic_cell(c: CharacteristicDetail, t: dict[str, str], lang: str) -> str:
    if c.score is not None:
        return str(c.n_indicators)
    text = status_text(c.status, lang)
    return f"{text} ({t['gap']})" if c.gap else text


def _framework_label(profile: AreaProfile, lang: str) -> str:
    try:
        return (
            load_cached(profile.methodology_version).framework(profile.framework).labels.get(lang)
        )
    except (WijkradarError, KeyError, ValueError, OSError):
        return profile.framework


def render_profile(profile: AreaProfile, lang: str, console: Console) -> None:
    lang = lang_of(lang)
    t = TEXT[lang]
    if profile.demo:
        console.print(f"[reverse] DEMO [/reverse] {t['demo']}")
    console.print(
        f"[bold]{escape(profile.name)}[/bold] ({profile.code}, "
        f"{level_text(profile.level, lang)}) — {profile.period}, {t['reference']} "
        f"{profile.reference}, {escape(_framework_label(profile, lang))}, {t['methodology']} "
        f"{profile.methodology_version}"
    )
    if profile.status != "ok":
        console.print(
            f"[yellow]{t['status']}: {status_text(profile.status, lang)} — "
            f"{escape(profile.status_reason_text)}[/yellow]"
        )
    toxic = f" ([red]{t['toxic']}[/red])" if profile.toxic_mix else ""
    console.print(
        f"{t['stack']}: {_num(profile.stacking, lang=lang)} / 12{toxic} · {t['index']}: "
        f"{_num(profile.overall_index, 1, lang=lang)} ({t['scale_index']}) · {t['prot']}: "
        f"{_num(profile.protective, 1, lang=lang)}"
    )
    comparisons = []
    if profile.parent is not None:
        comparisons.append((t["parent"].format(name=profile.parent.name), profile.parent))
    if profile.country is not None:
        comparisons.append((t["country"], profile.country))
    for label, comp in comparisons:
        console.print(
            f"  {escape(label)}: {t['stack']} {_num(comp.stacking, lang=lang)}, "
            f"{t['index']} {_num(comp.overall_index, 1, lang=lang)}"
        )
    table = Table(title=None, caption=t["protective_mark"])
    for col in (t["char"], t["score"], t["flag"], t["ind"]):
        table.add_column(col)
    for c in profile.characteristics:
        flag = "[red]●[/red]" if c.flagged else ("" if c.flagged is not None else "—")
        label = f"{c.label} (+)" if c.protective else c.label
        table.add_row(
            escape(label), _num(c.score, lang=lang), flag, _characteristic_cell(c, t, lang)
        )
    console.print(table)
    themes = Table(title=t["themes"])
    themes.add_column(t["theme"])
    themes.add_column(t["score"])
    for th in profile.themes:
        themes.add_row(
            escape(th.label),
            _num(th.score, lang=lang) if th.score is not None else status_text(th.status, lang),
        )
    console.print(themes)
    trend = " · ".join(
        (
            ""
            if p.series_break is None
            else "‖ " + t["break"].format(**vars(p.series_break)).rstrip(": ") + " ‖ "
        )
        + f"{p.period}: {_num(p.stacking, lang=lang)}"
        + ("" if p.status == "ok" else f" ({status_text(p.status, lang)})")
        + ("" if p.code is None else f" [{p.code}]")
        for p in profile.trend
    )
    console.print(f"{t['trend']} ({t['stack']}): {trend}")
    console.print(f"[bold]{t['why']}[/bold]")
    if not profile.why_flagged:
        console.print(f"  {t['none']}")
    sources: set[str] = set()
    for c in profile.why_flagged:
        console.print(f"  [red]●[/red] {escape(c.label)} ({_num(c.score, lang=lang)})")
        console.print(Padding(_explanation(c, t, lang), (0, 0, 0, INDENT)))
        for ind in c.indicators:
            sources.update(ind.source_ids)
    if sources:
        console.print(f"{t['src']}:")
        for source in sorted(sources):
            console.print(Padding(escape(source), (0, 0, 0, 2)))


def _explanation(c: CharacteristicDetail, t: dict[str, str], lang: str) -> Table:
    """One row per indicator; long labels and sources wrap inside their own column."""
    grid = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    grid.add_column(t["indicator"], ratio=3, min_width=16)
    grid.add_column(t["value"], ratio=2, min_width=8)
    grid.add_column(t["percentile_h"], justify="right", no_wrap=True)
    grid.add_column(t["measure"], no_wrap=True)
    grid.add_column(t["source"], ratio=2, min_width=8)
    for ind in c.indicators:
        src = (
            f"{ind.publisher} {ind.table_id} {ind.source_year}" if ind.publisher else t["no_source"]
        )
        grid.add_row(
            escape(ind.label),
            escape(_indicator_value(ind, lang)),
            _num(ind.percentile, lang=lang),
            MEASURES[lang].get(ind.measure, ind.measure),
            escape(src),
        )
    return grid


def render_ranking(
    rows: list[RankingRow],
    level: str,
    by: str,
    reference: str,
    lang: str,
    console: Console,
    demo: bool = False,
) -> None:
    """A ranking table; the measure ranked by is marked, and shown once."""
    lang = lang_of(lang)
    t = TEXT[lang]
    if demo:
        console.print(f"[reverse] DEMO [/reverse] {t['demo']}")
    kind, _, item = by.partition(":")
    by_label = RANK_BY[lang].get(kind, kind) + (f" {item}" if item else "")
    table = Table(title=f"{level_text(level, lang)} — {by_label} ({t['reference']} {reference})")
    # Wijk and buurt names repeat across gemeenten ("Wijk 01 Centrum"): name the gemeente too.
    with_gemeente = level in ("wijk", "buurt")
    columns = [t["rank"], t["code"], t["name"]]
    if with_gemeente:
        columns.append(t["gemeente"])
    first_measure = len(columns)
    columns += [t["stack"], t["index"]]
    # Stacking and index have their own columns; any other measure gets one after them.
    extra = kind not in ("stacking", "index")
    if extra:
        columns.append(by_label[:1].upper() + by_label[1:])
    columns.append(t["status"])
    ranked = first_measure + {"stacking": 0, "index": 1}.get(kind, 2)
    for i, col in enumerate(columns):
        table.add_column(f"{col} ▼" if i == ranked else col)
    for r in rows:
        cells = [str(r.rank), r.code, escape(r.name)]
        if with_gemeente:
            cells.append(escape(r.gemeente_name or r.gemeente_code or ""))
        cells += [_num(r.stacking, lang=lang), _num(r.overall_index, 1, lang=lang)]
        if extra:
            cells.append(_num(r.value, 1, lang=lang))
        cells.append(status_text(r.status, lang))
        table.add_row(*cells)
    console.print(table)


YearOption = Annotated[int | None, typer.Option(help="Year (default: the latest).")]
FrameworkOption = Annotated[str, typer.Option(help="tno or corona_dashboard.")]
LangOption = Annotated[str, typer.Option(help="nl or en.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def show(
        code: Annotated[str, typer.Argument(help="Region code, e.g. GM0363 or BU03630000.")],
        year: YearOption = None,
        reference: Annotated[
            str, typer.Option(help="Reference population: NL01, a PVxx or a GMxxxx.")
        ] = NATIONAL_CODE,
        framework: FrameworkOption = "tno",
        lang: LangOption = "nl",
        db: DbOption = None,
    ) -> None:
        """Show an area's profile: characteristics, stacking, themes, trend and why flagged."""
        from wijkradar.api.analysis_view import profile_extra
        from wijkradar.cli.analysis import render_certainty

        con = open_read(db_path(db))
        try:
            profile = area_profile(con, code.strip().upper(), year, reference, framework, lang)
            extra = profile_extra(con, profile.code, profile.period, reference, framework, lang)
        finally:
            con.close()
        render_profile(profile, lang, Console())
        render_certainty(extra, lang, Console())

    @app.command()
    def rank(
        level: Annotated[str, typer.Option(help="gemeente, wijk or buurt.")] = "gemeente",
        within: Annotated[
            str | None, typer.Option(help="Only areas in this gemeente or provincie.")
        ] = None,
        year: YearOption = None,
        by: Annotated[
            str, typer.Option(help="stacking, index, protective, theme:<id> or char:<id>.")
        ] = "stacking",
        framework: FrameworkOption = "tno",
        reference: Annotated[str, typer.Option(help="Reference population.")] = NATIONAL_CODE,
        top: Annotated[int, typer.Option(help="How many rows.", min=1)] = 20,
        lang: LangOption = "nl",
        db: DbOption = None,
    ) -> None:
        """Rank areas of a level, most vulnerable first."""
        con = open_read(db_path(db))
        try:
            rows = ranking(con, level, year, within, by, framework, reference, top)
            demo = constants.of(con).demo
        finally:
            con.close()
        render_ranking(rows, level, by, reference, lang, Console(), demo)
