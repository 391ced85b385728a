"""Route queries: best route, k alternatives and the Pareto front.

A query turns names into ids, takes the cached state graph of the network for the commodity and
year (:mod:`corridor.routing.graph`), applies the constraints as masks, weighs the edges for the
objective and runs a shortest-path kernel on CSR arrays (:mod:`corridor.graph.kernels`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import CorridorError, NoRouteError
from corridor.graph import kernels
from corridor.model.tables import split_list, suggest
from corridor.routing.graph import (
    ACCESS,
    COMPONENTS,
    EGRESS,
    LINK,
    PASS,
    TRANSFER,
    StateGraph,
    state_graph,
)
from corridor.routing.names import names
from corridor.routing.params import OBJECTIVES, Constraints, CostParams, Objective
from corridor.routing.result import Leg, Route, Totals

if TYPE_CHECKING:
    from corridor.model.network import Network

_TIE = 1e-6
_KM, _RUN, _BORDER, _DWELL, _USD, _CO2, _RISK, _SANCTIONS = range(len(COMPONENTS))


@dataclass(frozen=True)
class Request:
    """A resolved routing request: ids instead of names, validated parameters."""

    origin: str
    destination: str
    commodity: str
    constraints: Constraints
    params: CostParams


@dataclass(frozen=True, eq=False)
class Problem:
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
    rules = network.tables["sanction_rules"]
    comp = graph.comp
    if rules.empty:
        return comp
    comp = comp.copy()
    for rule in rules.to_dict("records"):
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
        if pct is not None and not pd.isna(pct):
            comp[hit, _USD] += float(pct) / 100.0 * graph.value_usd_per_unit
        if delay is not None and not pd.isna(delay):
            comp[hit, _BORDER] += float(delay)
    return comp


def sanctioned_countries(graph: StateGraph) -> frozenset[str]:
    """Return the countries under a sanctions regime in the graph's network."""
    return graph.sanctioned


