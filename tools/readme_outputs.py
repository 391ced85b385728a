"""Rerun the README's ``console`` examples of ``.venv/bin/corridor`` and write their output.

Usage: ``python tools/readme_outputs.py [--check]``. Each ``console`` block whose first line is
``$ .venv/bin/corridor ...`` gets the command's current output, run at 100 columns; other
blocks are left alone. ``--check`` writes nothing and exits 1 if a block would change
(``tests/test_readme_outputs.py`` checks the same thing line by line).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
WIDTH = "100"
#: Lines that report how long something took: left out, they differ from run to run.
TIMINGS = ("build / solve, s",)


def run(command: str) -> str:
    args = shlex.split(command)[1:]
    env = {**os.environ, "COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    lines = [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]
    return "\n".join(line for line in lines if not any(t in line for t in TIMINGS))


def rewrite(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        block = match.group(1)
        lines = block.rstrip("\n").split("\n")
        if not lines[0].startswith("$ .venv/bin/corridor "):
            return match.group(0)
        head = [lines[0]]
        command = lines[0][2:]
        i = 1
        while command.endswith("\\"):
            head.append(lines[i])
            command = command[:-1] + " " + lines[i].strip()
            i += 1
        print(f"running: {command}", file=sys.stderr)
        return "```console\n" + "\n".join(head) + "\n" + run(command) + "\n```"

    return BLOCK.sub(replace, text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = rewrite(text)
    if "--check" in sys.argv[1:]:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
