"""Commands: build, demo, status, regions. Thin: parse options, call the pipeline, print."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wijkradar.domain import Level, WijkradarError

DEFAULT_DB = Path("var/monitor.duckdb")
DEFAULT_DEMO_DIR = Path("var/demo")
DEFAULT_CACHE = Path("var/cache/cbs")
DEFAULT_ONLINE_YEARS = tuple(range(2019, 2024))

console = Console()

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Monitor database file (else $WIJKRADAR_DB, else var/monitor.duckdb).",
        show_default=False,
    ),
]


def db_path(option: Path | None) -> Path:
    """--db, else $WIJKRADAR_DB, else var/monitor.duckdb (relative to the working directory)."""
    if option is not None:
        return option
    return Path(os.environ.get("WIJKRADAR_DB") or DEFAULT_DB)


def parse_years(text: str | None) -> tuple[int, ...] | None:
    """'2019-2023' or '2019,2021' (or a mix: '2015,2019-2021') -> sorted years."""
    if text is None or not text.strip():
        return None
    years: set[int] = set()
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                first, last = (int(p) for p in part.split("-", 1))
                if last < first:
                    raise ValueError(part)
                years.update(range(first, last + 1))
            elif part:
                years.add(int(part))
    except ValueError:
        raise WijkradarError(
            f"--years {text!r}: expected a range like 2019-2023 or a list like 2019,2021"
        ) from None
    return tuple(sorted(years))


def parse_levels(text: str | None) -> tuple[Level, ...] | None:
    if text is None or not text.strip():
        return None
    levels = []
    for part in text.split(","):
        try:
            levels.append(Level(part.strip().lower()))
        except ValueError:
            known = ", ".join(level.value for level in Level)
            problem = f"--levels: unknown level {part.strip()!r}; known: {known}"
            raise WijkradarError(problem) from None
    return tuple(levels)


class RichProgress:
    """Adapts the pipeline's (description, done, total) callback to Rich bars, one per step."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def __call__(self, description: str, done: int, total: int | None) -> None:
        task = self._tasks.get(description)
        if task is None:
            task = self._progress.add_task(description, total=total)
            self._tasks[description] = task
        self._progress.update(task, completed=done, total=total)


@contextlib.contextmanager
def progress_bars() -> Iterator[RichProgress]:
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    with bars:
        yield RichProgress(bars)


def _sources(
    from_dirs: list[Path],
    years: tuple[int, ...] | None,
    levels: tuple[Level, ...] | None,
    boundaries: list[Path],
    local: list[str],
    cache: Path,
    offline: bool,
    keep_unknown: bool = False,
    online: bool = True,
) -> list[Any]:
    from wijkradar.sources.boundaries import BoundariesFile
    from wijkradar.sources.cbs_kwb import CbsKwbFiles, CbsKwbOnline
    from wijkradar.sources.local_csv import LocalCsv

    sources: list[Any] = []
    if from_dirs:
        for directory in from_dirs:
            if not directory.is_dir():
                raise WijkradarError(f"--from {directory}: no such directory")
            sources.append(
                CbsKwbFiles(directory, years=years, levels=levels, strict=not keep_unknown)
            )
        sources += _gebieden_files(from_dirs, years, sources)
    elif online:
        client = _offline_client(cache) if offline else None
        wanted = years or DEFAULT_ONLINE_YEARS
        sources.append(CbsKwbOnline(wanted, levels=levels, cache_dir=cache, client=client))
        sources += _gebieden_online(wanted, cache, client)
    sources += [BoundariesFile(path) for path in _boundary_files(boundaries)]
    for item in local:
        csv, sep, mapping = item.partition("=")
        if not sep or not csv or not mapping:
            raise WijkradarError(f"--local {item!r}: expected CSV=MAPPING (two file paths)")
        sources.append(LocalCsv(Path(csv), Path(mapping)))
    return sources


def _gebieden_files(
    from_dirs: list[Path], years: tuple[int, ...] | None, kwb_sources: list[Any]
) -> list[Any]:
    """A provinces source per --from directory holding "Gebieden in Nederland" dumps.

    Without --years only the years of the KWB tables found are taken: a year with gemeenten but
    no wijken would read as every wijk and buurt disappearing.
    """
    from wijkradar.sources import cbs_gebieden as gebieden

    kwb_years: set[int] = set().union(*(source.years_present() for source in kwb_sources))
    chosen = years or (tuple(sorted(kwb_years)) if kwb_years else None)
    return [
        gebieden.CbsGebiedenFiles(directory, years=chosen)
        for directory in from_dirs
        if gebieden.gebieden_dumps(directory)
    ]