def build_problem(network: Network, request: Request) -> Problem:
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
    indptr, indices, _, order = kernels.csr_from_edges(
        n_total, tails, heads, np.zeros(len(tails), dtype=np.float64)
    )
    csr_tails = tails[order]
    return Problem(
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


def _walk(problem: Problem, pred: NDArray[np.int64]) -> list[int]:
    """Problem-edge indices of the path to the target, from the predecessor array."""
    path: list[int] = []
    v = problem.target
    while v != problem.source:
        e = int(pred[v])
        path.append(e)
        v = int(problem.csr_tails[e])
    return [int(problem.order[e]) for e in reversed(path)]


def _shortest(problem: Problem, objective: Objective) -> list[int] | None:
    """Problem-edge path of the best route for ``objective``, or None if unreachable."""
    dist, pred = kernels.dijkstra(
        problem.indptr,
        problem.indices,
        problem.csr_weights(objective),
        problem.source,
        problem.target,
        edge_ok=problem.csr_edge_ok,
        vertex_ok=problem.vertex_ok,
    )
    if not math.isfinite(dist[problem.target]):
        return None
    return _walk(problem, pred)


def _loopless(problem: Problem, path: Sequence[int]) -> bool:
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


def make_route(network: Network, problem: Problem, path: Sequence[int], objective: str) -> Route:
    """Turn a problem-edge path into a :class:`Route` with legs, totals and provenance.

    Parameters
    ----------
    network
        The network the problem was built on.
    problem
        The problem.
    path
        Problem-edge indices from source to target.
    objective
        Name of the objective, recorded in the route.
    """
    graph = problem.graph
    labels = names(network).nodes.labels
    legs: list[dict[str, Any]] = []
    pending_risk = 0.0
    pending_sources: tuple[str, ...] = ()
    for e in path:
        b = int(problem.base_edge[e])
        if b < 0:
            continue
        kind = int(graph.kind[b])
        comp = problem.comp[e]
        if kind == ACCESS:
            pending_risk += float(comp[_RISK])
            pending_sources += graph.sources[b]
            continue
        if kind == EGRESS:
            continue
        if kind == PASS:
            if legs and comp[_DWELL] > 0:
                legs[-1]["dwell_h"] += float(comp[_DWELL])
                legs[-1]["sources"] += graph.sources[b]
            continue
        item, u, v, corridors = graph.edge_item[b]
        mode = graph.mode_of_edge[b]
        legs.append(
            {
                "kind": "link" if kind == LINK else "transfer",
                "item_id": item,
                "from_node": u,
                "to_node": v,
                "from_name": labels[u],
                "to_name": labels[v],
                "mode": mode,
                "distance_km": float(comp[_KM]),
                "running_h": float(comp[_RUN]),
                "border_h": float(comp[_BORDER]),
                "dwell_h": float(comp[_DWELL]),
                "cost_usd": float(comp[_USD]),
                "co2_kg": float(comp[_CO2]),
                "risk_usd": float(comp[_RISK]) + pending_risk,
                "countries": tuple(sorted(graph.edge_countries[b])),
                "corridors": corridors,
                "sources": pending_sources + graph.sources[b],
            }
        )
        pending_risk, pending_sources = 0.0, ()
    leg_objects = tuple(
        Leg(**{**leg, "sources": tuple(dict.fromkeys(leg["sources"]))}) for leg in legs
    )
    edges = np.asarray(list(path), dtype=np.int64)
    criteria = problem.criteria()[edges].sum(axis=0) if len(edges) else np.zeros(4)
    penalty = float(problem._penalty()[edges].sum()) if len(edges) else 0.0
    value = graph.value_usd_per_unit
    params = problem.request.params
    time_h = float(criteria[1])
    co2 = float(criteria[2])
    risk = float(criteria[3]) - penalty
    totals = Totals(
        distance_km=float(sum(leg.distance_km for leg in leg_objects)),
        time_h=time_h,
        cost_usd=float(criteria[0]),
        co2_kg=co2,
        risk_usd=risk,
        time_value_usd=problem.value_of_time() / 100.0 * value * time_h / 24.0,
        carbon_cost_usd=params.co2_price_usd_per_t * co2 / 1000.0,
        sanctions_penalty_usd=penalty,
        generalized_cost_usd=float(problem.generalized()[edges].sum()) if len(edges) else 0.0,
    )
    corridor_km: dict[str, float] = {}
    for leg in leg_objects:
        for family in leg.corridors:
            corridor_km[family] = corridor_km.get(family, 0.0) + leg.distance_km
    corridor = corridor_label(leg_objects)
    sanctioned = sanctioned_countries(graph)
    touched = {c for leg in leg_objects for c in leg.countries}
    return Route(
        origin=problem.request.origin,
        destination=problem.request.destination,
        commodity=graph.commodity,
        unit=graph.unit,
        objective=objective,
        legs=leg_objects,
        totals=totals,
        corridor=corridor,
        corridor_km=dict(sorted(corridor_km.items(), key=lambda kv: -kv[1])),
        sanctioned_countries=tuple(sorted(touched & sanctioned)),
        provenance=_provenance(network, problem, leg_objects),
        node_lonlat=_lonlat(network, leg_objects),
    )


def _lonlat(network: Network, legs: Sequence[Leg]) -> dict[str, tuple[float, float]]:
    """Coordinates of the nodes the legs touch, for maps of the route."""
    touched = {n for leg in legs for n in (leg.from_node, leg.to_node)}
    nodes = network.nodes
    return {
        str(n): (float(x), float(y))
        for n, x, y in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True)
        if n in touched
    }


#: Families covering less than this share of a route's tagged distance are left out of its label.
MINOR_FAMILY_SHARE = 0.05


def corridor_label(legs: Sequence[Leg]) -> str:
    """Name the corridor families a route runs on, e.g. ``middle`` or ``middle+grain_russia``.

    Greedy set cover of the route's distance by corridor families: take the family covering the
    most uncovered km, repeat while more than 5 % of the distance is uncovered. Families are
    listed in the order the route first enters them. ``domestic`` counts only when nothing
    else applies.

    Parameters
    ----------
    legs
        The route's legs.
    """
    tagged = [(leg.distance_km, set(leg.corridors) - {"domestic"}) for leg in legs]
    tagged = [(km, fams) for km, fams in tagged if fams and km > 0]
    if not tagged:
        return "domestic" if any("domestic" in leg.corridors for leg in legs) else "none"
    total = sum(km for km, _ in tagged)
    uncovered = list(range(len(tagged)))
    chosen: list[str] = []
    while uncovered and sum(tagged[i][0] for i in uncovered) > MINOR_FAMILY_SHARE * total:
        km_by: dict[str, float] = {}
        for i in uncovered:
            for family in tagged[i][1]:
                km_by[family] = km_by.get(family, 0.0) + tagged[i][0]
        best = max(sorted(km_by), key=lambda f: km_by[f])
        chosen.append(best)
        uncovered = [i for i in uncovered if best not in tagged[i][1]]
    first_seen = {f: i for i, (_, fams) in reversed(list(enumerate(tagged))) for f in fams}
    return "+".join(sorted(chosen, key=lambda f: first_seen[f]))


def _provenance(network: Network, problem: Problem, legs: Sequence[Leg]) -> dict[str, Any]:
    from corridor._version import __version__

    used = list(dict.fromkeys(s for leg in legs for s in leg.sources))
    kinds = names(network).source_kind
    counts: dict[str, int] = {}
    for source in used:
        kind = kinds.get(source, "unknown")
        counts[kind] = counts.get(kind, 0) + 1
    request = problem.request
    constraints = request.constraints.model_dump(mode="json")
    return {
        "network": network.meta.name,
        "network_version": network.meta.version,
        "corridor_version": __version__,
        "commodity": request.commodity,
        "year": request.constraints.year,
        "params": request.params.model_dump(mode="json"),
        "value_of_time_pct_per_day": problem.value_of_time(),
        "value_usd_per_unit": problem.graph.value_usd_per_unit,
        "constraints": {k: sorted(v) if isinstance(v, list) else v for k, v in constraints.items()},
        "source_kinds": counts,
    }


def diagnose(network: Network, request: Request) -> str:
    """Explain why no route exists: which constraint cut the last connection.

    Parameters
    ----------
    network
        The network.
    request
        The request that has no route.
    """
    index = names(network)
    label = {k: v.split(" (")[0] for k, v in index.nodes.labels.items()}
    head = (
        f"No route from {label[request.origin]} to {label[request.destination]} "
        f"for {request.commodity}"
    )

    def reachable(candidate: Request) -> bool:
        problem = build_problem(network, candidate)
        return _shortest(problem, "generalized") is not None

    c = request.constraints
    culprits: list[str] = []
    for field_name, items in (
        ("avoid_countries", c.avoid_countries),
        ("avoid_nodes", c.avoid_nodes),
        ("avoid_links", c.avoid_links),
        ("avoid_modes", c.avoid_modes),
    ):
        for item in sorted(items):
            relaxed = c.model_copy(update={field_name: frozenset(items - {item})})
            if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
                what = {"avoid_countries": "country", "avoid_nodes": "node"}.get(
                    field_name, field_name.removeprefix("avoid_").rstrip("s")
                )
                culprits.append(f"avoiding {what} {item}")
        if len(items) > 1 and not culprits:
            relaxed = c.without(field_name)
            if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
                culprits.append(f"avoiding {', '.join(sorted(items))} together")
    if c.via and reachable(Request(**{**request.__dict__, "constraints": c.without("via")})):
        culprits.append(f"passing via {', '.join(c.via)}")
    if request.params.max_war_risk_pct is not None:
        relaxed_params = request.params.model_copy(update={"max_war_risk_pct": None})
        if reachable(Request(**{**request.__dict__, "params": relaxed_params})):
            culprits.append(
                f"treating war-risk premiums above {request.params.max_war_risk_pct} % as "
                "uninsurable"
            )
    if request.params.sanctions == "forbid":
        relaxed_params = request.params.model_copy(update={"sanctions": "flag"})
        if reachable(Request(**{**request.__dict__, "params": relaxed_params})):
            countries = ", ".join(
                sorted(sanctioned_countries(state_graph(network, request.commodity, c.year)))
            )
            culprits.append(f"forbidding sanctioned countries ({countries})")
    rules = network.tables["sanction_rules"]
    forbidding = [
        str(rule["rule_id"])
        for rule in rules.to_dict("records")
        if rule["action"] == "forbid"
        and request.commodity in (split_list(rule["commodities"]) or [request.commodity])
    ]
    if forbidding:
        from corridor.model.network import Network

        tables = dict(network.tables)
        tables["sanction_rules"] = rules.iloc[0:0]
        relaxed_net = Network(meta=network.meta, tables=tables, origins=network.origins)
        if _shortest(build_problem(relaxed_net, request), "generalized") is not None:
            culprits.append(
                f"sanction rules forbidding {request.commodity} ({', '.join(forbidding)})"
            )
    opening = _earliest_opening(network, request, reachable)
    later = f"planned links connect them from {opening} (give --year {opening})" if opening else ""
    if culprits:
        if len(culprits) == 1:
            tail = f"; without it, {later}" if later else ""
            return f"{head}: {culprits[0]} cuts the last connection{tail}."
        tail = f"; or wait: {later}" if later else ""
        return (
            f"{head}: the last connection is cut by {', or by '.join(culprits)}; "
            f"drop any one of them to get a route{tail}."
        )
    if later:
        return f"{head} in the network of {c.year or 'today'}: only {later}."
    graph = state_graph(network, request.commodity, c.year)
    node_index = graph.node_index()
    for end in (request.origin, request.destination):
        if not np.any(
            (graph.vertex_node == node_index[end])
            & (np.arange(graph.n_vertices) < graph.origin_vertex[0])
        ):
            allowed = split_list(
                network.commodities.set_index("commodity_id").loc[
                    request.commodity, "allowed_modes"
                ]
            )
            return (
                f"{head}: no link that {request.commodity} may use ({', '.join(allowed)}) "
                f"serves {label[end]}."
            )
    return f"{head}: the two nodes are not connected for this commodity, even without constraints."


def _earliest_opening(network: Network, request: Request, reachable: Any) -> int | None:
    """Return the first year in which planned items connect the request's ends, or None."""
    years: set[int] = set()
    for table in (network.links, network.nodes, network.transfers):
        for value in table["opening_year"].dropna():
            if request.constraints.year is None or int(value) > request.constraints.year:
                years.add(int(value))
    for year in sorted(years):
        relaxed = request.constraints.model_copy(update={"year": year})
        if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
            return year
    return None


def route(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    objective: Objective = "generalized",
    avoid: Iterable[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
    **constraints: Any,
) -> Route:
    """Return the best route from ``origin`` to ``destination`` for ``commodity``.

    Parameters
    ----------
    network
        A valid network (see :func:`corridor.load`).
    origin, destination
        Node ids, names or aliases (matched ignoring case and diacritics).
    commodity
        Commodity id or name.
    objective
        ``generalized`` (default), ``cost`` (money), ``time``, ``co2`` or ``risk``.
    avoid
        Country, node, mode or link names to avoid.
    via
        Nodes to pass, in order.
    year
        Network year: planned links count from their opening year.
    params
        Generalized-cost weights and sanctions policy.
    **constraints
        ``avoid_countries``, ``avoid_nodes``, ``avoid_links``, ``avoid_modes`` as lists.

    Returns
    -------
    Route
        The route, its legs, totals, corridor family and provenance.

    Raises
    ------
    NoRouteError
        If no route satisfies the constraints; the message names the one that cut it.
    NameNotFoundError
        If a name matches nothing.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.load()
    >>> r = corridor.route(net, "Xian", "Istanbul", avoid=["RU", "IR"])
    >>> r.corridor, "aktau_port" in r.nodes, r.sanctioned_countries
    ('middle+black_sea', True, ())
    >>> round(r.totals.time_days)
    18
    """
    _check_objective(objective)
    request = resolve_request(
        network,
        origin,
        destination,
        commodity,
        avoid=avoid,
        via=via,
        year=year,
        params=params,
        **constraints,
    )
    problem = build_problem(network, request)
    path = _shortest(problem, objective)
    if path is None:
        raise NoRouteError(diagnose(network, request))
    if not _loopless(problem, path):
        # Only possible with via nodes: prefer the best route that passes no node twice.
        path = next(iter(_yen(problem, objective, 50, loopless_only=True)), path)
    return make_route(network, problem, path, objective)


def _yen(problem: Problem, objective: Objective, k: int, *, loopless_only: bool) -> list[list[int]]:
    """Up to ``k`` best state-graph paths (problem-edge indices), optionally node-loopless."""
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


def _check_objective(objective: str) -> None:
    if objective not in OBJECTIVES:
        raise CorridorError(
            f"Unknown objective {objective!r}; choose one of {', '.join(OBJECTIVES)}."
        )


def signature(network: Network, route_: Route) -> frozenset[str]:
    """Return a route's "which corridor" identity, used for diversity.

    The countries the route crosses over land (rail, road, pipeline) plus the sea waypoints
    (Suez, Cape of Good Hope, ...) it passes outside its end countries. Routes that differ only
    in which line or port they use inside the same countries are near-duplicates; routes
    through Russia, across the Caspian, through Iran or all the way by sea are different.

    Parameters
    ----------
    network
        The network (for mode families and node kinds).
    route_
        A route.
    """
    index = names(network)
    ends = {index.node_country[route_.origin], index.node_country[route_.destination]}
    land = {
        c
        for leg in route_.legs
        if leg.kind == "link" and index.mode_family.get(leg.mode) not in ("sea", "ferry")
        for c in leg.countries
    }
    waypoints = {
        n
        for n in route_.nodes[1:-1]
        if n in _waypoints(network) and index.node_country[n] not in ends
    }
    return frozenset(land | waypoints)


def _waypoints(network: Network) -> frozenset[str]:
    nodes = network.nodes
    return frozenset(str(n) for n in nodes.loc[nodes["kind"] == "waypoint", "node_id"])


def _diverse(
    network: Network, request: Request, objective: Objective, k: int, budget: int
) -> list[Route]:
    """Best routes through different corridors, by branching on what earlier routes cross.

    Start from the best route. Each accepted route spawns children: the best route that also
    avoids one of the countries (other than the end countries) or sea waypoints it passes.
    Candidates are taken best first; one whose :func:`signature` was already taken is skipped
    (its children are still explored). Stops after ``k`` routes or ``budget`` searches.
    """
    import heapq

    index = names(network)
    ends = {index.node_country[request.origin], index.node_country[request.destination]}
    waypoints = _waypoints(network)
    counter = 0
    heap: list[tuple[float, int, Route, Constraints]] = []
    tried: set[tuple[frozenset[str], frozenset[str]]] = set()

    def push(constraints: Constraints) -> None:
        nonlocal counter
        key = (constraints.avoid_countries, constraints.avoid_nodes)
        if key in tried or counter >= budget:
            return
        tried.add(key)
        counter += 1
        candidate = Request(**{**request.__dict__, "constraints": constraints})
        problem = build_problem(network, candidate)
        path = _shortest(problem, objective)
        if path is None:
            return
        found = make_route(network, problem, path, objective)
        weight = float(problem.weights(objective)[np.asarray(path, dtype=np.int64)].sum())
        heapq.heappush(heap, (weight, counter, found, constraints))

    push(request.constraints)
    routes: list[Route] = []
    seen: set[frozenset[str]] = set()
    while heap and len(routes) < k:
        _, _, found, constraints = heapq.heappop(heap)
        key = signature(network, found)
        if key not in seen:
            seen.add(key)
            routes.append(found)
        for country in sorted(set(found.countries) - ends - {"ZZ"}):
            push(
                constraints.model_copy(
                    update={"avoid_countries": constraints.avoid_countries | {country}}
                )
            )
        for node in found.nodes[1:-1]:
            if node in waypoints and index.node_country[node] not in ends:
                push(
                    constraints.model_copy(update={"avoid_nodes": constraints.avoid_nodes | {node}})
                )
    return routes


def alternatives(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    k: int = 5,
    objective: Objective = "generalized",
    diverse: bool = False,
    max_candidates: int = 400,
    avoid: Iterable[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
    **constraints: Any,
) -> list[Route]:
    """Return up to ``k`` loopless routes in order of increasing objective (Yen's algorithm).

    Parameters
    ----------
    network, origin, destination, commodity, objective, avoid, via, year, params, constraints
        As in :func:`route`.
    k
        Number of routes.
    diverse
        If True, return routes through genuinely different corridors (Russia vs Caspian vs
        Iran vs all-sea) rather than near-duplicates: see :func:`signature`. The first route
        is the best; each next one is the best route found by also avoiding a country or sea
        waypoint that earlier routes cross.
    max_candidates
        Search budget: shortest-path searches with ``diverse``, paths examined without.

    Returns
    -------
    list of Route
        Best first. Fewer than ``k`` when fewer exist.

    Raises
    ------
    NoRouteError
        If there is no route at all.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.load()
    >>> routes = corridor.alternatives(net, "Xian", "Istanbul", k=3, diverse=True)
    >>> [r.corridor for r in routes]
    ['middle+grain_russia', 'middle+black_sea', 'middle+southern']
    >>> routes[0].totals.generalized_cost_usd <= routes[1].totals.generalized_cost_usd
    True
    """
    _check_objective(objective)
    if k < 1:
        raise CorridorError(f"k must be at least 1, got {k}.")
    request = resolve_request(
        network,
        origin,
        destination,
        commodity,
        avoid=avoid,
        via=via,
        year=year,
        params=params,
        **constraints,
    )
    if diverse:
        routes = _diverse(network, request, objective, k, max_candidates)
        if not routes:
            raise NoRouteError(diagnose(network, request))
        return routes
    problem = build_problem(network, request)
    ask = k * 2
    while True:
        paths = _yen(problem, objective, ask, loopless_only=False)
        loopless = [p for p in paths if _loopless(problem, p)][:k]
        routes = [make_route(network, problem, p, objective) for p in loopless]
        if len(routes) >= k or len(paths) < ask or ask >= max_candidates:
            break
        ask = min(ask * 4, max_candidates)
    if not routes:
        raise NoRouteError(diagnose(network, request))
    return routes[:k]


@dataclass(frozen=True)
class ParetoResult:
    """The Pareto front over (cost, time, CO2, risk) and what dominates the other corridors.

    Attributes
    ----------
    front
        Non-dominated routes, sorted by cost.
    dominated
        For each corridor family with a route that is not on the front: its best route (by
        generalized cost) and the front route that dominates it.
    """

    front: tuple[Route, ...]
    dominated: tuple[tuple[Route, Route], ...]

    def _repr_html_(self) -> str:
        from corridor.report.notebook import pareto_html

        return pareto_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "front": [r.to_dict() for r in self.front],
            "dominated": [
                {
                    "corridor": loser.corridor,
                    "route": loser.to_dict(),
                    "dominated_by": {
                        "corridor": winner.corridor,
                        "nodes": winner.nodes,
                        "totals": winner.totals.to_dict(),
                    },
                }
                for loser, winner in self.dominated
            ],
        }


def pareto(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    avoid: Iterable[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
    max_labels: int = 200_000,
    **constraints: Any,
) -> ParetoResult:
    """Return every non-dominated route over (cost USD, time h, CO2 kg, risk USD).

    Parameters
    ----------
    network, origin, destination, commodity, avoid, via, year, params, constraints
        As in :func:`route`.
    max_labels
        Search budget; a larger network may need more.

    Returns
    -------
    ParetoResult
        The front and, for each corridor family not on it, the route that dominates it.

    Raises
    ------
    NoRouteError
        If there is no route at all.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.load()
    >>> result = corridor.pareto(net, "Kostanay", "Istanbul", "grain")
    >>> cheapest = result.front[0]
    >>> all(cheapest.totals.cost_usd <= r.totals.cost_usd for r in result.front)
    True
    """
    from corridor.graph.pareto import dominates, pareto_paths

    request = resolve_request(
        network,
        origin,
        destination,
        commodity,
        avoid=avoid,
        via=via,
        year=year,
        params=params,
        **constraints,
    )
    problem = build_problem(network, request)
    criteria = np.ascontiguousarray(problem.criteria()[problem.order])
    try:
        found = pareto_paths(
            problem.indptr,
            problem.indices,
            criteria,
            problem.source,
            problem.target,
            edge_ok=problem.csr_edge_ok,
            vertex_ok=problem.vertex_ok,
            group=problem.vertex_place,
            max_labels=max_labels,
        )
    except RuntimeError as error:
        raise CorridorError(f"Pareto search stopped: {error}") from None
    if not found:
        raise NoRouteError(diagnose(network, request))
    front = [
        make_route(network, problem, [int(problem.order[e]) for e in edges], "pareto")
        for _, edges in found
    ]
    front.sort(key=lambda r: r.totals.criteria())
    on_front = {r.corridor for r in front}
    dominated: list[tuple[Route, Route]] = []
    query: dict[str, Any] = {"avoid": avoid, "via": via, "year": year, "params": params}
    candidates = alternatives(
        network, origin, destination, commodity, k=12, diverse=True, **query, **constraints
    ) + alternatives(network, origin, destination, commodity, k=20, **query, **constraints)
    best_by_family: dict[str, Route] = {}
    for candidate in sorted(candidates, key=lambda r: r.totals.generalized_cost_usd):
        best_by_family.setdefault(candidate.corridor, candidate)
    for family, candidate in best_by_family.items():
        if family in on_front:
            continue
        winner = next(
            (
                r
                for r in front
                if dominates(np.array(r.totals.criteria()), np.array(candidate.totals.criteria()))
            ),
            None,
        )
        if winner is not None:
            dominated.append((candidate, winner))
    return ParetoResult(front=tuple(front), dominated=tuple(dominated))
