"""Calibration: recovery of known parameters, identifiability, cross-validation, the scenario.

The synthetic cases build routes of rail, ferry and sea legs with random lengths, cost them
with known true factors, add lognormal noise, and check what the fit recovers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli

from corridor.calibration import GroupsError, cross_validate, fit, parse_groups
from corridor.calibration.design import ObservedRow, build_design

GROUPS_YAML = """\
groups:
  - {id: rail-time, select: {leg: link, modes: [rail]}, component: running,
     low: 0.4, high: 2.5, refs: [t-rail]}
  - {id: ferry-wait, select: {leg: transfer, modes: [ferry]}, component: dwell,
     low: 0.4, high: 2.5, refs: [t-ferry]}
  - {id: sea-time, select: {leg: link, modes: [sea]}, component: running,
     low: 0.4, high: 2.5, refs: [t-sea]}
  - {id: air-time, select: {leg: link, modes: [air]}, component: running,
     low: 0.4, high: 2.5, refs: [t-air]}
"""
TRUE = np.array([1.4, 0.7, 1.2, 1.0])  # air-time has no observation: its truth is unknowable


def _link(mode: str, hours: float) -> dict[str, object]:
    return {
        "item_id": f"{mode}-link",
        "kind": "link",
        "mode": mode,
        "from_node": "a",
        "to_node": "b",
        "distance_km": 100.0,
        "time_h": hours,
        "border_h": 0.0,
        "dwell_h": 0.0,
        "cost_usd_per_unit": 0.0,
    }


def _transfer(hours: float) -> dict[str, object]:
    return {**_link("rail>ferry", hours), "kind": "transfer", "dwell_h": hours}


def synthetic_rows(n: int, noise: float, seed: int) -> list[ObservedRow]:
    """Routes of 1-3 rail legs, a ferry wait and a sea leg, observed with lognormal noise."""
    rng = np.random.default_rng(seed)
    rows: list[ObservedRow] = []
    for i in range(n):
        rail = rng.uniform(5, 80, size=rng.integers(1, 4))
        wait = rng.uniform(5, 60) if rng.random() < 0.7 else 0.0
        sea = rng.uniform(10, 200) if rng.random() < 0.6 else 0.0
        legs = [_link("rail", h) for h in rail]
        if wait:
            legs.append(_transfer(wait))
        if sea:
            legs.append(_link("sea", sea))
        bundled = float(rail.sum() + wait + sea)
        true = float(TRUE[0] * rail.sum() + TRUE[1] * wait + TRUE[2] * sea)
        observed = true * float(np.exp(rng.normal(0, noise)))
        rows.append(
            ObservedRow(
                observation_id=f"obs-{i}",
                kind="transit_time",
                observed=observed,
                # a +-10 % band reads as sigma = ln(1.1/0.9)/4 = 0.05, the noise's
                low=observed * 0.9,
                high=observed * 1.1,
                modelled=bundled,
                measure="route",
                measure_ids=(),
                legs=tuple(legs),
            )
        )
    return rows


@pytest.fixture(scope="module")
def groups():  # type: ignore[no-untyped-def]
    return parse_groups(GROUPS_YAML, "synthetic.yaml")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_known_factors_are_recovered_within_their_intervals(groups, seed: int) -> None:  # type: ignore[no-untyped-def]
    design = build_design(synthetic_rows(60, 0.05, seed), groups, {})
    result = fit(design, groups)
    assert result.success
    for g, truth in zip(result.groups[:3], TRUE[:3], strict=True):
        assert g.identifiable and g.adopted, g.to_dict()
        assert g.low_95 <= truth <= g.high_95, (g.group.group_id, g.value, truth)
        # and the interval is informative, not the whole plausible range
        assert g.high_95 / g.low_95 < 1.6  # the plausible range spans a factor 6.25


def test_a_group_without_observations_is_not_identifiable_and_stays_at_prior(groups) -> None:  # type: ignore[no-untyped-def]
    design = build_design(synthetic_rows(40, 0.05, 7), groups, {})
    air = fit(design, groups).groups[3]
    assert not air.identifiable and not air.adopted
    assert air.value == pytest.approx(1.0, abs=1e-6)
    assert air.observations == 0 and air.sensitivity == 0.0


def test_collinear_groups_are_reported(groups) -> None:  # type: ignore[no-untyped-def]
    # every route has rail and sea in the same proportion: only their sum is identified
    rows = [
        ObservedRow(
            f"o{i}",
            "transit_time",
            1.3 * 30.0 * (i + 1),
            1.0,
            1e9,
            30.0 * (i + 1),
            "route",
            (),
            (_link("rail", 10.0 * (i + 1)), _link("sea", 20.0 * (i + 1))),
        )
        for i in range(10)
    ]
    fitted = fit(build_design(rows, groups, {}), groups)
    rail, sea = fitted.groups[0], fitted.groups[2]
    assert rail.collinear_with == ("sea-time",) and sea.collinear_with == ("rail-time",)
    assert not rail.adopted and not sea.adopted


def test_out_of_sample_error_is_at_least_the_in_sample_error(groups) -> None:  # type: ignore[no-untyped-def]
    design = build_design(synthetic_rows(50, 0.15, 11), groups, {})
    fitted = fit(design, groups)
    observed = np.array([r.observed for r in design.rows])
    in_sample = np.mean(np.log(design.modelled(fitted.theta) / observed) ** 2)
    cv = cross_validate(design, groups, folds=5)
    out_sample = np.mean(np.log(cv.modelled / observed) ** 2)
    assert out_sample >= in_sample
    # and both beat the bundled figures (factor 1), which are off by 40 % on rail
    before = np.mean(np.log(design.modelled(np.ones(4)) / observed) ** 2)
    assert out_sample < before


def test_the_fit_never_leaves_the_plausible_range(groups) -> None:  # type: ignore[no-untyped-def]
    rows = synthetic_rows(30, 0.02, 5)
    # the truth for rail is far above the range's top (2.5)
    rows = [
        ObservedRow(
            r.observation_id,
            r.kind,
            r.observed * 4,
            r.low * 4,
            r.high * 4,
            r.modelled,
            r.measure,
            r.measure_ids,
            r.legs,
        )
        for r in rows
    ]
    fitted = fit(build_design(rows, groups, {}), groups)
    assert all(g.group.low <= g.value <= g.group.high for g in fitted.groups)
    assert any(g.at_bound and not g.adopted for g in fitted.groups)


def test_a_bad_groups_file_names_every_problem() -> None:
    text = """\
