"""Sweeps: spec errors, designs, and runs on a two-process Dask cluster against sequential runs."""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor import services
from corridor.sweeps import (
    SweepError,
    design_points,
    load_sweep,
    parse_sweep,
    prepare,
    run_sequential,
    run_sweep,
    tasks,
)
from corridor.sweeps.design import draw
from corridor.sweeps.spec import Uniform

WAR_RISK_SOURCE = {
    "source_id": "t-warrisk",
    "kind": "estimate",
    "title": "Test range of war-risk premiums",
    "method": "test values",
}

# Middle Corridor 2030 flows: the war-risk premium on Russia, the Alat container capacity
# and demand growth; 2 x 1 x 2 = 4 points.
ASSIGN_SPEC = """\
name: small-assign
base: eurasia
sources:
  - {source_id: t-warrisk, kind: estimate, title: Test range, method: test values}
parameters:
  ru_war_risk_pct:
    patches:
      - war_risk: {RU: $value}
        ref: t-warrisk
  alat_teu:
    patches:
      - nodes: {ids: baku_alat}
        set: {capacity_teu_per_year: $value}
        ref: t-warrisk
  growth:
    demand:
      - where: {commodity: container}
        scale: $value
grid:
  ru_war_risk_pct: [0.725, 10]
  alat_teu: [100000]
  growth: [1.0, 1.6]
job:
  assign: {demand: middle-2030, year: 2030}
"""

# Some war-risk draws lie above the 100 % bound: those points fail, the others finish.
FAILING_SPEC = """\
name: some-fail
sources:
  - {source_id: t-warrisk, kind: estimate, title: Test range, method: test values}
parameters:
  ru_war_risk_pct:
    patches:
      - war_risk: {RU: $value}
        ref: t-warrisk
sample:
  n: 8
  seed: 1
  parameters:
    ru_war_risk_pct: {dist: uniform, low: 60, high: 140}
job:
  route: {origin: kostanay_grain, destination: istanbul, commodity: grain}
"""


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    from corridor.sweeps import connect

    with connect(workers=2) as made:
        yield made


# --- spec ------------------------------------------------------------------------------------


def test_spec_errors_are_located_and_listed_at_once() -> None:
    text = """\
name: bad
parameters:
  war:
    patches:
      - war_risk: {RU: $value}
  growth:
    demand:
      - scale: 1.5
grid:
  war: [1, 150]
  growht: [1.0]
job:
  asign: {demand: middle-2030}
"""
    with pytest.raises(SweepError) as caught:
        parse_sweep(text, "bad.yaml")
    found = {(p.path, p.line) for p in caught.value.problems}
    assert ("job.asign", 13) in found  # unknown key, its line
    messages = "\n".join(p.format() for p in caught.value.problems)
    assert "bad.yaml:13: job.asign: unknown key" in messages
    # the first stage stops at the schema: fix it and the design and templates are checked
    fixed = text.replace("asign", "assign")
    with pytest.raises(SweepError) as caught:
        parse_sweep(fixed, "bad.yaml")
    problems = {p.path: p for p in caught.value.problems}
    assert problems["grid.growht"].message.startswith("unknown parameter")
    assert "did you mean 'growth'" in problems["grid.growht"].message
    assert problems["grid.growht"].line == 11
    assert problems["parameters.growth"].message == "has no values in grid"
    assert "never uses $value" in problems["parameters.growth.demand[0]"].message
    assert problems["parameters.growth.demand[0]"].line == 8
    assert len(caught.value.problems) == 3


def test_template_checks_use_every_grid_value_and_locate_them() -> None:
    text = """\
name: bad
parameters:
  war:
    patches:
      - war_risk: {RU: $value}
grid:
  war: [1, 150]
job:
  route: {origin: xian, destination: istanbul}
"""
    with pytest.raises(SweepError) as caught:
        parse_sweep(text, "bad.yaml")
    messages = [p.format() for p in caught.value.problems]
    assert any(
        m.startswith("bad.yaml:5: parameters.war.patches[0].war_risk.RU: 150 is above the maximum")
        and "(with war = 150)" in m
        for m in messages
    ), messages
    assert any("parameters.war.patches[0].ref" in m and "source" in m for m in messages)


