"""`wijkradar serve` on an address already taken: one-line error and exit 2, nothing announced."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from sample_db import build_sample

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]


def test_serve_on_a_taken_port_fails_cleanly(tmp_path: Path) -> None:
    db = build_sample(tmp_path / "monitor.duckdb")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*CLI, "serve", "--db", str(db), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and f"127.0.0.1:{port}" in result.stderr
    assert "Wijkradar on" not in result.stdout
