"""Where a row of a table came from (kept apart from the table parser, which needs pandas)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowOrigin:
    """Where a row came from: a file and a line number (header = line 1)."""

    file: str
    line: int
