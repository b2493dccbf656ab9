# The README's two commands: `make run` and `make test`. Everything else is a helper.
# The first of these that is 3.11 or newer (there is no upper bound): `python3` when it is new
# enough, else the newest versioned one installed beside it.
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
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

# Without Chromium the browser tests are skipped: the last line says so, and how to install it
# (pytest's own exit status is kept).
test: install
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; $(BIN)/python -m tests.browser.availability; exit $$status

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
