# The two commands: `make run` serves a game, `make test` runs every check.
# Both set everything up on a fresh clone: .venv, Python packages, node_modules,
# the frontend build, the database.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PORT
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts \
	frontend/package.json -type f 2>/dev/null)

.PHONY: run test check lint pytest frontend demo worker clean

run: $(VENV)/.installed frontend/dist/index.html
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_scenarios
	PORT=$(PORT) $(PY) manage.py demo
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) wargame.asgi:application

test: $(VENV)/.installed frontend/dist/index.html lint
	$(PY) -m pytest

lint: $(VENV)/.installed frontend/node_modules/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy simulation wargame
	cd frontend && npm run --silent typecheck && npm run --silent lint \
		&& npm run --silent format:check && npm test --silent

frontend: frontend/dist/index.html

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A wargame worker --loglevel INFO

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build
	touch $@

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
