"""Benchmark the capacity-constrained assignment: bundled network and a synthetic grid.

Run: python bench/bench_assign.py [--od 1000] [--plain-od 100]

Measures, in one run, build and solve time separately:

1. The bundled network with 200 OD commodities (random origin/destination places, containers
   and grain), end to end through ``corridor.assign.model.assign``; target < 2 s.
2. A synthetic grid of 45 x 45 = 2,025 nodes and 7,920 directed edges, every edge with a
   capacity shared by all commodities (500-1,800 units, so a few percent of edges bind), and
   1,000 OD commodities (50 origins x 20 destinations); target < 60 s. The chosen
   formulation is path-based column generation over origin groups
   (``corridor.assign.lp.solve_paths``).
3. The baseline: the plain arc-based model with one commodity per OD pair, on the first
   ``--plain-od`` OD pairs (100 by default; 1,000 would take many minutes), against the
   origin-grouped arc model and column generation on the same pairs. All must reach the same
   optimum; the speed ratios are printed. ``--capacity 200,1200`` runs a heavily congested
   stress case (hundreds of binding edges).
"""

from __future__ import annotations

import argparse
import functools
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corridor.assign.lp import Group, solve, solve_paths
from corridor.assign.model import assign
from corridor.services import valid_network

print = functools.partial(print, flush=True)


def bundled(n_od: int, seed: int) -> None:
    network = valid_network("eurasia")
    rng = np.random.default_rng(seed)
    places = network.nodes[
        network.nodes["kind"].isin(
            ["city", "market", "sea_port", "caspian_port", "dry_port", "grain_region"]
        )
    ]["node_id"].to_numpy()
    rows = []
    while len(rows) < n_od:
        o, d = rng.choice(places, 2, replace=False)
        commodity = "container" if rng.random() < 0.6 else "grain"
        flow = rng.uniform(1e3, 5e4) if commodity == "container" else rng.uniform(1e5, 2e6)
        rows.append({"origin": o, "destination": d, "commodity": commodity, "flow_per_year": flow})
    demand = pd.DataFrame(rows)
    assign(network, demand.head(5))  # warm caches (state graphs, numba) outside the timing
    start = time.perf_counter()
    result = assign(network, demand)
    total = time.perf_counter() - start
    p = result.provenance
    print(
        f"bundled network, {n_od} OD commodities: end to end {total:.2f} s "
        f"(build {p['build_s']:.2f} s, solve {p['solve_s']:.2f} s, "
        f"results {total - p['build_s'] - p['solve_s']:.2f} s); "
        f"{int((result.resources['binding']).sum())} binding capacities; "
        f"target < 2 s: {'PASS' if total < 2 else 'FAIL'}"
    )


def grid(
    side: int, seed: int, cap_range: tuple[float, float] = (500.0, 1800.0)
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Directed grid edges with random costs and capacities."""
    rng = np.random.default_rng(seed)
    tails, heads = [], []
    for r in range(side):
        for c in range(side):
            v = r * side + c
            if c + 1 < side:
                tails += [v, v + 1]
                heads += [v + 1, v]
            if r + 1 < side:
                tails += [v, v + side]
                heads += [v + side, v]
    m = len(tails)
    cost = rng.uniform(1.0, 10.0, m)
    capacity = rng.uniform(cap_range[0], cap_range[1], m)
    return np.array(tails), np.array(heads), cost, capacity


def groups_for(
    n: int,
    tails: np.ndarray,
    heads: np.ndarray,
    cost: np.ndarray,
    od: list[tuple[int, int, float]],
    aggregate: bool,
) -> list[Group]:
    m = len(tails)
    use = sp.identity(m, format="csr")
    by_origin: dict[int, list[tuple[int, float]]] = {}
    for o, d, flow in od:
        by_origin.setdefault(o, []).append((d, flow))
    out = []
    items = (
        list(by_origin.items())
        if aggregate
        else [(o, [(d, f)]) for o, d, f in od]  # plain: one commodity per OD pair
    )
    for origin, dests in items:
        out.append(
            Group(
                n_vertices=n,
                tails=tails,
                heads=heads,
                cost=cost,
                origin=origin,
                destinations=np.array([d for d, _ in dests]),
                demand=np.array([f for _, f in dests]),
                use=use,
            )
        )
    return out


def timed(
    groups: list[Group], capacity: np.ndarray, penalty: float, solver=solve
) -> tuple[float, float, float, int]:
    start = time.perf_counter()
    solution = solver(groups, capacity, unmet_penalty=penalty)
    total = time.perf_counter() - start
    assert solution.status == "optimal", solution.status
    binding = int((solution.shadow_price > 1e-6).sum())
    return total - solution.solve_s, solution.solve_s, solution.objective, binding


def synthetic(n_od: int, plain_od: int, seed: int, cap_range: tuple[float, float]) -> None:
    side = 45
    tails, heads, cost, capacity = grid(side, seed, cap_range)
    n = side * side
    rng = np.random.default_rng(seed + 1)
    origins = rng.choice(n, 50, replace=False)
    od = []
    for o in origins:
        for d in rng.choice(np.setdiff1d(np.arange(n), [o]), n_od // 50, replace=False):
            od.append((int(o), int(d), float(rng.uniform(10.0, 60.0))))
    penalty = 10.0 * cost.sum()
    print(
        f"synthetic grid: {n} nodes, {len(tails)} edges (capacity {cap_range[0]:g}-"
        f"{cap_range[1]:g} per edge), {len(od)} OD commodities from 50 origins"
    )
    groups = groups_for(n, tails, heads, cost, od, aggregate=True)
    build, solve_s, _, binding = timed(groups, capacity, penalty, solve_paths)
    total = build + solve_s
    print(
        f"  chosen: column generation on origin groups, {len(od)} OD: build and pricing "
        f"{build:.2f} s, HiGHS {solve_s:.2f} s, total {total:.2f} s, {binding} binding "
        f"capacities; target < 60 s: {'PASS' if total < 60 else 'FAIL'}"
    )
    # Same pairs for every formulation: the first plain_od pairs, taken origin by origin.
    subset = od[:plain_od]
    rows = []
    for label, aggregate, solver in (
        ("plain arc model, one commodity per OD (baseline)", False, solve),
        ("arc model, OD pairs grouped by origin", True, solve),
        ("column generation on origin groups (chosen)", True, solve_paths),
    ):
        b, s_, obj, _ = timed(
            groups_for(n, tails, heads, cost, subset, aggregate=aggregate), capacity, penalty,
            solver,
        )  # fmt: skip
        rows.append((label, b, s_, obj))
    base_total = rows[0][1] + rows[0][2]
    for label, b, s_, obj in rows:
        assert abs(obj - rows[0][3]) <= 1e-6 * max(1.0, abs(obj)), (obj, rows[0][3])
        print(
            f"  {len(subset)} OD, {label}: build {b:.2f} s + solve {s_:.2f} s = "
            f"{b + s_:.2f} s; {base_total / (b + s_):.1f}x the baseline's speed"
        )
    print(f"  all formulations reach the same optimum ({rows[0][3]:,.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--od", type=int, default=1000)
    parser.add_argument("--plain-od", type=int, default=100)
    parser.add_argument("--bundled-od", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--capacity",
        default="500,1800",
        help="LOW,HIGH capacity per grid edge; 200,1200 is a heavily congested stress case",
    )
    args = parser.parse_args()
    low, high = (float(x) for x in args.capacity.split(","))
    bundled(args.bundled_od, args.seed)
    synthetic(args.od, args.plain_od, args.seed, (low, high))


if __name__ == "__main__":
    main()
