# Developer entry points. Each target calls the `cms` CLI or a tool in .venv; the logic
# lives there, not here. Settings come from CMS_* environment variables (see README).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; pyproject.toml changing triggers a re-install.
INSTALLED := $(VENV)/.installed

TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
BENCH_ARGS ?=
NAME ?=
ROLE ?= editor

.PHONY: help .venv run test test-postgres lint schema token lock clean bench

help: ## Show this help
	@echo "Usage: make TARGET"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z.-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)
	@echo
	@echo "Variables: PYTEST_ARGS='-k page -x'  NAME=alice ROLE=editor|admin  PYTHON=python3.11"

.venv: $(INSTALLED) ## Create .venv and install the project with its dev tools

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "error: Python 3.11+ is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
		echo "       Run with PYTHON=/path/to/python3.11 to pick another one." >&2; exit 1; }
	@if [ ! -x $(BIN)/pip ]; then \
		echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
			echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: apt-get install python3-venv" >&2; \
			exit 1; }; \
	fi
	@echo "Installing the project and its dev tools into $(VENV) (the first time takes a minute)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

run: .venv ## Migrate, load the seed article, serve http://127.0.0.1:8000 (GraphiQL at /graphql)
	$(BIN)/cms migrate
	$(BIN)/cms seed
	@echo "Studio: http://127.0.0.1:$${CMS_PORT:-8000}/studio/ — create the first admin with"
	@echo "  $(BIN)/cms user create --email you@example.com --name 'Your Name' --role admin"
	@echo "and open the set-password link it prints."
	$(BIN)/cms serve

test: .venv ## Run the test suite (SQLite unless CMS_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: .venv ## Run the test suite on PostgreSQL (a throw-away database on TEST_POSTGRES_URL)
	CMS_TEST_DATABASE_URL='$(TEST_POSTGRES_URL)' $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: .venv ## Check code style: ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: .venv ## Re-export the GraphQL SDL to schema/schema.graphql
	$(BIN)/cms schema export

token: .venv ## Create an API token: make token NAME=alice [ROLE=editor|admin]
	@[ -n "$(NAME)" ] || { echo "usage: make token NAME=alice [ROLE=editor|admin]" >&2; exit 2; }
	$(BIN)/cms token create --name '$(NAME)' --role '$(ROLE)'

# What the Docker image installs (`pip install -c constraints.txt .`): every distribution a
# clean install of the project pulls in, pinned as it resolves today. Run it with the image's
# Python (3.11) after changing dependencies in pyproject.toml.
lock: ## Regenerate constraints.txt from a clean `pip install .` in a throw-away venv
	@lock_venv=$$(mktemp -d); trap 'rm -rf "$$lock_venv"' EXIT; \
	$(PYTHON) -m venv "$$lock_venv"; \
	"$$lock_venv/bin/python" -m pip install --quiet --disable-pip-version-check .; \
	{ echo "# Pinned by \`make lock\` ($$($(PYTHON) --version), $$(date -u +%F)): the versions a clean"; \
	  echo "# \`pip install .\` resolved. The Dockerfile installs with -c constraints.txt."; \
	  "$$lock_venv/bin/python" -m pip freeze --disable-pip-version-check --exclude cms; \
	} > constraints.txt
	@echo "Wrote constraints.txt ($$(grep -cv '^#' constraints.txt) pinned distributions)."

bench: .venv ## Benchmark the served API (wrk, SQLite and PostgreSQL); see bench/RESULTS.md
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean: ## Remove .venv and tool caches (keeps the database file)
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
