"""Released methodology versions are frozen: methodology/releases.json records their checksums.

`python -m wijkradar.methodology.release 2026.1` freezes a version; editing a released version's
files afterwards makes `verify` (and its test) fail: a change is a new version.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from wijkradar.methodology.loader import default_root, version_files


def file_sums(root: Path, version: str) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        for p in version_files(root, version)
    }


def releases(root: Path | None = None) -> dict[str, dict[str, str]]:
    path = (root or default_root()) / "releases.json"
    if not path.is_file():
        return {}
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def verify(root: Path | None = None) -> list[str]:
    """Problems with released versions (empty when every frozen file is unchanged)."""
    root = root or default_root()
    problems = []
    for version, frozen in releases(root).items():
        current = file_sums(root, version)
        for name in sorted(set(frozen) | set(current)):
            if frozen.get(name) != current.get(name):
                state = (
                    "added"
                    if name not in frozen
                    else ("removed" if name not in current else "changed")
                )
                problems.append(f"{name}: {state} after release {version}")
    return problems


def freeze(version: str, root: Path | None = None) -> None:
    root = root or default_root()
    data = releases(root)
    if version in data:
        raise SystemExit(f"{version} is already released; make a new version instead")
    data[version] = file_sums(root, version)
    (root / "releases.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    freeze(sys.argv[1])
