# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# `make run HOST=0.0.0.0` opens the development server to phones on the same network.
HOST ?= localhost
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)

.PHONY: run test lighthouse test-fast test-browser test-postgres check-scale lint format demo bench bench-postgres bench-reminders icons check-python browser redis clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
		echo "error: Python >= 3.12 is required, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "       Install 3.12 (pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 ..."; \
		exit 1; }

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

var:
	@mkdir -p var

# The development server with the task worker and the reminder scheduler beside it, on
# localhost, not 127.0.0.1: browsers make passkeys for a host name, never for an IP address.
# HOST=0.0.0.0 listens on the local network too (its address joins ALLOWED_HOSTS in development).
run: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

# Debian's chromium drives the browser tests; Playwright cannot download its own browser here.
browser:
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "Chromium not found: installing Debian's chromium package"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's redis-server, for the tests of the Redis cache (REDIS_URL); the app runs without it.
redis:
	@if ! command -v redis-server >/dev/null && [ ! -x /usr/sbin/redis-server ] && [ ! -x /usr/bin/redis-server ]; then \
		echo "redis-server not found: installing Debian's redis-server package"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; \
	fi

test: $(VENV)/.installed browser redis | var
	CHROMIUM_PATH="$$(command -v chromium || command -v chromium-browser || command -v google-chrome)" \
		$(PY) -m pytest

test-fast: $(VENV)/.installed redis | var
	$(PY) -m pytest -m "not browser"

test-browser: $(VENV)/.installed browser | var
	CHROMIUM_PATH="$$(command -v chromium || command -v chromium-browser)" $(PY) -m pytest -m browser

# The whole suite again, against a throwaway PostgreSQL cluster.
test-postgres: $(VENV)/.installed browser redis | var
	CHROMIUM_PATH="$$(command -v chromium || command -v chromium-browser || command -v google-chrome)" \
		scripts/with-postgres.sh $(PY) -m pytest

# Past one machine: two gunicorn servers on loopback sharing a throwaway PostgreSQL, Redis and
# an S3 stand-in (moto's server); health, freshness across servers, signed photo URLs, and 8
# clients for 20 s (about a minute and a half). Not part of `make test`; CI runs it after.
check-scale: $(VENV)/.scale-installed redis | var
	PY=$(PY) scripts/check-scale.sh

$(VENV)/.scale-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[scale]'
	@touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# A merge's conflict markers left in any tracked file (ruff reads only Python).
	@! git grep -n -E '^(<<<<<<<|>>>>>>>) ' -- . ':!Makefile' || { echo "conflict markers above"; exit 1; }

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: $(VENV)/.installed | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo

# Counting, photo processing, the largest allowed import, then the whole app under gunicorn on
# a throwaway database (about a minute and a half). Timings live here: tests never assert on them.
bench: $(VENV)/.installed | var
	$(PY) -m benchmarks.stats
	$(PY) -m benchmarks.photos
	$(PY) -m benchmarks.imports
	$(PY) -m benchmarks.http

# The dashboard and history on PostgreSQL with 10,000 users and 1,000,000 sessions: EXPLAIN of
# their queries (no sequential scan on sessions) and CPU per view against 300 users (3-4 min).
bench-postgres: $(VENV)/.installed | var
	scripts/with-postgres.sh $(PY) -m benchmarks.postgres

# The reminder scheduler's cost per run with 10,000 plans (SQLite; PostgreSQL through
# scripts/with-postgres.sh).
bench-reminders: $(VENV)/.installed | var
	$(PY) -m benchmarks.reminders

# The installable app's PNG icons, drawn from static/favicon.svg (committed; run after changing it).
icons: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[icons]'
	$(PY) scripts/make_icons.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Lighthouse (npm's lighthouse, Debian's Chromium) at mobile settings on the demo account's
# dashboard, history and guided session, served as in production on a throwaway database.
# Fails below 100 in performance, accessibility or best practices, or on any layout shift.
lighthouse: $(VENV)/.installed browser | var
	npm ci --no-audit --no-fund --silent
	CHROMIUM_PATH="$$(command -v chromium || command -v chromium-browser)" $(PY) -m benchmarks.lighthouse
