"""Benchmark: exact Pareto path search on a seeded random multimodal-like graph.

The graph has places scattered in the unit square; each place has 1-3 mode states (road,
rail, sea) joined by transfer edges, and every mode links each of its places to its nearest
places of the same mode. Four correlated positive criteria per edge (time, money, CO2, risk).
Vertices of one place share a group, so routes may change mode at a place but never come back.

Measured on 20 random origin-destination queries, in the same run:

* ``pareto_paths`` (lower bounds + target pruning, the default);
* baseline 1: the same search with target pruning but without lower bounds;
* baseline 2: plain Martins search, with neither (naive).

All three must return the same fronts. Prints median / max time per query, front sizes and
the ratio of each baseline's total time to the default's.

Run: ``.venv/bin/python bench/bench_pareto.py``
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from numpy.typing import NDArray

from corridor.graph.pareto import _pareto_search, pareto_paths

SEED = 20240601
N_PLACES = 300
N_QUERIES = 20
BASELINE_CAP = 200_000
NEIGHBOURS = {"road": 2, "rail": 1, "sea": 1}
# Per-mode multipliers of distance for (time, money, CO2, risk).
FACTORS = {
    "road": (1.0, 1.0, 1.0, 1.0),
    "rail": (1.6, 0.6, 0.4, 0.7),
    "sea": (3.0, 0.3, 0.25, 1.3),
}
TRANSFER = (0.05, 0.02, 0.002, 0.03)

Front = list[tuple[NDArray[np.float64], NDArray[np.int64]]]


def build_graph(
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    xy = rng.random((N_PLACES, 2))
    modes = list(FACTORS)
    state: dict[tuple[int, str], int] = {}
    group: list[int] = []
    for p in range(N_PLACES):
        k = int(rng.integers(1, 4))
        chosen = ["road", *rng.choice(modes[1:], size=k - 1, replace=False).tolist()]
        for mode in chosen:
            state[(p, mode)] = len(group)
            group.append(p)
    edges: dict[tuple[int, int], tuple[float, ...]] = {}
    for (p, mode_a), u in state.items():
        for mode_b in modes:
            w = state.get((p, mode_b))
            # Transfers go through the road state (the place's hub).
            if w is not None and w != u and "road" in (mode_a, mode_b):
                noise = rng.lognormal(0.0, 0.2, 4)
                edges[(u, w)] = tuple((np.array(TRANSFER) * noise).tolist())
    for mode in modes:
        places = np.array([p for p in range(N_PLACES) if (p, mode) in state])
        if len(places) < 2:
            continue
        d = np.linalg.norm(xy[places, None, :] - xy[None, places, :], axis=2)
        np.fill_diagonal(d, np.inf)
        k = min(NEIGHBOURS[mode], len(places) - 1)
        for i, row in enumerate(d):
            for jj in np.argsort(row)[:k].tolist():
                u, w = state[(int(places[i]), mode)], state[(int(places[jj]), mode)]
                for a, b in ((u, w), (w, u)):
                    if (a, b) not in edges:
                        shared = rng.lognormal(0.0, 0.15)
                        own = rng.lognormal(0.0, 0.1, 4)
                        vec = np.array(FACTORS[mode]) * float(row[jj]) * shared * own
                        edges[(a, b)] = tuple(vec.tolist())
    n = len(group)
    keys = sorted(edges)
    tails = np.array([a for a, _ in keys], dtype=np.int64)
    indices = np.array([b for _, b in keys], dtype=np.int64)
    costs = np.array([edges[key] for key in keys], dtype=np.float64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tails + 1, 1)
    return np.cumsum(indptr), indices, costs, np.array(group, dtype=np.int64)


def same_front(a: Front, b: Front) -> bool:
    return [c.tolist() for c, _ in a] == [c.tolist() for c, _ in b]


def main() -> None:
    rng = np.random.default_rng(SEED)
    indptr, indices, costs, group = build_graph(rng)
    n, m = len(indptr) - 1, len(indices)
    print(f"graph: {N_PLACES} places, {n} vertices, {m} edges, {costs.shape[1]} criteria")
    first_state = np.searchsorted(group, np.arange(N_PLACES))
    queries = []
    for _ in range(N_QUERIES):
        a, b = rng.choice(N_PLACES, size=2, replace=False).tolist()
        queries.append((int(first_state[a]), int(first_state[b])))
    pareto_paths(indptr, indices, costs, 0, 1, group=group)  # compile / load the kernels

    default = "pareto_paths (bounds + target pruning)"
    # name -> (use_bounds, target_pruning)
    variants = {
        default: (True, True),
        "baseline 1: target pruning, no bounds": (False, True),
        "baseline 2: naive Martins, no pruning": (False, False),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    capped: dict[str, int] = dict.fromkeys(variants, 0)
    sizes: list[int] = []
    for s, t in queries:
        ref: Front = []
        for name, (use_bounds, target_pruning) in variants.items():
            start = time.perf_counter()
            try:
                got = _pareto_search(
                    indptr,
                    indices,
                    costs,
                    s,
                    t,
                    group=group,
                    max_labels=BASELINE_CAP,
                    use_bounds=use_bounds,
                    target_pruning=target_pruning,
                )
            except RuntimeError:
                if name == default:
                    raise
                capped[name] += 1
                times[name].append(time.perf_counter() - start)
                continue
            times[name].append(time.perf_counter() - start)
            if name == default:
                ref = got
                sizes.append(len(ref))
            elif not same_front(ref, got):
                raise AssertionError(f"{name} disagrees on query {s} -> {t}")

    print(
        f"front sizes over {N_QUERIES} queries: median {statistics.median(sizes):.0f}, "
        f"min {min(sizes)}, max {max(sizes)}"
    )
    base = sum(times[default])
    print(f"{'variant':40} {'median ms':>10} {'max ms':>9} {'total/default':>14}  capped")
    for name, ts in times.items():
        ratio = f"{'>=' if capped[name] else ''}{sum(ts) / base:.1f}"
        print(
            f"{name:40} {1000 * statistics.median(ts):10.1f} {1000 * max(ts):9.1f} "
            f"{ratio:>14}  {capped[name]}"
        )
    print(
        f"capped: queries stopped at max_labels={BASELINE_CAP}; their time until the stop "
        "counts, so the ratio is a lower bound"
    )


if __name__ == "__main__":
    main()