def test_network_checks_are_located_in_the_sweep_file(tmp_path: Path) -> None:
    text = ASSIGN_SPEC.replace("ids: baku_alat", "ids: baku_alatt").replace(
        "demand: middle-2030", "demand: middle-2031"
    )
    spec = parse_sweep(text, str(write(tmp_path, text)))
    with pytest.raises(SweepError) as caught:
        prepare(spec)
    problems = {p.path: p for p in caught.value.problems}
    assert "middle-2031" in problems["job.assign.demand"].message
    selector = next(p for path, p in problems.items() if path.startswith("parameters.alat_teu"))
    assert "baku_alatt" in selector.message and "baku_alat" in selector.message
    assert selector.line == 12


def test_bundled_sweep_checks_against_the_network() -> None:
    spec = load_sweep("caspian-capacity-x-war-risk")
    plan = prepare(spec)
    assert len(design_points(spec)) == 64
    assert len(plan.spec_hash) == 64
    assert plan.demand is not None and set(plan.demand["commodity"]) >= {"grain", "container"}


# --- designs ---------------------------------------------------------------------------------


def test_grid_is_the_cartesian_product_last_parameter_fastest() -> None:
    spec = parse_sweep(ASSIGN_SPEC)
    assert design_points(spec) == [
        {"ru_war_risk_pct": 0.725, "alat_teu": 100000, "growth": 1.0},
        {"ru_war_risk_pct": 0.725, "alat_teu": 100000, "growth": 1.6},
        {"ru_war_risk_pct": 10, "alat_teu": 100000, "growth": 1.0},
        {"ru_war_risk_pct": 10, "alat_teu": 100000, "growth": 1.6},
    ]


def test_monte_carlo_design_is_reproducible_with_its_seed() -> None:
    text = FAILING_SPEC.replace("n: 8", "n: 400")
    first, again = design_points(parse_sweep(text)), design_points(parse_sweep(text))
    assert first == again
    other = design_points(parse_sweep(text.replace("seed: 1", "seed: 4")))
    assert first != other
    values = np.array([p["ru_war_risk_pct"] for p in first])
    assert values.min() >= 60 and values.max() < 140
    assert abs(values.mean() - 100) < 5  # 400 draws: standard error 1.2


def test_adding_a_parameter_leaves_the_others_draws_unchanged() -> None:
    law = Uniform(dist="uniform", low=0, high=1)
    assert draw(law, 50, 9, "a") == draw(law, 50, 9, "a")
    assert draw(law, 50, 9, "a") != draw(law, 50, 9, "b")
    one = parse_sweep(FAILING_SPEC)
    two = parse_sweep(
        FAILING_SPEC.replace(
            "job:",
            "    month: {dist: choice, values: [1, 7], weights: [1, 3]}\njob:",
        ).replace(
            "parameters:\n  ru_war_risk_pct:\n    patches:",
            "parameters:\n  month:\n    demand: [{scale: $value}]\n  ru_war_risk_pct:\n"
            "    patches:",
        )
    )
    assert [p["ru_war_risk_pct"] for p in design_points(one)] == [
        p["ru_war_risk_pct"] for p in design_points(two)
    ]


@settings(max_examples=examples(30), deadline=None)
@given(
    seed=st.integers(0, 2**31),
    median=st.floats(0.1, 10),
    sigma=st.floats(0, 1),
)
def test_lognormal_draws_are_positive_around_their_median(
    seed: int, median: float, sigma: float
) -> None:
    from corridor.sweeps.spec import LogNormal

    values = np.array(draw(LogNormal(dist="lognormal", median=median, sigma=sigma), 400, seed, "x"))
    assert (values > 0).all()
    # the sample median of 400 draws lies within ~4 standard errors of the median
    assert abs(math.log(np.median(values) / median)) <= 4 * 1.25 * sigma / 20 + 1e-12


# --- runs on Dask ----------------------------------------------------------------------------


def _hand_written_scenario(tmp_path: Path, values: dict[str, Any], i: int) -> Path:
    """The point's scenario written out by hand, the way a user would, as the oracle."""
    doc = {
        "name": f"oracle-{i}",
        "base": "eurasia",
        "sources": [WAR_RISK_SOURCE],
        "patches": [
            {"war_risk": {"RU": values["ru_war_risk_pct"]}, "ref": "t-warrisk"},
            {
                "nodes": {"ids": "baku_alat"},
                "set": {"capacity_teu_per_year": values["alat_teu"]},
                "ref": "t-warrisk",
            },
        ],
        "demand": [{"where": {"commodity": "container"}, "scale": values["growth"]}],
    }
    return write(tmp_path, yaml.safe_dump(doc), f"oracle-{i}.yaml")


