from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import PROFILE, TINY, set_cell
from hypothesis import settings

# Example counts per test are scaled by helpers.examples(); the profiles set the rest.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("fast", deadline=None, max_examples=10)
settings.load_profile(PROFILE)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the network cache of this run (and its CLI subprocesses) out of the user's cache."""
    if "CORRIDOR_CACHE_DIR" not in os.environ:
        made = tempfile.mkdtemp(prefix="corridor-test-cache-")
        os.environ["CORRIDOR_CACHE_DIR"] = made
        config.add_cleanup(lambda: shutil.rmtree(made, ignore_errors=True))


#: Tests that use these fixtures get these markers, so tiers can select them (see pyproject).
_MARK_BY_FIXTURE = {"site": "docs", "dask_client": "dask", "pg_server": "postgres"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by the heavy resources they use: docs build, Dask cluster, PostgreSQL."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, mark in _MARK_BY_FIXTURE.items():
            if fixture in names:
                item.add_marker(getattr(pytest.mark, mark))
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture network."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture
def mutate(tiny_copy: Path) -> Callable[[str, str, str, str], Path]:
    def _mutate(table: str, row_id: str, column: str, value: str) -> Path:
        set_cell(tiny_copy, table, row_id, column, value)
        return tiny_copy

    return _mutate
