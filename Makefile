# Reformforum. `make run` sets everything up and serves the forum with demo data;
# `make test` runs the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set).

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run setup install test lint format css lock migrations-check clean serve worker backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py import_workshop
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py load_demo_directory
	$(BIN)/python manage.py refresh_insight --now

# The development server and the task worker (e-mail is sent by the worker).
run: setup
	@echo "Reformforum: http://$(HOST):$(PORT)/"
	DEVELOPMENT=1 PYTHON=$(BIN)/python HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

# The production stack: gunicorn with production settings and the task worker.
serve: install
	PYTHON=$(BIN)/python HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

worker: install
	$(BIN)/python manage.py db_worker --no-reload --queue-name '*'

# `make backup` writes backups/reformforum-<time>.dump; `make restore FILE=...` reads one back.
backup: install
	$(BIN)/python manage.py backup $(FILE)

restore: install
	$(BIN)/python manage.py restore $(FILE)

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

css:
	scripts/update-designsystemet.sh

lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.12 -q
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.12 -q

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
