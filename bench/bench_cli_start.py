"""Time corridor commands in fresh processes against ``python -c "import pandas"``.

Run: python bench/bench_cli_start.py [--repeat 5]

Each command runs in a new interpreter, as a user's shell would start it, after one warm-up
run (which fills the network cache, the cache of views derived from it and numba's kernel
cache, as any earlier use would). The baseline, in the same run, is a fresh interpreter that
only imports pandas: a command that reads tables cannot start faster. A route from a warm
cache reads no table and imports no pandas, so it can beat the baseline. Targets: a route
from a fresh process under 1 s; no command's start over 5 s. ``--cold`` also times the first
run with empty caches (kernels stay compiled).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PY = sys.executable
CLI = [PY, "-m", "corridor.cli"]

COMMANDS: dict[str, list[str]] = {
    "baseline: import pandas": [PY, "-c", "import pandas"],
    "corridor --help": [*CLI, "--help"],
    "route Xian->Istanbul --json": [*CLI, "route", "--from", "Xian", "--to", "Istanbul", "--json"],
    "route --k 3 --json": [*CLI, "route", "--from", "Almaty", "--to", "Mersin", "--k", "3",
                           "--json"],
    "route --pareto --json": [*CLI, "route", "--from", "Xian", "--to", "Istanbul", "--pareto",
                              "--json"],
    "simulate --json": [*CLI, "simulate", "--from", "Xian", "--to", "Istanbul", "--json"],
    "data summary --json": [*CLI, "data", "summary", "--json"],
    "assign middle-2030 --json": [*CLI, "assign", "--demand", "middle-2030", "--json"],
}  # fmt: skip

TARGETS = {"route Xian->Istanbul --json": 1.0}
MAX_START_S = 5.0


def once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="also time an empty network cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CORRIDOR_CACHE_DIR": cache}
        cold: dict[str, float] = {}
        for name, command in COMMANDS.items():
            if args.cold and name != "baseline: import pandas":
                with tempfile.TemporaryDirectory() as empty:
                    cold[name] = once(command, {**env, "CORRIDOR_CACHE_DIR": empty})
            once(command, env)  # warm-up
        medians = {
            name: statistics.median(once(command, env) for _ in range(args.repeat))
            for name, command in COMMANDS.items()
        }
    base = medians["baseline: import pandas"]
    print(f"{'command (fresh process)':34} {'median s':>9} {'x pandas':>9} {'cold s':>8}  target")
    failed = False
    for name, seconds in medians.items():
        target = TARGETS.get(name, MAX_START_S)
        ok = seconds < target if name != "baseline: import pandas" else True
        failed |= not ok
        cold_s = f"{cold[name]:8.2f}" if name in cold else " " * 8
        verdict = (
            "" if name.startswith("baseline") else f"< {target:.0f} s {'PASS' if ok else 'FAIL'}"
        )
        print(f"{name:34} {seconds:9.2f} {seconds / base:9.1f} {cold_s}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
