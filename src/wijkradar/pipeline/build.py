"""A build: Load (read every source) -> Process (check, regions, changes, harmonise, score) ->
Save (publish the DuckDB file atomically).

Observations stream into the new database source by source, so memory holds one source's table
at a time; checks that span sources (duplicates, counts) run as SQL on what was stored.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from wijkradar.domain import InputError, Level, Region, RegionChange
from wijkradar.pipeline import hashing, score
from wijkradar.pipeline.ahead import ParsedAhead, worth_a_worker
from wijkradar.pipeline.background import BackgroundWriter
from wijkradar.pipeline.merge import RegionBook
from wijkradar.regions import complete_year, detect_changes, harmonise_gemeenten
from wijkradar.regions.changes import (
    FLAG_VARIABLE,
    FLAGGED,
    flagged_codes,
    known_reorganisations,
)
from wijkradar.sources import guard
from wijkradar.sources.base import Progress, Source, SourceResult, no_progress
from wijkradar.store import catalog, load
from wijkradar.store.writer import BuildWriter, open_build

# Levels a --levels option selects among; land and provinces always come along as context.
SELECTABLE_LEVELS = (Level.GEMEENTE, Level.WIJK, Level.BUURT)
# Observation tables parsed ahead of their insert; bounds memory (a CBS year is ~1 M rows).
PENDING_OBSERVATION_TABLES = 2


@dataclass(frozen=True)
class BuildOptions:
    years: tuple[int, ...] | None = None  # None: every year the sources hold
    levels: tuple[Level, ...] | None = None  # None: every level
    target_year: int | None = None  # harmonisation target; None: the latest year built
    demo: bool = False
    force: bool = False  # rebuild even when the input hash is unchanged (not part of the hash)
    methodology_dir: Path | None = None  # None: hashing.default_methodology_dir()

    def hashed(self) -> dict[str, Any]:
        """The options that change a build's content, as JSON-able values."""
        return {
            "years": sorted(self.years) if self.years else None,
            "levels": sorted(level.value for level in self.levels) if self.levels else None,
            "target_year": self.target_year,
            "demo": self.demo,
        }


@dataclass(frozen=True)
class SourceSummary:
    source_id: str
    publisher: str
    table_id: str
    year: int | None
    n_observations: int
    n_suppressed: int
    n_missing: int


@dataclass(frozen=True)
class BuildReport:
    target: Path
    input_hash: str
    up_to_date: bool
    n_observations: int = 0
    regions: dict[tuple[str, int], int] = field(default_factory=dict)  # (level, year) -> count
    sources: tuple[SourceSummary, ...] = ()
    methodology_version: str | None = None
    seconds: float = 0.0


def build(
    sources: Sequence[Source],
    target: Path,
    *,
    options: BuildOptions | None = None,
    progress: Progress = no_progress,
) -> BuildReport:
    """Build the monitor database at `target` from `sources`, or do nothing when up to date."""
    started = time.perf_counter()
    options = options or BuildOptions()
    target = Path(target)
    methodology_dir = options.methodology_dir or hashing.default_methodology_dir()
    progress("checking inputs", 0, len(sources))
    fingerprints = [f"{source.name}:{source.fingerprint()}" for source in sources]
    digest = hashing.input_hash(
        fingerprints,
        options.hashed(),
        hashing.code_version(),
        hashing.methodology_hash(methodology_dir),
    )
    progress("checking inputs", len(sources), len(sources))
    if not options.force and catalog.stored_input_hash(target) == digest:
        return BuildReport(target, digest, up_to_date=True, seconds=time.perf_counter() - started)

    with collector_paused(), open_build(target) as writer:
        writer.con.execute(f"SET threads = {duckdb_threads()}")
        book = _load(writer, sources, options, progress)
        _check_years(options, book.periods_held)
        _check_not_empty(writer, sources)
        _check_local_codes(writer, book)
        _process(writer, book, options, progress)
        version = _score(writer, progress, methodology_dir)
        load.insert_build(
            writer.con,
            input_hash=digest,
            code_version=hashing.code_version(),
            methodology_version=version,
            options=options.hashed(),
            demo=options.demo,
        )
        report = _report(writer, target, digest, version, started)
    return report


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while building, one full pass after.

    A build keeps ~200,000 region and boundary records alive and makes millions of short-lived
    containers while it parses; every full pass of the collector walks all of them: about 3 s of
    a national demo build's load phase. A build makes next to no reference cycles (reference
    counting frees what it drops), so its memory does not grow for it (peak measured the same).
    Left alone when the caller had turned the collector off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def duckdb_threads() -> int:
    """DuckDB's worker threads for a build: the cores the build's own threads leave free.

    A build keeps two threads of its own busy (parsing or scoring, and the simulation) beside
    the inserts; DuckDB's pool on top of that only made the threads wait for each other (on
    two cores an insert on two DuckDB threads was ~15 % faster for twice the CPU)."""
    return max(1, (os.cpu_count() or 1) - 2)


