"""The input hash that decides whether a build has work to do.

    input_hash = sha256( json({ "sources": sorted(fingerprints), "options": options,
                                "code": code_version, "methodology": methodology_hash }) )

Any change in a source's bytes, the build options, the code (version + git commit) or the
methodology files gives a new hash and so a rebuild; nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import wijkradar

REPO_ROOT = Path(wijkradar.__file__).resolve().parents[2]


def input_hash(
    fingerprints: Iterable[str],
    options: Mapping[str, Any],
    code_version: str,
    methodology_hash: str | None,
) -> str:
    document = {
        "sources": sorted(fingerprints),
        "options": dict(options),
        "code": code_version,
        "methodology": methodology_hash,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def methodology_hash(directory: Path | None) -> str | None:
    """sha256 over every file's relative path and bytes, in path order; None without a dir."""
    if directory is None or not directory.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()


def default_methodology_dir() -> Path | None:
    """./methodology when run from a checkout, else the one beside the source tree."""
    for candidate in (Path.cwd() / "methodology", REPO_ROOT / "methodology"):
        if candidate.is_dir():
            return candidate
    return None


@cache
def code_version() -> str:
    """The package version, plus the git commit when running from a checkout.

    Cached per process so that one build (and its up-to-date check) sees one value even when
    someone commits meanwhile.
    """
    commit = _git_commit(REPO_ROOT)
    return wijkradar.__version__ + (f"+g{commit[:12]}" if commit else "")


def _git_commit(directory: Path) -> str | None:
    if not (directory / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None
