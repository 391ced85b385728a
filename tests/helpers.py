"""Helpers shared by the tests: the tiny fixture and CSV cell edits."""

from __future__ import annotations

import csv
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(folder: Path, table: str, row_id: str, column: str, value: str) -> None:
    """Set one cell of ``table`` in row with id ``row_id`` (first column)."""
    path = folder / f"{table}.csv"
    rows = read_rows(path)
    key = next(iter(rows[0]))
    hits = [r for r in rows if r[key] == row_id]
    assert hits, f"{row_id} not in {table}"
    hits[0][column] = value
    write_rows(path, rows)
