# Approvals: `make run` and `make test` each set up everything they need, idempotently.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app approvals
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: setup-run setup-test run test bench lint check

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup-run: $(STAMP)
	@bash scripts/setup_system.sh run

setup-test: $(STAMP)
	@bash scripts/setup_system.sh test

run: setup-run
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup-test
	$(VENV)/bin/pytest

bench: setup-test
	$(PY) bench/notices.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
