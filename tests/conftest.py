from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TINY, set_cell


def pytest_configure(config: pytest.Config) -> None:
    """Keep the network cache of this run (and its CLI subprocesses) out of the user's cache."""
    if "CORRIDOR_CACHE_DIR" not in os.environ:
        made = tempfile.mkdtemp(prefix="corridor-test-cache-")
        os.environ["CORRIDOR_CACHE_DIR"] = made
        config.add_cleanup(lambda: shutil.rmtree(made, ignore_errors=True))


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
