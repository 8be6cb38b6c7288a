# SafeShare: the two commands are `make demo` and `make test`; `make check` runs what CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SAFESHARE_DATA_DIR ?= $(CURDIR)/data
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test check install install-dev browser-deps pdf-deps node-deps assets lock bench clean

demo: $(VENV)/.installed-base pdf-deps  ## Install, migrate, generate the fake area if empty, serve on 127.0.0.1:$(PORT)
	$(BIN)/safeshare keys generate --if-missing
	$(BIN)/safeshare ledger keys generate --if-missing
	$(BIN)/safeshare migrate --noinput
	$(BIN)/safeshare demo --if-empty
	PORT=$(PORT) $(BIN)/safeshare serve --port $(PORT)

test: $(VENV)/.installed-dev node-deps browser-deps pdf-deps  ## Install test dependencies and run the whole suite
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: treating as a failure" >&2; exit 1; fi; \
	exit $$status

check: $(VENV)/.installed-dev  ## Lint, types, layers, migrations, deployment checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	SAFESHARE_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.prod SAFESHARE_SECRET_KEY=check-only-$$(head -c 64 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	  SAFESHARE_ALLOWED_HOSTS=safeshare.example SAFESHARE_KEY_FILE=/nonexistent \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.txt requirements/build.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/build.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt requirements/build.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/build.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

node-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium (never a downloaded browser).
# PDF export (WeasyPrint) draws text with Debian's Pango; install it when it is missing.
pdf-deps:
	@if ! { /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 && /sbin/ldconfig -p | grep -q libharfbuzz-subset.so.0; }; then \
	  echo "Installing Debian's Pango for PDF export"; \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; fi; \
	fi

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

assets: node-deps  ## Rebuild the committed GOV.UK Frontend CSS and JS
	npm run build

lock: | $(BIN)/python  ## Re-resolve the hashed lock files from pyproject.toml
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt
	$(BIN)/uv pip compile requirements/build.in --python-version 3.11 --generate-hashes -o requirements/build.txt

bench: $(VENV)/.installed-dev  ## Print the benchmark figures (SQLite and PostgreSQL)
	$(BIN)/python bench/bench_case_item.py
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_decisions.py
	$(BIN)/python bench/bench_ledger.py
	$(BIN)/python bench/bench_disclosures.py
	$(BIN)/python bench/bench_linkage.py
	$(BIN)/python bench/bench_search.py

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache
