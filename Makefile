# Hipapp: `make run` serves the app on http://127.0.0.1:8000, `make test` runs every test.
# PYTHON=/path/to/python3.12 overrides the interpreter search.

VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ among python3.13, python3.12, python3 and pyenv's installed versions.
# (pyenv shims that refuse to run simply fail the version check and are passed over.)
define find_python
for candidate in $${PYTHON:-} python3.13 python3.12 python3 \
    $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; \
echo "Hipapp needs Python 3.12 or newer; none was found. Install one, or name it: make run PYTHON=/path/to/python3.12" >&2; \
exit 1
endef

.PHONY: run test lint format install install-dev browser migrate catalog demo clean

$(BIN)/python:
	@py=$$($(find_python)) || exit 1; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev html-checker

# The Nu HTML Checker for tests/test_html_valid.py: vnu.jar from the npm package vnu-jar
# (tests/vnu/package-lock.json), run by Debian's Java (installed with apt-get when missing).
.PHONY: html-checker
html-checker: tests/vnu/node_modules/.package-lock.json
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's Java for the HTML check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

tests/vnu/node_modules/.package-lock.json: tests/vnu/package.json tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium (never `playwright install`, which downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Lighthouse scores for today, history, log and the catalog (bench/audit.py;
# AUDIT_ARGS="--pages today --runs 3"). Lighthouse comes from bench/package-lock.json and needs
# Node.js; the browser is Debian's Chromium, never a downloaded one.
.PHONY: audit
bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make audit needs Node.js (18.16 or newer) and npm" >&2; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix bench --no-audit --no-fund --loglevel=error
	@touch $@

audit: install browser bench/node_modules/.package-lock.json
	$(BIN)/python bench/audit.py $(AUDIT_ARGS)

# Requests/s, latency and queries of each page under gunicorn, driven by Debian's wrk
# (bench/bench.py; BENCH_ARGS="--seconds 10 --pages today,history"), the cached pages warm and
# cold. SQLite in a temp dir, or the scratch PostgreSQL database named by DATABASE_URL.
.PHONY: bench
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

migrate: install
	$(BIN)/python manage.py migrate --no-input

catalog: migrate
	$(BIN)/python manage.py load_catalog --if-empty

# On a debug server (the default), a demo person with half a year of history to explore.
demo: catalog
	@$(BIN)/python manage.py seed_demo --if-debug --site http://$(HOST):$(PORT)

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Two app servers against PostgreSQL (database hipapp_loadtest, dropped and recreated), 32
# writers and 8 readers for 30 s, PostgreSQL restarted midway; fails if data is lost or doubled.
.PHONY: loadtest
loadtest: install
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache tests/vnu/node_modules
