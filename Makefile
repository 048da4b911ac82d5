# egov — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run dev serve worker signing-worker ocr-worker test test-postgres check lint imports typecheck migrations-check openapi openapi-check messages messages-check bench clean demo

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "egov cần Python 3.11 trở lên / egov needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## make run: venv, install, migrate SQLite in var/, load the Quảng Ninh demo data, serve with
## gunicorn (as in production, egov/gunicorn_conf.py) + task worker
run: $(STAMP)
	EGOV_ENVIRONMENT=demo $(BIN)/python -m egov.devserver

## make dev: the same with Django's auto-reloading runserver (for development)
dev: $(STAMP)
	EGOV_ENVIRONMENT=demo $(BIN)/python -m egov.devserver --reload

## Production-style serving (WSGI, 2+ workers); see docs/operations.md
serve: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn --config python:egov.gunicorn_conf egov.wsgi

worker: $(STAMP)
	$(BIN)/python manage.py db_worker

## Remote signing waits minutes for the signer's phone: its own queue, its own worker
signing-worker: $(STAMP)
	$(BIN)/python manage.py db_worker --queue-name signing

## OCR of stored scans takes seconds to minutes a file: its own queue, its own worker
ocr-worker: $(STAMP)
	$(BIN)/python manage.py db_worker --queue-name ocr

## make demo: what `make run` loads (accounts, dossiers, signed documents), without serving
demo: $(STAMP)
	EGOV_ENVIRONMENT=demo $(BIN)/python -m egov.devserver --load-only

## make test: the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL)
# The suite keeps its bytecode (in the ignored __pycache__ folders): pytest rewrites the asserts
# of every test module when it imports it, and without a cache each worker of each run did it
# again (about 5 s of CPU per worker). See docs/development.md, "Test suite speed".
test test-postgres: export PYTHONDONTWRITEBYTECODE :=

test: $(STAMP)
	@mkdir -p $${EGOV_VAR_DIR:-var}
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

test-postgres: $(STAMP)
	@mkdir -p $${EGOV_VAR_DIR:-var}
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/egov} $(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

check: lint imports typecheck migrations-check openapi-check openapi-compat openapi-lint messages-check

lint: $(STAMP)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py

## Import directions between apps (contracts in pyproject.toml, see docs/architecture.md)
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy src tests conftest.py

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

openapi: $(STAMP)
	$(BIN)/python manage.py export_openapi --output docs/openapi.json

openapi-check: $(STAMP)
	$(BIN)/python manage.py export_openapi --check docs/openapi.json

## /api/v1/ stays backward compatible with the released schema (docs/integration.md, Versioning)
openapi-compat: $(STAMP)
	$(BIN)/python manage.py check_api_compatibility

## Redocly CLI's recommended rules, 0 errors and 0 warnings (tools/openapi-lint, pinned by its lockfile)
OPENAPI_LINT = tools/openapi-lint/node_modules/.bin/redocly
$(OPENAPI_LINT): tools/openapi-lint/package-lock.json
	cd tools/openapi-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

openapi-lint: $(OPENAPI_LINT)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 \
	  $(OPENAPI_LINT) lint docs/openapi.json --config tools/openapi-lint/redocly.yaml --max-problems 200

messages: $(STAMP)
	$(BIN)/python -m egov.i18n_tools compile

messages-check: $(STAMP)
	$(BIN)/python -m egov.i18n_tools check

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .hypothesis
