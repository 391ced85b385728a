"""The multimodal state graph: a derived, cached view of a network for one commodity and year.

Every place where a mode serves a node gets two vertices, *arrival* and *departure*. Edges:

- ``link``: departure(u, mode) -> arrival(v, mode), one per usable link direction;
- ``pass``: arrival(n, mode) -> departure(n, mode), staying on the same mode through ``n``
  (costs the node's dwell time);
- ``transfer``: arrival(n, m1) -> departure(n, m2), a row of the transfers table;
- ``access``: origin(n) -> departure(n, mode) and ``egress``: arrival(n, mode) -> destination(n).

Origin and destination vertices have no incoming, respectively outgoing, edges so a route can
start and end at a node but never pass through it for free. Dwell is therefore charged at every
node a route passes or changes mode at, and never at its two ends.

Each edge carries per-unit components (km, hours split into running, border and dwell, USD,
kg CO2e well-to-wake, war-risk USD, sanctioned-country entries, kg CO2e well-to-tank).
Objectives are linear combinations of the components, so one graph serves every objective and
constraint set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corridor.model.text import is_missing

if TYPE_CHECKING:
    pass

LINK, PASS, TRANSFER, ACCESS, EGRESS = 0, 1, 2, 3, 4
EDGE_KINDS = ("link", "pass", "transfer", "access", "egress")
WATER_FAMILIES = frozenset({"sea", "ferry"})
LAND_FAMILIES = frozenset({"rail", "road"})

#: Components stored per edge, in this order, all per unit of cargo (TEU or tonne).
COMPONENTS = (
    "km",
    "run_h",
    "border_h",
    "dwell_h",
    "usd",
    "kg_co2",
    "risk_usd",
    "sanction_entries",
    "kg_co2_wtt",
)


def _num(value: Any) -> float:
    """Return a float, with missing values as NaN."""
    if is_missing(value):
        return math.nan
    return float(value)


def _text(value: Any) -> str:
    if is_missing(value):
        return ""
    return str(value)


def _is_active(status: Any, opening_year: Any, year: int | None) -> bool:
    """Whether an item with this status exists in the network of ``year``."""
    status_text = _text(status) or "open"
    if status_text == "closed":
        return False
    if status_text == "open":
        return True
    if year is None:
        return False
    opening = _num(opening_year)
    return not math.isnan(opening) and opening <= year


@dataclass(frozen=True, eq=False)
class StateGraph:
    """The state graph of one network for one commodity and year.

    Attributes
    ----------
    commodity
        Commodity id the graph was built for.
    year
        Network year (``None`` = today's open network).
    unit, t_per_unit, value_usd_per_unit, value_of_time_pct_per_day
        The commodity's unit and figures.
    node_ids
        Node id per node index.
    vertex_node
        Node index of each vertex.
    vertex_mode
        Mode of each vertex ("" for origin and destination vertices).
    origin_vertex, destination_vertex
        Vertex index of each node's origin and destination vertex.
    tails, heads
        Edge end vertices.
    kind
        Edge kind (see ``EDGE_KINDS``).
    ref
        Row position in the links, transfers or nodes table the edge comes from (links for
        ``link``, transfers for ``transfer``, nodes for the others).
    reverse
        For link edges, whether the link is traversed against its from/to direction.
    comp
        Array (n_edges, len(COMPONENTS)) of per-unit components.
    sources
        Source ids of the figures each edge used.
    edge_countries
        Countries each edge touches.
    mode_of_edge
        Mode of each edge (``from>to`` for transfers, "" for access and egress).
    edge_item
        Per edge: (link or transfer id, from node id, to node id, corridor families).
    sanctioned
        Countries with a sanctions regime in the network.
    edge_entries
        Per edge, the countries it enters (link edges whose head or listed countries differ
        from the tail's country).
    """

    commodity: str
    year: int | None
    unit: str
    t_per_unit: float
    value_usd_per_unit: float
    value_of_time_pct_per_day: float
    node_ids: tuple[str, ...]
    vertex_node: NDArray[np.int64]
    vertex_mode: tuple[str, ...]
    origin_vertex: NDArray[np.int64]
    destination_vertex: NDArray[np.int64]
    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    kind: NDArray[np.int64]
    ref: NDArray[np.int64]
    reverse: NDArray[np.bool_]
    comp: NDArray[np.float64]
    sources: tuple[tuple[str, ...], ...]
    edge_countries: tuple[frozenset[str], ...]
    mode_of_edge: tuple[str, ...]
    edge_item: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    sanctioned: frozenset[str] = frozenset()
    edge_entries: tuple[frozenset[str], ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.tails)

    def column(self, name: str) -> NDArray[np.float64]:
        """Return one component column (see ``COMPONENTS``) for every edge."""
        return self.comp[:, COMPONENTS.index(name)]

    def node_index(self) -> dict[str, int]:
        """Map node id to node index."""
        cached = self._cache.get("node_index")
        if cached is None:
            cached = {node: i for i, node in enumerate(self.node_ids)}
            self._cache["node_index"] = cached
        result: dict[str, int] = cached
        return result

    def edges_by(self, key: str) -> dict[str, NDArray[np.int64]]:
        """Return edge indices grouped by country, mode or link id (``key``).

        Parameters
        ----------
        key
            ``country``, ``mode`` or ``link``.
        """
        cache_key = f"edges_by_{key}"
        if cache_key not in self._cache:
            groups: dict[str, list[int]] = {}
            for e in range(self.n_edges):
                if key == "country":
                    names: frozenset[str] | tuple[str, ...] = self.edge_countries[e]
                elif key == "mode":
                    names = (self.mode_of_edge[e],) if self.mode_of_edge[e] else ()
                else:
                    names = (self.link_ids[self.ref[e]],) if self.kind[e] == LINK else ()
                for name in names:
                    groups.setdefault(name, []).append(e)
            self._cache[cache_key] = {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}
        result: dict[str, NDArray[np.int64]] = self._cache[cache_key]
        return result

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Link id per links-table row."""
        ids: tuple[str, ...] = self._cache["link_ids"]
        return ids
