"""Sources parsed ahead in a second process while the build reads the first ones itself.

Parsing is Python that holds the GIL, so a thread would not help. The build takes sources from
the front and parses them in its own process, streaming; one worker process takes sources from
the back and sends their results over. The build still adds every source's results in the
sources' own order, so what is built does not depend on which process parsed what; only where
memory goes does: a source the worker parsed is held whole until the build reaches it.
"""

from __future__ import annotations

import gc
import importlib.machinery
import multiprocessing
import os
import pickle
import queue
import sys
import traceback
from collections.abc import Iterator, Sequence
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from wijkradar.sources.base import Progress, Source, SourceResult, no_progress

# How long the build waits for a message before checking that the worker is still alive.
POLL_SECONDS = 1.0
_DONE = "done"
_FAILED = "failed"
_RESULT = "result"


def worth_a_worker(sources: Sequence[Source]) -> bool:
    """A worker pays off with two cores and sources it can take (picklable, more than one)."""
    if len(sources) < 2 or (os.cpu_count() or 1) < 2:
        return False
    if multiprocessing.current_process().daemon:
        return False  # a daemonic process may not start one of its own
    if any(type(source).__module__ == "__main__" for source in sources):
        return False  # the worker does not import the caller's script (see ParsedAhead.__enter__)
    try:
        pickle.dumps(list(sources))
    except Exception:  # a source holding a connection or a local class stays in this process
        return False
    return True


class ParsedAhead:
    """Results of `sources` in order, source by source: `results(i)` for i = 0, 1, ...

    Without a worker (`worker=False`) each source is simply read when asked for. An error of
    the worker's source is raised when the build reaches that source, as it would have been
    reading them one after another; leaving the block stops the worker.
    """

    def __init__(self, sources: Sequence[Source], *, worker: bool) -> None:
        self._sources = list(sources)
        self._held: dict[int, list[Any]] = {}
        self._begun: set[int] = set()  # sources some of whose results were handed on
        self._process: Any = None
        if not worker:
            return
        context = multiprocessing.get_context("spawn")  # no threads or DuckDB inherited
        self._lock = context.Lock()
        self._front: Synchronized[int] = context.Value("i", 0, lock=False)
        self._back: Synchronized[int] = context.Value("i", len(self._sources), lock=False)
        self._messages: Any = context.Queue()
        self._process = context.Process(
            target=_work,
            args=(self._sources, self._front, self._back, self._lock, self._messages),
            name="wijkradar-parse",
            daemon=True,
        )

    def __enter__(self) -> ParsedAhead:
        if self._process is None:
            return self
        # A spawned process runs the caller's main script again unless that script guards
        # itself with `if __name__ == "__main__"`; a main module named "__main__" is left alone
        # (multiprocessing.spawn), and the worker needs nothing from it.
        main = sys.modules["__main__"]
        spec = getattr(main, "__spec__", None)
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
        try:
            self._process.start()
        finally:
            main.__spec__ = spec
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._messages.close()
        self._messages.join_thread()

    def results(self, index: int, progress: Progress = no_progress) -> Iterator[SourceResult]:
        """Source `index`'s results; call in order of index."""
        if self._process is None or self._claim(index):
            yield from self._sources[index].read(progress)
            return
        while True:
            messages = self._take(index)
            if messages is None:  # the worker stopped before it sent anything of this source
                yield from self._sources[index].read(progress)
                return
            for kind, payload in messages:
                if kind == _FAILED:
                    raise payload
                if kind == _DONE:
                    return
                yield payload

    def _claim(self, index: int) -> bool:
        """True when this process parses source `index` (the worker has not taken it)."""
        with self._lock:
            if self._front.value <= index < self._back.value:
                self._front.value = index + 1
                return True
            return False

    def _take(self, index: int) -> list[tuple[str, Any]] | None:
        """The messages of source `index` received so far, waiting for at least one; None
        when the worker stopped without sending any (it was killed, or could not start)."""
        started = index in self._begun
        while not self._held.get(index):
            try:
                message = self._messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                if not started:
                    return None
                raise RuntimeError(
                    f"the build's parse worker stopped (exit code {self._process.exitcode}) "
                    f"in the middle of {self._sources[index].name}"
                ) from None
            source, kind, payload = message
            self._held.setdefault(source, []).append((kind, payload))
        self._begun.add(index)
        return self._held.pop(index)


def _work(
    sources: list[Source],
    front: Synchronized[int],
    back: Synchronized[int],
    lock: Any,
    messages: Any,
) -> None:
    """The worker: claim sources from the back until the build's front reaches them."""
    gc.disable()  # as the build (pipeline.build.collector_paused); the process is short-lived
    while True:
        with lock:
            if back.value <= front.value:
                return
            back.value -= 1
            index = back.value
        try:
            for result in sources[index].read():
                messages.put((index, _RESULT, result))
        except BaseException as error:
            messages.put((index, _FAILED, _picklable(error)))
            return
        messages.put((index, _DONE, None))


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        text = "".join(traceback.format_exception(error)).rstrip()
        return RuntimeError(f"{type(error).__name__}: {error}\n(in the parse worker)\n{text}")
    return error
