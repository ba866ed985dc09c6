"""CbsKwbOnline: KWB tables fetched from CBS OData v3, cached as raw bytes, parsed offline.

The fetched JSON is written in the offline dump format (one folder per table, data sets in pages),
so parsing is shared with CbsKwbFiles. A cache folder is complete once its manifest.json exists;
an unchanged cache (every file's checksum as in the manifest) is used without any request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from wijkradar.domain import Level, Provenance, WijkradarError
from wijkradar.sources.base import Progress, SourceResult, no_progress
from wijkradar.sources.cbs_kwb.checksums import checksum_files
from wijkradar.sources.cbs_kwb.columns import aliases
from wijkradar.sources.cbs_kwb.convert import to_result
from wijkradar.sources.cbs_kwb.odata_dump import dump_files, read_dump
from wijkradar.sources.cbs_kwb.rawtable import resolve_year
from wijkradar.sources.cbs_kwb.tables import table_for_year
from wijkradar.sources.registry import register

log = logging.getLogger(__name__)

BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
PAGE_SIZE = 10_000  # CBS OData v3 refuses queries returning more rows than this
MAX_PAGES = 1_000
MANIFEST = "manifest.json"
_LABELS = {
    Level.LAND: "Land",
    Level.PROVINCIE: "Provincie",
    Level.GEMEENTE: "Gemeente",
    Level.WIJK: "Wijk",
    Level.BUURT: "Buurt",
}


class Fetcher:
    """GET with bounded retries: 5xx, timeouts and connection errors back off and try again.

    Wait before attempt k (k = 1, 2, ...): backoff * 2**(k - 1) seconds.
    """

    def __init__(
        self,
        client: httpx.Client,
        max_attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.sleep = sleep

    def get(self, url: str, params: dict[str, str] | None = None) -> bytes:
        problem = ""
        for attempt in range(self.max_attempts):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.client.get(url, params=params)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
                log.warning("CBS OData %s: %s (attempt %d)", url, problem, attempt + 1)
                continue
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                log.warning("CBS OData %s: %s (attempt %d)", url, problem, attempt + 1)
                continue
            if response.status_code >= 400:
                raise WijkradarError(
                    f"CBS OData {response.url}: HTTP {response.status_code}: {response.text[:200]}"
                )
            return response.content
        raise WijkradarError(
            f"CBS OData {url}: gave up after {self.max_attempts} attempts ({problem})"
        )


@register("cbs-kwb-online")
class CbsKwbOnline:
    """CBS Kerncijfers wijken en buurten from the CBS OData v3 API (see docs/sources/cbs-kwb.md)."""

    name = "cbs-kwb-online"

    def __init__(
        self,
        years: Collection[int],
        levels: Collection[Level | str] | None = None,
        cache_dir: str | Path = Path("var/cache/cbs"),
        client: httpx.Client | None = None,
        base_url: str = BASE_URL,
        page_size: int = PAGE_SIZE,
        max_attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        strict: bool = True,
    ) -> None:
        self.years = sorted(int(y) for y in years)
        self.levels = None if levels is None else frozenset(Level(level) for level in levels)
        self.cache_dir = Path(cache_dir)
        self._client = client
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.sleep = sleep
        self.strict = strict
        self.warnings: list[str] = []

    def fingerprint(self) -> str:
        """Hash of the cached tables' manifests; fetches what is not cached yet."""
        digest = hashlib.sha256()
        for year in self.years:
            folder = self.ensure_cached(year)
            digest.update((folder / MANIFEST).read_bytes())
        return "sha256:" + digest.hexdigest()

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        for done, year in enumerate(self.years):
            progress(f"CBS KWB {year}", done, len(self.years))
            folder = self.ensure_cached(year)
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            raw = read_dump(folder)
            files = dump_files(folder)
            provenance = Provenance(
                publisher="CBS",
                table_id=raw.table_id or table_for_year(year).table_id,
                title=raw.title or f"Kerncijfers wijken en buurten {year}",
                year=resolve_year(folder, raw.period, raw.table_id, requested=year),
                retrieved_at=manifest["retrieved_at"],
                licence="CC BY 4.0",
                checksum=checksum_files(files),
                url=manifest["url"],
            )
            result = to_result(
                raw, provenance, levels=self.levels, strict=self.strict, warn=self._warn
            )
            del raw  # free the cells before the build stores the result
            yield result
        progress("CBS KWB", len(self.years), len(self.years))

    # -- cache -------------------------------------------------------------------------------

    def cache_folder(self, year: int) -> Path:
        table_id = table_for_year(year).table_id
        scope = "all" if self.levels is None else "+".join(sorted(lv.value for lv in self.levels))
        return self.cache_dir / table_id / scope

    def ensure_cached(self, year: int) -> Path:
        folder = self.cache_folder(year)
        if cache_intact(folder):
            return folder
        self._fetch(year, folder)
        return folder

    def _fetch(self, year: int, folder: Path) -> None:
        fetch_dump(
            f"{self.base_url}/{table_for_year(year).table_id}",
            folder,
            self._client,
            dimensions=("WijkenEnBuurten",),
            row_filter=self._filter,
            page_size=self.page_size,
            fetcher_options=(self.max_attempts, self.backoff, self.sleep),
        )

    def _filter(self, folder: Path) -> str | None:
        """$filter on SoortRegio for the chosen levels (its key has a table-specific suffix)."""
        if self.levels is None:
            return None
        properties = _json((folder / "DataProperties.json").read_bytes(), str(folder))
        names = aliases()
        key = next(
            (
                str(prop["Key"])
                for prop in properties.get("value", [])
                if prop.get("Key") and names.role(names.normalise(str(prop["Key"]))) == "kind"
            ),
            None,
        )
        if key is None:
            raise WijkradarError(f"{folder}: DataProperties has no SoortRegio key to filter levels")
        # Values are padded ("Gemeente  "), so match by substring rather than equality.
        terms = [f"substringof('{_LABELS[level]}',{key})" for level in sorted(self.levels)]
        return " or ".join(terms)

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)


