"""Shared test fixtures. Real CBS data is read from ../shared/data when present, never copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks/, not in tests: no per-example deadline, which on a loaded
# 2-core CI machine would only make property tests flaky.
settings.register_profile("wijkradar", deadline=None)
settings.load_profile("wijkradar")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real CBS data directory; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir() or not any(SHARED_DATA.iterdir()):
        pytest.skip(f"no real CBS data at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
