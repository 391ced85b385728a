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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from corridor.datasets import bundled_datasets, load, read_network
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
}

__all__ = [
    "Constraints",
    "CorridorError",
    "CostParams",
    "DatasetNotFoundError",
    "InfeasibleError",
    "Leg",
    "NameNotFoundError",
    "Network",
    "NoRouteError",
    "ParetoResult",
    "Route",
    "ValidationError",
    "alternatives",
    "bundled_datasets",
    "load",
    "pareto",
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
