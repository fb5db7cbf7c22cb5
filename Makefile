# Xero Bridge — the two commands a newcomer needs: `make dev` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# checkov's pins conflict with aws-sam-cli's and cfn-lint's: it has a venv of its own.
CHECKOV_VENV := .venv-checkov
# Lambda runs python3.12: find it on PATH, else under pyenv (as on the team's machines).
# A pyenv shim may exist without working, so each candidate must actually run.
PYTHON312 ?= $(shell for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -rV) $$(command -v python3.12); do \
  "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo "$$p"; break; }; done)
# `shared` is what the layer puts on sys.path in Lambda; `.` holds devstack and tests.
export PYTHONPATH := $(CURDIR)/shared:$(CURDIR)
# sam build looks for python3.12 on PATH; the venv's bin has it.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export SAM_CLI_TELEMETRY := 0

USER ?= alice
SCOPES ?=
GROUPS ?=

.PHONY: help venv dev token grant test lint format typecheck unit integration e2e cfn-lint checkov \
	sam-build bench clean openapi node web web-deps web-test web-e2e chromium deploy-web

help:
	@echo "make dev    run the whole product locally (moto, Xero simulator, dev Okta, gateway)"
	@echo "make test   lint, type-check, every test, cfn-lint, checkov and sam build"
	@echo "make token USER=alice SCOPES='payments:write ask' GROUPS=finance   print a dev token"
	@echo "make bench  print the benchmarks' figures"
	@echo "make web    build the console (web/) if its sources changed; make web-test, make web-e2e"
	@echo "make grant USER=bob TENANTS='<id> <id>'   an administrator's grant in the local stack"
	@echo "make deploy-web STACK=xero-bridge-dev   build, upload and invalidate the deployed console"

define require_python312
@if [ -z "$(PYTHON312)" ]; then \
	  echo "error: Python 3.12 not found. Install it (e.g. 'pyenv install 3.12') or run 'make PYTHON312=/path/to/python3.12'." >&2; \
	  exit 1; fi
endef

$(VENV)/.installed: requirements-dev.txt layers/dependencies/requirements.txt
	$(require_python312)
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(require_python312)
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON312) -m venv $(CHECKOV_VENV)
	@$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

dev: venv web-deps
	$(PY) -m devstack

# apt-get as root, or through sudo for a person.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

# Node.js 20 or later for the console (Playwright requires it): Debian's nodejs when npm is
# missing; bookworm's is 18, too old, and then the error says where to get a newer one.
node:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) nodejs npm; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || { \
	  echo "error: the console needs Node.js 20 or later, found $$(node --version); install it (e.g. from NodeSource: https://github.com/nodesource/distributions) and run make again." >&2; \
	  exit 1; }

# The console: npm ci from the committed lockfile, when node_modules is missing or older.
WEB_INSTALLED := web/node_modules/.package-lock.json
$(WEB_INSTALLED): web/package-lock.json | node
	cd web && npm ci --no-audit --no-fund
	@touch $@

web-deps: $(WEB_INSTALLED)

# What `make dev` does first: build only when web's sources or the API description changed.
web: venv web-deps
	$(PY) -m devstack.web_build

web-test: web-deps
	cd web && npm test

# Debian's chromium for the console's end-to-end tests (Playwright's own download is not used).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(APT_INSTALL) chromium; }

web-e2e: web chromium
	cd web && CHROMIUM_PATH=$(CHROMIUM) DEVSTACK_PYTHON=$(CURDIR)/$(PY) npx playwright test

grant: venv
	@$(PY) -m devstack.grant --user "$(USER)" --tenants "$(TENANTS)"

STACK ?= xero-bridge-dev
deploy-web: venv web-deps
	STACK=$(STACK) $(PY) web/deploy/deploy_web.py

token: venv
	@$(PY) -m devstack.token --user "$(USER)" --scopes "$(SCOPES)" --groups "$(GROUPS)"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(PY) -m pytest tests/unit -q

integration: venv
	$(PY) -m pytest tests/integration -q

e2e: venv
	$(PY) -m pytest tests/e2e -q

cfn-lint: venv
	$(VENV)/bin/cfn-lint template.yaml web/deploy/console-stack.yaml

# The template's security review (settings in .checkov.yaml; skips, with their reasons, in the
# resources' Metadata). Offline: no platform mapping, no update check.
checkov: $(CHECKOV_VENV)/.installed
	BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE $(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml

sam-build: venv
	$(VENV)/bin/sam build --parallel --cached

# The console's part: its unit tests, its build (with the size check) before the Python tests
# (whose stacks then find it current; the real okta-auth-js test runs from web/node_modules),
# then the browser tests.
test: lint typecheck cfn-lint checkov web-test web
	OKTA_AUTH_JS_NODE_MODULES=$(CURDIR)/web/node_modules $(PY) -m pytest -q -n 2 --dist loadfile
	$(MAKE) web-e2e
	$(MAKE) sam-build

# The one API description (functions/docs/openapi.json), built from every function's routes.
openapi: venv
	$(PY) -m devstack.openapi

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf .aws-sam .pytest_cache .ruff_cache .mypy_cache