groups:
  - {id: a, select: {leg: road}, component: speed, low: 2, high: 1, refs: []}
  - {id: a, select: {leg: link, modes: rail}, component: cost, low: 0.5, high: nan, refs: [x]}
  - {select: {leg: link}, component: cost, low: 0.5, high: 2, refs: [x], colour: red}
"""
    with pytest.raises(GroupsError) as info:
        parse_groups(text, "mine.yaml")
    message = str(info.value)
    for part in (
        "mine.yaml: groups[0] (a): select.leg",
        "groups[0] (a): component",
        "groups[0] (a): needs low <= prior <= high",
        "groups[0] (a): refs",
        "groups[1] (a): high must be a finite number",
        "groups[2]: id is required",
        "groups[2]: unknown key 'colour'",
    ):
        assert part in message, message


def test_cli_calibrate_writes_a_scenario_that_passes_data_check(tmp_path: Path) -> None:
    out = tmp_path / "calibrated.yaml"
    result = run_cli("calibrate", "--folds", "3", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["observations_used"] >= 30
    groups = {g["group"]: g for g in report["groups"]}
    assert not groups["lake-van-running"]["identifiable"]  # no observation crosses Lake Van
    assert all(g["low_factor"] <= g["fitted_factor"] <= g["high_factor"] for g in groups.values())
    kinds = {s["kind"] for s in report["in_sample_after"]}
    assert {"transit_time", "price", "all"} <= kinds
    assert len(report["residuals"]) == report["observations_used"]
    assert report["scenario_patches"] > 0
    applied = tmp_path / "net"
    assert run_cli("scenario", "apply", str(out), "--out", str(applied)).returncode == 0
    check = run_cli("data", "check", str(applied), "--json")
    assert check.returncode == 0, check.stdout
    summary = json.loads(run_cli("data", "summary", str(applied), "--json").stdout)
    core = next(p for p in summary["provenance"] if p["family"] == "core")
    assert core["calibrated"] > 0
    # the calibrated figures are not counted as sourced
    assert core["sourced"] == core["published"] + core["computed"]


def test_cli_refuses_an_unknown_group() -> None:
    result = run_cli("calibrate", "--groups", "no-such-group")
    assert result.returncode == 1
    assert "no-such-group" in result.stderr and "Traceback" not in result.stderr


def test_the_bundled_calibrated_scenario_adopts_factors_only_inside_their_ranges() -> None:
    import re

    from corridor.calibration import load_groups
    from corridor.scenarios import apply_scenario, load_scenario

    scenario = load_scenario("calibrated")
    groups = {g.group_id: g for g in load_groups()}
    calibrated = [s for s in scenario.sources if s["kind"] == "calibrated"]
    assert calibrated and all(p.ref for p in scenario.patches)
    for source in calibrated:
        group = groups[str(source["source_id"]).removeprefix("cal-")]
        match = re.match(r"factor ([0-9.]+) ", str(source["method"]))
        assert match, source["method"]
        factor = float(match.group(1))
        assert group.low < factor < group.high, (group.group_id, factor)
    # groups the data cannot identify, or that stop at a bound, are not in it
    cited = {p.ref for p in scenario.patches}
    assert "cal-lake-van-running" not in cited
    net = apply_scenario(scenario)
    assert set(net.sources.set_index("source_id").loc[sorted(cited), "kind"]) == {"calibrated"}
