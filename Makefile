# reelib: rare-earth industry reports. `make` lists the targets.
#
# Every target sets up its own environment: the active one if a virtualenv or conda env
# is active, otherwise ./.venv, created with the newest Python 3.11-3.13 found and filled
# from requirements.lock
# (uv from PyPI when available, plain pip otherwise).

.DEFAULT_GOAL := help
SHELL := /bin/bash

# The mirror of published source files (CI keeps it beside the checkout).
export REELIB_MIRROR ?= $(abspath ../shared/sources)
# The newest Python the lock supports (3.11 to 3.13) found on PATH.
# (a name on PATH that does not run, such as a pyenv shim of an absent version, is skipped)
PYTHON_BOOT ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
  && { command -v $$p; break; }; done)
JOBS ?= 2

ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
  PY := python
  ENV_STAMP := .make-env-active
else
  PY := .venv/bin/python
  ENV_STAMP := .venv/.installed
endif
REELIB := $(PY) -m reelib.cli

.PHONY: help
help: ## show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.venv/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON_BOOT)" || { echo "reelib needs Python 3.11, 3.12 or 3.13 on PATH (none runs); set PYTHON_BOOT"; exit 1; }
	@echo "setting up .venv with $$($(PYTHON_BOOT) --version) from requirements.lock (about a minute)"
	@$(PYTHON_BOOT) -m venv .venv
	@if .venv/bin/python -m pip install --quiet --disable-pip-version-check uv; then \
	  .venv/bin/python -m uv pip install --quiet --python .venv/bin/python --compile-bytecode \
	    -r requirements.lock -e . ; \
	else \
	  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -e . ; \
	fi
	@touch $@
	@$(MAKE) --no-print-directory hooks

.make-env-active: pyproject.toml requirements.lock
	@echo "using the active environment ($(VIRTUAL_ENV)$(CONDA_PREFIX))"
	$(PY) -c 'import reelib, papermill, nbval, nbstripout' 2>/dev/null || $(PY) -m pip install -e ".[test]"
	@touch $@
	@$(MAKE) --no-print-directory hooks

.PHONY: env
env: $(ENV_STAMP) ## create the environment (.venv unless one is active)
	@# bytecode for reelib's own modules (0.1 s when current): with PYTHONDONTWRITEBYTECODE
	@# set, as on CI's machines, every build, kernel and test process compiled them again
	@$(PY) -m compileall -q src/reelib

.PHONY: data
data: env ## fetch the sources (sha256-checked) and build data/processed
	$(REELIB) data


.PHONY: reports
reports: env ## build everything from nothing: data, every report, reports/index.html
	$(REELIB) build --jobs $(JOBS)

.PHONY: test
test: env ## run all tests: readers on the real sources, unit tests, report build, nbval
	$(REELIB) build --jobs $(JOBS)
	$(PY) -m pytest -n $(JOBS) --dist loadfile --nbval-lax \
	  --nbval-sanitize-with tests/nbval-sanitize.cfg tests notebooks

.PHONY: unit
unit: env ## quick tests only (no notebooks, no report build)
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not slow and not needs_reports" tests --ignore=tests/nbval

.PHONY: snapshots
snapshots: env ## re-record the key numbers nbval compares (after an intended change)
	$(REELIB) build --jobs $(JOBS)
	$(PY) -m reelib.devtools.snapshots

.PHONY: bench
bench: env ## print speed and memory figures of the pipeline
	$(PY) -m reelib.devtools.benchmark

.PHONY: mirror-archive
mirror-archive: env ## pack the mirror-only sources into reelib-mirror.tar.gz (for CI's release)
	$(PY) -m reelib.devtools.mirror_archive

.PHONY: lint
lint: env ## check style with ruff and the CI workflow against GitHub's schema
	$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install --quiet ruff
	$(PY) -m ruff check src tests notebooks --select E,F,W --line-length 99
	@$(PY) -m check_jsonschema --version >/dev/null 2>&1 || $(PY) -m pip install --quiet check-jsonschema
	$(PY) -m check_jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

.PHONY: hooks
hooks: ## strip notebook outputs on `git add` (a git filter; keeps the nbval key numbers)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.reelib-notebook.clean "$(PY) -m reelib.devtools.snapshots --filter" && \
	  git config filter.reelib-notebook.smudge cat && \
	  git config diff.reelib-notebook.textconv "$(PY) -m reelib.devtools.snapshots --filter <" && \
	  echo "git filter installed: notebooks are staged without outputs (see .gitattributes)"; \
	fi

# JupyterLab runs from its own environment, pinned, never from the build .venv (importing
# it slows every papermill/nbval process); its kernel is the project's .venv Python.
LAB_ENV := .venv-lab
JUPYTERLAB := $(shell sed -n 's/^lab = \["\(jupyterlab==[^"]*\)"\]/\1/p' pyproject.toml)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
ARGS ?=

$(LAB_ENV)/.installed: pyproject.toml | $(ENV_STAMP)
	$(PYTHON_BOOT) -m venv $(LAB_ENV)
	$(LAB_ENV)/bin/python -m pip install --quiet --disable-pip-version-check "$(JUPYTERLAB)"
	$(PY) -m ipykernel install --prefix $(LAB_ENV) --name python3 \
	  --display-name "Python 3 (reelib)"
	@touch $@

.PHONY: lab
lab: $(LAB_ENV)/.installed ## start JupyterLab on notebooks/ (its own env; make lab ARGS="--port 9000")
	$(LAB_ENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(ARGS)

.PHONY: environment
environment: env ## regenerate environment.yml from requirements.lock (after make lock)
	$(PY) -m reelib.devtools.environment

.PHONY: screenshots
screenshots: env ## full-page screenshots of key report pages (headless Chromium)
	$(PY) -m reelib.devtools.screenshots

.PHONY: lock
lock: env ## re-resolve requirements.lock from pyproject.toml
	$(PY) -m uv pip compile pyproject.toml --extra test --python-version 3.11 --universal \
	  -o requirements.lock
	$(PY) -m reelib.devtools.environment

.PHONY: clean-reports
clean-reports: ## delete generated reports
	find reports -mindepth 1 -maxdepth 1 ! -name README.md ! -name screenshots -exec rm -rf {} +

.PHONY: clean-data
clean-data: ## delete fetched and processed data
	find data/raw -mindepth 1 ! -name registry.yaml ! -name README.md -exec rm -rf {} +
	find data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +
