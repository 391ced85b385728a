"""The outputs the README shows are what the commands print today.

Every ``console`` block of the README that runs ``.venv/bin/corridor ...`` is run again (in a
fresh process, at 100 columns as ``tools/readme_outputs.py`` writes them) and each line the
README shows must appear in the output, in order. A README may show fewer lines than the
command prints (a histogram cut short), never other numbers: when the model changes, run
``python tools/readme_outputs.py`` and review the difference.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        lines = block.rstrip("\n").split("\n")
        if not lines[0].startswith("$ .venv/bin/corridor "):
            continue
        command = lines[0][2:]
        rest = lines[1:]
        while command.endswith("\\"):
            command = command[:-1] + " " + rest.pop(0).strip()
        found.append((command, [line.rstrip() for line in rest if line.strip()]))
    return found


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip())


@pytest.mark.slow
@pytest.mark.parametrize(("command", "shown"), examples(), ids=[c for c, _ in examples()])
def test_readme_output_is_what_the_command_prints(command: str, shown: list[str]) -> None:
    args = shlex.split(command)[1:]
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = [_norm(line) for line in result.stdout.splitlines() if line.strip()]
    position = 0
    for line in shown:
        want = _norm(line)
        try:
            position = printed.index(want, position) + 1
        except ValueError:
            pytest.fail(
                f"README shows {line.strip()!r} for `{command}`, but the command now prints:\n"
                + result.stdout
            )


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 4
