"""Load annual demand onto a network with capacities: the logit equilibrium or the LP.

``assign(method="logit")`` (the default) hands the demand, split by shipper class, to
:mod:`corridor.assign.stochastic`; ``method="min_cost"`` builds the LP here, solves it and
reads the results.

Capacities (all per year, shared by every commodity and both directions of travel):

- a link's ``capacity_t_per_year`` (every commodity, in tonnes) and ``capacity_teu_per_year``
  (containers, in TEU);
- a transfer's capacities (gauge-change yards, ferry slots), counted on the cargo changing mode;
- a node's capacities (port and terminal throughput), counted on the cargo that changes mode,
  starts or ends there; traffic passing through on the same mode does not use them.

Edge costs are the routing engine's generalized cost per unit (see ``docs/routing.md``), so an
uncongested ``min_cost`` assignment puts every OD pair on its best route.

The result is :class:`~corridor.assign.result.Assignment` (:mod:`corridor.assign.result`); the
split of flows into routes is :mod:`corridor.assign.decompose`. Both are importable from here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from corridor.assign.decompose import decompose as decompose
from corridor.assign.lp import Group, solve, solve_paths
from corridor.assign.result import Assignment as Assignment
from corridor.assign.result import Resource as Resource
from corridor.assign.result import _results
from corridor.errors import CorridorError, InfeasibleError
from corridor.model.tables import split_list
from corridor.routing.graph import ACCESS, EGRESS, LINK, TRANSFER
from corridor.routing.params import CostParams
from corridor.routing.search import Request, build_problem, resolve_request

if TYPE_CHECKING:
    from corridor.model.network import Network

#: Unmet demand costs this multiple of the dearest edge cost sum, so it is a last resort.
UNMET_FACTOR = 10.0


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
    method: Literal["logit", "min_cost"] = "logit",
    formulation: Literal["paths", "arcs"] = "paths",
    dispersion: float | None = None,
    k: int | None = None,
    tol: float | None = None,
    classes: pd.DataFrame | None = None,
    contracts: pd.DataFrame | None = None,
) -> Assignment:
    """Load annual demand onto the network: how shippers split, or at least total cost.

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
        ``logit`` (default): the path-size logit equilibrium with capacities and contracts
        (:mod:`corridor.assign.stochastic`), each OD split over up to ``k`` diverse routes and
        its shipper classes, the answer to "what will flow where"; ``min_cost``: the LP, least
        total generalized cost (the system optimum: every OD on its cheapest route until a
        capacity binds). Shipper classes and contracts apply to ``logit`` only.
    formulation
        For ``min_cost``: ``paths``, column generation (:func:`corridor.assign.lp.solve_paths`),
        fast when few paths per OD carry flow; ``arcs``, the arc-based LP
        (:func:`corridor.assign.lp.solve`). Both reach the same optimum (tested).
    dispersion, k, tol
        For ``logit``: unit-free dispersion (default
        :data:`corridor.assign.stochastic.DISPERSION`), routes per OD and class (default 5)
        and the relative gap to converge to (default 1e-4).
    classes, contracts
        For ``logit``: the shipper classes and contracts tables (default: the network's own
        ``shipper_classes`` and ``contracts`` tables).

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
    if method not in ("logit", "min_cost"):
        raise CorridorError(f"Unknown assignment method {method!r}; choose logit or min_cost.")
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

    if method == "logit":
        return _assign_logit(
            network, requests, resources, index, year=year, progress=progress, start=start,
            dispersion=dispersion, k=k, tol=tol, classes=classes, contracts=contracts,
        )  # fmt: skip
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
        flows = np.array([f for _, f in members], dtype=float)
        group, keep = build_group(problem, [r.destination for r, _ in members], flows, index)
        groups.append(group)
        meta.append((problem.graph, members, keep))
        max_cost = max(max_cost, float(group.cost.sum()))
        if progress is not None:
            progress("build", done + 1, len(by_group))
    built = time.perf_counter()
    penalty = UNMET_FACTOR * max(max_cost, 1.0)
    if progress is not None:
        progress("solve", 0, 1)
    solver = solve_paths if formulation == "paths" else solve
    solution = solver(groups, capacity, unmet_penalty=penalty)
    if progress is not None:
        progress("solve", 1, 1)
    if solution.status != "optimal":
        raise InfeasibleError(diagnose_lp(solution.status, groups, capacity, resources))
    result = _results(network, resources, meta, solution, penalty, built - start, year, formulation)
    if progress is not None:
        progress("results", 1, 1)
    return result


def _assign_logit(
    network: Network,
    requests: list[tuple[Request, float]],
    resources: list[Resource],
    index: dict[tuple[str, str, str], int],
    *,
    year: int | None,
    progress: Callable[[str, int, int], None] | None,
    start: float,
    dispersion: float | None,
    k: int | None,
    tol: float | None,
    classes: pd.DataFrame | None,
    contracts: pd.DataFrame | None,
) -> Assignment:
    from corridor.assign import stochastic
    from corridor.assign.classes import classes_for, classes_from_table
    from corridor.assign.contracts import contracts_from_table

    table = classes if classes is not None else network.tables.get("shipper_classes")
    by_commodity = classes_from_table(table)
    members: list[stochastic.Member] = []
    for od, (request, flow) in enumerate(requests):
        for cls in classes_for(by_commodity, request.commodity):
            params = cls.params(request.params)
            members.append(
                stochastic.Member(
                    Request(
                        request.origin,
                        request.destination,
                        request.commodity,
                        request.constraints,
                        params,
                    ),
                    flow * cls.share,
                    od,
                    cls.class_id,
                )
            )
    rows = contracts if contracts is not None else network.tables.get("contracts")
    found = contracts_from_table(rows if rows is not None else pd.DataFrame(), year)
    if dispersion is not None and not (math.isfinite(dispersion) and dispersion > 0):
        raise CorridorError(f"dispersion must be a positive number, got {dispersion!r}")
    return stochastic.assign_logit(
        network, members, resources, index, found, year=year, progress=progress, start=start,
        dispersion=stochastic.DISPERSION if dispersion is None else dispersion,
        k=stochastic.K_ROUTES if k is None else k,
        tol=stochastic.GAP_TOL if tol is None else tol,
    )  # fmt: skip


def build_group(
    problem: Any,
    destinations: list[str],
    demand: NDArray[np.float64],
    index: dict[tuple[str, str, str], int],
) -> tuple[Group, NDArray[np.int64]]:
    """Lay one origin's demand onto its search problem: the LP's commodity group.

    Parameters
    ----------
    problem
        The :class:`~corridor.routing.search.SearchProblem` of the group's request.
    destinations
        Destination node ids.
    demand
        Demand per destination.
    index
        Resource number per ``(kind, item id, unit)``.

    Returns
    -------
    tuple of Group and array
        The group (usable edges only) and the state-graph edge of each of its edges.
    """
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
    use = sp.csr_matrix((vals, (rows, cols)), shape=(graph.n_edges, len(index)))
    # Masked edges get zero capacity by removal from the group's edge set.
    keep = np.flatnonzero(ok)
    dests = np.array([graph.destination_vertex[node_index[d]] for d in destinations],
                     dtype=np.int64)  # fmt: skip
    group = Group(
        n_vertices=graph.n_vertices,
        tails=graph.tails[keep],
        heads=graph.heads[keep],
        cost=cost[keep],
        origin=int(problem.source),
        destinations=dests,
        demand=np.asarray(demand, dtype=float),
        use=use[keep],
    )
    return group, keep


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
