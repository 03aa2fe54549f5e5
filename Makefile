# The two commands: `make demo` runs Vigil on its embedded defaults; `make test` runs
# everything CI runs. Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
VIGIL_DATA_DIR ?= $(CURDIR)/var
export VIGIL_DATA_DIR

.PHONY: demo test lint typecheck migrations-check unit unit-postgres e2e bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: migrate, seed the demo retailer and serve it on 127.0.0.1:$${VIGIL_PORT:-8000}
demo: install
	DEBUG=$${DEBUG:-true} $(BIN)/vigil demo
	DEBUG=$${DEBUG:-true} exec $(BIN)/vigil serve

## test: lint, types, migrations in step, tests on SQLite (and PostgreSQL when
## VIGIL_TEST_DATABASE_URL is set)
test: install-dev lint migrations-check unit unit-postgres

lint: install-dev
	$(BIN)/ruff check vigil tests bench
	$(BIN)/ruff format --check vigil tests bench
	$(BIN)/mypy vigil

migrations-check: install-dev
	VIGIL_DATA_DIR=$$(mktemp -d) $(BIN)/vigil manage makemigrations --check --dry-run

unit: install-dev
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

unit-postgres: install-dev
	@if [ -n "$$VIGIL_TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($$VIGIL_TEST_DATABASE_URL)"; \
		DATABASE_URL="$$VIGIL_TEST_DATABASE_URL" $(BIN)/pytest --ignore=tests/engines $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but VIGIL_TEST_DATABASE_URL is not set: the PostgreSQL run is required" >&2; exit 1; \
	else \
		echo "== VIGIL_TEST_DATABASE_URL not set: skipping the PostgreSQL run"; \
	fi

e2e: install-dev
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
