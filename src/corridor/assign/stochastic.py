"""``assign(method="logit")``: demand split like the market, over diverse routes per OD.

Every OD's demand is split over its shipper classes (:mod:`corridor.assign.classes`), each
class with its own generalized-cost weights. Each class's choice set is up to ``k`` diverse
routes (:mod:`corridor.assign.choice`); the split over them is path-size logit with scale
``theta = dispersion / c_best`` (``c_best`` the OD's cheapest route), so ``dispersion`` is
unit free: a route dearer by a fraction ``x`` of the best gets ``exp(-dispersion * x)`` times
its share before path-size and penalties. Capacities and contracts are rows of the
constrained equilibrium of :mod:`corridor.assign.logit`, whose penalties at convergence are
the shadow prices.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corridor.assign.choice import Graph, choice_sets, path_size
from corridor.assign.contracts import Contract, contract_rows
from corridor.assign.logit import GAP_TOL as GAP_TOL
from corridor.assign.logit import PathSet, solve_logit
from corridor.assign.lp import Group, Solution
from corridor.assign.result import Assignment, Resource, _results
from corridor.errors import InfeasibleError
from corridor.routing.graph import LINK
from corridor.routing.search import Request, build_problem

if TYPE_CHECKING:
    from corridor.model.network import Network

#: Default dispersion (see the module docstring); calibrated in ``docs/assignment.md``.
DISPERSION = 20.0
#: Default routes per OD and class.
K_ROUTES = 5
#: Routes dearer than (1 + this) times the cheapest are left out of the choice set.
MAX_DETOUR = 2.0
#: Unmet demand costs this multiple of the dearest route in its choice set (last resort).
UNMET_FACTOR = 10.0


@dataclass(frozen=True)
class Member:
    """One OD and shipper class: its request (with the class's cost weights) and demand."""

    request: Request
    flow: float
    od: int
    shipper_class: str


def _families(graph: Any, keep: Any) -> sp.csr_matrix | None:
    names: dict[str, int] = {}
    rows, cols = [], []
    for j, e in enumerate(keep):
        if int(graph.kind[e]) != LINK:
            continue
        for fam in graph.edge_item[e][3]:
            if fam and fam != "domestic":
                rows.append(j)
                cols.append(names.setdefault(fam, len(names)))
    if not names:
        return None
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keep), len(names)))


