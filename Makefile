# Incident Academy. `make run` serves the portal; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run setup serve test lint typecheck pytest bench clean

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

## serve: run the production stack (DEBUG off, gunicorn, PostgreSQL and Redis on
## 127.0.0.1) on http://$(HOST):$(PORT). Plain HTTP, so SECURE_SSL_REDIRECT is off.
serve: export DEBUG = false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/incident_academy
serve: export REDIS_URL ?= redis://127.0.0.1:6379/0
serve: export SECURE_SSL_REDIRECT ?= false
serve: export BIND ?= $(HOST):$(PORT)
ifeq ($(SECRET_KEY)$(SECRET_KEY_FILE),)
serve: export SECRET_KEY_FILE = var/secret_key
endif
serve: $(RUN_STAMP) | var
	@test -n "$$SECRET_KEY" -o -s "$$SECRET_KEY_FILE" || { umask 077; \
		$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$$SECRET_KEY_FILE"; \
		echo "Generated a throwaway secret key in $$SECRET_KEY_FILE"; }
	$(BIN)/python -c "$$ENSURE_DATABASE"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_curriculum
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	exec $(BIN)/gunicorn --config gunicorn.conf.py

# Create the database named by DATABASE_URL when it does not exist yet.
define ENSURE_DATABASE
import os
import dj_database_url
import psycopg
from psycopg import sql

db = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg.connect(
    host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"],
    password=db["PASSWORD"], dbname="postgres", autocommit=True,
) as connection:
    query = "SELECT 1 FROM pg_database WHERE datname = %s"
    if connection.execute(query, [db["NAME"]]).fetchone() is None:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        print("Created the database", db["NAME"])
endef
export ENSURE_DATABASE

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@ $(RUN_STAMP)

## bench: data at scale on PostgreSQL (database incident_academy_bench, reset each run;
## Redis database 13), query counts, server times, throughput, load and a killed worker.
## Prints one table and writes var/bench/<timestamp>.txt and .json.
## BENCH_LOAD_SECONDS=60 shortens the load (default 300).
bench: $(BENCH_STAMP) | var
	@command -v wrk >/dev/null || echo "bench: wrk not found (apt-get install wrk); throughput falls back to a Python client"
	$(BIN)/python -m bench.run

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
