"""Atomic builds: write a new database beside the old one, swap only when complete."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb


def schema_sql() -> str:
    return files("wijkradar.store").joinpath("schema.sql").read_text(encoding="utf-8")


@dataclass
class BuildWriter:
    """An open, not yet published build. Other store modules write through `con`."""

    target: Path
    temp_path: Path
    con: duckdb.DuckDBPyConnection


@contextlib.contextmanager
def open_build(target: Path) -> Iterator[BuildWriter]:
    """Yield a writer on a temporary file; publish it over `target` only if the block succeeds.

    A failed or interrupted build leaves `target` exactly as it was: os.replace is atomic on the
    same filesystem, and the temporary file is removed on any exception (KeyboardInterrupt too).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp_path = target.with_name(f".{target.name}.building-{os.getpid()}")
    _remove(temp_path)
    con = duckdb.connect(str(temp_path))
    try:
        con.execute(schema_sql())
        yield BuildWriter(target=target, temp_path=temp_path, con=con)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(temp_path, target)
    except BaseException:
        con.close()
        _remove(temp_path)
        raise


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
