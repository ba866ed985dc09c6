"""Read-only access to a published monitor database."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from wijkradar.domain import InputError, WijkradarError
from wijkradar.store import constants

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


class LiveDatabase:
    """The published build at `path` for a long-running server, following new builds.

    A build replaces the file atomically (os.replace). Before handing out a cursor this checks
    the file's identity (inode, size, modification time; one stat): when it changed, the new file
    is opened and later requests read it, while requests already running keep their cursor on the
    old file (its inode stays readable until the last cursor on it closes). DuckDB caches one
    database instance per path, so a plain second connect() would return the old file; the file
    is therefore attached to a private in-memory database instead.
    """

    def __init__(self, path: Path, on_new_build: Callable[[], None] | None = None) -> None:
        self.path = Path(path)
        #: Called on a thread of its own each time a build is opened (the first and every new
        #: one), so a server can fill its per-build caches before readers ask (api.app.warm).
        self.on_new_build = on_new_build
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int, int] | None = None
        self._build_id = ""
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        #: the connection whose build constants are known, and those constants
        self._known: tuple[duckdb.DuckDBPyConnection, constants.BuildConstants] | None = None

    def _stat(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise WijkradarError(
                f"no monitor database at {self.path}; run `wijkradar demo` or "
                "`wijkradar build` first"
            ) from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def __call__(self) -> duckdb.DuckDBPyConnection:
        """The connection on the current build (reopened when the file was replaced)."""
        identity = self._stat()
        with self._lock:
            if self._con is None or identity != self._identity:
                check_database(self.path)
                con = duckdb.connect(":memory:")
                con.execute(f"ATTACH '{_quoted(self.path)}' AS monitor (READ_ONLY)")
                con.execute("USE monitor")
                row = con.execute("SELECT max(build_id) FROM build").fetchone()
                # The old connection is dropped, not closed: running requests still use it.
                self._con, self._identity = con, identity
                self._build_id = "" if row is None or row[0] is None else str(row[0])
                if self.on_new_build is not None:
                    # Not a daemon: the interpreter waits for it rather than tearing DuckDB
                    # down under it; close() waits for it too.
                    self._warming = threading.Thread(
                        target=self.on_new_build, name="wijkradar-warm"
                    )
                    self._warming.start()
            return self._con

    def build_id(self) -> str:
        """The id of the build currently served (read once per file)."""
        self()
        return self._build_id

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one request, on the current build, its constants pinned: the build of
        a connection never changes (a new file gets a new connection), so they are looked up
        once per connection, not once per request (that lookup is a query, ~1 ms)."""
        con = self()
        cursor = con.cursor()
        cursor.execute("USE monitor")
        known = self._known
        if known is not None and known[0] is con:
            constants.pin(cursor, known[1])
            return cursor
        constants.pin(cursor)
        try:
            found = constants.of(cursor)
        except WijkradarError:
            return cursor  # no build record: each caller says so in its own way, as before
        with self._lock:
            if self._con is con:
                self._known = (con, found)
        return cursor

    def close(self) -> None:
        """Wait for the caches to be warmed, then close the connection."""
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


def _quoted(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
