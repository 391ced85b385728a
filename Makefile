# corridor: two commands for a fresh machine.
#   make run        installs corridor into .venv from uv.lock, builds the web page's libraries
#                   and starts the app
#   make test       installs corridor with its test tools from uv.lock and runs lint, types
#                   and every test (the CI command)
#   make test-fast  the loop to run after every change: unit and property tests, no browser,
#                   PostgreSQL, Dask cluster or docs build (target under 90 s; about 2 min today)
#   make lock       refreshes uv.lock to the newest versions the package metadata allows
#   make test-latest  tries the newest versions (not the lock) in .venv-latest; says what broke
#   make docs       builds the documentation site into site/ (strict); make docs-serve serves it
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Installs come from uv.lock through uv, itself pinned and kept in .cache/tools.
UV_VERSION := 0.13.9
TOOLS := .cache/tools
UV := $(TOOLS)/bin/uv
UV_ENV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never
# --compile-bytecode: uv does not write .pyc files by default, and where the environment sets
# PYTHONDONTWRITEBYTECODE nothing ever writes them, so every process would compile pandas,
# numba and the rest from source (importing pandas took 2.9 s instead of 0.7 s).
SYNC := $(UV_ENV) $(UV) sync --frozen --inexact --python $(PYTHON) --quiet --compile-bytecode
# corridor's own modules, compiled once per change for the same reason.
COMPILE_SRC := $(BIN)/python -m compileall -q src/corridor > /dev/null
# Tests may write their (assertion-rewritten) bytecode to __pycache__, which git ignores.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

.PHONY: run test test-fast test-latest install install-dev lint lint-imports typecheck pytest \
	docs-schema docs docs-serve clean web-assets lock

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) "uv==$(UV_VERSION)"

install: $(UV)
	$(SYNC) --extra plot
	@$(COMPILE_SRC)
	@$(MAKE) --no-print-directory $(KERNELS_WARM)

install-dev: $(UV)
	$(SYNC) --extra plot --extra dev --extra docs
	@$(COMPILE_SRC)
	@$(MAKE) --no-print-directory $(KERNELS_WARM)

# numba compiles the routing kernels on first use and caches them; doing it once here keeps
# the user's first --pareto or --k query from spending a minute compiling.
KERNELS_WARM := $(VENV)/.kernels-warm

$(KERNELS_WARM): $(wildcard src/corridor/graph/*.py) uv.lock
	$(BIN)/python -m corridor.services.warmup
	@touch $@

lock: $(UV)
	$(UV_ENV) $(UV) lock --upgrade --python $(PYTHON)

# The newest releases the metadata allows, in a separate environment: what would break a
# fresh install without the lock. Not part of CI.
test-latest: $(UV)
	rm -rf .venv-latest
	$(UV_ENV) $(UV) venv --quiet --python $(PYTHON) .venv-latest
	VIRTUAL_ENV=.venv-latest $(UV) pip install --quiet --upgrade -e ".[plot,dev,docs]"
	@VIRTUAL_ENV=.venv-latest $(UV) pip freeze --exclude-editable > .cache/latest.txt
	@$(BIN)/python tools/lock_diff.py uv.lock .cache/latest.txt
	.venv-latest/bin/pytest -m "not e2e and not slow" -p no:cacheprovider -q \
		|| (echo "test-latest: the newest versions above break the tests listed"; exit 1)

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
	$(BIN)/lint-imports

# The layers of docs/architecture.md ([tool.importlinter] in pyproject.toml).
lint-imports: install-dev
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

# Both cores: pytest-xdist runs the tests in two processes (each starts its own services).
pytest: install-dev web-assets
	$(PYTEST) -n 2 --dist worksteal -p no:cacheprovider

# The developer's loop: no browser, docs build, Dask cluster or PostgreSQL; Hypothesis at a
# tenth of the CI example counts.
FAST_MARKS := not slow and not e2e and not docs and not dask and not postgres

test-fast: install-dev
	$(BIN)/ruff check --quiet src tests bench tools docs/tutorials
	HYPOTHESIS_PROFILE=fast $(PYTEST) -n 2 --dist worksteal -q -p no:cacheprovider -m "$(FAST_MARKS)"

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
