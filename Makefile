# corridor: two commands for a fresh machine.
#   make run   installs corridor into .venv and prints the bundled network's summary
#   make test  installs corridor with its test tools into .venv and runs lint, types and tests
#   make docs  builds the documentation site into site/ (strict); make docs-serve serves it
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint typecheck pytest docs-schema docs docs-serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,docs]"

run: install
	$(BIN)/corridor data summary

lint: install-dev
	$(BIN)/ruff check src tests bench tools docs/tutorials
	$(BIN)/ruff format --check src tests bench tools docs/tutorials

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest

test: lint typecheck pytest

docs-schema: install
	$(BIN)/python -m corridor.docs_gen > docs/schema.md

# Quiet the theme's and plugins' banners about MkDocs 2 (they are not build warnings).
DOCS_ENV := NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true

docs: install-dev
	$(DOCS_ENV) $(BIN)/mkdocs build --strict

docs-serve: install-dev
	$(DOCS_ENV) $(BIN)/mkdocs serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site .cache
