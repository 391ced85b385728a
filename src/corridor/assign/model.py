"""Load annual demand onto a network with capacities: build the LP, solve it, read the results.

Capacities (all per year, shared by every commodity and both directions of travel):

- a link's ``capacity_t_per_year`` (every commodity, in tonnes) and ``capacity_teu_per_year``
  (containers, in TEU);
- a transfer's capacities (gauge-change yards, ferry slots), counted on the cargo changing mode;
- a node's capacities (port and terminal throughput), counted on the cargo that changes mode,
  starts or ends there; traffic passing through on the same mode does not use them.

Edge costs are the routing engine's generalized cost per unit (see ``docs/routing.md``), so an
uncongested assignment puts every OD pair on its best route.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corridor.assign.lp import Group, Solution, solve, solve_paths
from corridor.errors import CorridorError, InfeasibleError
from corridor.model.records import records
from corridor.model.tables import split_list
from corridor.routing.graph import ACCESS, EGRESS, LINK, TRANSFER
from corridor.routing.params import CostParams
from corridor.routing.search import Request, build_problem, resolve_request

if TYPE_CHECKING:
    from corridor.model.network import Network

#: Unmet demand costs this multiple of the dearest edge cost sum, so it is a last resort.
UNMET_FACTOR = 10.0


@dataclass(frozen=True)
class Resource:
    """A capacity: what it belongs to and how much per year."""

    kind: str  # link | transfer | node
    item_id: str
    unit: str  # t | teu
    capacity: float


@dataclass(frozen=True)
class Assignment:
    """Result of loading demand onto the network.

    Attributes
    ----------
    status
        Solver status.
    resources
        Capacities with their use, utilisation and shadow price (USD per extra unit per year).
    link_flows
        Flow per link and commodity (units and tonnes per year).
    unmet
        Unmet demand per OD and commodity.
    route_shares
        Per OD and commodity, the routes its served flow takes (from a decomposition of the
        optimal flows into paths): corridor label, nodes, flow, share, time and cost per unit.
    totals
        Generalized cost, tonne-km, CO2 and unmet totals.
    provenance
        Network, hash, solver, status, build and solve times.
    """

    status: str
    resources: pd.DataFrame
    link_flows: pd.DataFrame
    unmet: pd.DataFrame
    totals: dict[str, float]
    provenance: dict[str, Any] = field(default_factory=dict)
    route_shares: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _repr_html_(self) -> str:
        from corridor.report.notebook import assignment_html

        return assignment_html(self)

    def bottlenecks(self, top: int = 10) -> pd.DataFrame:
        """Return the binding capacities, most valuable to expand first."""
        binding = self.resources[self.resources["binding"]]
        return binding.sort_values("shadow_price_usd_per_unit", ascending=False).head(top)

    def to_dict(self, top: int = 10) -> dict[str, Any]:
        """Return the result as JSON-ready data with unit-named keys.

        Parameters
        ----------
        top
            Number of bottlenecks listed under ``bottlenecks``.
        """
        return {
            "status": self.status,
            "totals": dict(self.totals),
            "bottlenecks": records(self.bottlenecks(top)),
            "resources": records(self.resources),
            "link_flows": records(self.link_flows),
            "route_shares": records(self.route_shares),
            "unmet": records(self.unmet),
            "provenance": dict(self.provenance),
        }

    def link_totals(self) -> pd.DataFrame:
        """Return the flow per link over all commodities, with the link's utilisation."""
        if self.link_flows.empty:
            return pd.DataFrame(columns=["link_id", "flow_t_per_year", "utilisation"])
        sums = self.link_flows.groupby("link_id")["flow_t_per_year"].sum()
        links = self.resources[self.resources["kind"] == "link"]
        util = links.groupby("item_id")["utilisation"].max()
        return pd.DataFrame(
            {
                "link_id": sums.index,
                "flow_t_per_year": sums.to_numpy(),
                "utilisation": [util.get(i, math.nan) for i in sums.index],
            }
        )

    def to_geojson(self, network: Network) -> dict[str, Any]:
        """Return the loaded links as a GeoJSON FeatureCollection.

        Each feature is a link with flow (``flow_t_per_year`` and per commodity
        ``flow_<commodity>_units_per_year``) and the utilisation of its capacity (null when
        the link has none).
        """
        from corridor.io.geojson import link_geometries

        geometry = link_geometries(network)
        per_commodity: dict[str, dict[str, float]] = {}
        flows = self.link_flows
        if not flows.empty:
            for link_id, commodity, units in zip(
                flows["link_id"].tolist(),
                flows["commodity"].tolist(),
                flows["flow_units_per_year"].tolist(),
                strict=True,
            ):
                entry = per_commodity.setdefault(str(link_id), {})
                entry[f"flow_{commodity}_units_per_year"] = float(units)
        totals = self.link_totals()
        features = []
        for link_id, tonnes, util in zip(
            totals["link_id"].tolist(),
            totals["flow_t_per_year"].tolist(),
            totals["utilisation"].tolist(),
            strict=True,
        ):
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry.get(str(link_id)),
                    "properties": {
                        "link_id": link_id,
                        "flow_t_per_year": float(tonnes),
                        "utilisation": None if math.isnan(util) else float(util),
                        **per_commodity.get(str(link_id), {}),
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def write_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write the result tables as CSV files into a folder (created if missing).

        Files are written under temporary names and renamed at the end, so a failure leaves
        no half-written table.

        Returns
        -------
        list of Path
            The files written.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        totals = pd.DataFrame([{**self.totals, "status": self.status}])
        tables = {
            "resources.csv": self.resources,
            "bottlenecks.csv": self.bottlenecks(len(self.resources)),
            "link_flows.csv": self.link_flows,
            "route_shares.csv": self.route_shares,
            "unmet.csv": self.unmet,
            "totals.csv": totals,
        }
        staged: list[tuple[Path, Path]] = []
        try:
            for name, frame in tables.items():
                tmp = out / f".{name}.tmp"
                frame.to_csv(tmp, index=False)
                staged.append((tmp, out / name))
        except OSError:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
        for tmp, final in staged:
            os.replace(tmp, final)
        return [final for _, final in staged]


def _resources(network: Network) -> list[Resource]:
    found: list[Resource] = []
    for kind, table, key in (
        ("link", network.links, "link_id"),
        ("transfer", network.transfers, "transfer_id"),
        ("node", network.nodes, "node_id"),
    ):
        for unit in ("t", "teu"):
            column = f"capacity_{unit}_per_year"
            rows = table[table[column].notna()]
            for item, cap in zip(rows[key], rows[column], strict=True):
                found.append(Resource(kind, str(item), unit, float(cap)))
    return found


def assign(
    network: Network,
    demand: pd.DataFrame,
    *,
    year: int | None = None,
    params: CostParams | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    method: Literal["paths", "arcs"] = "paths",
) -> Assignment:
    """Load annual demand onto the network at minimum total generalized cost.

    Parameters
    ----------
    network
        A valid network.
    demand
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year`` (units of the
        commodity: TEU for containers, tonnes otherwise) and optionally ``avoid`` (countries
        separated by ``|`` that the flow never crosses). Names are matched like in routing.
    year
        Network year (planned links from their opening year).
    params
        Generalized-cost weights.
    progress
        Called as ``progress(stage, done, total)`` while building and solving.
    method
        ``paths``: column generation (:func:`corridor.assign.lp.solve_paths`), fast when few
        paths per OD carry flow; ``arcs``: the arc-based LP (:func:`corridor.assign.lp.solve`).
        Both reach the same optimum (tested).

    Returns
    -------
    Assignment
        Flows, binding capacities with shadow prices, unmet demand, totals and provenance.

    Raises
    ------
    InfeasibleError
        If the solver fails (unmet demand is allowed, so this signals a modelling error).
    """
    start = time.perf_counter()
    params = params or CostParams()
    missing = {"origin", "destination", "commodity", "flow_per_year"} - set(demand.columns)
    if missing:
        raise CorridorError(f"demand is missing column(s): {', '.join(sorted(missing))}")
    resources = _resources(network)
    index = {(r.kind, r.item_id, r.unit): i for i, r in enumerate(resources)}
    capacity = np.array([r.capacity for r in resources])

    requests: list[tuple[Request, float]] = []
    for row in demand.to_dict("records"):
        avoid = row.get("avoid")
        request = resolve_request(
            network, str(row["origin"]), str(row["destination"]), str(row["commodity"]),
            avoid_countries=split_list(avoid) if isinstance(avoid, str) else (),
            year=year, params=params,
        )  # fmt: skip
        try:
            flow = float(row["flow_per_year"])
        except (TypeError, ValueError):
            flow = math.nan
        if not flow >= 0:
            raise CorridorError(
                f"demand {request.origin}->{request.destination} ({request.commodity}): "
                f"flow_per_year must be a non-negative number, got {row['flow_per_year']!r}"
            )
        requests.append((request, flow))

    # One group per origin, cargo and set of constraints: its destinations share one flow
    # variable per edge (see corridor.assign.lp for why this formulation scales).
    by_group: dict[tuple[str, str, Any], list[tuple[Request, float]]] = {}
    for request, flow in requests:
        key = (request.origin, request.commodity, request.constraints)
        by_group.setdefault(key, []).append((request, flow))
    if progress is not None:
        progress("build", 0, len(by_group))

    groups: list[Group] = []
    meta: list[tuple[Any, list[tuple[Request, float]], Any]] = []
    max_cost = 0.0
    for done, members in enumerate(by_group.values()):
        problem = build_problem(network, members[0][0])
        graph = problem.graph
        cost = problem.generalized()
        ok = problem.edge_ok & problem.vertex_ok[graph.tails] & problem.vertex_ok[graph.heads]
        rows, cols, vals = [], [], []
        t_per_unit = graph.t_per_unit
        node_index = graph.node_index()
        for e in np.flatnonzero(ok):
            kind = int(graph.kind[e])
            item, u, _, _ = graph.edge_item[e]
            touched: list[tuple[str, str]] = []
            if kind == LINK:
                touched.append(("link", item))
            elif kind == TRANSFER:
                touched += [("transfer", item), ("node", u)]
            elif kind in (ACCESS, EGRESS):
                touched.append(("node", u))
            for res_kind, res_item in touched:
                for unit, coef in (("t", t_per_unit), ("teu", 1.0 if graph.unit == "teu" else 0.0)):
                    r = index.get((res_kind, res_item, unit))
                    if r is not None and coef > 0:
                        rows.append(e)
                        cols.append(r)
                        vals.append(coef)
        use = sp.csr_matrix((vals, (rows, cols)), shape=(graph.n_edges, len(resources)))
        # Masked edges get zero capacity by removal from the group's edge set.
        keep = np.flatnonzero(ok)
        dests = np.array(
            [graph.destination_vertex[node_index[r.destination]] for r, _ in members],
            dtype=np.int64,
        )
        flows = np.array([f for _, f in members], dtype=float)
        groups.append(
            Group(
                n_vertices=graph.n_vertices,
                tails=graph.tails[keep],
                heads=graph.heads[keep],
                cost=cost[keep],
                origin=int(problem.source),
                destinations=dests,
                demand=flows,
                use=use[keep],
            )
        )
        meta.append((graph, members, keep))
        max_cost = max(max_cost, float(cost[keep].sum()))
        if progress is not None:
            progress("build", done + 1, len(by_group))
    built = time.perf_counter()
    penalty = UNMET_FACTOR * max(max_cost, 1.0)
    if progress is not None:
        progress("solve", 0, 1)
    solver = solve_paths if method == "paths" else solve
    solution = solver(groups, capacity, unmet_penalty=penalty)
    if progress is not None:
        progress("solve", 1, 1)
    if solution.status != "optimal":
        raise InfeasibleError(diagnose_lp(solution.status, groups, capacity, resources))
    result = _results(network, resources, meta, solution, penalty, built - start, year, method)
    if progress is not None:
        progress("results", 1, 1)
    return result


def diagnose_lp(status: str, groups: list[Group], capacity: Any, resources: list[Resource]) -> str:
    """Explain why an assignment LP did not end optimal.

    With unmet demand allowed at a finite penalty the model is always feasible, and with
    non-negative costs it is bounded, so a failure points to bad numbers in the inputs: this
    names them.

    Parameters
    ----------
    status
        Solver status (``infeasible``, ``unbounded`` or ``error``).
    groups
        The LP's commodity groups.
    capacity
        Capacity per resource.
    resources
        What each capacity belongs to.
    """
    found: list[str] = []
    for g in groups:
        bad = np.flatnonzero(~np.isfinite(g.cost) | (g.cost < 0))
        if len(bad):
            found.append(
                f"{len(bad)} edge(s) of the group from vertex {g.origin} have a negative or "
                "non-finite cost (negative tariffs, times or charges in the tables?)"
            )
        if not np.all(np.isfinite(g.demand)) or np.any(g.demand < 0):
            found.append(f"the group from vertex {g.origin} has a negative or missing demand")
    cap = np.asarray(capacity, dtype=float)
    for r in np.flatnonzero(np.isnan(cap) | (cap < 0)):
        res = resources[int(r)]
        found.append(f"{res.kind} {res.item_id} has capacity {cap[r]} {res.unit}/yr")
    cause = "; ".join(found) or (
        "no bad number was found in costs, demands or capacities; the solver itself failed "
        "(try again, or report it with the demand set)"
    )
    return (
        f"The assignment LP ended {status!r}. Unmet demand is allowed at a penalty, so this is "
        f"not a capacity shortage: {cause}."
    )


def _results(
    network: Network,
    resources: list[Resource],
    meta: list[tuple[Any, list[tuple[Request, float]], Any]],
    solution: Solution,
    penalty: float,
    build_s: float,
    year: int | None,
    method: str = "paths",
) -> Assignment:
    link_rows: dict[tuple[str, str], list[float]] = {}
    unmet_rows: list[dict[str, Any]] = []
    share_rows: list[dict[str, Any]] = []
    tonne_km = co2 = 0.0
    km_col, co2_col = 0, 5
    for (graph, members, keep), x, s in zip(meta, solution.flows, solution.unmet, strict=True):
        comp = graph.comp[keep]
        for j, e in enumerate(keep):
            if x[j] <= 1e-9 or graph.kind[e] != LINK:
                continue
            item = graph.edge_item[e][0]
            entry = link_rows.setdefault((item, graph.commodity), [0.0, 0.0])
            entry[0] += float(x[j])
            entry[1] += float(x[j]) * graph.t_per_unit
        tonne_km += float((x * comp[:, km_col]).sum()) * graph.t_per_unit
        co2 += float((x * comp[:, co2_col]).sum())
        share_rows += _route_shares(network, graph, members, keep, x, s)
        for (request, flow), unmet in zip(members, s, strict=True):
            unmet_rows.append(
                {
                    "origin": request.origin,
                    "destination": request.destination,
                    "commodity": request.commodity,
                    "demand_per_year": flow,
                    "unmet_per_year": float(unmet),
                }
            )
    unmet_total = float(sum(float(r["unmet_per_year"]) for r in unmet_rows))
    usage = solution.usage
    frame = pd.DataFrame(
        {
            "kind": [r.kind for r in resources],
            "item_id": [r.item_id for r in resources],
            "unit": [r.unit for r in resources],
            "capacity_per_year": [r.capacity for r in resources],
            "used_per_year": usage,
            "utilisation": [
                u / r.capacity if r.capacity > 0 else math.nan
                for u, r in zip(usage, resources, strict=True)
            ],
            "shadow_price_usd_per_unit": solution.shadow_price,
        }
    )
    frame["binding"] = (frame["shadow_price_usd_per_unit"] > 1e-6) | (
        frame["utilisation"] >= 1 - 1e-6
    )
    links = pd.DataFrame(
        [
            {
                "link_id": k[0],
                "commodity": k[1],
                "flow_units_per_year": v[0],
                "flow_t_per_year": v[1],
            }
            for k, v in sorted(link_rows.items())
        ]
    )
    shares = pd.DataFrame(share_rows, columns=_SHARE_COLUMNS)
    return Assignment(
        route_shares=shares,
        status=solution.status,
        resources=frame,
        link_flows=links,
        unmet=pd.DataFrame(unmet_rows),
        totals={
            "objective_usd_per_year": solution.objective,
            "generalized_cost_usd_per_year": solution.objective - penalty * unmet_total,
            "tonne_km_per_year": tonne_km,
            "co2_kg_per_year": co2,
            "unmet_units_per_year": unmet_total,
        },
        provenance={
            "network": network.meta.name,
            "network_version": network.meta.version,
            "content_hash": network.content_hash(),
            "year": year,
            "solver": "HiGHS",
            "formulation": "column generation" if method == "paths" else "arc-based",
            "status": solution.status,
            "build_s": build_s,
            "solve_s": solution.solve_s,
            "unmet_penalty_usd_per_unit": penalty,
        },
    )


_SHARE_COLUMNS = [
    "origin",
    "destination",
    "commodity",
    "corridor",
    "nodes",
    "flow_per_year",
    "share",
    "time_h",
    "cost_usd_per_unit",
    "generalized_cost_usd_per_unit",
]

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