def test_sweep_on_two_processes_equals_sequential_runs(tmp_path: Path, dask_client: Any) -> None:
    spec = parse_sweep(ASSIGN_SPEC, str(write(tmp_path, ASSIGN_SPEC)))
    result = run_sweep(spec, tmp_path / "out", client=dask_client, chunk_size=1)
    assert result.summary.points_ok == 4 and result.summary.points_failed == 0
    assert result.summary.workers == 2
    metrics = [c for c in result.points.columns if c not in ("elapsed_s",)]

    # 1. the same plan run point by point in this process
    sequential = pd.DataFrame(run_sequential(result.plan)).reindex(columns=metrics)
    pd.testing.assert_frame_equal(
        result.points[metrics].reset_index(drop=True), sequential, check_dtype=False
    )

    # 2. an independent oracle: each point's scenario written as a file and assigned through
    #    the service the CLI uses (sweeps run the system-optimal LP, as `assign --method min_cost`)
    for row in result.points.to_dict("records"):
        path = _hand_written_scenario(tmp_path, row, int(row["point"]))
        _, _, expected = services.run_assignment(
            "eurasia", "middle-2030", scenario=path, method="min_cost"
        )
        totals = expected.totals
        assert row["generalized_cost_usd_per_year"] == pytest.approx(
            totals["generalized_cost_usd_per_year"], rel=1e-9
        )
        assert row["tonne_km_per_year"] == pytest.approx(totals["tonne_km_per_year"], rel=1e-9)
        assert row["unmet_t_per_year"] == pytest.approx(totals["unmet_t_per_year"])
        top = expected.bottlenecks(1).iloc[0]
        assert row["top_bottleneck"] == f"{top['kind']} {top['item_id']} {top['unit']}"
        assert row["top_bottleneck_shadow_price_usd_per_unit"] == pytest.approx(
            float(top["shadow_price_usd_per_unit"]), rel=1e-9
        )
    # the parameters change the outcome: more containers cost more
    by_growth = result.points.groupby("growth")["generalized_cost_usd_per_year"].mean()
    assert by_growth[1.6] > by_growth[1.0]

    # the consolidated files hold the same rows
    on_disk = pd.read_parquet(tmp_path / "out" / "points.parquet")
    assert list(on_disk["point"]) == [0, 1, 2, 3]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["points_ok"] == 4
    # Provenance as for any result: the base network, its hash, the job and its parameters.
    provenance = summary["provenance"]
    assert provenance["network"] == "eurasia"
    assert provenance["content_hash"] == corridor.load("eurasia").content_hash()
    assert provenance["params"]["job"] == "assign"
    assert provenance["params"]["parameters"] == list(result.plan.spec.parameters)
    assert sum(provenance["source_kinds"].values()) > 0


def test_rerun_skips_finished_points_and_runs_only_the_missing(
    tmp_path: Path, dask_client: Any
) -> None:
    spec = parse_sweep(ASSIGN_SPEC, str(write(tmp_path, ASSIGN_SPEC)))
    out = tmp_path / "out"
    first = run_sweep(spec, out, client=dask_client, chunk_size=1)
    parts = sorted((out / "parts").glob("*.parquet"))
    assert len(parts) == 4
    stamps = {p: p.stat().st_mtime_ns for p in parts}

    again = run_sweep(spec, out, client=dask_client, chunk_size=1)
    assert (again.summary.points_computed, again.summary.points_skipped) == (0, 4)
    assert {p: p.stat().st_mtime_ns for p in parts} == stamps  # nothing rewritten
    assert sorted((out / "parts").glob("*.parquet")) == parts
    pd.testing.assert_frame_equal(again.points, first.points)

    lost = pd.read_parquet(parts[2])["point"].tolist()
    parts[2].unlink()  # as if the run had crashed before this chunk finished
    resumed = run_sweep(spec, out, client=dask_client, chunk_size=1)
    assert (resumed.summary.points_computed, resumed.summary.points_skipped) == (1, 3)
    new = set((out / "parts").glob("*.parquet")) - set(parts)
    assert [pd.read_parquet(p)["point"].tolist() for p in new] == [lost]
    cols = [c for c in first.points.columns if c != "elapsed_s"]
    pd.testing.assert_frame_equal(resumed.points[cols], first.points[cols])

    # A zero-byte and a truncated part (a crash while writing, a full disk) are set aside and
    # their points run again, instead of the resume failing on an unreadable file.
    parts = sorted((out / "parts").glob("*.parquet"))
    parts[0].write_bytes(b"")
    parts[1].write_bytes(parts[1].read_bytes()[:40])
    healed = run_sweep(spec, out, client=dask_client, chunk_size=1)
    assert (healed.summary.points_computed, healed.summary.points_skipped) == (2, 2)
    assert len(list((out / "parts").glob("*.corrupt"))) == 2
    pd.testing.assert_frame_equal(healed.points[cols], first.points[cols])


