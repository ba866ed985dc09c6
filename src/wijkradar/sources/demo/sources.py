"""demo_sources(): the sources a build needs to load a generated demo."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wijkradar.domain import Provenance
from wijkradar.domain.provenance import sha256_file
from wijkradar.sources.base import Progress, Source, SourceResult, no_progress
from wijkradar.sources.boundaries import BoundariesFile
from wijkradar.sources.demo.generate import DemoFiles, read_changes
from wijkradar.sources.local_csv import LocalCsv

PUBLISHER = "Wijkradar demo (synthetisch)"
LICENCE = "CC0 1.0 (synthetic)"


class DemoChanges:
    """The demo's region changes (merger, changed wijk) as a source of RegionChange records."""

    name = "demo-changes"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def fingerprint(self) -> str:
        return sha256_file(self.path)

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        changes = tuple(read_changes(self.path))
        progress("demo: indelingswijzigingen", len(changes), len(changes))
        yield SourceResult(
            provenance=Provenance(
                publisher=PUBLISHER,
                table_id="region-changes",
                title="Indelingswijzigingen van de demo (synthetisch)",
                year=None,
                retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
                licence=LICENCE,
                checksum=sha256_file(self.path),
                url=self.path.resolve().as_uri(),
                kind="changes",
            ),
            changes=changes,
        )


def demo_sources(files: DemoFiles) -> list[Source]:
    """KWB dumps (through the CBS files reader), the demo's provinces (through the Gebieden
    reader), boundaries, the GGD CSV and the changes."""
    sources: list[Source] = [kwb_source(files), gebieden_source(files)]
    for path in sorted(files.boundaries_dir.glob("*.geojson")):
        sources.append(BoundariesFile(path, publisher=PUBLISHER, licence=LICENCE))
    sources.append(LocalCsv(files.local_csv, files.local_mapping))
    sources.append(DemoChanges(files.changes))
    return sources


def kwb_source(files: DemoFiles) -> Source:
    # Imported lazily: the CBS KWB reader lives in its own package and is optional here.
    module: Any = importlib.import_module("wijkradar.sources.cbs_kwb")
    source: Source = module.CbsKwbFiles(files.kwb_dir, publisher=PUBLISHER, licence=LICENCE)
    return source


def gebieden_source(files: DemoFiles) -> Source:
    module: Any = importlib.import_module("wijkradar.sources.cbs_gebieden")
    source: Source = module.CbsGebiedenFiles(
        files.gebieden_dir, publisher=PUBLISHER, licence=LICENCE
    )
    return source
