"""Read-only access to a published monitor database."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb

from wijkradar.domain import InputError, WijkradarError

_MAGIC_OFFSET, _MAGIC = 8, b"DUCK"  # DuckDB files carry "DUCK" after an 8-byte checksum


def open_read(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a built monitor database read-only; a clear error if there is none yet."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            path, "--db is a directory", expected="a monitor database file", found="a directory"
        )
    if not path.is_file():
        raise WijkradarError(
            f"no monitor database at {path}; run `wijkradar demo` or `wijkradar build` first"
        )
    check_database(path)
    return duckdb.connect(str(path), read_only=True)


def check_database(path: Path) -> None:
    """Refuse a file that is not a DuckDB database holding a Wijkradar build."""
    with open(path, "rb") as handle:
        head = handle.read(_MAGIC_OFFSET + len(_MAGIC))
    if head[_MAGIC_OFFSET:] != _MAGIC:
        raise InputError(
            path,
            "not a monitor database",
            expected="a DuckDB file written by `wijkradar build`",
            found=f"{len(head)} bytes starting {head[:8]!r}" if head else "an empty file",
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise InputError(
            path,
            "cannot open the database",
            expected="a DuckDB file of this DuckDB version, not opened for writing elsewhere",
            found=str(error).splitlines()[0],
        ) from None
    with contextlib.closing(con):
        tables = {
            str(row[0])
            for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    if "build" not in tables:
        raise InputError(
            path,
            "a DuckDB file, but not a Wijkradar monitor database",
            expected="tables written by `wijkradar build` (build, observations, ...)",
            found=", ".join(sorted(tables)[:5]) or "no tables",
        )