def fetch_dump(
    url: str,
    folder: Path,
    client: httpx.Client | None,
    *,
    dimensions: tuple[str, ...] = (),
    row_filter: Callable[[Path], str | None] = lambda folder: None,
    page_size: int = PAGE_SIZE,
    fetcher_options: tuple[int, float, Callable[[float], None]] = (4, 1.0, time.sleep),
) -> None:
    """Fetch one OData v3 table into `folder` in the offline dump format, manifest last.

    TableInfos and DataProperties whole; each of `dimensions` (region names) and UntypedDataSet
    in pages. `row_filter(folder)` may build a $filter from the DataProperties just fetched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json"):
        stale.unlink()
    own = client or httpx.Client(timeout=120.0, follow_redirects=True)
    try:
        fetcher = Fetcher(own, *fetcher_options)
        json_format = {"$format": "json"}
        for name in ("TableInfos", "DataProperties"):
            (folder / f"{name}.json").write_bytes(fetcher.get(f"{url}/{name}", json_format))
        for name in dimensions:
            _fetch_pages(fetcher, f"{url}/{name}", folder, name, None, page_size)
        _fetch_pages(
            fetcher,
            f"{url}/UntypedDataSet",
            folder,
            "UntypedDataSet",
            row_filter(folder),
            page_size,
        )
    finally:
        if client is None:
            own.close()
    files = dump_files(folder)
    manifest = {
        "url": url,
        "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {path.name: checksum_files([path]) for path in files},
    }
    # Written last: a folder without a manifest is an interrupted fetch and is refetched.
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _fetch_pages(
    fetcher: Fetcher, url: str, folder: Path, name: str, row_filter: str | None, page_size: int
) -> None:
    """Page with $top/$skip; follow odata.nextLink when CBS sends one."""
    skip = 0
    next_url: str | None = None
    for page in range(1, MAX_PAGES + 1):
        if next_url is not None:
            body = fetcher.get(next_url)
        else:
            params = {"$format": "json", "$top": str(page_size), "$skip": str(skip)}
            if row_filter:
                params["$filter"] = row_filter
            body = fetcher.get(url, params)
        (folder / f"{name}-{page:04d}.json").write_bytes(body)
        document = _json(body, url)
        rows = document.get("value", [])
        next_url = document.get("odata.nextLink")
        if next_url is None and len(rows) < page_size:
            return
        skip += len(rows)
    raise WijkradarError(f"CBS OData {url}: more than {MAX_PAGES} pages; stopped")


def cache_intact(folder: Path) -> bool:
    """True when `folder` holds a finished fetch whose files match its manifest."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return False
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        recorded: dict[str, str] = manifest["files"]
    except (ValueError, KeyError, TypeError):
        return False
    present = {path.name for path in dump_files(folder)}
    if present != set(recorded):
        return False
    return all(checksum_files([folder / name]) == sha for name, sha in recorded.items())


def _json(body: bytes, where: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise WijkradarError(f"CBS OData {where}: response is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise WijkradarError(f"CBS OData {where}: expected a JSON object")
    return document
