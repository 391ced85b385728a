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

    highs: Any = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", threads)
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
