# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint format check clean-db

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Anthology needs Python 3.11 or newer; set PYTHON=/path/to/python3")'
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Development server: debug on for these commands only (the settings default to off).
run: export ANTHOLOGY_DEBUG = 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py import_essays seeds --status published
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: export ANTHOLOGY_DEBUG = 1
check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

clean-db:
	rm -f var/anthology.sqlite3 var/anthology.sqlite3-wal var/anthology.sqlite3-shm