def _gebieden_online(years: tuple[int, ...], cache: Path, client: Any) -> list[Any]:
    """Provinces for the years built online, where a "Gebieden in Nederland" table is known."""
    from wijkradar.sources import cbs_gebieden as gebieden

    known = [year for year in years if year in gebieden.gebieden_tables()]
    if not known:
        return []
    return [gebieden.CbsGebiedenOnline(known, cache_dir=cache, client=client)]


def _boundary_files(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the GeoJSON/GeoPackage files in it."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.suffix.lower() in (".geojson", ".json", ".gpkg")
            )
        elif path.is_file():
            found.append(path)
        else:
            raise WijkradarError(f"--boundaries {path}: no such file or directory")
    return found


def _offline_client(cache: Path) -> Any:
    """An httpx client that refuses every request: only what is cached can be built."""
    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        raise WijkradarError(
            f"--offline: {request.url} is not in the cache at {cache}; run once without --offline"
        )

    return httpx.Client(transport=httpx.MockTransport(refuse))


def _print_report(report: Any, db: Path) -> None:
    if report.up_to_date:
        console.print(f"{db} is up to date (inputs, options, code and methodology unchanged).")
        return
    console.print(
        f"Built {db}: {report.n_observations:,} observations in {report.seconds:.1f} s;"
        f" methodology {report.methodology_version or '(no scores)'}"
    )
    _print_region_counts(report.regions)
    table = Table(title="Cells per source")
    for column in ("source", "observations", "suppressed", "missing"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for source in (s for s in report.sources if s.n_observations):
        table.add_row(
            source.source_id,
            f"{source.n_observations:,}",
            f"{source.n_suppressed:,}",
            f"{source.n_missing:,}",
        )
    console.print(table)
    others = sum(1 for s in report.sources if not s.n_observations)
    if others:
        console.print(f"and {others} input(s) without observations (boundaries, changes, ...)")


def _print_region_counts(counts: dict[tuple[str, int], int]) -> None:
    years = sorted({year for _, year in counts})
    table = Table(title="Regions per level and year")
    table.add_column("level")
    for year in years:
        table.add_column(str(year), justify="right")
    for level in Level:
        if any((level.value, year) in counts for year in years):
            cells = [f"{counts.get((level.value, year), 0):,}" for year in years]
            table.add_row(level.value, *cells)
    console.print(table)


def build_command(
    from_dirs: Annotated[
        list[Path] | None,
        typer.Option(
            "--from", help="Directory of CBS KWB files (OData dumps, CSV, XLSX); repeatable."
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(help="Years to build: 2019-2023 or 2019,2021 (default: all in the inputs)."),
    ] = None,
    levels: Annotated[
        str | None,
        typer.Option(help="Levels: gemeente,wijk,buurt (default: all)."),
    ] = None,
    boundaries: Annotated[
        list[Path] | None,
        typer.Option(help="Boundary file or directory (GeoJSON/GeoPackage); repeatable."),
    ] = None,
    local: Annotated[
        list[str] | None,
        typer.Option(help="Local figures as CSV=MAPPING (CSV file and its mapping); repeatable."),
    ] = None,
    db: DbOption = None,
    cache: Annotated[
        Path, typer.Option(help="Cache for tables fetched from CBS (without --from).")
    ] = DEFAULT_CACHE,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never fetch; build only from the cache.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when nothing changed.")
    ] = False,
    keep_unknown_columns: Annotated[
        bool,
        typer.Option(
            "--keep-unknown-columns",
            help="Keep columns of CBS files that Wijkradar does not know, under their own name "
            "(default: refuse the file and name them).",
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Build config (YAML) naming sources by registry name with their options; "
            "see docs/build.md.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="A registered source by name, with options: NAME:key=value,key=value; repeatable.",
        ),
    ] = None,
) -> None:
    """Build the monitor database from CBS data (files with --from, else CBS online), or from
    the sources a --config file or --source options name."""
    from wijkradar.pipeline import BuildOptions, build

    chosen, settings = _registry_sources(config, source or [])
    target = db_path(db) if db is not None or config is None else _config_db(config, settings)
    year_list = parse_years(years) or parse_years(_text_setting(settings.get("years")))
    level_list = parse_levels(levels) or parse_levels(_text_setting(settings.get("levels")))
    sources = chosen
    if from_dirs or boundaries or local or not chosen:
        sources = chosen + _sources(
            from_dirs or [],
            year_list,
            level_list,
            boundaries or [],
            local or [],
            cache,
            offline,
            keep_unknown_columns,
            online=not chosen,  # CBS online only when nothing else names the data
        )
    options = BuildOptions(years=year_list, levels=level_list, force=force)
    with progress_bars() as progress:
        report = build(sources, target, options=options, progress=progress)
    _print_report(report, target)


def _registry_sources(config: Path | None, options: list[str]) -> tuple[list[Any], dict[str, Any]]:
    """Sources named by registry name in a config file and in --source options."""
    from wijkradar.sources.config import (
        create,
        load_config,
        parse_source_option,
        sources_from_config,
    )

    sources: list[Any] = []
    settings: dict[str, Any] = {}
    if config is not None:
        if not config.is_file():
            raise WijkradarError(f"--config {config}: no such file")
        settings = load_config(config)
        sources += sources_from_config(config)
    for text in options:
        name, values = parse_source_option(text)
        sources.append(create(name, values, base=Path.cwd(), where=f"--source {text}"))
    return sources, settings


def _config_db(config: Path, settings: dict[str, Any]) -> Path:
    """The config's `db` (relative to the config file), else --db's default."""
    if settings.get("db"):
        value = Path(str(settings["db"]))
        return value if value.is_absolute() else config.parent / value
    return db_path(None)


def _text_setting(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def demo_command(
    db: DbOption = None,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to write the synthetic demo files.")
    ] = DEFAULT_DEMO_DIR,
    scale: Annotated[str, typer.Option(help="Demo size: small or national.")] = "small",
) -> None:
    """Generate synthetic demo data and build it into the database (labelled DEMO)."""
    from wijkradar.pipeline import BuildOptions, build
    from wijkradar.sources.demo import demo_sources, generate

    target = db_path(db)
    with progress_bars() as progress:
        progress("generating demo files", 0, 1)
        files = generate(directory, scale=scale)
        progress("generating demo files", 1, 1)
        report = build(
            demo_sources(files), target, options=BuildOptions(demo=True), progress=progress
        )
    console.print("[bold]DEMO[/bold]: synthetic data, not real figures.")
    _print_report(report, target)
    _demo_workspace(target, directory)


def _demo_workspace(monitor: Path, directory: Path) -> None:
    """Fictional arrears signals and accounts in the operational store ($WIJKRADAR_OPS_DB)."""
    from wijkradar.ops.arrears.demo import PASSWORD, seed
    from wijkradar.ops.core.settings import OpsSettings
    from wijkradar.registers import demo as registers_demo

    result = seed(monitor, directory, OpsSettings())
    console.print(
        f"Workspace (/werk): {result.signals} fictional arrears signals; accounts "
        f"(password {PASSWORD!r}):"
    )
    for username, role, gemeente in result.accounts:
        console.print(f"  {username}  {role}  {gemeente}")
    console.print(f"  try uploading {result.upload_file} with mapping {result.upload_mapping}")
    main = next((g for _, role, g in result.accounts if role == "coordinator"), "GM9801")
    editor, added = registers_demo.seed(OpsSettings(), PASSWORD, main)
    console.print(f"  {editor}  editor  {main}  (registers: {added} initiatives loaded)")
    _demo_partners(monitor)


def _demo_partners(monitor: Path) -> None:
    """Fictional partner organisations, area signals and vindplaatsen (issue 10)."""
    from wijkradar.ops.arrears.demo import PASSWORD
    from wijkradar.ops.core.db import make_engine, session_factory
    from wijkradar.ops.core.settings import OpsSettings
    from wijkradar.ops.partners.demo import seed_partners

    engine = make_engine(OpsSettings().db)
    try:
        result = seed_partners(monitor, session_factory(engine), PASSWORD)
    finally:
        engine.dispose()
    console.print(
        f"Partner signals: {result.orgs} fictional partners, {result.signals} area signals, "
        f"{result.places} vindplaatsen; see /werk/radar. Accounts (same password):"
    )
    for username, role, gemeente in result.accounts:
        console.print(f"  {username}  {role}  {gemeente}")


def status_command(db: DbOption = None) -> None:
    """What the database holds: sources, build, versions, regions per level and year."""
    from wijkradar.store import catalog
    from wijkradar.store.reader import open_read

    target = db_path(db)
    with contextlib.closing(open_read(target)) as con:
        info = catalog.build_info(con)
        if info is None:
            raise WijkradarError(f"{target} holds no completed build")
        if info.demo:
            console.print(
                "[bold reverse] DEMO [/bold reverse] synthetic data: no real figures, "
                "do not use for policy."
            )
        console.print(f"Database: {target}")
        console.print(f"Built: {info.created_at} UTC (build {info.build_id})")
        console.print(f"Code version: {info.code_version}")
        console.print(f"Methodology: {info.methodology_version or '(no scores computed)'}")
        console.print(f"Observations: {catalog.observation_count(con):,}")
        _print_sources(catalog.sources(con))
        _print_region_counts(catalog.region_counts(con))


def _cell_counts(row: dict[str, Any]) -> tuple[str, str, str]:
    """Inputs without observations (boundaries, changes) show their kind instead of zeros."""
    if row["n_observations"] == 0 and row["kind"] != "observations":
        return (row["kind"], "", "")
    return (f"{row['n_observations']:,}", f"{row['n_suppressed']:,}", f"{row['n_missing']:,}")


def _print_sources(rows: list[dict[str, Any]]) -> None:
    """One compact table per publisher and licence, so it stays readable in 80 columns."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["publisher"], row["licence"]), []).append(row)
    for (publisher, licence), members in groups.items():
        table = Table(title=f"{publisher} — {licence}", title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("table", min_width=12, overflow="fold")
        table.add_column("year")
        table.add_column("cells", justify="right", no_wrap=True)
        table.add_column("suppr.", justify="right")
        table.add_column("missing", justify="right")
        table.add_column("sha256", no_wrap=True)
        table.add_column("retrieved", no_wrap=True)
        for row in members:
            table.add_row(
                row["table_id"],
                "" if row["year"] is None else str(row["year"]),
                *_cell_counts(row),
                row["checksum"].removeprefix("sha256:")[:10],
                row["retrieved_at"][:10],
            )
        console.print(table)


def regions_command(
    query: Annotated[str, typer.Argument(help="A region code (GM0363) or part of a name.")],
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    db: DbOption = None,
) -> None:
    """Look up regions: level, parents, children, years present, merges and breaks."""
    from wijkradar.regions import became, came_from
    from wijkradar.store import catalog
    from wijkradar.store.reader import open_read

    with contextlib.closing(open_read(db_path(db))) as con:
        found = catalog.find_regions(con, query, year)
        if not found:
            where = f" in {year}" if year else ""
            raise WijkradarError(f"no region matches {query!r}{where}")
        changes = catalog.region_changes(con)
        shown: set[str] = set()
        for region in found:
            if region.code in shown:
                continue
            shown.add(region.code)
            years = catalog.region_years(con, region.code)
            console.print(f"[bold]{region.code}[/bold] {region.name} ({region.level.value})")
            parents = [
                f"{code} {catalog.region_name(con, code, region.year) or ''}".strip()
                for code in (region.parent_code, region.gemeente_code, region.provincie_code)
                if code and code != region.code
            ]
            if parents:
                console.print(f"  in: {', '.join(dict.fromkeys(parents))}")
            children = catalog.children_count(con, region.code, region.year)
            console.print(f"  children in {region.year}: {children}")
            console.print(f"  years: {_year_spans(years)}")
            # A code that stays but whose area changed is one series break, not a from/into pair.
            breaks = [
                c
                for c in changes
                if c.kind == "changed" and c.code_from == c.code_to == region.code
            ]
            for change in sorted(breaks, key=lambda c: c.year_to):
                console.print(
                    f"  series break {change.year_from}-{change.year_to}: {change.note}".rstrip(
                        " :"
                    )
                )
            for step in came_from(changes, region.code, max(years)):
                if step.kind == "changed" and step.code == region.code:
                    continue
                console.print(f"  {step.kind} from: {step.code} ({step.year}) {step.note}".rstrip())
            for step in became(changes, region.code, min(years)):
                if step.kind == "changed" and step.code == region.code:
                    continue
                target = step.code or "(gone)"
                console.print(f"  {step.kind} into: {target} ({step.year}) {step.note}".rstrip())
            if len(shown) >= 20:
                console.print("  ... more matches; give a code or --year")
                break


def _year_spans(years: list[int]) -> str:
    spans: list[str] = []
    for year in years:
        if spans and spans[-1].endswith(str(year - 1)):
            start = spans[-1].split("-")[0]
            spans[-1] = f"{start}-{year}"
        else:
            spans.append(str(year))
    return ", ".join(spans)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("build")(build_command)
    app.command("demo")(demo_command)
    app.command("status")(status_command)
    app.command("regions")(regions_command)
