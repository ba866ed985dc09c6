"""A real DuckDB monitor database (tests/api/sample_db.py) behind a FastAPI TestClient."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_db import build_sample

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("api") / "monitor.duckdb")


@pytest.fixture(scope="session")
def client(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=sample_db))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real `wijkradar demo` build (CBS-like files, boundaries, a local CSV), made once."""
    import subprocess

    tmp = tmp_path_factory.mktemp("demo-build")
    db = tmp / "monitor.duckdb"
    cli = [sys.executable, "-c", "from wijkradar.cli import main; main()"]
    subprocess.run(
        [*cli, "demo", "--db", str(db), "--dir", str(tmp / "files")],
        check=True,
        capture_output=True,
    )
    return db
