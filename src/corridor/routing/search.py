"""Route search: a request resolved to ids, laid onto the state graph, and shortest paths.

:func:`resolve_request` turns names into ids; :func:`build_problem` takes the cached state
graph of the network for the commodity and year (:mod:`corridor.routing.graph`), applies the
constraints as masks and computes the per-edge cost components of a :class:`SearchProblem`;
the search functions run the kernels of :mod:`corridor.graph.kernels` on its CSR arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corridor.errors import CorridorError
from corridor.graph.csr import csr_from_edges
from corridor.graph.heap_search import shortest_path
from corridor.io.viewcache import derived
from corridor.model.text import is_missing, split_list, suggest
from corridor.routing.graph import (
    COMPONENTS,
    TRANSFER,
    StateGraph,
    state_graph,
)
from corridor.routing.names import names
from corridor.routing.params import Constraints, CostParams, Objective

if TYPE_CHECKING:
    from corridor.model.network import Network

_TIE = 1e-6

_KM, _RUN, _BORDER, _DWELL, _USD, _CO2, _RISK, _SANCTIONS, _CO2_WTT = range(len(COMPONENTS))


@dataclass(frozen=True)
class Request:
    """A resolved routing request: ids instead of names, validated parameters."""

    origin: str
    destination: str
    commodity: str
    constraints: Constraints
    params: CostParams


@dataclass(frozen=True, eq=False)
class SearchProblem:
    """A request laid onto the state graph: CSR arrays, masks and per-edge components.

    With ``via`` nodes the state graph is copied once per segment ("layers") and joined at
    the via nodes, so every path from source to target passes them in order.
    """

    graph: StateGraph
    request: Request
    base_edge: NDArray[np.int64]  # state-graph edge per problem edge, -1 for layer joins
    vertex_place: NDArray[np.int64]  # node index per problem vertex
    comp: NDArray[np.float64]
    edge_ok: NDArray[np.bool_]
    vertex_ok: NDArray[np.bool_]
    source: int
    target: int
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    order: NDArray[np.int64]  # problem edge at each CSR position
    csr_tails: NDArray[np.int64]
    csr_edge_ok: NDArray[np.bool_]

    def criteria(self) -> NDArray[np.float64]:
        """Per-edge criteria ``(cost USD, time h, CO2 kg, risk USD)`` in problem-edge order."""
        c = self.comp
        penalty = self._penalty()
        return np.column_stack(
            [
                c[:, _USD],
                c[:, _RUN] + c[:, _BORDER] + c[:, _DWELL],
                c[:, _CO2],
                c[:, _RISK] + penalty,
            ]
        )

    def _penalty(self) -> NDArray[np.float64]:
        params = self.request.params
        if params.sanctions != "penalize":
            return np.zeros(len(self.comp))
        pct = params.sanctions_penalty_pct / 100.0
        return self.comp[:, _SANCTIONS] * pct * self.graph.value_usd_per_unit

    def value_of_time(self) -> float:
        """Value of time in % of cargo value per day for this request."""
        vot = self.request.params.value_of_time_pct_per_day
        if vot is None:
            vot = self.graph.value_of_time_pct_per_day
        return 0.0 if math.isnan(vot) else vot

    def generalized(self) -> NDArray[np.float64]:
        """Per-edge generalized cost in USD per unit."""
        c = self.comp
        params = self.request.params
        hours = c[:, _RUN] + c[:, _BORDER] + c[:, _DWELL]
        value = self.graph.value_usd_per_unit
        result: NDArray[np.float64] = (
            c[:, _USD]
            + self.value_of_time() / 100.0 * value * hours / 24.0
            + params.co2_price_usd_per_t * c[:, _CO2] / 1000.0
            + params.risk_weight * c[:, _RISK]
            + self._penalty()
        )
        return result

    def weights(self, objective: Objective) -> NDArray[np.float64]:
        """Per-edge weights for ``objective`` in problem-edge order (ties broken by cost)."""
        generalized = self.generalized()
        if objective == "generalized":
            return generalized
        index = {"cost": 0, "time": 1, "co2": 2, "risk": 3}[objective]
        primary: NDArray[np.float64] = self.criteria()[:, index]
        return primary + _TIE * generalized

    def csr_weights(self, objective: Objective) -> NDArray[np.float64]:
        """Weights in CSR order."""
        return np.ascontiguousarray(self.weights(objective)[self.order])


def resolve_request(
    network: Network,
    origin: str,
    destination: str,
    commodity: str,
    *,
    avoid: Iterable[str] = (),
    avoid_countries: Iterable[str] = (),
    avoid_nodes: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> Request:
    """Turn user-typed names into a :class:`Request` with ids.

    ``avoid`` accepts a mix of country, node, mode and link names; each is looked up among
    countries first, then nodes, modes and links.

    Raises
    ------
    NameNotFoundError
        If a name matches nothing (with a "did you mean").
    """
    index = names(network)
    countries = {index.countries.resolve(c) for c in avoid_countries}
    nodes = {index.node(n) for n in avoid_nodes}
    modes = {m for name in avoid_modes for m in index.modes_named(name)}
    link_ids = index.link_ids
    links = set()
    for link in avoid_links:
        if link not in link_ids:
            raise CorridorError(f"Unknown link {link!r}.{suggest(link, sorted(link_ids))}")
        links.add(link)
    for name in avoid:
        for kind in ("country", "node", "mode", "link"):
            try:
                if kind == "country":
                    countries.add(index.countries.resolve(name))
                elif kind == "node":
                    nodes.add(index.nodes.resolve(name))
                elif kind == "mode":
                    modes.update(index.modes_named(name))
                elif name in link_ids:
                    links.add(name)
                else:
                    index.node(name)  # raises with the node suggestions
                break
            except CorridorError:
                if kind == "link":
                    raise
    constraints = Constraints(
        avoid_countries=frozenset(countries),
        avoid_nodes=frozenset(nodes),
        avoid_links=frozenset(links),
        avoid_modes=frozenset(modes),
        via=tuple(index.node(v) for v in via),
        year=year,
    )
    origin_id, destination_id = index.node(origin), index.node(destination)
    if origin_id == destination_id:
        raise CorridorError(
            f"Origin and destination are the same node ({index.nodes.labels[origin_id]}); "
            "give two different places."
        )
    return Request(
        origin=origin_id,
        destination=destination_id,
        commodity=index.commodities.resolve(commodity),
        constraints=constraints,
        params=params or CostParams(),
    )


def _masks(graph: StateGraph, request: Request) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Edge and vertex masks (True = usable) of the state graph for the constraints."""
    constraints = request.constraints
    edge_ok = np.ones(graph.n_edges, dtype=bool)
    vertex_ok = np.ones(graph.n_vertices, dtype=bool)
    countries = set(constraints.avoid_countries)
    if request.params.sanctions == "forbid":
        countries |= sanctioned_countries(graph)
    by_country = graph.edges_by("country")
    for country in countries:
        edge_ok[by_country.get(country, np.empty(0, dtype=np.int64))] = False
    by_mode = graph.edges_by("mode")
    for mode in constraints.avoid_modes:
        edge_ok[by_mode.get(mode, np.empty(0, dtype=np.int64))] = False
    by_link = graph.edges_by("link")
    for link in constraints.avoid_links:
        edge_ok[by_link.get(link, np.empty(0, dtype=np.int64))] = False
    node_index = graph.node_index()
    for node in constraints.avoid_nodes:
        vertex_ok[graph.vertex_node == node_index[node]] = False
    limit = request.params.max_war_risk_pct
    if limit is not None and graph.value_usd_per_unit > 0:
        pct = graph.comp[:, _RISK] / graph.value_usd_per_unit * 100.0
        edge_ok &= pct <= limit + 1e-12
    # Avoiding a mode also forbids transfers to and from it.
    if constraints.avoid_modes:
        transfer = graph.kind == TRANSFER
        for e in np.flatnonzero(transfer):
            m1, m2 = graph.mode_of_edge[e].split(">")
            if m1 in constraints.avoid_modes or m2 in constraints.avoid_modes:
                edge_ok[e] = False
    return edge_ok, vertex_ok


