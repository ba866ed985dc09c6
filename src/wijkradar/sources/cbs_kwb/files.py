"""CbsKwbFiles: KWB tables found under a directory (OData dumps, CSV, XLSX), read offline."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wijkradar.domain import InputError, Level, Provenance
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.cbs_kwb.checksums import checksum_files, modified_at
from wijkradar.sources.cbs_kwb.columns import aliases
from wijkradar.sources.cbs_kwb.convert import to_result
from wijkradar.sources.cbs_kwb.csv_reader import peek_csv_header, read_csv
from wijkradar.sources.cbs_kwb.odata_dump import (
    MARKER_FILES,
    dump_files,
    is_gebieden_dump,
    is_survey_dump,
    read_dump,
    table_info,
)
from wijkradar.sources.cbs_kwb.rawtable import RawTable, resolve_year, table_id_in, year_in_name
from wijkradar.sources.cbs_kwb.tables import year_for_table
from wijkradar.sources.cbs_kwb.xlsx_reader import peek_xlsx_header, read_xlsx
from wijkradar.sources.registry import register

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Input:
    kind: str  # odata | csv | xlsx
    path: Path  # the dump folder or the file
    files: tuple[Path, ...]  # what the checksum covers


def discover(directory: Path, skipped: list[Path] | None = None) -> list[Input]:
    """Every KWB input under `directory`, recursively, in a stable order.

    Dumps of "Gebieden in Nederland" lying beside them are left to the cbs-gebieden source.
    CSV and XLSX files that are not KWB tables (see `is_kwb_table`) are left out and listed in
    `skipped`: a data folder also holds other CBS tables and third-party extracts, which other
    sources (Gezondheidsmonitor, local figures with a mapping) read.
    """
    folders = dump_folders(directory)
    inputs = [
        Input("odata", folder, tuple(dump_files(folder)))
        for folder in folders
        if not is_gebieden_dump(folder) and not is_survey_dump(folder)
    ]
    for pattern, kind in (("*.csv", "csv"), ("*.xlsx", "xlsx")):
        for path in sorted(directory.rglob(pattern)):
            if path.name.startswith(("~$", ".")) or path.parent in folders:
                continue
            if not is_kwb_table(path, kind):
                if skipped is not None:
                    skipped.append(path)
                continue
            inputs.append(Input(kind, path, (path,)))
    return inputs


def is_kwb_table(path: Path, kind: str) -> bool:
    """Whether a CSV/XLSX file is a KWB table, from its name and header row (cheap).

    Not KWB: a file named after another CBS table (50090NED, 70072NED). KWB: a header with a KWB
    region code column (WijkenEnBuurten, Codering, gwb_code_10, ...), or a file named kwb-YYYY or
    after a KWB table whose header has at least one known KWB column (so that a damaged KWB file
    is still reported, not passed over).
    """
    table_id = table_id_in(path.name)
    if table_id is not None and year_for_table(table_id) is None:
        return False
    named_kwb = table_id is not None or year_in_name(path.name) is not None
    header = peek_header(path, kind)
    if not header:  # empty or unreadable: the reader says what is wrong with a KWB-named file
        return named_kwb
    names = aliases()
    keys = [names.normalise(column) for column in header]
    if any(names.role(key) in ("code", "codering") for key in keys):
        return True
    return named_kwb and any(names.role(key) is None and names.is_known(key) for key in keys)


def dump_folders(directory: Path) -> list[Path]:
    """Every OData dump folder under `directory` (any table), in a stable order."""
    if not directory.is_dir():
        raise InputError(directory, "directory not found", expected="a directory with KWB files")
    return sorted(
        {p.parent for p in directory.rglob("*.json") if p.name in MARKER_FILES}
        | {p.parent for p in directory.rglob("*DataSet-[0-9]*.json")}
    )


def peek_header(path: Path, kind: str) -> list[str]:
    return peek_csv_header(path) if kind == "csv" else peek_xlsx_header(path)


def fingerprint_inputs(inputs: Iterable[Input], root: Path, options: str) -> str:
    digest = hashlib.sha256(options.encode())
    for item in inputs:
        for path in item.files:
            relative = path.relative_to(root) if path.is_relative_to(root) else path
            digest.update(f"{relative}\0{checksum_files([path])}\n".encode())
    return "sha256:" + digest.hexdigest()


def read_input(item: Input, encoding: str) -> RawTable:
    if item.kind == "odata":
        return read_dump(item.path)
    if item.kind == "csv":
        return read_csv(item.path, encoding)
    return read_xlsx(item.path)


def cheap_year(item: Input) -> int:
    """The year without parsing the data: TableInfos for a dump, the file name otherwise."""
    if item.kind == "odata":
        info = table_info(item.path)
        table_id = info.get("Identifier") or table_id_in(item.path.name)
        period = info.get("Period")
        return resolve_year(item.path, None if period is None else str(period), table_id)
    return resolve_year(item.path, None, None)


@register("cbs-kwb-files")
class CbsKwbFiles:
    """CBS Kerncijfers wijken en buurten from files on disk (see docs/sources/cbs-kwb.md)."""

    name = "cbs-kwb-files"

    def __init__(
        self,
        directory: str | Path,
        years: Collection[int] | None = None,
        levels: Collection[Level | str] | None = None,
        publisher: str = "CBS",
        licence: str = "CC BY 4.0",
        strict: bool = True,
        encoding: str = "utf-8",
    ) -> None:
        self.directory = Path(directory)
        self.years = None if years is None else frozenset(int(y) for y in years)
        self.levels = None if levels is None else frozenset(Level(level) for level in levels)
        self.publisher = publisher
        self.licence = licence
        self.strict = strict
        self.encoding = encoding
        self.warnings: list[str] = []

    def fingerprint(self) -> str:
        options = repr(
            (
                sorted(self.years or ()),
                sorted(self.levels or ()),
                self.publisher,
                self.licence,
                self.strict,
                self.encoding,
            )
        )
        return fingerprint_inputs(discover(self.directory), self.directory, options)

    def years_present(self) -> set[int]:
        """The reference years of the tables found (read from TableInfos or names, cheaply)."""
        found = {cheap_year(item) for item in discover(self.directory)}
        return found if self.years is None else found & self.years

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        skipped: list[Path] = []
        inputs = discover(self.directory, skipped)
        for path in skipped:
            self._warn(f"{path}: not a KWB table; left to other sources")
        if not inputs and not skipped:
            present = [p.name for p in sorted(self.directory.rglob("*")) if p.is_file()]
            raise InputError(
                self.directory,
                "no CBS KWB files found",
                expected="OData dump folders (TableInfos.json, UntypedDataSet.json), kwb-YYYY.csv"
                " or kwb-YYYY.xlsx",
                found=", ".join(present[:5]) + (" ..." if len(present) > 5 else "")
                if present
                else "an empty directory",
            )
        for done, item in enumerate(inputs):
            progress(f"CBS KWB {item.path.name}", done, len(inputs))
            year = cheap_year(item)
            if self.years is not None and year not in self.years:
                continue
            raw = read_input(item, self.encoding)
            year = resolve_year(item.path, raw.period, raw.table_id) if raw.period else year
            result = to_result(
                raw,
                self._provenance(item, raw, year),
                levels=self.levels,
                strict=self.strict,
                warn=self._warn,
            )
            del raw  # the cells as Python objects: free them before the build stores the result
            yield result
        progress("CBS KWB", len(inputs), len(inputs))

    def _provenance(self, item: Input, raw: RawTable, year: int) -> Provenance:
        files = list(item.files)
        # A kwb-YYYY.csv is not the OData table itself, so it keeps its own name.
        table_id = raw.table_id or item.path.stem
        return Provenance(
            publisher=self.publisher,
            table_id=table_id,
            title=raw.title or f"Kerncijfers wijken en buurten {year}",
            year=year,
            retrieved_at=modified_at(files),
            licence=self.licence,
            checksum=checksum_files(files),
            url=item.path.resolve().as_uri(),
        )

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)
