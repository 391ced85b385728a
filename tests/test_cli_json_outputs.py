"""Every command that takes ``--json`` or ``--geojson`` prints one parseable document on stdout.

Each command runs in a fresh process, so text written below Python's ``sys.stdout`` (e.g. a
compiled solver's banner on file descriptor 1) would be caught. A command added to the CLI
without a case here fails :func:`test_every_json_command_is_covered`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import TINY

CLI = [sys.executable, "-m", "corridor.cli"]

SWEEP_SPEC = """\
name: json-check
base: eurasia
sources:
  - {source_id: t-alat, kind: estimate, title: Test range, method: test values}
parameters:
  alat_teu:
    patches:
      - nodes: {ids: baku_alat}
        set: {capacity_teu_per_year: $value}
        ref: t-alat
grid:
  alat_teu: [100000, 200000]
job:
  assign: {demand: middle-2030, year: 2030}
"""


def cases(tmp: Path) -> dict[str, list[list[str]]]:
    """Argument lists per command path; each list is run with the output flag it ends with."""
    spec = tmp / "sweep.yaml"
    spec.write_text(SWEEP_SPEC, encoding="utf-8")
    od = ["--from", "Xian", "--to", "Istanbul"]
    return {
        "appraise": [
            ["appraise", "--capex", "1e9", "--benefit-usd", "2e8", "--years", "20", "--json"],
        ],
        # Each fresh process costs seconds: `outlook --assign --json`, `appraise SCENARIO` and
        # `assign --criticality` are parsed in-process by their own tests; the LP (HiGHS, the
        # one library that printed below sys.stdout) runs here in `compare --demand`.
        "outlook": [["outlook", "--json"]],
        "compare": [["compare", "eurasia", "alat-phase2", "--demand", "middle-2030", "--json"]],
        "sweep": [
            ["sweep", str(spec), "--check", "--json"],
            ["sweep", str(spec), "--out", str(tmp / "sweep"), "--workers", "1", "--json"],
        ],
        "route": [
            ["route", *od, "--json"],
            ["route", *od, "--geojson"],
            ["route", *od, "--pareto", "--json"],
        ],
        "simulate": [["simulate", *od, "--k", "2", "--n", "2000", "--json"]],
        "quote": [
            ["quote", *od, "--quantity", "40", "--unit", "feu", "--k", "1", "--n", "500", "--json"]
        ],
        "validate": [["validate", "--kind", "distance", "--json"]],
        "calibrate": [
            ["calibrate", "--groups", "sea-running,lake-van-running", "--folds", "3", "--json"]
        ],
        "assign": [
            ["assign", "--demand", "middle-2030", "--json"],
            ["assign", "--demand", "grain-2024", "--geojson"],
        ],
        "data list": [["data", "list", "--json"]],
        "data check": [["data", "check", str(TINY), "--json"]],
        "data summary": [["data", "summary", "--json"]],
        "data export": [["data", "export", str(tmp / "export"), "--format", "geojson", "--json"]],
        "scenario list": [["scenario", "list", "--json"]],
        "scenario show": [["scenario", "show", "alat-phase2", "--json"]],
        "scenario check": [["scenario", "check", "alat-phase2", "--json"]],
        "scenario apply": [
            ["scenario", "apply", "alat-phase2", "--out", str(tmp / "applied"), "--json"]
        ],
    }


def json_commands() -> set[str]:
    """The command paths of the CLI that take --json or --geojson."""
    import typer

    from corridor.cli.main import app

    found: set[str] = set()

    def walk(command: object, path: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
            return
        flags = {o for p in getattr(command, "params", []) for o in p.opts}
        if flags & {"--json", "--geojson"}:
            found.add(" ".join(path))

    walk(typer.main.get_command(app), [])
    return found


def test_every_json_command_is_covered(tmp_path: Path) -> None:
    assert json_commands() == set(cases(tmp_path))


def _run(args: list[str]) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, check=False)
    return args, result


@pytest.mark.slow
def test_all_of_stdout_parses_for_every_json_and_geojson_command(tmp_path: Path) -> None:
    runs = [args for group in cases(tmp_path).values() for args in group]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_run, runs))
    failures = []
    for args, result in results:
        if result.returncode != 0:
            failures.append(f"{' '.join(args)}: exit {result.returncode}: {result.stderr[-500:]}")
            continue
        try:
            document = json.loads(result.stdout)
        except json.JSONDecodeError as exc:
            failures.append(
                f"{' '.join(args)}: stdout is not JSON ({exc}): {result.stdout[:200]!r}"
            )
            continue
        if args[-1] == "--geojson":
            assert document["type"] == "FeatureCollection", args
    assert not failures, "\n".join(failures)


def test_a_new_solver_writes_nothing_on_stdout() -> None:
    code = "from corridor.assign.highs import new_solver; new_solver(); print('done')"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "done\n"