def _apply_sanction_rules(
    network: Network, graph: StateGraph, edge_ok: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Apply the ``sanction_rules`` table for the graph's commodity.

    ``forbid`` rules remove the edges entering the country (in ``edge_ok``); ``comply`` rules add
    their compliance cost (USD) and delay (border hours) to those edges. Returns the edges'
    components with the rules applied (a copy; the graph is unchanged).
    """
    rules = derived(network, "sanction_rules", (), lambda: _records(network, "sanction_rules"))
    comp = graph.comp
    if not rules:
        return comp
    comp = comp.copy()
    for rule in rules:
        listed = split_list(rule["commodities"])
        if listed and graph.commodity not in listed:
            continue
        country = str(rule["country"])
        hit = np.array([country in entered for entered in graph.edge_entries], dtype=bool)
        if not hit.any():
            continue
        if rule["action"] == "forbid":
            edge_ok &= ~hit
            continue
        pct = rule["compliance_cost_pct"]
        delay = rule["delay_h"]
        if not is_missing(pct):
            comp[hit, _USD] += float(pct) / 100.0 * graph.value_usd_per_unit
        if not is_missing(delay):
            comp[hit, _BORDER] += float(delay)
    return comp


def _records(network: Network, table: str) -> list[dict[str, Any]]:
    """Rows of a table as dicts with missing cells as ``None`` (no pandas values kept)."""
    return [
        {str(k): None if is_missing(v) else v for k, v in row.items()}
        for row in network.tables[table].to_dict("records")
    ]


def sanctioned_countries(graph: StateGraph) -> frozenset[str]:
    """Return the countries under a sanctions regime in the graph's network."""
    return graph.sanctioned


def build_problem(network: Network, request: Request) -> SearchProblem:
    """Lay a request onto the network's state graph.

    Parameters
    ----------
    network
        A valid network.
    request
        A resolved request.
    """
    graph = state_graph(network, request.commodity, request.constraints.year)
    edge_ok, vertex_ok = _masks(graph, request)
    rule_comp = _apply_sanction_rules(network, graph, edge_ok)
    node_index = graph.node_index()
    stops = [node_index[n] for n in (request.origin, *request.constraints.via, request.destination)]
    # Drop via stops equal to their neighbour (passing a node you are at is a no-op).
    stops = [n for i, n in enumerate(stops) if i == 0 or n != stops[i - 1]]
    layers = max(len(stops) - 1, 1)
    n_v, n_e = graph.n_vertices, graph.n_edges
    tails = np.concatenate([graph.tails + layer * n_v for layer in range(layers)])
    heads = np.concatenate([graph.heads + layer * n_v for layer in range(layers)])
    base_edge = np.tile(np.arange(n_e, dtype=np.int64), layers)
    comp = np.tile(rule_comp, (layers, 1))
    edge_ok_all = np.tile(edge_ok, layers)
    vertex_ok_all = np.tile(vertex_ok, layers)
    vertex_place = np.tile(graph.vertex_node, layers)
    join_tails: list[int] = []
    join_heads: list[int] = []
    for layer, via_node in enumerate(stops[1:-1]):
        arrivals = np.flatnonzero(
            (graph.vertex_node == via_node) & (np.arange(n_v) < graph.origin_vertex[0])
        )
        arrivals = arrivals[arrivals % 2 == 0]
        join_tails.extend(arrivals + layer * n_v)
        join_heads.extend(arrivals + (layer + 1) * n_v)
    if join_tails:
        tails = np.concatenate([tails, np.asarray(join_tails, dtype=np.int64)])
        heads = np.concatenate([heads, np.asarray(join_heads, dtype=np.int64)])
        base_edge = np.concatenate([base_edge, np.full(len(join_tails), -1, dtype=np.int64)])
        comp = np.vstack([comp, np.zeros((len(join_tails), comp.shape[1]))])
        edge_ok_all = np.concatenate([edge_ok_all, np.ones(len(join_tails), dtype=bool)])
    n_total = n_v * layers
    indptr, indices, _, order = csr_from_edges(
        n_total, tails, heads, np.zeros(len(tails), dtype=np.float64)
    )
    csr_tails = tails[order]
    return SearchProblem(
        graph=graph,
        request=request,
        base_edge=base_edge,
        vertex_place=vertex_place,
        comp=comp,
        edge_ok=edge_ok_all,
        vertex_ok=vertex_ok_all,
        source=int(graph.origin_vertex[stops[0]]),
        target=int(graph.destination_vertex[stops[-1]] + (layers - 1) * n_v),
        indptr=indptr,
        indices=indices,
        order=order,
        csr_tails=csr_tails,
        csr_edge_ok=np.ascontiguousarray(edge_ok_all[order]),
    )


def _shortest(problem: SearchProblem, objective: Objective) -> list[int] | None:
    """SearchProblem-edge path of the best route for ``objective``, or None if unreachable.

    A binary heap in Python answers it (the graph is small): a fresh process then never
    imports numba or SciPy for a single route (about a second and a half).
    """
    found = shortest_path(
        problem.indptr,
        problem.indices,
        problem.csr_weights(objective),
        problem.source,
        problem.target,
        problem.csr_edge_ok,
        problem.vertex_ok,
    )
    if found is None:
        return None
    return [int(problem.order[e]) for e in found[1]]


def _loopless(problem: SearchProblem, path: Sequence[int]) -> bool:
    """Whether a path leaves every physical node at most once (no coming back)."""
    seen: set[int] = set()
    last = -1
    for e in path:
        base = problem.base_edge[e]
        if base < 0:
            continue
        node = int(problem.graph.vertex_node[problem.graph.heads[base]])
        if node != last:
            if node in seen:
                return False
            seen.add(node)
            last = node
    return True


def _yen(
    problem: SearchProblem, objective: Objective, k: int, *, loopless_only: bool
) -> list[list[int]]:
    """Up to ``k`` best state-graph paths (problem-edge indices), optionally node-loopless."""
    from corridor.graph import kernels

    _, offsets, edges = kernels.k_shortest_paths(
        problem.indptr,
        problem.indices,
        problem.csr_weights(objective),
        problem.source,
        problem.target,
        k,
        edge_ok=problem.csr_edge_ok,
        vertex_ok=problem.vertex_ok,
    )
    paths = [
        [int(problem.order[e]) for e in edges[offsets[i] : offsets[i + 1]]]
        for i in range(len(offsets) - 1)
    ]
    return [p for p in paths if not loopless_only or _loopless(problem, p)]
