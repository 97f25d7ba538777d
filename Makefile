# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?= -n auto
# The PostgreSQL tests run when a local PostgreSQL answers (see scripts/find-postgres).
KTP_TEST_POSTGRES_URL ?= $(shell scripts/find-postgres)
export KTP_TEST_POSTGRES_URL

.PHONY: run test install install-dev system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Serve the demo: SQLite in ./instance, region codes, demo data, a virtual printer, an admin.
run: install
	$(BIN)/ktp demo
	$(BIN)/ktp serve --host $(HOST) --port $(PORT)

## What the tests need from the system (a browser, libusb), then import contracts and the suite.
test: install-dev system-deps
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

system-deps:
	@scripts/ensure-system-deps

bench: install-dev
	$(BIN)/python benchmarks/registry.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
