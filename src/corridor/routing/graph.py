"""The multimodal state graph of a network for one commodity and year, built once and cached.

What the graph is: :mod:`corridor.routing.state`; how it is built:
:mod:`corridor.routing.build`. The names of both are importable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.io.viewcache import derived
from corridor.routing.build import build_state_graph as build_state_graph
from corridor.routing.state import ACCESS as ACCESS
from corridor.routing.state import COMPONENTS as COMPONENTS
from corridor.routing.state import EDGE_KINDS as EDGE_KINDS
from corridor.routing.state import EGRESS as EGRESS
from corridor.routing.state import LAND_FAMILIES as LAND_FAMILIES
from corridor.routing.state import LINK as LINK
from corridor.routing.state import PASS as PASS
from corridor.routing.state import TRANSFER as TRANSFER
from corridor.routing.state import WATER_FAMILIES as WATER_FAMILIES
from corridor.routing.state import StateGraph as StateGraph

if TYPE_CHECKING:
    from corridor.model.network import Network


def state_graph(network: Network, commodity: str, year: int | None = None) -> StateGraph:
    """Return the (cached) state graph of ``network`` for ``commodity`` in ``year``.

    Parameters
    ----------
    network
        A valid network.
    commodity
        Commodity id.
    year
        Network year; ``None`` for today's open network.
    """
    return derived(
        network,
        "state_graph",
        (commodity, year),
        lambda: build_state_graph(network, commodity, year),
    )
