"""Benchmark the logit assignment against the LP (the named baseline), with targets.

Run: python bench/bench_assign_logit.py [--od 1000] [--assets 50] [--workers 2]

1. Each bundled demand set, end to end through ``assign`` (logit and, as the baseline,
   ``method="min_cost"``); target < 2 s each for logit.
2. The synthetic grid of bench_assign.py (45 x 45 = 2,025 nodes, 7,920 directed edges with
   capacities, 1,000 OD from 50 origins): choice sets (k = 5), path-size factors and the
   constrained equilibrium, against the LP by column generation on the same groups;
   target < 30 s.
3. Criticality of the ``--assets`` most used capacity-bearing assets of the bundled network
   for ``middle-2030`` on ``--workers`` Dask processes; target < 60 s.
"""

from __future__ import annotations

import argparse
import functools
import time

import numpy as np
import scipy.sparse as sp
from bench_assign import grid, groups_for

from corridor.assign.choice import Graph, choice_sets, path_size
from corridor.assign.logit import PathSet, solve_logit
from corridor.assign.lp import solve_paths
from corridor.assign.model import assign
from corridor.demand import read_demand
from corridor.services import rank_criticality, valid_network

print = functools.partial(print, flush=True)


def bundled() -> None:
    network = valid_network("eurasia")
    for name in ("crude-2024", "containers-2024", "grain-2024", "middle-2030"):
        demand = read_demand(name, network)
        assign(network, demand.table, year=demand.year)  # warm caches outside the timing
        assign(network, demand.table, year=demand.year, method="min_cost")
        start = time.perf_counter()
        result = assign(network, demand.table, year=demand.year)
        logit = time.perf_counter() - start
        start = time.perf_counter()
        assign(network, demand.table, year=demand.year, method="min_cost")
        lp = time.perf_counter() - start
        print(
            f"{name}: logit {logit:.2f} s (gap {result.convergence['relative_gap']:.1e}, "
            f"{result.convergence['iterations']} iterations), LP baseline {lp:.2f} s, "
            f"ratio {logit / lp:.1f}x; target < 2 s: {'PASS' if logit < 2 else 'FAIL'}"
        )


def synthetic(n_od: int, seed: int) -> None:
    side = 45
    tails, heads, cost, capacity = grid(side, seed)
    n = side * side
    rng = np.random.default_rng(seed + 1)
    origins = rng.choice(n, 50, replace=False)
    od = []
    for o in origins:
        for d in rng.choice(np.setdiff1d(np.arange(n), [o]), n_od // 50, replace=False):
            od.append((int(o), int(d), float(rng.uniform(10.0, 60.0))))
    groups = groups_for(n, tails, heads, cost, od, aggregate=True)
    start = time.perf_counter()
    solution = solve_paths(groups, capacity, unmet_penalty=10.0 * cost.sum())
    lp = time.perf_counter() - start
    start = time.perf_counter()
    path_od, path_cost, log_ps, rows_i, rows_j, demand, best = [], [], [], [], [], [], []
    for g in groups:
        sets = choice_sets(Graph(n, g.tails, g.heads, g.cost), g.origin, g.destinations, k=5)
        for paths, flow in zip(sets, g.demand, strict=True):
            od_no = len(demand)
            demand.append(float(flow))
            best.append(min(float(g.cost[p].sum()) for p in paths))
            for path, factor in zip(paths, path_size(paths, g.cost), strict=True):
                rows_i += [len(path_cost)] * len(path)
                rows_j += path.tolist()  # the grid's edges are its resources
                path_od.append(od_no)
                path_cost.append(float(g.cost[path].sum()))
                log_ps.append(float(np.log(factor)))
    built = time.perf_counter() - start
    paths = PathSet(
        od=np.array(path_od),
        cost=np.array(path_cost),
        log_ps=np.array(log_ps),
        rows=sp.csr_matrix(
            (np.ones(len(rows_i)), (rows_i, rows_j)), shape=(len(path_cost), len(cost))
        ),
        demand=np.array(demand),
        theta=20.0 / np.array(best),
        unmet_cost=10.0 * np.array(best) * 3,
    )
    sol = solve_logit(paths, np.full(len(cost), -np.inf), capacity)
    total = built + sol.solve_s
    print(
        f"synthetic grid, {len(od)} OD from 50 origins: choice sets {built:.2f} s "
        f"({len(path_cost)} paths), equilibrium {sol.solve_s:.2f} s (gap {sol.relative_gap:.1e}, "
        f"{sol.iterations} iterations, {int((sol.price > 1e-9).sum())} priced capacities), "
        f"total {total:.2f} s; LP baseline (column generation) {lp:.2f} s "
        f"({solution.status}), ratio {total / lp:.1f}x; target < 30 s: "
        f"{'PASS' if total < 30 else 'FAIL'}"
    )


def criticality(assets: int, workers: int) -> None:
    start = time.perf_counter()
    _, _, ranked = rank_criticality("eurasia", "middle-2030", top=assets, workers=workers)
    elapsed = time.perf_counter() - start
    print(
        f"criticality of {len(ranked.ranking)} assets (middle-2030, logit, {workers} workers): "
        f"{elapsed:.1f} s; target < 60 s: {'PASS' if elapsed < 60 else 'FAIL'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--od", type=int, default=1000)
    parser.add_argument("--assets", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    bundled()
    synthetic(args.od, args.seed)
    criticality(args.assets, args.workers)


if __name__ == "__main__":
    main()
