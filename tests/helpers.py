"""Helpers shared by the tests: the tiny fixture and CSV cell edits."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

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


def run_cli(*args: object) -> subprocess.CompletedProcess[str]:
    """Run ``corridor ARGS`` in this process through the console entry point.

    Goes through :func:`corridor.cli.main.main`, as the installed command does (errors become
    messages and exit codes), but without a new interpreter's start-up. Returns the exit code,
    stdout and stderr like :func:`subprocess.run`. A few tests (``test_cli_json_outputs``)
    still run the command in a fresh process, to catch output written below ``sys.stdout``.
    """
    import contextlib
    import io
    import sys

    from corridor.cli.main import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    code = 0
    sys.argv = ["corridor", *argv]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return subprocess.CompletedProcess(["corridor", *argv], code, out.getvalue(), err.getvalue())


#: Hypothesis profile of this run: ``ci`` (the default, every example count as written) or
#: ``fast`` (``make test-fast``: a tenth of them, at least five).
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(n: int) -> int:
    """Return the number of Hypothesis examples for a test written for ``n`` in CI."""
    return n if PROFILE != "fast" else max(5, n // 10)


def local_client(app: Any, **kwargs: Any) -> TestClient:
    """A test client that talks to ``app`` as a browser on the same machine would.

    Its requests name the host ``localhost`` and come from ``127.0.0.1``, which the server
    serves and lets write when no token is set.
    """
    from fastapi.testclient import TestClient

    kwargs.setdefault("base_url", "http://localhost")
    kwargs.setdefault("client", ("127.0.0.1", 50000))
    return TestClient(app, **kwargs)
