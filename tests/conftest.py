from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TINY, set_cell


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
