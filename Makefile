# Needs Now: `make run` serves the site with demo content; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the test suite; the tests only ever touch a schema of their own.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test serve lint format clean bench basemap translations language

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Needs Now needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	@echo
	@echo "Needs Now is at http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo "Create an organiser:  $(FLASK) users create you@example.org --role organiser"
	@echo "  (or --role admin to manage users too), then log in at http://$(HOST):$(PORT)/login"
	@echo
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --logger-class app.serving.PrivateLogger wsgi:app

test: $(VENV)/.installed-dev
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(BIN)/python -m pytest --durations=15

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

bench: $(VENV)/.installed-dev
	$(BIN)/python -m tests.bench.throughput
	$(BIN)/python -m tests.bench.mirror --postgresql "$${DATABASE_URL:-$(TEST_DATABASE_URL)}"
	$(BIN)/python -m tests.bench.phone

# A developer's tool (needs npm): rebuild the routes map's country outlines, then commit them.
basemap: $(VENV)/.installed
	$(BIN)/python -m tools.basemap

# Interface text in every language (app/translations/, docs/translating.md): collect what the
# code and templates mark for translation, bring each catalogue up to date, compile them.
# Commit the .pot, the .po and the .mo files together; tests/test_translations.py checks.
BABEL_DIR := app/translations
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F $(BABEL_DIR)/babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--add-location=file --sort-by-file --no-wrap --omit-header -o $(BABEL_DIR)/messages.pot .
	$(BIN)/pybabel update --no-wrap --ignore-obsolete \
		-i $(BABEL_DIR)/messages.pot -d $(BABEL_DIR)
	$(BIN)/pybabel compile --statistics -d $(BABEL_DIR)

# Start a new language's catalogue: make language CODE=de (then translate it, add it to LANGUAGES).
language: $(VENV)/.installed
	$(BIN)/pybabel init --no-wrap -i $(BABEL_DIR)/messages.pot -d $(BABEL_DIR) -l $(CODE)
