"""Fixtures for the integration tests: KWB dumps on disk and the CLI run in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import Cli, runner
from kwb_dump import ROWS, write_dump


@pytest.fixture
def kwb_dir(tmp_path: Path) -> Path:
    """Both years of kwb_dump.ROWS as OData dumps under tmp_path / "kwb"."""
    root = tmp_path / "kwb"
    for year, rows in ROWS.items():
        write_dump(root, year, rows)
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `wijkradar` with args in process: cli(args) -> (exit code, stdout, stderr)."""
    return runner(capsys, monkeypatch)
