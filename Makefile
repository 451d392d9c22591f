# The README's quickstart: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: venv assets chromium pango run test lint format diagram clean check-deploy bandit audit bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

# GOV.UK Frontend and MoJ Frontend, pinned in package.json/package-lock.json; served by Django
# from node_modules (STATICFILES_DIRS), never from a CDN.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

assets: $(NODE_STAMP)

# The browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@test -x $(CHROMIUM) || { \
		echo "Installing Debian's chromium for the browser tests ($(CHROMIUM) is missing)."; \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		fi; \
	} || { echo "The browser tests need $(CHROMIUM): run 'apt-get install -y chromium' as root." >&2; exit 1; }

# WeasyPrint renders plans and letters with Debian's Pango and the DejaVu fonts (so a PDF renders
# the same on every machine); installed here when missing, as chromium is for the browser tests.
pango:
	@{ /sbin/ldconfig -p 2>/dev/null | grep -q libpango-1.0 && test -d /usr/share/fonts/truetype/dejavu; } || { \
		echo "Installing Debian's Pango and DejaVu fonts for WeasyPrint (PDF plans and letters)."; \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; \
		else \
			sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; \
		fi; \
	} || { echo "PDFs need Pango: run 'apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core' as root." >&2; exit 1; }

run: venv assets pango
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in as demo.admin (password ehc-demo-2026)."
	@echo "Second factor: recovery code demo0001 (to demo0020, each once), or the authenticator key above."
	@echo "A Celery worker with embedded beat runs alongside (broker: a SQLite file, no Redis)."
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local EHC_SITE_URL=http://$(HOST):$(PORT) \
		$(BIN)/celery -A ehc_workflow worker -B --concurrency 1 -l info & celery=$$!; \
	trap 'kill $$celery 2>/dev/null; wait $$celery' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local EHC_SITE_URL=http://$(HOST):$(PORT) \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Two workers (pytest-xdist) keep the whole suite well inside ten minutes on two cores;
# PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n 2
test: venv assets chromium pango
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy bandit

# Django's deployment checklist against the production settings, with a throwaway secret and a
# placeholder database (nothing connects): any warning fails (docs/security.md).
check-deploy: venv assets
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.production \
		DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		DATABASE_URL=postgres://check-deploy@127.0.0.1:5432/check_deploy \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Static security analysis: no medium or high finding (each exception is a `# nosec` with why).
# bench/handsql.py is left out: it is the benchmarks' hand-written SQL (the "limit" each
# benchmark is compared with), built only from module constants, run by hand on a bench database.
bandit: venv
	$(BIN)/bandit -q -r . -x ./.venv,./node_modules,./tests,./var,./bench/handsql.py -ll

# Known vulnerabilities in the installed packages; says NOT AUDITED if the service is unreachable.
audit: venv
	$(BIN)/python .ci/pip_audit.py

# Issue 8's benchmarks (never part of `make test`): needs DATABASE_URL pointing at a PostgreSQL
# database made for benchmarks. Generates BENCH_CASES cases once (1,000,000 by default), then
# prints the results table. BENCH_ARGS passes options to run_bench (e.g. --only sweep,reports).
BENCH_CASES ?= 1000000
BENCH_SEED ?= 2026
bench: venv
	@test -n "$(DATABASE_URL)" || { echo "make bench needs DATABASE_URL=postgres://..." >&2; exit 1; }
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py generate_cases \
		--if-empty --cases $(BENCH_CASES) --seed $(BENCH_SEED)
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local DJANGO_DEBUG=false \
		$(BIN)/python manage.py run_bench $(BENCH_ARGS)

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

diagram: venv
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.test $(BIN)/python manage.py case_state_diagram --write docs/case-states.mmd

clean:
	rm -rf $(VENV) var node_modules
