"""The one clock of the operational store, so tests can freeze it (retention, deadlines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)  # noqa: E731


def now() -> dt.datetime:
    """Naive UTC now (the store keeps naive UTC timestamps on both engines)."""
    return _now()


def today() -> dt.date:
    return now().date()


def freeze(moment: dt.datetime | None) -> None:
    """Fix the clock at `moment` (None: back to real time). For tests and `--today`."""
    global _now
    if moment is None:
        _now = lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)  # noqa: E731
    else:
        _now = lambda: moment  # noqa: E731
