"""Read-only access to a published monitor database."""

from __future__ import annotations

from pathlib import Path

import duckdb

from wijkradar.domain import WijkradarError


def open_read(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a built monitor database read-only; a clear error if there is none yet."""
    path = Path(path)
    if not path.is_file():
        raise WijkradarError(
            f"no monitor database at {path}; run `wijkradar demo` or `wijkradar build` first"
        )
    return duckdb.connect(str(path), read_only=True)
