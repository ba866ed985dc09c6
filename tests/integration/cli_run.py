"""The real `wijkradar` entry point run in process, as the `cli` fixture (conftest.py) offers it."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from wijkradar.cli import main

Cli = Callable[[list[str]], tuple[int, str, str]]


def runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """args -> (exit code, stdout, stderr), including the entry point's error handling."""

    def run(args: list[str]) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["wijkradar", *args])
        monkeypatch.setenv("COLUMNS", "200")
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run
