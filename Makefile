# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo/lodi/mappatura-servizi-lodi.csv
DEMO_TRANSLATIONS := $(wildcard demo/lodi/translations/*.xlf)
TERRITORY := lodi

.PHONY: run test install lint setup-data messages messages-extract

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are build output (not committed); needs GNU gettext's msgfmt.
messages: install
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'var/*' -v0

# For translators: add new interface strings to the .po files.
messages-extract: install
	$(BIN)/python manage.py makemessages --all --no-location -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bench/*'

setup-data: messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_territory $(TERRITORY)
	$(BIN)/python manage.py import_services $(DEMO) --territory $(TERRITORY) --sample-data
	@for file in $(DEMO_TRANSLATIONS); do \
		language=$$(basename $$file .xlf); echo "demo translations: $$language"; \
		$(BIN)/python manage.py import_xliff $$file --territory $(TERRITORY) --language $$language \
			--status draft --translator "demo translation, not reviewed" || exit 1; \
	done
	$(BIN)/python manage.py demo_accounts --territory $(TERRITORY)

# The background worker (large imports) runs beside the web server at a lower priority
# (pages first); Ctrl+C stops both.
run: setup-data
	@echo "Per tutti is at http://127.0.0.1:8000/ (Ctrl+C to stop)"
	trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	nice -n 10 $(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
