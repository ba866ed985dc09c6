"""Sources for the parse-ahead tests: picklable, importable by the build's parse worker."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

from wijkradar.domain import InputError, Provenance
from wijkradar.sources.base import Progress, SourceResult, no_progress


@dataclass(frozen=True)
class Labelled:
    """`results` empty results whose provenance names this source, `label`, and the process
    that parsed it (in the title); `seconds` of sleep before the first."""

    label: str
    results: int = 1
    seconds: float = 0.0
    name: str = "labelled"

    def fingerprint(self) -> str:
        return self.label

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        time.sleep(self.seconds)
        for i in range(self.results):
            yield SourceResult(provenance(f"{self.label}-{i}", f"pid {os.getpid()}"))


@dataclass(frozen=True)
class Broken:
    """One result, then bad input at row 7 of `path`."""

    path: str
    name: str = "broken"

    def fingerprint(self) -> str:
        return self.path

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        yield SourceResult(provenance("broken-0", f"pid {os.getpid()}"))
        raise InputError(self.path, "not a number", row=7, column="waarde", expected="a number")


@dataclass(frozen=True)
class Fatal:
    """Ends any process but `build_pid` before it yields anything; reads as Labelled there."""

    build_pid: int
    name: str = "fatal"

    def fingerprint(self) -> str:
        return "fatal"

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        if os.getpid() != self.build_pid:
            os._exit(3)
        yield SourceResult(provenance("fatal-0", f"pid {os.getpid()}"))


def provenance(table_id: str, title: str) -> Provenance:
    checksum = "sha256:" + hashlib.sha256(table_id.encode()).hexdigest()
    return Provenance("test", table_id, title, None, "2026-01-01T00:00:00Z", "-", checksum)
