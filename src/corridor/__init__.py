"""corridor: an open model of the Kazakhstan–Türkiye trade and transport system.

The top-level names are imported lazily, so ``import corridor`` is cheap.

Examples
--------
>>> import corridor
>>> net = corridor.load()
>>> net.meta.name
'eurasia'
>>> "route" in dir(corridor) and "TYPE_CHECKING" not in dir(corridor)
True

Demand sets and scenarios are top-level names too. The assignment function lives in
``corridor.assign.model`` (``corridor.assign`` is its package, so it cannot also be a
function):

>>> from corridor.assign.model import assign
>>> demand = corridor.read_demand("middle-2030")
>>> assign(net, demand.table, year=demand.year).bottlenecks()["item_id"].tolist()
['baku_alat']
>>> expanded = corridor.apply_scenario(corridor.load_scenario("alat-phase2"))
>>> assign(expanded, demand.table, year=demand.year).bottlenecks()["item_id"].tolist()
['aktau_port', 'kuryk_port']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridor._version import __version__ as __version__

if TYPE_CHECKING:
    from corridor.assign.model import Assignment
    from corridor.datasets import bundled_datasets, load, read_network
    from corridor.demand import Demand, read_demand
    from corridor.errors import (
        CorridorError,
        DatasetNotFoundError,
        InfeasibleError,
        NameNotFoundError,
        NoRouteError,
        ValidationError,
    )
    from corridor.model.network import Network
    from corridor.routing.engine import ParetoResult, alternatives, pareto, route
    from corridor.routing.params import Constraints, CostParams
    from corridor.routing.result import Leg, Route
    from corridor.scenarios.apply import apply_scenario
    from corridor.scenarios.bundled import bundled_scenarios, load_scenario
    from corridor.scenarios.spec import Scenario
    from corridor.services.shipments import Quote, quote
    from corridor.summary import summarize

_LAZY = {
    "load": "corridor.datasets",
    "read_network": "corridor.datasets",
    "bundled_datasets": "corridor.datasets",
    "Network": "corridor.model.network",
    "summarize": "corridor.summary",
    "CorridorError": "corridor.errors",
    "ValidationError": "corridor.errors",
    "DatasetNotFoundError": "corridor.errors",
    "NoRouteError": "corridor.errors",
    "InfeasibleError": "corridor.errors",
    "NameNotFoundError": "corridor.errors",
    "route": "corridor.routing.engine",
    "alternatives": "corridor.routing.engine",
    "pareto": "corridor.routing.engine",
    "ParetoResult": "corridor.routing.engine",
    "CostParams": "corridor.routing.params",
    "Constraints": "corridor.routing.params",
    "Route": "corridor.routing.result",
    "Leg": "corridor.routing.result",
    # Demand, assignment and scenarios.
    "read_demand": "corridor.demand",
    "Demand": "corridor.demand",
    "Assignment": "corridor.assign.model",
    "apply_scenario": "corridor.scenarios.apply",
    "load_scenario": "corridor.scenarios.bundled",
    "bundled_scenarios": "corridor.scenarios.bundled",
    "Scenario": "corridor.scenarios.spec",
    # Shipment quotes.
    "quote": "corridor.services.shipments",
    "Quote": "corridor.services.shipments",
}

__all__ = [
    "Assignment",
    "Constraints",
    "CorridorError",
    "CostParams",
    "DatasetNotFoundError",
    "Demand",
    "InfeasibleError",
    "Leg",
    "NameNotFoundError",
    "Network",
    "NoRouteError",
    "ParetoResult",
    "Quote",
    "Route",
    "Scenario",
    "ValidationError",
    "alternatives",
    "apply_scenario",
    "bundled_datasets",
    "bundled_scenarios",
    "load",
    "load_scenario",
    "pareto",
    "quote",
    "read_demand",
    "read_network",
    "route",
    "summarize",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")


def __dir__() -> list[str]:
    # The public names only, so tab completion offers what the docs describe.
    return sorted({*__all__, "__version__"})
