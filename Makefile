# The two commands of the README: `make run` (set up and serve the demo) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SDK_DIR := tests/sdk

.PHONY: run test setup lint clean prod bench

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

$(SDK_DIR)/node_modules/.installed: $(SDK_DIR)/package.json $(SDK_DIR)/package-lock.json
	cd $(SDK_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(STAMP)

## Set everything up on the embedded default (SQLite, demo data) and serve on :8000.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Store API: http://127.0.0.1:8000/api/v3/store/  docs: http://127.0.0.1:8000/api/v3/store/docs/"
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole test suite: pytest (Python tests and the @spree/sdk suite against a live server).
test: $(STAMP) $(SDK_DIR)/node_modules/.installed
	$(PY) -m pytest

## The production profile on loopback: gunicorn + PostgreSQL + Redis (see docs/performance.md).
prod: $(STAMP)
	scripts/run-prod

## The benchmark: starts the production profile, prints throughput and latency per scenario.
bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) $(SDK_DIR)/node_modules db.sqlite3