# --- Load -----------------------------------------------------------------------------------


def _load(
    writer: BuildWriter, sources: Sequence[Source], options: BuildOptions, progress: Progress
) -> RegionBook:
    book = RegionBook()
    # Observations are inserted on a second thread while the next table is parsed; leaving the
    # block waits for the last insert, before any check reads them.
    # A second process parses sources from the back meanwhile (pipeline.ahead).
    with (
        ParsedAhead(sources, worker=worth_a_worker(sources)) as parsed,
        BackgroundWriter(
            writer.con, load.insert_arrow, PENDING_OBSERVATION_TABLES, "wijkradar-load"
        ) as inserts,
    ):
        for index, source in enumerate(sources):
            progress(f"reading {source.name}", index, len(sources))
            _read_source(parsed.results(index, progress), book, writer, inserts, options)
    progress("reading sources", len(sources), len(sources))
    return book


def _read_source(
    results: Iterable[SourceResult],
    book: RegionBook,
    writer: BuildWriter,
    inserts: BackgroundWriter,
    options: BuildOptions,
) -> None:
    for result in results:
        book.add_source(result.provenance)
        guard.check_observations(
            book.path_of(result.provenance.source_id),
            result.observations,
            {variable.key: variable.unit for variable in result.variables},
        )
        load.insert_source(writer.con, result.provenance)
        book.periods_held |= _periods(result)
        inserts.put("observations", _select(result.observations, options))
        book.add_regions(
            (r for r in result.regions if _wanted(r.level, r.year, options)),
            result.provenance,
        )
        book.variables.extend(result.variables)
        book.boundaries.extend(b for b in result.boundaries if _wanted(b.level, b.year, options))
        book.changes.extend(result.changes)


def _periods(result: SourceResult) -> set[int]:
    held = {int(p) for p in pc.unique(result.observations.column("period")).to_pylist()}
    held |= {r.year for r in result.regions}
    return held


def _wanted(level: Level, year: int, options: BuildOptions) -> bool:
    if options.years and year not in options.years:
        return False
    return not (options.levels and level in SELECTABLE_LEVELS and level not in options.levels)


def _select(table: pa.Table, options: BuildOptions) -> pa.Table:
    mask = None
    if options.years:
        mask = pc.is_in(table.column("period"), value_set=pa.array(options.years, pa.int32()))
    if options.levels:
        dropped = [lvl.value for lvl in SELECTABLE_LEVELS if lvl not in options.levels]
        keep = pc.invert(pc.is_in(table.column("level"), value_set=pa.array(dropped, pa.string())))
        mask = keep if mask is None else pc.and_(mask, keep)
    return table if mask is None else table.filter(mask)


def _check_years(options: BuildOptions, held: set[int]) -> None:
    for year in sorted(options.years or ()):
        if year not in held:
            raise InputError("--years", f"year {year} requested but no input holds it")


def _check_not_empty(writer: BuildWriter, sources: Sequence[Source]) -> None:
    """Inputs without a single observation never replace a database (an empty folder, unrelated
    files, header-only tables, or options that filter everything out)."""
    if catalog.observation_count(writer.con) > 0:
        return
    raise InputError(
        ", ".join(_describe(source) for source in sources) or "(no inputs)",
        "the inputs hold no observations; the database is left as it was",
        expected="at least one figure (CBS KWB files, CBS online tables or local figures)",
        found="0 observations",
    )


def _describe(source: Source) -> str:
    for attribute in ("directory", "csv_path", "path"):
        if (value := getattr(source, attribute, None)) is not None:
            return str(value)
    return source.name