def assign_logit(
    network: Network,
    members: list[Member],
    resources: list[Resource],
    index: dict[tuple[str, str, str], int],
    contracts: list[Contract],
    *,
    year: int | None,
    dispersion: float = DISPERSION,
    k: int = K_ROUTES,
    max_detour: float = MAX_DETOUR,
    tol: float = GAP_TOL,
    progress: Any = None,
    start: float | None = None,
) -> Assignment:
    """Path-size logit equilibrium with capacities and contracts (see the module docstring).

    Parameters
    ----------
    network
        A valid network.
    members
        Demand per OD and shipper class.
    resources, index
        Capacities and their numbers per ``(kind, item id, unit)``.
    contracts
        Minimum and maximum flows (:mod:`corridor.assign.contracts`).
    year
        Network year.
    dispersion
        Unit-free logit dispersion (larger: closer to all-or-nothing on the cheapest route).
    k
        Routes per OD and class.
    max_detour
        Relative cost limit of the choice set.
    tol
        Relative gap to converge to.
    progress
        Called as ``progress(stage, done, total)``.
    start
        ``time.perf_counter()`` at the start of the assignment (for the build time).

    Returns
    -------
    Assignment
        As the LP's, with ``method="logit"``, the convergence and the shares per class.
    """
    from corridor.assign.model import build_group

    start = time.perf_counter() if start is None else start
    by_group: dict[tuple[Any, ...], list[Member]] = {}
    for m in members:
        r = m.request
        by_group.setdefault((r.origin, r.commodity, r.constraints, r.params), []).append(m)
    n_res = len(resources)
    od_of: list[Member] = []
    path_od: list[int] = []
    path_cost: list[float] = []
    path_logps: list[float] = []
    path_edges: list[tuple[int, Any]] = []  # (group number, kept-edge indices)
    rows_i: list[int] = []
    rows_j: list[int] = []
    rows_v: list[float] = []
    meta: list[tuple[Any, list[tuple[Request, float]], Any]] = []
    problems: list[Any] = []
    groups: list[Group] = []
    n_contracts = len(contracts)
    if progress is not None:
        progress("build", 0, len(by_group))
    for g_no, group_members in enumerate(by_group.values()):
        problem = build_problem(network, group_members[0].request)
        graph = problem.graph
        group, keep = build_group(
            problem, [m.request.destination for m in group_members],
            np.array([m.flow for m in group_members]), index,
        )  # fmt: skip
        groups.append(group)
        problems.append(problem)
        meta.append((graph, [(m.request, m.flow) for m in group_members], keep))
        first_path = len(path_cost)
        sets = choice_sets(
            Graph(group.n_vertices, group.tails, group.heads, group.cost, _families(graph, keep)),
            group.origin, group.destinations, k=k, max_detour=max_detour,
        )  # fmt: skip
        flat = [(m, path) for m, found in zip(group_members, sets, strict=True) for path in found]
        # Resource use of every path at once: (paths x edges) incidence times (edges x rows).
        incidence = sp.csr_matrix(
            (
                np.ones(sum(len(path) for _, path in flat)),
                np.concatenate([path for _, path in flat]) if flat else np.zeros(0, dtype=int),
                np.cumsum([0] + [len(path) for _, path in flat]),
            ),
            shape=(len(flat), len(group.cost)),
        )
        res_use = (incidence @ group.use).tocsr()
        for m, found in zip(group_members, sets, strict=True):
            od_no = len(od_of)
            od_of.append(m)
            for path, factor in zip(found, path_size(found, group.cost), strict=True):
                p = len(path_cost)
                local = p - first_path
                path_od.append(od_no)
                path_cost.append(float(group.cost[path].sum()))
                path_logps.append(float(np.log(factor)))
                path_edges.append((g_no, path))
                lo_, hi_ = res_use.indptr[local], res_use.indptr[local + 1]
                rows_i += [p] * (hi_ - lo_)
                rows_j += res_use.indices[lo_:hi_].tolist()
                rows_v += res_use.data[lo_:hi_].tolist()
                for c, coef in contract_rows(contracts, graph, keep[path], m.request):
                    rows_i.append(p)
                    rows_j.append(n_res + c)
                    rows_v.append(coef)
        if progress is not None:
            progress("build", g_no + 1, len(by_group))
    built = time.perf_counter()
    n_od = len(od_of)
    od_index = np.asarray(path_od, dtype=np.int64)
    cost = np.asarray(path_cost, dtype=float)
    demand = np.array([m.flow for m in od_of], dtype=float)
    best = np.full(n_od, np.inf)
    worst = np.zeros(n_od)
    if len(od_index):
        np.minimum.at(best, od_index, cost)
        np.maximum.at(worst, od_index, cost)
    reachable = np.isfinite(best)
    best = np.where(reachable, np.maximum(best, 1e-9), 1.0)
    unmet_cost = UNMET_FACTOR * np.maximum(np.where(reachable, worst, 1.0), 1.0)
    paths = PathSet(
        od=od_index,
        cost=cost,
        log_ps=np.asarray(path_logps, dtype=float),
        rows=sp.csr_matrix((rows_v, (rows_i, rows_j)), shape=(len(cost), n_res + n_contracts)),
        demand=demand,
        theta=dispersion / best,
        unmet_cost=unmet_cost,
    )
    capacity = np.array([r.capacity for r in resources], dtype=float)
    lo = np.concatenate([np.full(n_res, -np.inf), [c.min_t for c in contracts]])
    hi = np.concatenate([capacity, [c.max_t for c in contracts]])
    _check_contracts(contracts, paths, lo, hi, n_res)
    if progress is not None:
        progress("solve", 0, 1)
    solution = solve_logit(paths, lo, hi, tol=tol)
    if progress is not None:
        progress("solve", 1, 1)
    _check_solution(contracts, solution.usage, lo, hi, n_res)

    flows = [np.zeros(len(g.tails)) for g in groups]
    unmet = [np.zeros(len(g.destinations)) for g in groups]
    member_pos = {id(m): (g_no, j) for g_no, ms in enumerate(by_group.values())
                  for j, m in enumerate(ms)}  # fmt: skip
    for (g_no, path), f in zip(path_edges, solution.path_flow, strict=True):
        np.add.at(flows[g_no], path, f)
    for i, m in enumerate(od_of):
        g_no, j = member_pos[id(m)]
        unmet[g_no][j] = solution.unmet[i]
    lp_like = Solution(
        status="optimal" if solution.converged else "not converged",  # type: ignore[arg-type]
        objective=solution.objective,
        flows=flows,
        unmet=unmet,
        shadow_price=np.maximum(solution.price[:n_res], 0.0),
        usage=solution.usage[:n_res],
        solve_s=solution.solve_s,
    )
    shares, by_class = _shares(network, problems, meta, od_of, path_edges, paths, solution,
                               member_pos)  # fmt: skip
    result = _results(
        network, resources, meta, lp_like, 0.0, built - start, year, "logit", route_shares=shares
    )
    unmet_frame = result.unmet
    if not unmet_frame.empty:
        keys = ["origin", "destination", "commodity"]
        unmet_frame = unmet_frame.groupby(keys, as_index=False, sort=False)[
            ["demand_per_year", "unmet_per_year"]
        ].sum()
    unmet_total = float(solution.unmet @ paths.unmet_cost)
    totals = dict(result.totals)
    totals["generalized_cost_usd_per_year"] = solution.objective - unmet_total
    totals["expected_cost_usd_per_year"] = solution.expected_cost
    contract_frame = pd.DataFrame(
        [
            {
                "contract_id": c.contract_id,
                "commodity": c.commodity,
                "min_t_per_year": c.min_t if np.isfinite(c.min_t) and c.min_t > 0 else None,
                "max_t_per_year": c.max_t if np.isfinite(c.max_t) else None,
                "used_t_per_year": float(solution.usage[n_res + i]),
                "shadow_price_usd_per_t": float(solution.price[n_res + i]),
            }
            for i, c in enumerate(contracts)
        ],
        columns=[
            "contract_id",
            "commodity",
            "min_t_per_year",
            "max_t_per_year",
            "used_t_per_year",
            "shadow_price_usd_per_t",
        ],
    )
    provenance = {
        **result.provenance,
        "solver": "scipy L-BFGS-B on the dual of the path-size logit program",
        "formulation": "path-size logit SUE with capacity and contract penalties",
        # per OD: UNMET_FACTOR times its dearest route; the largest is reported
        "unmet_penalty_usd_per_unit": float(unmet_cost.max()) if len(unmet_cost) else 0.0,
        "status": lp_like.status,
    }
    return Assignment(
        status=lp_like.status,
        resources=result.resources,
        link_flows=result.link_flows,
        unmet=unmet_frame,
        totals=totals,
        provenance=provenance,
        route_shares=shares,
        method="logit",
        convergence={
            "relative_gap": solution.relative_gap,
            "tolerance": tol,
            "iterations": solution.iterations,
            "converged": solution.converged,
            "dispersion": dispersion,
            "routes_per_od_max": k,
            "paths": len(cost),
        },
        class_shares=by_class,
        contracts=contract_frame,
    )


