"""Stochastic user equilibrium with side constraints: path-size logit over fixed choice sets.

This is the solver core of ``assign(method="logit")``: it knows nothing of networks, only of
*paths* (one choice set per OD, each path with a cost per unit, a path-size factor and the
coefficients it puts on each constraint row) and of *rows*, linear constraints on the path
flows with a lower and an upper bound (capacities are rows with an upper bound; contracts add
lower bounds).

Formulation (Fisk's entropy program with path-size and side constraints; Bell 1995)::

    min   sum_i f_i c_i + sum_od 1/theta_od sum_{i in od} f_i (ln(f_i / D_od) - ln PS_i)
    s.t.  sum_{i in od} f_i = D_od                  (each OD)
          lo_r <= sum_i a_ir f_i <= hi_r            (each row r)

Its optimum is the path-size logit split at the costs ``c_i + sum_r a_ir pi_r``, where
``pi_r = y_r^up - y_r^lo`` are the multipliers of the rows. Those multipliers maximise the
concave dual, so they are found by minimising the convex function::

    h(y) = sum_od D_od/theta_od ln sum_{i in od} PS_i exp(-theta_od (c_i + a_i . pi))
           + y^up . hi - y^lo . lo,       y >= 0,

whose gradient is ``hi - usage`` for the upper and ``usage - lo`` for the lower multipliers,
with L-BFGS-B (bounds y >= 0). At the optimum the penalties ``pi`` are the rows' shadow
prices: a binding capacity's penalty is what it adds to the cost of the paths that use it,
exactly the capacity dual of Bell's SUE with capacity constraints.

Each OD also has an *unmet* alternative at a penalty cost (no rows), as in the LP, so the
problem stays feasible when capacities cannot carry the demand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

#: Default stopping tolerance on the relative gap (see :func:`relative_gap`).
GAP_TOL = 1e-4


@dataclass(frozen=True)
class PathSet:
    """Every OD's choice set, flattened.

    Attributes
    ----------
    od
        OD index of each path (0 .. n_od - 1).
    cost
        Cost per unit of each path without penalties (USD per unit).
    log_ps
        Natural log of each path's path-size factor (0 for a path overlapping no other).
    rows
        Sparse (n_paths x n_rows) matrix: ``rows[i, r]`` is how much of row r one unit of
        flow on path i counts.
    demand
        Demand per OD.
    theta
        Logit scale per OD (1 / USD per unit).
    unmet_cost
        Cost per unit of unmet demand, per OD.
    """

    od: NDArray[np.int64]
    cost: NDArray[np.float64]
    log_ps: NDArray[np.float64]
    rows: sp.csr_matrix = field(repr=False)
    demand: NDArray[np.float64]
    theta: NDArray[np.float64]
    unmet_cost: NDArray[np.float64]


@dataclass(frozen=True)
class LogitSolution:
    """Result of :func:`solve_logit`.

    Attributes
    ----------
    path_flow
        Flow per path (units per year).
    unmet
        Unmet demand per OD (zero below :data:`NEGLIGIBLE_UNMET` of its demand).
    price
        Penalty per row at convergence, ``y_up - y_lo`` (USD per unit; positive for a binding
        upper bound, negative for a binding lower bound): the rows' shadow prices.
    usage
        Row usage ``rows.T @ path_flow``.
    relative_gap
        See :func:`relative_gap`.
    iterations
        L-BFGS-B iterations.
    converged
        Whether the relative gap reached the tolerance.
    objective
        Total cost of the path flows at base costs plus unmet demand at its penalty.
    expected_cost
        Expected least perceived cost, ``sum_od D_od * -(1/theta_od) ln sum_i PS_i
        exp(-theta_od (c_i + a_i . pi))`` at the converged penalties (the logsum: the
        welfare measure of a logit model, which falls when a choice is added).
    solve_s
        Time spent.
    """

    path_flow: NDArray[np.float64]
    unmet: NDArray[np.float64]
    price: NDArray[np.float64]
    usage: NDArray[np.float64]
    relative_gap: float
    iterations: int
    converged: bool
    objective: float
    solve_s: float
    expected_cost: float = 0.0


NEGLIGIBLE_UNMET = 1e-9
"""Share of an OD's demand below which the logit's unmet flow is reported as zero."""


def _segment_lse(
    values: NDArray[np.float64], group: NDArray[np.int64], n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Log-sum-exp of ``values`` per group, and the softmax weight of each value."""
    top = np.full(n, -np.inf)
    np.maximum.at(top, group, values)
    e = np.exp(values - top[group])
    total = np.bincount(group, weights=e, minlength=n)
    return top + np.log(total), e / total[group]


