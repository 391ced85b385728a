# corridor: two commands for a fresh machine.
#   make run   installs corridor into .venv, builds the web page's libraries and starts the app
#   make test  installs corridor with its test tools into .venv and runs lint, types and tests
#   make docs  builds the documentation site into site/ (strict); make docs-serve serves it
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint typecheck pytest docs-schema docs docs-serve clean web-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,docs]"

run: install web-assets
	$(BIN)/corridor serve

# The web page's libraries (Leaflet, Chart.js, country outlines) come from the npm registry
# at the versions pinned in web/package-lock.json and are copied into the package. Rebuilt
# only when the lock file or the build script change; skipped with a message without npm.
VENDOR := src/corridor/web/static/vendor/manifest.json

web-assets:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(VENDOR); \
	else \
		echo "web-assets: Node.js and npm were not found, so the map page's libraries were not built."; \
		echo "web-assets: install Node.js 18+ with npm (https://nodejs.org), then run 'make web-assets'."; \
		echo "web-assets: the CLI and the REST API work without them."; \
	fi

$(VENDOR): web/package.json web/package-lock.json web/build.mjs
	cd web && npm ci --no-audit --no-fund && npm run build

lint: install-dev
	$(BIN)/ruff check src tests bench tools docs/tutorials
	$(BIN)/ruff format --check src tests bench tools docs/tutorials

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev web-assets
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