def _check_local_codes(writer: BuildWriter, book: RegionBook) -> None:
    """A local figure for a region the year's hierarchy does not hold (an unknown wijk, a typo)
    is refused with the offending codes, instead of becoming a region of its own.

    The hierarchy is what the other inputs describe. A code is checked when they describe its
    level in that year: a local list of 2021 wijken is its own authority when no other input
    lists the 2021 wijken (their gemeenten are not required either: boundary layers leave out
    CBS's pseudo-gemeente GM0998 "Buitenland" that the wijk layers keep).
    """
    local = [sid for sid, prov in book.provenances.items() if prov.kind == "local"]
    offenders: dict[tuple[str, int], list[str]] = {}
    known_by_year: dict[int, tuple[set[str], set[Level]]] = {}
    for source_id, period, code in load.source_codes(writer.con, local):
        if period not in known_by_year:
            described = book.hierarchy_codes(period)
            known_by_year[period] = (described, {Level.from_code(c) for c in described})
        known, levels = known_by_year[period]
        if Level.from_code(code) in levels and code not in known:
            offenders.setdefault((source_id, period), []).append(code)
    for (source_id, period), codes in sorted(offenders.items()):
        codes.sort()
        shown = ", ".join(codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")
        raise InputError(
            book.path_of(source_id),
            f"{len(codes)} region code(s) not in the {period} hierarchy of the other inputs",
            expected=f"codes of gemeenten, wijken and buurten that exist in {period}",
            found=shown,
        )


# --- Process --------------------------------------------------------------------------------


def _process(
    writer: BuildWriter, book: RegionBook, options: BuildOptions, progress: Progress
) -> None:
    con = writer.con
    steps = 5
    progress("checking for duplicate values", 0, steps)
    duplicate = load.first_duplicate(con)
    if duplicate is not None:
        path_b = book.path_of(duplicate.source_b)
        raise InputError(
            path_b,
            f"{duplicate.region_code} {duplicate.period} {duplicate.variable} is given twice:"
            f" by {duplicate.source_a} ({book.path_of(duplicate.source_a)})"
            f" and by {duplicate.source_b} ({path_b})",
        )
    load.count_source_cells(con)

    progress("regions", 1, steps)
    observed = load.observed_codes(con)
    years = sorted(set(observed) | book.years())
    regions: dict[int, dict[str, Region]] = {}
    for year in years:
        regions[year] = complete_year(year, book.regions_of(year), observed.get(year, ()))
    load.insert_regions(con, (r for by_code in regions.values() for r in by_code.values()))
    load.insert_variables(con, book.variables)
    load.insert_boundaries(con, book.boundaries)

    progress("region changes", 2, steps)
    # CBS's flags come apart from the other changes: deduplicating by code pair must not let a
    # flag push out a source's own (weighted) record of the same change.
    flags = [c for c in book.changes if c.kind == FLAGGED]
    known = list(known_reorganisations().changes) + [c for c in book.changes if c.kind != FLAGGED]
    changes = detect_changes(
        {year: by_code.keys() for year, by_code in regions.items()},
        known=_unique(known) + flags,
        flagged=flagged_codes(load.variable_rows(con, FLAG_VARIABLE)),
    )
    load.insert_changes(con, changes)

    progress("harmonising gemeente series", 3, steps)
    if years:
        target_year = options.target_year or max(years)
        target_codes = [
            code
            for code, region in regions.get(target_year, {}).items()
            if region.level is Level.GEMEENTE
        ]
        harmonised = harmonise_gemeenten(
            load.gemeente_observations(con),
            load.variable_units(con),
            changes,
            target_year,
            target_codes,
        )
        load.insert_arrow(con, "observations_harmonised", harmonised)
    progress("data stored", steps, steps)


def _unique(changes: Iterable[RegionChange]) -> list[RegionChange]:
    seen: dict[tuple[int, str, int, str], RegionChange] = {}
    for change in changes:
        key = (change.year_from, change.code_from, change.year_to, change.code_to)
        seen.setdefault(key, change)
    return list(seen.values())


def _score(writer: BuildWriter, progress: Progress, methodology_dir: Path | None) -> str | None:
    """Score with the same methodology folder whose content went into the input hash."""
    return score.run(writer, progress, methodology_dir)


# --- Report ---------------------------------------------------------------------------------


def _report(
    writer: BuildWriter, target: Path, digest: str, version: str | None, started: float
) -> BuildReport:
    con = writer.con
    summaries = tuple(
        SourceSummary(
            source_id=row["source_id"],
            publisher=row["publisher"],
            table_id=row["table_id"],
            year=row["year"],
            n_observations=int(row["n_observations"]),
            n_suppressed=int(row["n_suppressed"]),
            n_missing=int(row["n_missing"]),
        )
        for row in catalog.source_rows(con)
    )
    return BuildReport(
        target=target,
        input_hash=digest,
        up_to_date=False,
        n_observations=catalog.observation_count(con),
        regions=catalog.region_counts(con),
        sources=summaries,
        methodology_version=version,
        seconds=time.perf_counter() - started,
    )
