"""A bounded schemathesis run against the published OpenAPI schema, in process (ASGI), on a real
`wijkradar demo` build: no 5xx, every status, content type, header and body as documented.
Bounded by MAX_EXAMPLES per operation so the run stays well under a minute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings

MAX_EXAMPLES = 25
FIGURES: dict[str, int] = {}


def test_api_conforms_to_its_schema(demo_build: Path) -> None:
    """Every operation, MAX_EXAMPLES generated cases each, every schemathesis check.

    Driven through Hypothesis directly rather than schemathesis' pytest plugin, which reaches
    into pytest internals that pytest 9 removed.
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(db=demo_build)))
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        FIGURES[key] = 0

        run = _fuzzer(operation, key)
        try:
            run()
        except (
            Exception,
            BaseExceptionGroup,
        ) as error:  # collect every operation's failure, then report them all
            failures.append(f"{key}: {error}")
    # The figures for the issue note: `pytest -s tests/api/test_fuzz_schema.py` prints them.
    print(
        f"\nschemathesis: {len(FIGURES)} operations, {sum(FIGURES.values())} examples,"
        f" {len(failures)} failures"
    )
    assert failures == [], "\n\n".join(failures)
    assert len(FIGURES) >= 10 and sum(FIGURES.values()) >= 10 * 5


def _fuzzer(operation: Any, key: str) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples every run: a CI failure reproduces locally
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        FIGURES[key] += 1
        case.call_and_validate()

    return run
