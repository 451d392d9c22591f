# The README's quickstart: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv run test lint format diagram clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

run: venv
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local $(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in as demo.admin (password ehc-demo-2026)."
	@echo "A Celery worker with embedded beat runs alongside (broker: a SQLite file, no Redis)."
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local EHC_SITE_URL=http://$(HOST):$(PORT) \
		$(BIN)/celery -A ehc_workflow worker -B --concurrency 1 -l info & celery=$$!; \
	trap 'kill $$celery 2>/dev/null; wait $$celery' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.local EHC_SITE_URL=http://$(HOST):$(PORT) \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

diagram: venv
	DJANGO_SETTINGS_MODULE=ehc_workflow.settings.test $(BIN)/python manage.py case_state_diagram --write docs/case-states.mmd

clean:
	rm -rf $(VENV) var
