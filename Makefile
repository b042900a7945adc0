# `make run` and `make test` set everything up from the lockfiles, then serve or test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: setup run test translations extract-messages db demo clean cluster bench

setup: $(VENV)/.installed node_modules/.installed translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -f --statistics 2>&1 | tail -n 1

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --ignore-dirs '.*' \
		--project Laboratorio -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask pact keygen

demo: db
	$(BIN)/flask lab seed-demo

run: demo
	@echo "Laboratorio on http://127.0.0.1:$(PORT)"
	PORT=$(PORT) $(BIN)/python wsgi.py

# One pytest worker per core (pytest-xdist); each has its own databases (tests/conftest.py).
TEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Every benchmark, at a size for a 2-core machine, as one Markdown table: see bench/README.md.
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/report.py

# N gevent processes and the jobs' consumer behind nginx on PORT, against DATABASE_URL
# (PostgreSQL) and SOCKETIO_MESSAGE_QUEUE (Redis) from the environment: see deploy/cluster.sh.
cluster: setup
	bash deploy/cluster.sh

clean:
	rm -rf $(VENV) node_modules instance translations/*/LC_MESSAGES/*.mo
