"""Atomic builds: write a new database beside the old one, swap only when complete.

One build per database at a time (a lock file beside it), and a build killed hard (SIGKILL, power
loss) leaves only a temporary file named with its pid, which the next build removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb

from wijkradar.domain import InputError, WijkradarError
from wijkradar.store.reader import check_database


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
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(target):
        remove_stale(target)
        temp_path = temp_path_for(target, os.getpid())
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


def check_target(target: Path) -> None:
    """A build replaces only a monitor database: never a directory or some other file."""
    if target.is_dir():
        raise InputError(
            target, "--db is a directory", expected="a database file path", found="a directory"
        )
    if target.exists():
        check_database(target)


def temp_path_for(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.building-{pid}")


def lock_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold the database's lock file for the block, or refuse at once if another build holds it.

    flock is released by the kernel when its holder dies, so a killed build never leaves the
    database locked; the file records the holder's pid for the message.
    """
    path = lock_path_for(target)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise WijkradarError(
                f"{target}: another build (pid {holder}) is writing this database;"
                f" wait for it to finish (lock file {path.name})"
            ) from None
        # The previous holder may have removed the file between our open and our lock.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def remove_stale(target: Path) -> list[Path]:
    """Remove temporary files of builds of `target` whose process is gone (killed builds)."""
    removed = []
    for candidate in target.parent.glob(f".{target.name}.building-*"):
        pid_text = candidate.name.rsplit("-", 1)[1].removesuffix(".wal")
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own pid on a leftover file: an earlier build of this process died
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
