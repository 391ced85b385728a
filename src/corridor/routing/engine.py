"""Route queries: best route, k alternatives and the Pareto front.

A query turns names into ids, takes the cached state graph of the network for the commodity and
year (:mod:`corridor.routing.graph`), applies the constraints as masks, weighs the edges for the
objective and runs a shortest-path kernel on CSR arrays (:mod:`corridor.graph.kernels`): see
:mod:`corridor.routing.search`. The path found becomes a route in
:mod:`corridor.routing.assemble`; :mod:`corridor.routing.diagnose` explains a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.errors import CorridorError, NoRouteError
from corridor.routing.arguments import as_count, as_network, query_arguments
from corridor.routing.assemble import MINOR_FAMILY_SHARE as MINOR_FAMILY_SHARE
from corridor.routing.assemble import corridor_label as corridor_label
from corridor.routing.assemble import make_route as make_route
from corridor.routing.diagnose import diagnose as diagnose
from corridor.routing.names import names
from corridor.routing.params import OBJECTIVES, Constraints, CostParams, Objective
from corridor.routing.result import Route
from corridor.routing.search import Request as Request
from corridor.routing.search import SearchProblem as SearchProblem
from corridor.routing.search import _loopless, _yen
from corridor.routing.search import _shortest as _shortest
from corridor.routing.search import build_problem as build_problem
from corridor.routing.search import resolve_request as resolve_request
from corridor.routing.search import sanctioned_countries as sanctioned_countries

if TYPE_CHECKING:
    from corridor.model.network import Network


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
    19
    """
    _check_objective(objective)
    network = as_network(network)
    args = query_arguments(origin, destination, commodity, avoid, via, year, params)
    request = resolve_request(network, **args, **constraints)
    problem = build_problem(network, request)
    path = _shortest(problem, objective)
    if path is None:
        raise NoRouteError(diagnose(network, request))
    if not _loopless(problem, path):
        # Only possible with via nodes: prefer the best route that passes no node twice.
        path = next(iter(_yen(problem, objective, 50, loopless_only=True)), path)
    return make_route(network, problem, path, objective)


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
    ['middle+grain_russia', 'middle+black_sea', 'middle+southern+uzbekistan']
    >>> routes[0].totals.generalized_cost_usd <= routes[1].totals.generalized_cost_usd
    True
    """
    _check_objective(objective)
    if isinstance(k, int) and not isinstance(k, bool) and k < 1:
        raise CorridorError(f"k must be at least 1, got {k}.")
    k = as_count(k, "k")
    network = as_network(network)
    args = query_arguments(origin, destination, commodity, avoid, via, year, params)
    request = resolve_request(network, **args, **constraints)
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

    network = as_network(network)
    args = query_arguments(origin, destination, commodity, avoid, via, year, params)
    request = resolve_request(network, **args, **constraints)
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
