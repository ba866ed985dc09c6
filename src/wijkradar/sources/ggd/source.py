"""GgdFiles (an xlsx/json export or an OData dump folder) and GgdOnline (CBS OData, cached)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import httpx

from wijkradar.domain import InputError, Level, Provenance
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.cbs_kwb.checksums import checksum_files, modified_at
from wijkradar.sources.cbs_kwb.odata_dump import dump_files, read_dump
from wijkradar.sources.cbs_kwb.online import MANIFEST, PAGE_SIZE, cache_intact, fetch_dump
from wijkradar.sources.cbs_kwb.rawtable import RawTable, from_rows, table_id_in
from wijkradar.sources.cbs_kwb.textio import json_records
from wijkradar.sources.cbs_kwb.xlsx_reader import read_xlsx
from wijkradar.sources.ggd.convert import catalogue, to_results
from wijkradar.sources.registry import register

log = logging.getLogger(__name__)

PUBLISHER = "CBS/RIVM"
LICENCE = "CC BY 4.0"


def read_raw(path: Path) -> tuple[RawTable, dict[str, str], list[Path]]:
    """The table, the Leeftijd titles (when a dump has them) and the files it came from."""
    if path.is_dir():
        raw = read_dump(path)
        ages = _dimension_titles(path / "Leeftijd.json")
        return raw, ages, dump_files(path)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path), {}, [path]
    if path.suffix.lower() == ".json":
        records = json_records(path)
        header = list(records[0]) if records else []
        rows = [[record.get(column) for column in header] for record in records]
        return from_rows(path, header, rows, list(range(1, len(rows) + 1))), {}, [path]
    raise InputError(
        path,
        "not a Gezondheidsmonitor export",
        expected="an UntypedDataSet as .xlsx or .json, or an OData dump folder",
        found=path.name,
    )


def _dimension_titles(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return {str(r.get("Key", "")).strip(): str(r.get("Title", "")) for r in json_records(path)}


class _Base:
    levels: frozenset[Level] | None
    years: frozenset[int] | None
    warnings: list[str]

    def _results(
        self, raw: RawTable, ages: dict[str, str], files: list[Path], url: str, retrieved: str
    ) -> list[SourceResult]:
        table_id = raw.table_id or "50090NED"
        title = raw.title or catalogue().titles.get(table_id, "Gezondheid per wijk en buurt")
        checksum = checksum_files(files)

        def provenance(year: int, note: str) -> Provenance:
            return Provenance(
                publisher=PUBLISHER,
                table_id=table_id,
                title=f"{title.strip()}: {year}{note}",
                year=year,
                retrieved_at=retrieved,
                licence=LICENCE,
                checksum=checksum,
                url=url,
            )

        results = to_results(raw, provenance, age_titles=ages, levels=self.levels, warn=self._warn)
        return [r for r in results if self.years is None or r.provenance.year in self.years]

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)


@register("ggd-files")
class GgdFiles(_Base):
    """The Gezondheidsmonitor from a file or folder on disk (see docs/sources/ggd.md)."""

    name = "ggd-files"

    def __init__(
        self,
        path: str | Path,
        years: Collection[int] | None = None,
        levels: Collection[Level | str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.years = None if years is None else frozenset(int(y) for y in years)
        self.levels = None if levels is None else frozenset(Level(level) for level in levels)
        self.warnings: list[str] = []

    def fingerprint(self) -> str:
        files = dump_files(self.path) if self.path.is_dir() else [self.path]
        if not files or not all(f.is_file() for f in files):
            raise InputError(
                self.path,
                "no Gezondheidsmonitor data here",
                expected="an UntypedDataSet .xlsx/.json or a dump folder",
            )
        options = repr((sorted(self.years or ()), sorted(self.levels or ())))
        return "sha256:" + hashlib.sha256((checksum_files(files) + options).encode()).hexdigest()

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        progress(f"GGD {self.path.name}", 0, 1)
        raw, ages, files = read_raw(self.path)
        if raw.table_id is None:
            raw.table_id = table_id_in(self.path.name)
        yield from self._results(raw, ages, files, self.path.resolve().as_uri(), modified_at(files))
        progress(f"GGD {self.path.name}", 1, 1)


@register("ggd-online")
class GgdOnline(_Base):
    """The Gezondheidsmonitor from CBS OData (catalogue for third-party tables), cached."""

    name = "ggd-online"

    def __init__(
        self,
        tables: Collection[str] = ("50090NED",),
        years: Collection[int] | None = None,
        levels: Collection[Level | str] | None = None,
        cache_dir: str | Path = Path("var/cache/cbs"),
        client: httpx.Client | None = None,
        base_url: str | None = None,
        page_size: int = PAGE_SIZE,
        max_attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tables = [str(t).upper() for t in tables]
        self.years = None if years is None else frozenset(int(y) for y in years)
        self.levels = None if levels is None else frozenset(Level(level) for level in levels)
        self.cache_dir = Path(cache_dir)
        self._client = client
        self.base_url = (base_url or catalogue().base_url).rstrip("/")
        self.page_size = page_size
        self.fetcher_options = (max_attempts, backoff, sleep)
        self.warnings: list[str] = []

    def fingerprint(self) -> str:
        digest = hashlib.sha256(
            repr((sorted(self.years or ()), sorted(self.levels or ()))).encode()
        )
        for table in self.tables:
            digest.update((self.ensure_cached(table) / MANIFEST).read_bytes())
        return "sha256:" + digest.hexdigest()

    def ensure_cached(self, table: str) -> Path:
        folder = self.cache_dir / table / "all"
        if not cache_intact(folder):
            fetch_dump(
                f"{self.base_url}/{table}",
                folder,
                self._client,
                dimensions=("WijkenEnBuurten", "Leeftijd"),
                page_size=self.page_size,
                fetcher_options=self.fetcher_options,
            )
        return folder

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        for done, table in enumerate(self.tables):
            progress(f"GGD {table}", done, len(self.tables))
            folder = self.ensure_cached(table)
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            raw = read_dump(folder)
            raw.table_id = raw.table_id or table
            ages = _dimension_titles_paged(folder)
            yield from self._results(
                raw, ages, dump_files(folder), manifest["url"], manifest["retrieved_at"]
            )
        progress("GGD", len(self.tables), len(self.tables))


def _dimension_titles_paged(folder: Path) -> dict[str, str]:
    titles: dict[str, str] = {}
    for path in sorted(folder.glob("Leeftijd*.json")):
        titles.update(_dimension_titles(path))
    return titles
