"""Long commands show what they are doing on stderr, and never on stdout.

The indicator only draws on a terminal, so the command runs in a fresh process that rich is
told is an interactive terminal (``TTY_COMPATIBLE``/``TTY_INTERACTIVE``); stdout stays one
parseable JSON document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Fresh processes of a few seconds each: CI runs them, the fast loop leaves them out.
pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "corridor.cli"]
TERMINAL = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "120"}


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (
            ["appraise", "zangezur-open", "--demand", "middle-2030", "--capex", "1e9"],
            "Appraising: assigning the demand with and without the project",
        ),
        (["simulate", "--from", "Xian", "--to", "Istanbul", "--n", "200"], "Simulating 200"),
    ],
    ids=["appraise-scenario", "simulate"],
)
def test_long_commands_say_what_they_do_on_stderr(args: list[str], shown: str) -> None:
    env = {**os.environ, **TERMINAL}
    result = subprocess.run(
        [*CLI, *args, "--json"], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert shown in result.stderr
    json.loads(result.stdout)
    assert shown not in result.stdout


def test_the_solver_banner_appears_on_neither_stream() -> None:
    # HiGHS writes a licence banner on file descriptor 1 when a solver is created.
    result = subprocess.run(
        [*CLI, "assign", "--demand", "middle-2030", "--method", "min_cost"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "Running HiGHS" not in stream
        assert "THIRD_PARTY_NOTICES" not in stream
    assert "min_cost (system optimum)" in result.stdout
