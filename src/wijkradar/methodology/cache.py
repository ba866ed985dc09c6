"""Loaded methodologies kept per (folder, version), for readers that ask on every request.

Loading validates every YAML file against its JSON schema (~65 ms), which a profile request
should not pay each time. A released version is frozen (methodology/releases.json), so it is
loaded once: its files are checked against the release checksums when it enters the cache, not
on every call. A version that is not released (a draft being edited) is cached under the size
and modification time of its files, so an edit is picked up on the next call.
"""

from __future__ import annotations

import functools
import os
import threading
import warnings
from pathlib import Path

from wijkradar.domain.methodology import Methodology
from wijkradar.methodology.loader import default_root, latest_version, load, version_files
from wijkradar.methodology.release import file_sums, releases

_Key = tuple[str, str, tuple[tuple[str, int, int], ...] | None]

_cache: dict[_Key, Methodology] = {}
_edited: set[tuple[str, str]] = set()  # released versions whose files no longer match
_lock = threading.Lock()


def load_cached(version: str | None = None, root: Path | None = None) -> Methodology:
    """The same Methodology as load(version, root), loaded at most once per (root, version)
    while its files stay as released (or, for a draft, unchanged)."""
    root = _resolved(str(root) if root else str(default_root()))
    version = version or latest_version(root)
    released = _releases(root).get(version)
    frozen = released is not None and (str(root), version) not in _edited
    key: _Key = (str(root), version, None if frozen else _stamp(root, version))
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:
        found = _cache.get(key)
        if found is not None:
            return found
        if frozen and file_sums(root, version) != released:
            # An edited release is not what builds recorded; read it as a draft (reloaded when it
            # changes) and say so, instead of serving a cached copy that hides the edit.
            warnings.warn(
                f"methodology {version} under {root} differs from its release checksums",
                stacklevel=2,
            )
            _edited.add((str(root), version))
            key = (str(root), version, _stamp(root, version))
        methodology = load(version, root)
        _cache[key] = methodology
        return methodology


def clear() -> None:
    """Forget every cached methodology (tests that rewrite a folder in place)."""
    with _lock:
        _cache.clear()
        _edited.clear()
        _released.clear()


@functools.lru_cache(maxsize=16)
def _resolved(root: str) -> Path:
    """The folder with symlinks resolved, once per name (a profile request asks each time)."""
    return Path(root).resolve()


_released: dict[str, tuple[tuple[int, int], dict[str, dict[str, str]]]] = {}


def _releases(root: Path) -> dict[str, dict[str, str]]:
    """release.releases(root), read again only when releases.json changed (size, mtime): a
    profile request asks on every call, and parsing the file took ~0.1 ms of it."""
    path = root / "releases.json"
    try:
        st = os.stat(path)
    except OSError:
        return {}
    stamp = (st.st_size, st.st_mtime_ns)
    hit = _released.get(str(root))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    found = releases(root)
    _released[str(root)] = (stamp, found)
    return found


def _stamp(root: Path, version: str) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of every file of the version: changes when a file is edited."""
    stamps = []
    for path in version_files(root, version):
        stat = path.stat()
        stamps.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
