"""Minimum-cost multi-commodity flow with shared capacities, solved with HiGHS.

This is the solver core of the assignment: it knows nothing of networks or commodities, only
of *groups*, each a directed graph with per-edge costs and one origin shipping to several
destinations, and of *resources*, capacities that edges of any group consume.

Formulation (arc-based, one group per origin and cargo class): aggregating every destination
of an origin into one group keeps the number of flow variables at groups x edges rather than
OD pairs x edges, which is what makes 1,000 OD pairs tractable on a network of thousands of
edges; path-based column generation would need a pricing loop for every LP solve and gains
little on networks of this size.

For group k with edge flows x_k >= 0 and unmet demand s_kd in [0, D_kd]::

    min   sum_k c_k . x_k + penalty * sum s
    s.t.  out_k(o) - in_k(o) + sum_d s_kd = sum_d D_kd         (origin o of group k)
          out_k(d) - in_k(d) - s_kd      = -D_kd              (each destination d)
          out_k(v) - in_k(v)             = 0                  (every other vertex)
          sum_k sum_e use_{k,e,r} x_ke   <= cap_r             (each resource r)

The shadow price of a resource is minus the dual of its row: the cost saved per extra unit of
capacity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from corridor.assign.highs import new_solver

Status = Literal["optimal", "infeasible", "unbounded", "error"]


@dataclass(frozen=True)
class Group:
    """One commodity group: a directed graph, its edge costs and one origin's demands.

    Attributes
    ----------
    n_vertices
        Number of vertices.
    tails, heads
        Edge ends.
    cost
        Cost per unit of flow on each edge (non-negative).
    origin
        Vertex all flow of the group starts at.
    destinations
        Destination vertices.
    demand
        Demand at each destination (units per year, non-negative).
    use
        Resource use: a sparse (n_edges x n_resources) matrix; entry (e, r) is how much of
        resource r one unit of flow on edge e consumes.
    """

    n_vertices: int
    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    cost: NDArray[np.float64]
    origin: int
    destinations: NDArray[np.int64]
    demand: NDArray[np.float64]
    use: sp.csr_matrix = field(repr=False)


@dataclass(frozen=True)
class Solution:
    """Solver output.

    Attributes
    ----------
    status
        ``optimal``, ``infeasible``, ``unbounded`` or ``error``.
    objective
        Optimal objective value (cost plus unmet-demand penalty).
    flows
        Edge flows per group.
    unmet
        Unmet demand per group and destination.
    shadow_price
        Per resource: cost saved per extra unit of capacity (>= 0; 0 if not binding).
    usage
        Per resource: capacity used.
    solve_s
        Time spent in HiGHS.
    """

    status: Status
    objective: float
    flows: list[NDArray[np.float64]]
    unmet: list[NDArray[np.float64]]
    shadow_price: NDArray[np.float64]
    usage: NDArray[np.float64]
    solve_s: float


def solve(
    groups: list[Group],
    capacity: NDArray[np.float64],
    *,
    unmet_penalty: float,
    threads: int = 1,
) -> Solution:
    """Solve the minimum-cost multi-commodity flow problem with HiGHS.

    Parameters
    ----------
    groups
        Commodity groups.
    capacity
        Capacity of each resource (``np.inf`` for none).
    unmet_penalty
        Cost per unit of unmet demand; must exceed any route's cost for demand to be served.
    threads
        HiGHS threads.

    Returns
    -------
    Solution
        Flows, unmet demand, shadow prices and status.
    """
    import time

    import highspy

    n_res = len(capacity)
    columns_cost: list[NDArray[np.float64]] = []
    upper: list[NDArray[np.float64]] = []
    blocks: list[Any] = []  # conservation blocks, one per group (block-diagonal)
    resource_blocks: list[Any] = []
    rhs: list[NDArray[np.float64]] = []
    offsets = [0]
    for g in groups:
        m = len(g.tails)
        n_dest = len(g.destinations)
        edges = np.arange(m)
        incidence = sp.csr_matrix(
            (
                np.concatenate([np.ones(m), -np.ones(m)]),
                (np.concatenate([g.tails, g.heads]), np.concatenate([edges, edges])),
            ),
            shape=(g.n_vertices, m),
        )
        slack = sp.csr_matrix(
            (
                np.concatenate([np.ones(n_dest), -np.ones(n_dest)]),
                (
                    np.concatenate([np.full(n_dest, g.origin), g.destinations]),
                    np.concatenate([np.arange(n_dest), np.arange(n_dest)]),
                ),
            ),
            shape=(g.n_vertices, n_dest),
        )
        blocks.append(sp.hstack([incidence, slack]))
        b = np.zeros(g.n_vertices)
        b[g.origin] += g.demand.sum()
        np.subtract.at(b, g.destinations, g.demand)
        rhs.append(b)
        resource_blocks.append(sp.hstack([g.use.T.tocsr(), sp.csr_matrix((n_res, n_dest))]))
        columns_cost.append(np.concatenate([g.cost, np.full(n_dest, unmet_penalty)]))
        upper.append(np.concatenate([np.full(m, np.inf), g.demand]))
        offsets.append(offsets[-1] + m + n_dest)

    a: Any = sp.vstack([sp.block_diag(blocks), sp.hstack(resource_blocks)]).tocsc()
    b_eq = np.concatenate(rhs) if rhs else np.zeros(0)
    row_lower = np.concatenate([b_eq, np.full(n_res, -np.inf)])
    row_upper = np.concatenate([b_eq, capacity.astype(float)])
    cost = np.concatenate(columns_cost) if columns_cost else np.zeros(0)
    col_upper = np.concatenate(upper) if upper else np.zeros(0)

    highs: Any = new_solver(threads)
    lp: Any = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.where(np.isinf(col_upper), highspy.kHighsInf, col_upper)
    lp.row_lower_ = np.where(np.isinf(row_lower), -highspy.kHighsInf, row_lower)
    lp.row_upper_ = np.where(np.isinf(row_upper), highspy.kHighsInf, row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    highs.passModel(lp)
    start = time.perf_counter()
    highs.run()
    elapsed = time.perf_counter() - start
    model_status = highs.getModelStatus()
    status: Status
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    elif model_status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        status = "unbounded"
    else:
        status = "error"
    if status != "optimal":
        empty = [np.zeros(len(g.tails)) for g in groups]
        return Solution(
            status, float("nan"), empty, [np.zeros(len(g.destinations)) for g in groups],
            np.zeros(n_res), np.zeros(n_res), elapsed,
        )  # fmt: skip
    solution = highs.getSolution()
    x = np.asarray(solution.col_value)
    duals = np.asarray(solution.row_dual)[len(b_eq) :]
    flows, unmet = [], []
    for k, g in enumerate(groups):
        part = x[offsets[k] : offsets[k + 1]]
        flows.append(part[: len(g.tails)])
        unmet.append(part[len(g.tails) :])
    usage = np.zeros(n_res)
    for g, f in zip(groups, flows, strict=True):
        usage += g.use.T @ f
    return Solution(
        status=status,
        objective=float(highs.getInfo().objective_function_value),
        flows=flows,
        unmet=unmet,
        shadow_price=np.maximum(-duals, 0.0),
        usage=usage,
        solve_s=elapsed,
    )


def solve_paths(
    groups: list[Group],
    capacity: NDArray[np.float64],
    *,
    unmet_penalty: float,
    threads: int = 1,
    max_rounds: int = 500,
    rel_tol: float = 1e-9,
) -> Solution:
    """Solve the same problem as :func:`solve` by path-based column generation.

    The master LP has one column per (OD, path) found so far plus the unmet-demand slacks,
    one row per OD (its paths and slack add up to its demand) and one row per resource. Each
    round prices every group with one one-to-all Dijkstra on the reduced edge costs
    ``cost + use @ shadow_price`` (non-negative, so Dijkstra is exact) and adds, for every
    OD, the shortest path if it is cheaper than the OD row's dual. When no OD has such a path
    the master's solution is optimal for the full arc-based problem: the master is a
    restriction of it, and the reduced-cost test is the arc model's dual feasibility. HiGHS
    warm-starts each round from the previous basis.

    Why this scales: the arc model has (groups x edges) flow columns, ~400,000 for 50 origins
    on an 8,000-edge network, while few paths per OD are ever used, so the master stays in
    the thousands of columns; pricing is a few milliseconds of Dijkstra per origin.

    Parameters
    ----------
    groups, capacity, unmet_penalty, threads
        As for :func:`solve`.
    max_rounds
        Safety limit on pricing rounds (the status is ``error`` if it is reached).
    rel_tol
        A path enters when its reduced cost is below the OD dual by more than this relative
        amount.

    Returns
    -------
    Solution
        As for :func:`solve`, with edge flows summed from the paths.
    """
    import time

    import highspy

    from corridor.graph import kernels

    n_res = len(capacity)
    prepared = []
    od_rows: list[tuple[int, int]] = []  # (group, destination index) per demand row
    for k, g in enumerate(groups):
        indptr, indices, _, order = kernels.csr_from_edges(g.n_vertices, g.tails, g.heads, g.cost)
        prepared.append((indptr, indices, order, kernels.edge_tails(indptr), g.use.tocsr()))
        od_rows += [(k, j) for j in range(len(g.destinations))]
    demand = np.array([groups[k].demand[j] for k, j in od_rows], dtype=float)
    n_od = len(od_rows)
    row_of = {od: i for i, od in enumerate(od_rows)}

    highs: Any = new_solver(threads)
    inf = highspy.kHighsInf
    cap = np.where(np.isinf(capacity), inf, capacity.astype(float))
    # Rows: OD rows (= demand), then resource rows (<= capacity). Start with the slacks only.
    lp: Any = highspy.HighsLp()
    lp.num_col_ = n_od
    lp.num_row_ = n_od + n_res
    lp.col_cost_ = np.full(n_od, float(unmet_penalty))
    lp.col_lower_ = np.zeros(n_od)
    lp.col_upper_ = demand.copy()
    lp.row_lower_ = np.concatenate([demand, np.full(n_res, -inf)])
    lp.row_upper_ = np.concatenate([demand, cap])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(n_od + 1, dtype=np.int32)
    lp.a_matrix_.index_ = np.arange(n_od, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(n_od)
    highs.passModel(lp)

    paths: list[tuple[int, int, NDArray[np.int64]]] = []  # (group, dest index, input edges)
    seen: set[tuple[int, int, bytes]] = set()
    shadow = np.zeros(n_res)
    od_dual = np.full(n_od, np.inf)  # before the first solve every path prices out
    status: Status = "error"
    elapsed = 0.0
    for _ in range(max_rounds):
        costs: list[float] = []
        starts: list[int] = []
        index: list[NDArray[np.int64]] = []
        values: list[NDArray[np.float64]] = []
        nnz = 0
        for k, g in enumerate(groups):
            indptr, indices, order, csr_tails, use = prepared[k]
            reduced = g.cost + (use @ shadow if n_res else 0.0)
            dist, pred = kernels.dijkstra(indptr, indices, reduced[order], g.origin)
            for j, dest in enumerate(g.destinations):
                row = row_of[(k, j)]
                if g.demand[j] <= 0 or not np.isfinite(dist[dest]):
                    continue
                bound = od_dual[row]
                if np.isfinite(bound) and dist[dest] >= bound - rel_tol * max(1.0, abs(bound)):
                    continue
                edges = order[kernels.path_edges(pred, csr_tails, g.origin, int(dest))]
                key = (k, j, edges.tobytes())
                if key in seen:
                    continue
                seen.add(key)
                paths.append((k, j, edges))
                res = use[edges].sum(axis=0).A1 if n_res else np.zeros(0)
                touched = np.flatnonzero(res)
                costs.append(float(g.cost[edges].sum()))
                starts.append(nnz)
                index.append(np.concatenate([[row], n_od + touched]).astype(np.int32))
                values.append(np.concatenate([[1.0], res[touched]]))
                nnz += 1 + len(touched)
        if not costs and np.isfinite(od_dual).all():
            break
        if costs:
            highs.addCols(
                len(costs),
                np.array(costs),
                np.zeros(len(costs)),
                np.full(len(costs), inf),
                nnz,
                np.array(starts, dtype=np.int32),
                np.concatenate(index),
                np.concatenate(values),
            )
        start = time.perf_counter()
        highs.run()
        elapsed += time.perf_counter() - start
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            status = "unbounded" if "nbounded" in str(highs.getModelStatus()) else "error"
            break
        duals = np.asarray(highs.getSolution().row_dual)
        od_dual = duals[:n_od].copy()
        shadow = np.maximum(-duals[n_od:], 0.0)
        status = "optimal"
    else:
        status = "error"
    if status != "optimal":
        empty = [np.zeros(len(g.tails)) for g in groups]
        return Solution(
            status, float("nan"), empty, [np.zeros(len(g.destinations)) for g in groups],
            np.zeros(n_res), np.zeros(n_res), elapsed,
        )  # fmt: skip
    x = np.asarray(highs.getSolution().col_value)
    flows = [np.zeros(len(g.tails)) for g in groups]
    unmet = [np.zeros(len(g.destinations)) for g in groups]
    for row, (k, j) in enumerate(od_rows):
        unmet[k][j] = x[row]
    for (k, _, edges), value in zip(paths, x[n_od:], strict=True):
        if value > 0:
            np.add.at(flows[k], edges, value)
    usage = np.zeros(n_res)
    for g, f in zip(groups, flows, strict=True):
        usage += g.use.T @ f
    return Solution(
        status=status,
        objective=float(highs.getInfo().objective_function_value),
        flows=flows,
        unmet=unmet,
        shadow_price=shadow,
        usage=usage,
        solve_s=elapsed,
    )
