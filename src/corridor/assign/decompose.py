"""Flow decomposition: link flows of one origin split into paths, and the route shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.routing.search import Request, build_problem

if TYPE_CHECKING:
    from corridor.model.network import Network


#: Flows below this (units per year) are rounding noise of the LP and not decomposed.
_FLOW_EPS = 1e-6


def decompose(
    tails: Any, heads: Any, flow: Any, origin: int, targets: list[tuple[int, float]]
) -> list[list[tuple[list[int], float]]]:
    """Split a single-origin flow into paths to each target (standard flow decomposition).

    Each step takes a path from the origin to the target over edges with flow left and
    removes the smallest flow on it (or what the target still needs); what is left is still a
    valid flow, so every target's amount is found as long as the flow delivers it.

    Parameters
    ----------
    tails, heads
        Edge ends.
    flow
        Flow on each edge (not modified).
    origin
        Vertex every path starts at.
    targets
        ``(vertex, amount)`` pairs: how much each target receives.

    Returns
    -------
    list of list of (edges, amount)
        For each target, its paths (edge indices from the origin) and the amount on each.

    Examples
    --------
    Two units split over two parallel paths 0->1->3 and 0->2->3:

    >>> import numpy as np
    >>> decompose(np.array([0, 1, 0, 2]), np.array([1, 3, 2, 3]),
    ...           np.array([1.5, 1.5, 0.5, 0.5]), 0, [(3, 2.0)])
    [[([0, 1], 1.5), ([2, 3], 0.5)]]
    """
    remaining = np.array(flow, dtype=float)
    out_edges: dict[int, list[int]] = {}
    for e in np.flatnonzero(remaining > _FLOW_EPS):
        out_edges.setdefault(int(tails[e]), []).append(int(e))
    result: list[list[tuple[list[int], float]]] = []
    for target, amount in targets:
        paths: list[tuple[list[int], float]] = []
        left = float(amount)
        while left > _FLOW_EPS * max(1.0, float(amount)):
            path = _find_path(out_edges, heads, remaining, origin, target)
            if path is None:
                break
            take = min(left, float(remaining[path].min()))
            remaining[path] -= take
            left -= take
            paths.append((path, take))
        result.append(paths)
    return result


def _find_path(
    out_edges: dict[int, list[int]], heads: Any, remaining: Any, origin: int, target: int
) -> list[int] | None:
    """Depth-first search from origin to target over edges with flow left."""
    stack: list[tuple[int, int]] = [(origin, 0)]
    seen = {origin}
    path: list[int] = []
    while stack:
        vertex, i = stack[-1]
        if vertex == target:
            return path
        edges = out_edges.get(vertex, [])
        while i < len(edges) and (remaining[edges[i]] <= _FLOW_EPS or int(heads[edges[i]]) in seen):
            i += 1
        if i == len(edges):
            stack.pop()
            if path:
                path.pop()
            continue
        stack[-1] = (vertex, i + 1)
        e = edges[i]
        seen.add(int(heads[e]))
        path.append(e)
        stack.append((int(heads[e]), 0))
    return None


def _route_shares(
    network: Network,
    graph: Any,
    members: list[tuple[Request, float]],
    keep: Any,
    x: Any,
    unmet: Any,
) -> list[dict[str, Any]]:
    from corridor.routing.assemble import make_route

    node_index = graph.node_index()
    origin = int(graph.origin_vertex[node_index[members[0][0].origin]])
    targets = [
        (int(graph.destination_vertex[node_index[request.destination]]), flow - float(miss))
        for (request, flow), miss in zip(members, unmet, strict=True)
    ]
    tails, heads = graph.tails[keep], graph.heads[keep]
    rows: list[dict[str, Any]] = []
    for (request, _), paths in zip(
        members, decompose(tails, heads, x, origin, targets), strict=True
    ):
        served = sum(amount for _, amount in paths)
        if served <= 0:
            continue
        problem = build_problem(network, request)
        by_route: dict[tuple[int, ...], float] = {}
        for edges, amount in paths:
            key = tuple(int(keep[j]) for j in edges)
            by_route[key] = by_route.get(key, 0.0) + amount
        for path, amount in sorted(by_route.items(), key=lambda kv: -kv[1]):
            route = make_route(network, problem, list(path), "generalized")
            rows.append(
                {
                    "origin": request.origin,
                    "destination": request.destination,
                    "commodity": request.commodity,
                    "corridor": route.corridor,
                    "nodes": " > ".join(route.nodes),
                    "flow_per_year": amount,
                    "share": amount / served,
                    "time_h": route.totals.time_h,
                    "cost_usd_per_unit": route.totals.cost_usd,
                    "generalized_cost_usd_per_unit": route.totals.generalized_cost_usd,
                }
            )
    return rows
