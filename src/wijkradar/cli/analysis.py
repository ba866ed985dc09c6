"""Commands: validate (the monitor against an outcome), compare (an area set against the rest),
hotspots (spatial clusters). Read the built database only."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wijkradar.cli.data import DbOption, db_path
from wijkradar.compute.areasets import CAVEATS, gap_series
from wijkradar.compute.validity import validity_rows
from wijkradar.domain import WijkradarError
from wijkradar.sources.outcome import read_area_set, read_outcome, split_spec
from wijkradar.store import analysis
from wijkradar.store.reader import open_read

LevelOption = Annotated[str, typer.Option(help="gemeente, wijk or buurt.")]
YearOption = Annotated[int | None, typer.Option(help="Year of the scores (default: latest).")]
ReferenceOption = Annotated[str, typer.Option(help="Reference population: NL01, PVxx, GMxxxx.")]
FrameworkOption = Annotated[str, typer.Option(help="tno or corona_dashboard.")]
LangOption = Annotated[str, typer.Option(help="nl or en.")]
AreasOption = Annotated[
    Path | None, typer.Option("--areas", help="Area set YAML (name, level, areas).")
]

TEXT = {
    "nl": {
        "measure": "maat",
        "rho": "Spearman ρ",
        "ci": "95%-interval",
        "n": "n",
        "auc": "AUC set",
        "year": "jaar",
        "gap": "verschil",
        "narrows": "kleiner",
        "slope": "per jaar",
        "yes": "ja",
        "no": "nee",
        "caveats": "Let op",
        "validate": "Samenhang met {outcome} ({level}, {year}, referentie {reference})",
        "compare": "{name} ({n} gebieden) tegenover de andere {level}en",
        "hot": "hotspot",
        "cold": "coldspot",
    },
    "en": {
        "measure": "measure",
        "rho": "Spearman ρ",
        "ci": "95 % interval",
        "n": "n",
        "auc": "AUC set",
        "year": "year",
        "gap": "gap",
        "narrows": "narrows",
        "slope": "per year",
        "yes": "yes",
        "no": "no",
        "caveats": "Caveats",
        "validate": "Association with {outcome} ({level}, {year}, reference {reference})",
        "compare": "{name} ({n} areas) against the other {level} areas",
        "hot": "hot spot",
        "cold": "cold spot",
    },
}


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _year(con: Any, level: str, year: int | None) -> int:
    years = analysis.scored_years(con, level)
    if not years:
        raise WijkradarError(f"the database has no scores at level {level}")
    if year is None:
        return years[-1]
    if year not in years:
        raise WijkradarError(f"no {level} scores for {year}; years: {', '.join(map(str, years))}")
    return year


def render_certainty(extra: dict[str, Any], lang: str, console: Console) -> None:
    """`show`'s lines on flag certainty, the stacking interval and the peer gemeenten."""
    en = lang == "en"
    stack = extra.get("stacking")
    if stack:
        console.print(
            (
                "Stacking {s} (95 % interval {lo}–{hi}); P(toxic mix) {p:.0%};"
                " index rank {r1}–{r2} ({d} simulations)"
                if en
                else "Stapeling {s} (95%-interval {lo}–{hi}); kans op giftige mix {p:.0%};"
                " rang index {r1}–{r2} ({d} simulaties)"
            ).format(
                s=stack["stacking"],
                lo=stack["stacking_lower"],
                hi=stack["stacking_upper"],
                p=stack["p_toxic_mix"],
                r1=stack["rank_lower"],
                r2=stack["rank_upper"],
                d=stack["draws"],
            )
        )
    flags = [(c, f) for c, f in extra.get("flags", {}).items() if f["flagged"]]
    if flags:
        console.print("Flag certainty:" if en else "Zekerheid van de vlaggen:")
        for char, f in flags:
            console.print(f"  {char}: {f['label']} (P {f['p_flag']:.0%})")
    peers = extra.get("peers") or []
    if peers:
        head = "Similar gemeenten" if en else "Vergelijkbare gemeenten"
        names = ", ".join(str(p["name"] or p["code"]) for p in peers)
        mean = extra.get("peer_mean", {}).get("stacking")
        tail = f" (mean stacking {mean:.1f})" if en and mean is not None else ""
        if not en and mean is not None:
            tail = f" (gemiddelde stapeling {mean:.1f})"
        console.print(f"{head}: {names}{tail}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def validate(
        outcome: Annotated[
            str, typer.Option(help="FILE:COLUMN, a CSV or XLSX with a region-code column.")
        ],
        areas: AreasOption = None,
        level: LevelOption = "gemeente",
        year: YearOption = None,
        reference: ReferenceOption = "NL01",
        framework: FrameworkOption = "tno",
        lang: LangOption = "nl",
        db: DbOption = None,
    ) -> None:
        """Spearman's ρ (with n) of index, stacking and each characteristic against an outcome
        per area; with --areas the AUC of the set against the rest."""
        t = TEXT["en" if lang == "en" else "nl"]
        path, column = split_spec(outcome)
        values = read_outcome(path, column)
        members = set(read_area_set(areas).areas) if areas else None
        with contextlib.closing(open_read(db_path(db))) as con:
            period = _year(con, level, year)
            found = analysis.measures(con, level, period, reference, framework)
        rows = validity_rows(found, values, members)
        table = Table(
            title=t["validate"].format(
                outcome=column, level=level, year=period, reference=reference
            )
        )
        for head in (t["measure"], t["rho"], t["ci"], t["n"]):
            table.add_column(head)
        if members is not None:
            table.add_column(t["auc"])
        for row in rows:
            c = row.correlation
            cells = [
                row.measure,
                _fmt(c.rho),
                f"{_fmt(c.lower)} … {_fmt(c.upper)}" if c.lower is not None else "–",
                str(c.n) if row.measure != "outcome" else "–",
            ]
            if members is not None:
                cells.append(f"{_fmt(row.auc)} ({row.n_set}/{row.n_rest})")
            table.add_row(*cells)
        Console(width=120).print(table)

    @app.command()
    def compare(
        areas: Annotated[Path, typer.Option("--areas", help="Area set YAML.")],
        reference: ReferenceOption = "NL01",
        framework: FrameworkOption = "tno",
        lang: LangOption = "nl",
        db: DbOption = None,
    ) -> None:
        """An area set against the other areas of its level over the years: the gap per
        characteristic and whether it narrows, with the caveats beside it."""
        language = "en" if lang == "en" else "nl"
        t = TEXT[language]
        area_set = read_area_set(areas)
        members = set(area_set.areas)
        with contextlib.closing(open_read(db_path(db))) as con:
            years = analysis.scored_years(con, area_set.level)
            per_year = {
                y: analysis.measures(con, area_set.level, y, reference, framework) for y in years
            }
        names = list(dict.fromkeys(m for by in per_year.values() for m in by))
        table = Table(
            title=t["compare"].format(name=area_set.name, n=len(members), level=area_set.level)
        )
        table.add_column(t["measure"])
        for y in years:
            table.add_column(f"{t['gap']} {y}", justify="right")
        table.add_column(t["slope"], justify="right")
        table.add_column(t["narrows"])
        for name in names:
            series = gap_series(name, {y: per_year[y].get(name, {}) for y in years}, members)
            narrows = "–" if series.narrows is None else (t["yes"] if series.narrows else t["no"])
            table.add_row(
                name,
                *[_fmt(p.gap, 1) for p in series.points],
                _fmt(series.slope, 2),
                narrows,
            )
        console = Console(width=120)
        console.print(table)
        console.print(f"[bold]{t['caveats']}[/bold]")
        for line in CAVEATS[language]:
            console.print(f"- {line}")

    @app.command()
    def hotspots(
        level: LevelOption = "gemeente",
        year: YearOption = None,
        measure: Annotated[str, typer.Option(help="stacking or a characteristic id.")] = "stacking",
        lang: LangOption = "nl",
        db: DbOption = None,
    ) -> None:
        """Hot and cold spots (Getis-Ord Gi*, queen contiguity, FDR-corrected) of a measure."""
        t = TEXT["en" if lang == "en" else "nl"]
        with contextlib.closing(open_read(db_path(db))) as con:
            period = _year(con, level, year)
            rows = analysis.hotspots(con, level, period, measure)
        found = [r for r in rows if r["cluster"] in ("hot", "cold")]
        table = Table(title=f"Gi* {measure} {level} {period}")
        for head in ("code", "naam" if lang != "en" else "name", "", "Gi*", "q"):
            table.add_column(head)
        for r in sorted(found, key=lambda r: -abs(r["gi_z"])):
            table.add_row(
                r["region_code"],
                r["name"] or "",
                t[r["cluster"]],
                _fmt(r["gi_z"]),
                _fmt(r["q_value"], 4),
            )
        console = Console(width=120)
        console.print(table)
        if rows:
            console.print(
                f"{len(found)} / {len(rows)}; {rows[0]['correction']}, alpha {rows[0]['alpha']}"
            )
