# Incident Academy. `make run` serves the portal; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run setup test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python 3.10 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

var:
	mkdir -p var

## setup: install, migrate, load the curriculum and (with DEBUG on) the demo accounts
setup: $(RUN_STAMP) | var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_curriculum
	$(BIN)/python manage.py create_demo_accounts --base-url http://$(HOST):$(PORT)

## run: set everything up and serve on http://$(HOST):$(PORT)
run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy portal

pytest: $(DEV_STAMP) | var
	$(BIN)/pytest $(PYTEST_ARGS)

## test: set everything up, then lint, type-check and run the whole suite
test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
