# Collective Brain — the two everyday commands are `make run` and `make test`.
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py

.PHONY: install install-dev browser-deps run test lint format migrations-check deploy-check messages translations-check ci

install:
	scripts/bootstrap runtime

install-dev:
	scripts/bootstrap dev

browser-deps:
	scripts/browser-deps

## Install, migrate, load the demo content and serve http://127.0.0.1:8000/ with a task worker.
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) serve 127.0.0.1:8000

## Run the whole test suite (unit, integration and browser journeys).
test: install-dev browser-deps
	.venv/bin/pytest

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations-check:
	$(MANAGE) makemigrations --check --dry-run

deploy-check:
	scripts/deploy-check

## Extract translatable strings into locale/*/LC_MESSAGES/django.po.
messages:
	$(MANAGE) makemessages --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules -l fr -l es -l pt -l it
	$(MANAGE) compiletranslations

translations-check:
	$(PYTHON) scripts/check_translations.py

ci: test lint migrations-check deploy-check translations-check
