# Trusted Research portal. `make run` and `make test` do all the set-up they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= trustedresearch.settings.dev

.PHONY: help install run test test-fast lint format bench docs demo-setup browser-deps java-deps ldap-deps mail-deps clean

help:
	@echo "make run      portal + Celery worker + beat + mail catcher on SQLite (http://127.0.0.1:8000)"
	@echo "make test     the whole test suite"
	@echo "make install  create .venv and install the pinned dependencies"
	@echo "make lint     ruff, djhtml, import layers (lint-imports) and migration checks"
	@echo "make format   ruff format + fix, djhtml"
	@echo "make bench    the benchmarks in bench/"
	@echo "make docs     the documentation site (docs/, MkDocs) into site/, strict"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

# axe-core for the accessibility tests (tests/a11y) and vnu-jar for the HTML validity tests
# (tests/validity), pinned in package-lock.json. No install scripts: neither needs one, and
# vnu-jar's would download a Java runtime (we use Debian's, see java-deps).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --silent --no-audit --no-fund --ignore-scripts

install: $(STAMP)

demo-setup: install
	mkdir -p data/mail/tmp data/mail/new data/mail/cur data/broker
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_comms_pack
	$(BIN)/python manage.py create_demo_users > data/demo-accounts.txt
	$(BIN)/python manage.py load_demo_content

run: demo-setup
	@echo
	@echo "================================================================================"
	@echo " Trusted Research portal: open http://127.0.0.1:8000 and sign in with one of:"
	@sed 's/^/   /' data/demo-accounts.txt
	@echo " Wagtail admin: http://127.0.0.1:8000/admin/"
	@echo " Email the portal sends is caught locally: one file per message in $(CURDIR)/data/mail/new/"
	@echo " Ctrl-C stops the portal, the Celery worker, beat and the mail catcher."
	@echo "================================================================================"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Browser tests need Debian's Chromium; Playwright cannot download its own browser here.
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

# The Nu HTML Checker (vnu-jar from npm, tests/validity) runs on Java.
java-deps:
	@command -v java >/dev/null || { \
	  echo "Installing Java (default-jre-headless) for the HTML validity tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; fi; }

# The LDAP directory sync tests (tests/directory/ldap) and bench start their own OpenLDAP
# server (Debian's slapd, with ldap-utils' ldapadd); no system slapd service is needed or started.
ldap-deps:
	@command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] || { \
	  echo "Installing OpenLDAP (slapd, ldap-utils) for the LDAP directory sync tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils; fi; }

# The bounce mailbox tests (tests/newsletter/bounces) start their own IMAP server (Debian's
# Dovecot, dovecot-imapd); no system dovecot service is needed or started.
mail-deps:
	@command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || { \
	  echo "Installing Dovecot (dovecot-imapd) for the bounce mailbox tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd; fi; }

# One run: browser (live server) and integration tests are transactional and restore what
# migrations created after each (tests/conftest.py, django_db_setup and transactional_db).
test: install node_modules/.package-lock.json browser-deps java-deps ldap-deps mail-deps
	DJANGO_SETTINGS_MODULE=trustedresearch.settings.test $(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

test-fast: install
	DJANGO_SETTINGS_MODULE=trustedresearch.settings.test $(BIN)/pytest -m "not browser and not integration" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

bench: install
	@ls bench/*.py >/dev/null 2>&1 && for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done || echo "No benchmarks yet."

# The documentation site: strict, so a broken link, a missing page or a page left out of the
# navigation fails (CI runs it).
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf data/ staticfiles/ site/ .pytest_cache
