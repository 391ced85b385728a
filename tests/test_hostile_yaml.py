"""Hostile YAML is refused quickly, with its line, by every reader: scenarios, sweeps, the
network's metadata, and the REST API. Each case is bounded in time."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest
from helpers import local_client, run_cli

from corridor.datasets import read_network
from corridor.io.yamlsafe import MAX_DEPTH, YamlLimitError, load_yaml
from corridor.scenarios.spec import read_located_yaml


def alias_bomb(levels: int = 7, width: int = 9) -> str:
    """Nine anchors per list nested seven deep: about 300 bytes that expand to 9**8 values."""
    names = [chr(ord("a") + i) for i in range(levels + 1)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * width)}]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * width)}]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": (alias_bomb(), "aliases used too often"),
    "self-reference": ("a: &a [1, *a]\n", "refers to a node that contains it"),
    "deep nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "levels deep"),
    "moderately deep": ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "levels deep"),
    "infinity": ("name: x\nvalue: .inf\n", "'.inf' is not a finite number"),
    "not a number": ("name: x\nvalue: .NaN\n", "'.NaN' is not a finite number"),
    "overflow": ("name: x\nvalue: -1.0e+400\n", "'-1.0e+400' is not a finite number"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_load_yaml_refuses_fast(case: str) -> None:
    text, message = HOSTILE[case]
    start = time.perf_counter()
    with pytest.raises(YamlLimitError, match=re.escape(message)):
        load_yaml(text)
    assert time.perf_counter() - start < 1.0


def test_the_bomb_is_small_and_a_fair_document_of_the_same_shape_loads() -> None:
    assert len(alias_bomb().encode()) < 400
    data = load_yaml(alias_bomb(levels=2, width=3))
    assert len(data["c"]) == 3 and data["c"][0][0] == ["x", "x", "x"]
    assert load_yaml("published: 2025-11-26\nn: 1.5\n") == {"published": "2025-11-26", "n": 1.5}


def test_scenario_reader_gives_a_located_problem() -> None:
    data, lines, problem = read_located_yaml("name: s\nscale: .inf\n", "s.yaml")
    assert data is None and lines == {} and problem is not None
    assert problem.line == 2 and "not a finite number" in problem.message


def test_scenario_check_and_sweep_check_refuse_the_bomb_in_time(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    for command in (["scenario", "check", bomb], ["sweep", bomb, "--check"]):
        start = time.perf_counter()
        result = run_cli(*command)
        assert time.perf_counter() - start < 5
        assert result.returncode != 0
        assert "aliases used too often" in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr


def test_network_metadata_with_a_bomb_is_a_validation_error(tiny_copy: Path) -> None:
    (tiny_copy / "network.yaml").write_text(alias_bomb(), encoding="utf-8")
    _, report = read_network(tiny_copy)
    assert not report.ok
    assert any("aliases used too often" in p.message for p in report.errors)


def test_api_validate_answers_the_bomb_at_once(tmp_path: Path) -> None:

    from corridor.web.app import create_app
    from corridor.web.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'db'}", data_dir=tmp_path))
    with local_client(app) as client:
        start = time.perf_counter()
        response = client.post("/api/scenarios/validate", json={"yaml": alias_bomb()})
        assert time.perf_counter() - start < 2
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert "aliases used too often" in str(body["problems"])


def test_brackets_in_quotes_and_comments_do_not_count_as_nesting() -> None:
    deep = "[" * 80
    text = f"a: '{deep}'\nb: \"{deep}\"  # {deep}\nc: [1, [2, {{d: 3}}]]\n"
    assert load_yaml(text) == {"a": deep, "b": deep, "c": [1, [2, {"d": 3}]]}
