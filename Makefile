# Approvals: `make run` and `make test` each set up everything they need, idempotently.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app approvals
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

PYBABEL := $(VENV)/bin/pybabel
CATALOGS := approvals/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po))

.PHONY: setup-run setup-test run serve worker test bench bench-queue bench-rush screenshots lint check translations

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# Compiled catalogs (.mo) are built here, never committed.
$(CATALOGS)/%/LC_MESSAGES/messages.mo: $(CATALOGS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(PYBABEL) compile --statistics -i $< -o $@ -l $*

setup-run: $(STAMP) $(MO_FILES)
	@bash scripts/setup_system.sh run

setup-test: $(STAMP) $(MO_FILES)
	@bash scripts/setup_system.sh test
	@$(MAKE) --no-print-directory node_modules/.installed

# axe-core, which the browser tests inject into pages (tests/browser/axe.py), from the npm
# registry at the version package-lock.json pins.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# A random SECRET_KEY, written once (mode 0600) and reused; the app refuses the built-in one.
instance/secret_key: | $(STAMP)
	$(PY) -c 'from approvals.secret_key import ensure; ensure("instance")'

run: setup-run instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production serving: gunicorn with the repository's gunicorn.conf.py (workers, timeouts,
# JSON logs, metrics from every worker); BIND, WEB_CONCURRENCY and DATABASE_URL from the
# environment (README, "Running in production").
serve: setup-run instance/secret_key
	$(FLASK) db upgrade
	$(VENV)/bin/gunicorn -c gunicorn.conf.py "approvals:create_app()"

# The task queue's worker (approvals/worker.py): renders notices after each commit when
# CELERY_BROKER_URL is set, for `make serve` as for this worker; its beat sends `tick` every
# TICK_SECONDS (timers, lapses, retried deliveries: approvals/ticking.py).
worker: setup-run instance/secret_key
	$(VENV)/bin/celery -A approvals.worker worker --beat --schedule instance/celerybeat-schedule --loglevel=INFO --concurrency=2

# Two workers (pytest-xdist), one per core; a test file stays on one worker, so module
# fixtures (a live server, a seeded fuzz app) are made once.
test: setup-test
	$(VENV)/bin/pytest -n 2 --dist loadfile

bench: setup-test
	$(PY) bench/notices.py
	$(PY) bench/queues.py
	$(PY) bench/finance.py
	$(PY) bench/transition.py
	$(PY) bench/scale.py --sizes 10000,100000

# Rewrite docs/screenshots/ from the browser test (a plain test run only adds missing ones).
screenshots: setup-test
	APPROVALS_SCREENSHOTS=1 $(VENV)/bin/pytest -m browser -q

bench-queue: $(STAMP)
	$(PY) bench/queues.py

# 10k, 100k and 1M claims in a throwaway PostgreSQL database (half an hour or so): run it
# when the machine is quiet.
bench-scale: setup-test
	$(PY) bench/scale.py

# Issue 14's December rush against `make serve`'s gunicorn on throwaway databases: PostgreSQL
# and SQLite inline, then PostgreSQL with a Celery worker; at most 60 s of load each.
bench-rush: setup-test
	$(PY) bench/rush.py --queue

# After changing interface text: extract it and merge it into each catalog, then translate.
translations: $(STAMP)
	$(PYBABEL) extract -F babel.cfg -k _l -k N_ --no-location --sort-output \
		-o $(CATALOGS)/messages.pot . >/dev/null
	$(PYBABEL) update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching --ignore-obsolete

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
