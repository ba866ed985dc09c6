"""The monitor's per-gemeente figures and boundaries for the partner pages, kept in memory per
monitor file version: a build replaces the file, so its modification time and size change and
the next request reads afresh. Reading them from DuckDB took ~50 ms each per page view (opening
the file and ranking the references), most of the radar page's time (benchmarks/README.md).

The returned dicts are shared between requests: callers must not change them.
"""

from __future__ import annotations

import functools
from pathlib import Path

from wijkradar.ops.partners.place_points import BuurtShapes
from wijkradar.store import ops_context
from wijkradar.store.ops_context import WijkFigures

_Stamp = tuple[int, int] | None


def _stamp(db: Path) -> _Stamp:
    try:
        stat = db.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=64)
def _figures(db: str, stamp: _Stamp, gemeente: str) -> dict[str, WijkFigures]:
    return ops_context.wijk_figures(Path(db), gemeente)


@functools.lru_cache(maxsize=64)
def _wijk_shapes(db: str, stamp: _Stamp, gemeente: str) -> dict[str, str]:
    return ops_context.wijk_boundaries(Path(db), gemeente)


@functools.lru_cache(maxsize=64)
def _buurt_shapes(db: str, stamp: _Stamp, gemeente: str) -> BuurtShapes:
    return BuurtShapes(ops_context.buurt_boundaries(Path(db), gemeente))


def wijk_figures(db: Path, gemeente: str) -> dict[str, WijkFigures]:
    return _figures(str(db), _stamp(db), gemeente)


def wijk_boundaries(db: Path, gemeente: str) -> dict[str, str]:
    return _wijk_shapes(str(db), _stamp(db), gemeente)


def buurt_shapes(db: Path, gemeente: str) -> BuurtShapes:
    """The gemeente's buurt boundaries, parsed (empty without a monitor)."""
    return _buurt_shapes(str(db), _stamp(db), gemeente)