def test_a_changed_spec_refuses_to_mix_results_unless_fresh(
    tmp_path: Path, dask_client: Any
) -> None:
    text = FAILING_SPEC.replace("n: 8", "n: 2").replace("low: 60, high: 140", "low: 1, high: 5")
    out = tmp_path / "out"
    run_sweep(parse_sweep(text), out, client=dask_client)
    changed = parse_sweep(text.replace("seed: 1", "seed: 5"))
    with pytest.raises(SweepError) as caught:
        run_sweep(changed, out, client=dask_client)
    assert "--fresh" in str(caught.value) and "another sweep" in str(caught.value)
    fresh = run_sweep(changed, out, client=dask_client, fresh=True)
    assert (fresh.summary.points_computed, fresh.summary.points_ok) == (2, 2)


def test_failing_points_are_reported_and_the_others_finish(
    tmp_path: Path, dask_client: Any
) -> None:
    spec = parse_sweep(FAILING_SPEC)
    result = run_sweep(spec, tmp_path / "out", client=dask_client, chunk_size=3)
    values = {i: p["ru_war_risk_pct"] for i, p in enumerate(design_points(spec))}
    too_high = {i for i, v in values.items() if float(v) > 100}
    assert 0 < len(too_high) < 8  # seed 1 gives both kinds
    assert set(result.failures["point"]) == too_high
    assert set(result.points["point"]) == set(values) - too_high
    assert set(result.failures["error_type"]) == {"ScenarioError"}
    assert all("above the maximum 100" in e for e in result.failures["error"])
    assert result.points["corridor"].notna().all()
    failures = pd.read_parquet(tmp_path / "out" / "failures.parquet")
    assert set(failures["point"]) == too_high
    # a rerun retries only the failed points (and they fail again)
    again = run_sweep(spec, tmp_path / "out", client=dask_client)
    assert again.summary.points_computed == len(too_high)
    assert set(again.failures["point"]) == too_high


def test_tasks_are_keyed_by_spec_and_values() -> None:
    plan = prepare(parse_sweep(ASSIGN_SPEC))
    keys = [t[1] for t in tasks(plan)]
    assert len(set(keys)) == 4
    assert keys == [t[1] for t in tasks(prepare(parse_sweep(ASSIGN_SPEC)))]
    other = prepare(parse_sweep(ASSIGN_SPEC.replace("year: 2030", "year: 2029")))
    assert not set(keys) & {t[1] for t in tasks(other)}


# --- CLI -------------------------------------------------------------------------------------


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


@pytest.mark.dask  # the command starts a local Dask cluster
def test_cli_runs_resumes_and_reports_json(tmp_path: Path) -> None:
    text = FAILING_SPEC.replace("n: 8", "n: 3").replace("low: 60, high: 140", "low: 1, high: 5")
    spec, out = write(tmp_path, text), tmp_path / "out"
    first = cli("sweep", spec, "--out", out, "--workers", "1", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["points_total"], data["points_ok"], data["points_computed"]) == (3, 3, 3)
    assert {m["metric"] for m in data["metrics"]} >= {"time_h", "distance_km", "cost_usd"}
    assert Path(data["files"]["points"]).is_file()
    assert len(pd.read_parquet(out / "points.parquet")) == 3

    again = cli("sweep", spec, "--out", out, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["points_skipped"] == 3

    table = cli("sweep", spec, "--out", out)
    assert table.returncode == 0 and "3 of 3 points finished" in table.stdout


def test_cli_lists_spec_problems_without_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, FAILING_SPEC.replace("seed: 1", "seed: x").replace("route:", "rout:"))
    result = cli("sweep", bad, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "sample.seed" in result.stderr and "job.rout: unknown key" in result.stderr
    assert not (tmp_path / "out").exists()
    check = cli("sweep", "caspian-capacity-x-war-risk", "--check", "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["points_total"] == 64