def _split(
    paths: PathSet, price: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Path flows, unmet flows and the log-sum per OD at the given row prices."""
    n_od = len(paths.demand)
    loaded = paths.cost + (paths.rows @ price if paths.rows.shape[1] else 0.0)
    utility = np.concatenate([paths.log_ps - paths.theta[paths.od] * loaded,
                              -paths.theta * paths.unmet_cost])  # fmt: skip
    group = np.concatenate([paths.od, np.arange(n_od)])
    lse, prob = _segment_lse(utility, group, n_od)
    flow = prob * paths.demand[group]
    return flow[: len(paths.od)], flow[len(paths.od) :], lse


def _total(
    paths: PathSet, path_flow: NDArray[np.float64], unmet: NDArray[np.float64], floor: float
) -> float:
    """Total cost of a split at base costs, unmet demand at its penalty (at least ``floor``)."""
    return max(float(path_flow @ paths.cost + unmet @ paths.unmet_cost), floor)


def relative_gap(
    usage: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    y_up: NDArray[np.float64],
    y_lo: NDArray[np.float64],
    scale: float,
) -> float:
    """Distance from equilibrium, relative: 0 exactly at the constrained SUE.

    The larger of (a) the worst bound violation relative to its bound and (b) the
    complementary-slackness residual ``sum_r y_r |slack_r|`` relative to ``scale`` (the total
    cost of the split, unmet demand at its penalty). Given the logit split (exact at any prices),
    (a) and (b) both zero is the optimality condition of the constrained program.

    Parameters
    ----------
    usage, lo, hi
        Row usage and bounds (``-inf``/``inf`` where there is none).
    y_up, y_lo
        Multipliers of the upper and lower bounds.
    scale
        Normaliser of the slackness residual (USD per year).
    """
    over = np.where(np.isfinite(hi), usage - hi, 0.0)
    under = np.where(np.isfinite(lo), lo - usage, 0.0)
    viol = np.maximum(np.maximum(over, under), 0.0)
    bound = np.maximum(np.maximum(np.where(np.isfinite(hi), np.abs(hi), 0.0),
                                  np.where(np.isfinite(lo), np.abs(lo), 0.0)), 1.0)  # fmt: skip
    worst = float((viol / bound).max()) if len(viol) else 0.0
    slack_up = np.where(np.isfinite(hi), np.abs(hi - usage), 0.0)
    slack_lo = np.where(np.isfinite(lo), np.abs(usage - lo), 0.0)
    residual = float((y_up * slack_up).sum() + (y_lo * slack_lo).sum()) / max(scale, 1e-12)
    return max(worst, residual)


def solve_logit(
    paths: PathSet,
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    *,
    tol: float = GAP_TOL,
    max_iter: int = 5000,
) -> LogitSolution:
    """Find the path-size logit equilibrium with side constraints.

    Parameters
    ----------
    paths
        The choice sets.
    lo, hi
        Lower and upper bound per row (``-inf``/``0`` and ``inf`` where there is none).
    tol
        Stop when :func:`relative_gap` is below this.
    max_iter
        L-BFGS-B iteration limit (per restart; up to three restarts are made).

    Returns
    -------
    LogitSolution
        Flows, penalties (shadow prices), gap and iterations.
    """
    from scipy.optimize import minimize

    start = time.perf_counter()
    n_rows = paths.rows.shape[1]
    up_rows = np.flatnonzero(np.isfinite(hi))
    lo_rows = np.flatnonzero(np.isfinite(lo) & (lo > 0))
    n_up, n_lo = len(up_rows), len(lo_rows)
    # Cost scale: total cost of the demand at each OD's cheapest path.
    best = np.full(len(paths.demand), np.inf)
    np.minimum.at(best, paths.od, paths.cost)
    best = np.where(np.isfinite(best), best, paths.unmet_cost)
    scale = float(max((paths.demand * np.maximum(best, 1e-9)).sum(), 1e-9))
    # Price scale per row: the mean cheapest-path cost of the ODs whose paths use it.
    rows_csc = paths.rows.tocsc()
    row_scale = np.ones(n_rows)
    for r in range(n_rows):
        touched = rows_csc.indices[rows_csc.indptr[r] : rows_csc.indptr[r + 1]]
        if len(touched):
            coef = np.abs(rows_csc.data[rows_csc.indptr[r] : rows_csc.indptr[r + 1]]).mean()
            row_scale[r] = float(np.mean(best[paths.od[touched]])) / max(float(coef), 1e-12)
    s = np.concatenate([row_scale[up_rows], row_scale[lo_rows]])

    def prices(z: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        y = z * s
        y_up = np.zeros(n_rows)
        y_lo = np.zeros(n_rows)
        y_up[up_rows] = y[:n_up]
        y_lo[lo_rows] = y[n_up:]
        return y_up, y_lo, y_up - y_lo

    def objective(z: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        y_up, y_lo, price = prices(z)
        path_flow, _, lse = _split(paths, price)
        usage = paths.rows.T @ path_flow if n_rows else np.zeros(0)
        value = float((paths.demand / paths.theta * lse).sum())
        value += float(y_up[up_rows] @ hi[up_rows]) - float(y_lo[lo_rows] @ lo[lo_rows])
        grad = np.concatenate([hi[up_rows] - usage[up_rows], usage[lo_rows] - lo[lo_rows]])
        return value / scale, grad * s / scale

    z = np.zeros(n_up + n_lo)
    iterations = 0
    gap = np.inf
    for _ in range(4):
        if n_up + n_lo == 0:
            break
        result = minimize(
            objective, z, jac=True, method="L-BFGS-B",
            bounds=[(0.0, None)] * len(z),
            options={"maxiter": max_iter, "ftol": 1e-15, "gtol": 1e-12, "maxcor": 30},
        )  # fmt: skip
        z = np.maximum(np.asarray(result.x, dtype=float), 0.0)
        iterations += int(result.nit)
        y_up, y_lo, price = prices(z)
        path_flow, unmet, _ = _split(paths, price)
        usage = np.asarray(paths.rows.T @ path_flow, dtype=float)
        gap = relative_gap(usage, lo, hi, y_up, y_lo, _total(paths, path_flow, unmet, scale))
        if gap <= tol:
            break
    y_up, y_lo, price = prices(z)
    path_flow, unmet, lse = _split(paths, price)
    usage = np.asarray(paths.rows.T @ path_flow, dtype=float) if n_rows else np.zeros(0)
    total = _total(paths, path_flow, unmet, scale)
    gap = relative_gap(usage, lo, hi, y_up, y_lo, total) if n_rows else 0.0
    objective_value = float(path_flow @ paths.cost + unmet @ paths.unmet_cost)
    # The unmet alternative always keeps an infinitesimal logit share (1e-78 t was reported):
    # below NEGLIGIBLE_UNMET of an OD's demand it is reported as none.
    unmet = np.where(unmet <= NEGLIGIBLE_UNMET * paths.demand, 0.0, unmet)
    return LogitSolution(
        path_flow=path_flow,
        unmet=unmet,
        price=price,
        usage=usage,
        relative_gap=gap,
        iterations=iterations,
        converged=gap <= tol,
        objective=objective_value,
        solve_s=time.perf_counter() - start,
        expected_cost=float((paths.demand * -lse / paths.theta).sum()),
    )
