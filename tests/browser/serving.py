"""`wijkradar serve` in a subprocess on a free loopback port, for the browser tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(
    db: Path,
    ready: str,
    env: Mapping[str, str] | None = None,
    start_s: float = 30.0,
    poll_s: float = 0.1,
    stop_s: float = 10.0,
) -> Iterator[str]:
    """The base URL of a server on `db`, once `ready` (a path) answers 200; stopped after."""
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=None if env is None else dict(env),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_s
        while True:
            try:
                if httpx.get(url + ready, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"server did not start: {process.stderr and process.stderr.read()!r}"
                )
            time.sleep(poll_s)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=stop_s)
