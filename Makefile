# Two commands for people: `make demo` and `make test`. Everything else is a helper.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m wijkradar.ops.core.textcheck  # builds deduce's lookup lists once (1-2 min)
	touch $(STAMP)

## Set up, build the synthetic demo monitor and serve the dashboard on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/wijkradar demo
	$(BIN)/wijkradar serve

## Lint, type-check and run every test
test: $(STAMP) lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/build_vs_parse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
