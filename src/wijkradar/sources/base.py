"""The contract every source adapter fulfils."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import pyarrow as pa

from wijkradar.domain import (
    OBSERVATION_SCHEMA,
    Boundary,
    Provenance,
    Region,
    RegionChange,
    Variable,
)

# Progress callback: (description, done, total or None). Sources call it on long work.
Progress = Callable[[str, int, int | None], None]


def no_progress(description: str, done: int, total: int | None) -> None:
    """A progress callback that reports nothing."""


@dataclass(frozen=True)
class SourceResult:
    """What one input (one table, one file) contributes to a build."""

    provenance: Provenance
    observations: pa.Table = field(default_factory=OBSERVATION_SCHEMA.empty_table)
    regions: tuple[Region, ...] = ()
    variables: tuple[Variable, ...] = ()
    boundaries: tuple[Boundary, ...] = ()
    changes: tuple[RegionChange, ...] = ()
    suppressed: int = 0  # cells the publisher hid, reported per build
    missing: int = 0

    def __post_init__(self) -> None:
        if not self.observations.schema.equals(OBSERVATION_SCHEMA):
            raise ValueError(
                f"{self.provenance.source_id}: observations must use OBSERVATION_SCHEMA, "
                f"got {self.observations.schema}"
            )


class Source(Protocol):
    """A source knows its inputs' checksums before parsing them, so a build can skip work."""

    name: str

    def fingerprint(self) -> str:
        """A content hash of all inputs this source would read (cheap: no parsing)."""
        ...

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        """Parse the inputs; raise InputError naming file, row and expectation on bad input."""
        ...