def _check_contracts(
    contracts: list[Contract], paths: PathSet, lo: Any, hi: Any, n_res: int
) -> None:
    """Refuse contracts no flow can meet, naming all of them at once."""
    problems: list[str] = []
    rows = paths.rows.tocsc()
    for i, c in enumerate(contracts):
        r = n_res + i
        if c.min_t > c.max_t:
            problems.append(
                f"contract {c.contract_id}: minimum {c.min_t:,.0f} t/yr exceeds its maximum "
                f"{c.max_t:,.0f} t/yr"
            )
            continue
        if not (np.isfinite(lo[r]) and lo[r] > 0):
            continue
        reach = np.zeros(len(paths.demand))
        col = rows.indices[rows.indptr[r] : rows.indptr[r + 1]]
        val = rows.data[rows.indptr[r] : rows.indptr[r + 1]]
        np.maximum.at(reach, paths.od[col], val)
        most = float(reach @ paths.demand)
        if most < lo[r] * (1 - 1e-9):
            problems.append(
                f"contract {c.contract_id}: minimum {c.min_t:,.0f} t/yr but the demand whose "
                f"routes can use it carries at most {most:,.0f} t/yr"
            )
    if problems:
        raise InfeasibleError("Infeasible contracts: " + "; ".join(problems) + ".")


