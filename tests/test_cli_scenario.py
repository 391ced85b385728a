"""End-to-end tests of ``corridor scenario`` and ``--scenario`` on route."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import run_cli

import corridor


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


def test_list_json_names_every_bundled_scenario_with_its_year() -> None:
    result = run("scenario", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["name"]: r for r in json.loads(result.stdout)["scenarios"]}
    assert rows["world-bank-2030"]["year"] == 2030
    assert rows["zangezur-open"]["year"] is None
    assert len(rows) >= 8


def test_show_json_lists_patches_and_sources() -> None:
    result = run("scenario", "show", "aktau-hub-expansion", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["patches"][0]["set"] == {"capacity_teu_per_year": 240000}
    assert data["sources"][0]["source_id"] == "sc-timesca-aktau-hub-240k"


def test_check_reports_every_problem_located_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\npatches:\n  - nodes: {ids: aktau_port}\n"
        "    set: {capacity_teu_per_year: -1, capacity: 3}\n    ref: a-aktau-hub\n"
    )
    result = run("scenario", "check", bad, "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    paths = {(p["path"], p["line"]) for p in problems}
    assert paths == {
        ("patches[0].set.capacity_teu_per_year", 4),
        ("patches[0].set.capacity", 4),
    }
    text = run("scenario", "check", bad)
    assert text.returncode == 1
    assert "bad.yaml:4: patches[0].set.capacity" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr


def test_check_ok_and_apply_writes_a_loadable_network(tmp_path: Path) -> None:
    assert run("scenario", "check", "northern-closed").returncode == 0
    out = tmp_path / "net"
    result = run("scenario", "apply", "northern-closed", "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    written = corridor.load(out)
    assert written.content_hash() == data["content_hash"]
    assert written.meta.name == "northern-closed"
    russia = written.nodes[written.nodes["country"] == "RU"]
    assert set(russia["status"]) == {"closed"}


def test_route_with_a_scenario_uses_its_network() -> None:
    today = run("route", "--from", "Baku", "--to", "Nakhchivan", "--json")
    assert today.returncode == 2 and "only planned links" in today.stderr
    opened = run(
        "route", "--from", "Baku", "--to", "Nakhchivan", "--scenario", "zangezur-open", "--json"
    )
    assert opened.returncode == 0, opened.stderr
    (found,) = json.loads(opened.stdout)["routes"]
    assert "meghri" in found["nodes"]


def test_unknown_scenario_is_a_clear_error() -> None:
    result = run("scenario", "show", "zangezur-opne")
    assert result.returncode == 2
    assert "did you mean 'zangezur-open'" in result.stderr
    assert "Traceback" not in result.stderr
