"""Content checksums of inputs, computed without parsing them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path


def checksum_files(files: list[Path]) -> str:
    """sha256 over the raw bytes of the files, in name order, each preceded by its name.

    For one file this is sha256(name + NUL + bytes); a dump folder hashes all its JSON files.
    """
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return "sha256:" + digest.hexdigest()


def modified_at(files: list[Path]) -> str:
    """ISO 8601 UTC time of the newest file: when these bytes were last written here."""
    newest = max(path.stat().st_mtime for path in files)
    return datetime.fromtimestamp(newest, UTC).isoformat(timespec="seconds")
