"""Writing Arrow tables on a second thread while the caller prepares the next one.

DuckDB releases the GIL while it inserts, so on two cores parsing or scoring the next part
costs little extra wall time. The queue is short: at most `pending` tables wait, which bounds
the memory held.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import duckdb
import pyarrow as pa

Write = Callable[[duckdb.DuckDBPyConnection, str, pa.Table], None]


class BackgroundWriter:
    """Calls `write(cursor, table_name, rows)` for every put, in order, on one thread with its
    own cursor. Its first error is raised in the caller, at the next put or on leaving the
    block; leaving the block waits for every table to be written."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, write: Write, pending: int, name: str
    ) -> None:
        self._cursor = con.cursor()
        self._write = write
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(pending)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name=name)

    def __enter__(self) -> BackgroundWriter:
        self._thread.start()
        return self

    def put(self, name: str, rows: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((name, rows))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after an error only drain, so put() never blocks
                try:
                    self._write(self._cursor, *item)
                except BaseException as error:  # handed to the caller's thread
                    self._error = error

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error
