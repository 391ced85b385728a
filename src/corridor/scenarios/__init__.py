"""Scenarios as data: YAML files of patches to a base network and to demand.

Examples
--------
>>> from corridor.scenarios import apply_scenario, load_scenario
>>> net = apply_scenario(load_scenario("northern-closed"))
>>> "moscow__smolensk__rail_1520" in set(net.links.loc[net.links["status"] == "closed", "link_id"])
True
"""

from __future__ import annotations

from corridor.scenarios.apply import (
    apply_demand,
    apply_scenario,
    merge,
    resolve_chain,
    scenario_year,
)
from corridor.scenarios.bundled import bundled_scenarios, load_scenario, scenario_path
from corridor.scenarios.parse import parse_scenario
from corridor.scenarios.spec import (
    DemandPatch,
    Patch,
    Scenario,
    ScenarioError,
    ScenarioProblem,
    Selector,
)

__all__ = [
    "DemandPatch",
    "Patch",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
    "Selector",
    "apply_demand",
    "apply_scenario",
    "bundled_scenarios",
    "load_scenario",
    "merge",
    "parse_scenario",
    "resolve_chain",
    "scenario_path",
    "scenario_year",
]
