"""Where a number came from. Every source result carries one; builds store them all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    """One input of a build.

    `source_id` is stable for the same content: publisher/table/year plus the first 12 hex digits
    of the content checksum, so observations can point at it and a rebuild can tell what changed.
    """

    publisher: str  # "CBS", "Gemeente Utrecht", "Wijkradar demo (synthetic)"
    table_id: str  # "85618NED", "wijkbuurtkaart", a local file's stem
    title: str
    year: int | None  # the reference year the table describes
    retrieved_at: str  # ISO 8601 UTC, when the bytes were fetched or read
    licence: str  # "CC BY 4.0"
    checksum: str  # "sha256:<hex>" of the raw input bytes
    url: str | None = None  # where it was fetched, or a file:// path
    kind: str = "observations"  # observations | boundaries | local

    def __post_init__(self) -> None:
        if not self.checksum.startswith("sha256:") or len(self.checksum) != 71:
            raise ValueError(f"checksum must be 'sha256:<64 hex>', got {self.checksum!r}")
        if not self.publisher or not self.table_id:
            raise ValueError("publisher and table_id are required")

    @property
    def source_id(self) -> str:
        year = "" if self.year is None else f"/{self.year}"
        return f"{self.publisher}/{self.table_id}{year}@{self.checksum[7:19]}"


def sha256_bytes(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return "sha256:" + digest.hexdigest()
