"""Scenarios as data: YAML files of patches to a base network and to demand.

Examples
--------
>>> from corridor.scenarios import apply_scenario, load_scenario
>>> net = apply_scenario(load_scenario("northern-closed"))
>>> "moscow__smolensk__rail_1520" in set(net.links.loc[net.links["status"] == "closed", "link_id"])
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor._lazy import lazy_exports

if TYPE_CHECKING:
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

# Each name is imported from its module on first use (a route from the CLI needs none of them).
_HOMES: dict[str, str] = {
    "DemandPatch": "corridor.scenarios.spec",
    "Patch": "corridor.scenarios.spec",
    "Scenario": "corridor.scenarios.spec",
    "ScenarioError": "corridor.scenarios.spec",
    "ScenarioProblem": "corridor.scenarios.spec",
    "Selector": "corridor.scenarios.spec",
    "apply_demand": "corridor.scenarios.apply",
    "apply_scenario": "corridor.scenarios.apply",
    "bundled_scenarios": "corridor.scenarios.bundled",
    "load_scenario": "corridor.scenarios.bundled",
    "merge": "corridor.scenarios.apply",
    "parse_scenario": "corridor.scenarios.parse",
    "resolve_chain": "corridor.scenarios.apply",
    "scenario_path": "corridor.scenarios.bundled",
    "scenario_year": "corridor.scenarios.apply",
}


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

__getattr__, __dir__ = lazy_exports(__name__, _HOMES, __all__)
