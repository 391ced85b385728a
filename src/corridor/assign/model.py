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
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corridor.assign.lp import Group, Solution, solve
from corridor.errors import CorridorError, InfeasibleError
from corridor.routing.engine import Request, build_problem, resolve_request
from corridor.routing.graph import ACCESS, EGRESS, LINK, TRANSFER
from corridor.routing.params import CostParams

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

    def _repr_html_(self) -> str:
        from corridor.report.notebook import assignment_html

        return assignment_html(self)

    def bottlenecks(self, top: int = 10) -> pd.DataFrame:
        """Return the binding capacities, most valuable to expand first."""
        binding = self.resources[self.resources["binding"]]
        return binding.sort_values("shadow_price_usd_per_unit", ascending=False).head(top)


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
) -> Assignment:
    """Load annual demand onto the network at minimum total generalized cost.

    Parameters
    ----------
    network
        A valid network.
    demand
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year`` (units of the
        commodity: TEU for containers, tonnes otherwise). Names are matched like in routing.
    year
        Network year (planned links from their opening year).
    params
        Generalized-cost weights.

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
        request = resolve_request(
            network, str(row["origin"]), str(row["destination"]), str(row["commodity"]),
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

    by_group: dict[tuple[str, str], list[tuple[Request, float]]] = {}
    for request, flow in requests:
        by_group.setdefault((request.origin, request.commodity), []).append((request, flow))

    groups: list[Group] = []
    meta: list[tuple[Any, list[tuple[Request, float]], Any]] = []
    max_cost = 0.0
    for (_, _), members in by_group.items():
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
    built = time.perf_counter()
    penalty = UNMET_FACTOR * max(max_cost, 1.0)
    solution = solve(groups, capacity, unmet_penalty=penalty)
    if solution.status != "optimal":
        raise InfeasibleError(
            f"The assignment LP ended {solution.status}; with unmet demand allowed this points to "
            "a modelling error (e.g. negative costs)."
        )
    return _results(network, resources, meta, solution, penalty, built - start, year)


def _results(
    network: Network,
    resources: list[Resource],
    meta: list[tuple[Any, list[tuple[Request, float]], Any]],
    solution: Solution,
    penalty: float,
    build_s: float,
    year: int | None,
) -> Assignment:
    link_rows: dict[tuple[str, str], list[float]] = {}
    unmet_rows: list[dict[str, Any]] = []
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
    return Assignment(
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
            "status": solution.status,
            "build_s": build_s,
            "solve_s": solution.solve_s,
            "unmet_penalty_usd_per_unit": penalty,
        },
    )