def _check_solution(contracts: list[Contract], usage: Any, lo: Any, hi: Any, n_res: int) -> None:
    """Refuse a result that breaks a contract (min against capacities, or conflicting)."""
    problems = []
    for i, c in enumerate(contracts):
        used = float(usage[n_res + i])
        slack = 1e-3 * max(abs(c.min_t) if np.isfinite(c.min_t) else 0.0, 1.0)
        if np.isfinite(c.min_t) and used < c.min_t - slack:
            problems.append(
                f"contract {c.contract_id}: minimum {c.min_t:,.0f} t/yr cannot be met within "
                f"the capacities and other contracts (at most about {used:,.0f} t/yr)"
            )
        if np.isfinite(c.max_t) and used > c.max_t + 1e-3 * max(c.max_t, 1.0):
            problems.append(
                f"contract {c.contract_id}: maximum {c.max_t:,.0f} t/yr cannot be kept "
                f"({used:,.0f} t/yr must use it)"
            )
    if problems:
        raise InfeasibleError("Infeasible contracts: " + "; ".join(problems) + ".")


def _shares(
    network: Network,
    problems: list[Any],
    meta: list[tuple[Any, list[tuple[Request, float]], Any]],
    od_of: list[Member],
    path_edges: list[tuple[int, Any]],
    paths: PathSet,
    solution: Any,
    member_pos: dict[int, tuple[int, int]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from corridor.assign.result import _SHARE_COLUMNS
    from corridor.routing.assemble import make_route

    made: dict[tuple[int, bytes], Any] = {}
    per_od: dict[tuple[str, str, str], dict[str, list[Any]]] = {}
    class_rows: list[dict[str, Any]] = []
    served = np.bincount(paths.od, weights=solution.path_flow, minlength=len(od_of))
    for p, ((g_no, path), f) in enumerate(zip(path_edges, solution.path_flow, strict=True)):
        m = od_of[int(paths.od[p])]
        if f <= 1e-9 * max(m.flow, 1.0):
            continue
        keep = meta[g_no][2]
        key = (g_no, path.tobytes())
        if key not in made:
            made[key] = make_route(network, problems[g_no], [int(keep[e]) for e in path],
                                   "generalized")  # fmt: skip
        route = made[key]
        r = m.request
        nodes = " > ".join(route.nodes)
        entry = per_od.setdefault((r.origin, r.destination, r.commodity), {}).setdefault(
            nodes, [route, 0.0]
        )
        entry[1] += float(f)
        class_rows.append(
            {
                "origin": r.origin,
                "destination": r.destination,
                "commodity": r.commodity,
                "shipper_class": m.shipper_class,
                "corridor": route.corridor,
                "nodes": nodes,
                "flow_per_year": float(f),
                "share": float(f) / served[int(paths.od[p])] if served[int(paths.od[p])] else 0.0,
                "generalized_cost_usd_per_unit": route.totals.generalized_cost_usd,
            }
        )
    rows = []
    for (o, d, c), routes in per_od.items():
        total = sum(v[1] for v in routes.values())
        for nodes, (route, flow) in sorted(routes.items(), key=lambda kv: -kv[1][1]):
            rows.append(
                {
                    "origin": o,
                    "destination": d,
                    "commodity": c,
                    "corridor": route.corridor,
                    "nodes": nodes,
                    "flow_per_year": flow,
                    "share": flow / total if total else 0.0,
                    "time_h": route.totals.time_h,
                    "cost_usd_per_unit": route.totals.cost_usd,
                    "generalized_cost_usd_per_unit": route.totals.generalized_cost_usd,
                }
            )
    by_class = pd.DataFrame(
        class_rows,
        columns=[
            "origin",
            "destination",
            "commodity",
            "shipper_class",
            "corridor",
            "nodes",
            "flow_per_year",
            "share",
            "generalized_cost_usd_per_unit",
        ],
    )
    return pd.DataFrame(rows, columns=_SHARE_COLUMNS), by_class
