"""CbsGebiedenFiles and CbsGebiedenOnline: "Gebieden in Nederland" tables as region sources.

Offline they read the same OData dump folders as the KWB source (its dump reader, not a copy);
online they fetch through the same fetcher and cache. They give regions only: provinces and the
gemeente -> provincie link, which KWB lacks (see docs/sources/cbs-gebieden.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import httpx

from wijkradar.domain import InputError, Provenance
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.cbs_gebieden.convert import to_regions
from wijkradar.sources.cbs_gebieden.tables import table_for_year, year_for_table
from wijkradar.sources.cbs_kwb.checksums import checksum_files, modified_at
from wijkradar.sources.cbs_kwb.files import Input, dump_folders, fingerprint_inputs
from wijkradar.sources.cbs_kwb.odata_dump import (
    dump_files,
    is_gebieden_dump,
    read_dump,
    table_info,
)
from wijkradar.sources.cbs_kwb.online import BASE_URL, MANIFEST, cache_intact, fetch_dump
from wijkradar.sources.cbs_kwb.rawtable import RawTable, table_id_in
from wijkradar.sources.registry import register

_YEAR = re.compile(r"(?:19|20)\d\d")
KIND = "regions"


def gebieden_dumps(directory: Path) -> list[Path]:
    """Every "Gebieden in Nederland" dump folder under `directory`, in a stable order."""
    return [folder for folder in dump_folders(directory) if is_gebieden_dump(folder)]


def dump_year(folder: Path, raw: RawTable | None = None) -> int:
    """TableInfos Period, else a known table id (TableInfos or folder name)."""
    period = raw.period if raw is not None else None
    table_id = raw.table_id if raw is not None else None
    if raw is None:
        info = table_info(folder)
        period = None if info.get("Period") is None else str(info["Period"])
        table_id = None if info.get("Identifier") is None else str(info["Identifier"])
    named = [
        (year, candidate)
        for candidate in (table_id, table_id_in(folder.name))
        if candidate and (year := year_for_table(candidate)) is not None
    ]
    if period and (match := _YEAR.search(period)):
        year = int(match.group(0))
        for other, candidate in named[:1]:
            if other != year:  # figures must never be filed under another year than named
                raise InputError(
                    folder,
                    f"the table's Period contradicts its table id ({candidate})",
                    column="Period",
                    expected=str(other),
                    found=period,
                )
        return year
    if named:
        return named[0][0]
    raise InputError(
        folder,
        "cannot tell which year this 'Gebieden in Nederland' table describes",
        expected="TableInfos.json with a Period, or a table id from cbs_gebieden/tables.yml",
        found=folder.name,
    )


@register("cbs-gebieden-files")
class CbsGebiedenFiles:
    """Provinces and gemeente -> provincie from "Gebieden in Nederland" OData dumps on disk."""

    name = "cbs-gebieden-files"

    def __init__(
        self,
        directory: str | Path,
        years: Collection[int] | None = None,
        publisher: str = "CBS",
        licence: str = "CC BY 4.0",
    ) -> None:
        self.directory = Path(directory)
        self.years = None if years is None else frozenset(int(y) for y in years)
        self.publisher = publisher
        self.licence = licence

    def _inputs(self) -> list[Input]:
        return [
            Input("odata", folder, tuple(dump_files(folder)))
            for folder in gebieden_dumps(self.directory)
            if self.years is None or dump_year(folder) in self.years
        ]

    def fingerprint(self) -> str:
        options = repr((sorted(self.years or ()), self.publisher, self.licence))
        return fingerprint_inputs(self._inputs(), self.directory, options)

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        inputs = self._inputs()
        for done, item in enumerate(inputs):
            progress(f"CBS Gebieden {item.path.name}", done, len(inputs))
            raw = read_dump(item.path)
            year = dump_year(item.path, raw)
            files = list(item.files)
            provenance = Provenance(
                publisher=self.publisher,
                table_id=raw.table_id or item.path.name,
                title=raw.title or f"Gebieden in Nederland {year}",
                year=year,
                retrieved_at=modified_at(files),
                licence=self.licence,
                checksum=checksum_files(files),
                url=item.path.resolve().as_uri(),
                kind=KIND,
            )
            yield SourceResult(provenance=provenance, regions=to_regions(raw, year))
        progress("CBS Gebieden", len(inputs), len(inputs))


@register("cbs-gebieden-online")
class CbsGebiedenOnline:
    """ "Gebieden in Nederland" from CBS OData v3, cached like the KWB tables."""

    name = "cbs-gebieden-online"

    def __init__(
        self,
        years: Collection[int],
        cache_dir: str | Path = Path("var/cache/cbs"),
        client: httpx.Client | None = None,
        base_url: str = BASE_URL,
        max_attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.years = sorted(int(y) for y in years)
        self.cache_dir = Path(cache_dir)
        self._client = client
        self.base_url = base_url.rstrip("/")
        self.fetcher_options = (max_attempts, backoff, sleep)

    def cache_folder(self, year: int) -> Path:
        return self.cache_dir / table_for_year(year).table_id / "all"

    def ensure_cached(self, year: int) -> Path:
        folder = self.cache_folder(year)
        if not cache_intact(folder):
            url = f"{self.base_url}/{table_for_year(year).table_id}"
            fetch_dump(url, folder, self._client, fetcher_options=self.fetcher_options)
        return folder

    def fingerprint(self) -> str:
        """Hash of the cached tables' manifests; fetches what is not cached yet."""
        digest = hashlib.sha256()
        for year in self.years:
            digest.update((self.ensure_cached(year) / MANIFEST).read_bytes())
        return "sha256:" + digest.hexdigest()

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        for done, year in enumerate(self.years):
            progress(f"CBS Gebieden {year}", done, len(self.years))
            folder = self.ensure_cached(year)
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            raw = read_dump(folder)
            provenance = Provenance(
                publisher="CBS",
                table_id=raw.table_id or table_for_year(year).table_id,
                title=raw.title or f"Gebieden in Nederland {year}",
                year=dump_year(folder, raw),
                retrieved_at=manifest["retrieved_at"],
                licence="CC BY 4.0",
                checksum=checksum_files(dump_files(folder)),
                url=manifest["url"],
                kind=KIND,
            )
            yield SourceResult(provenance=provenance, regions=to_regions(raw, year))
        progress("CBS Gebieden", len(self.years), len(self.years))
