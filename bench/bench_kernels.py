"""Benchmark: the numba shortest-path kernels against scipy and networkx.

Network: a 1000 x 1000 grid (1,000,000 vertices, 3,996,000 directed edges: every 4-neighbour
pair in both directions). Vertex coordinates are the grid points jittered by up to 0.25 in x
and y; an edge weighs its Euclidean length times a random factor in [1, 2) (seeded numpy RNG),
so the Euclidean distance to the target is an admissible, consistent A* heuristic.

Cases, each against baselines measured in the same run (numba is warmed up first):

* one-to-all from a source: ``dijkstra`` vs ``scipy.sparse.csgraph.dijkstra(indices=source,
  return_predecessors=True)`` (median over several sources) and vs networkx
  ``single_source_dijkstra_path_length`` (on the full graph; with ``--quick`` on a 316 x 316
  grid of about 100k vertices built the same way);
* point-to-point over random OD pairs: ``dijkstra`` with early exit, and A* with the Euclidean
  heuristic (the heuristic array is computed inside the timed query), both including
  ``path_edges``, vs a full scipy one-to-all search per pair;
* k = 5 loopless paths on a 100 x 100 grid (10,000 vertices) built the same way:
  ``k_shortest_paths`` vs ``networkx.shortest_simple_paths`` (first 5 paths), over OD pairs
  40 to 80 grid steps apart (networkx takes from one to tens of seconds per pair beyond that).

All results are checked against the baselines. Times are medians of repeats (point-to-point:
the median over repeats of the mean time per pair).

Run: ``.venv/bin/python bench/bench_kernels.py [--quick]``
"""

from __future__ import annotations

import argparse
import functools
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.graph.kernels import (
    csr_from_edges,
    dijkstra,
    edge_tails,
    k_shortest_paths,
    path_edges,
)


@dataclass
class Grid:
    side: int
    xy: NDArray[np.float64]
    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    weights: NDArray[np.float64]
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    csr_weights: NDArray[np.float64]
    csr_tails: NDArray[np.int64]

    @property
    def n(self) -> int:
        return self.side * self.side

    def scipy_matrix(self) -> sp.csr_matrix:
        return sp.csr_matrix((self.csr_weights, self.indices, self.indptr), shape=(self.n, self.n))

    def networkx(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_nodes_from(range(self.n))
        graph.add_weighted_edges_from(
            zip(self.tails.tolist(), self.heads.tolist(), self.weights.tolist(), strict=True)
        )
        return graph


def grid_network(side: int, seed: int) -> Grid:
    rng = np.random.default_rng(seed)
    rows, cols = np.divmod(np.arange(side * side), side)
    xy = np.stack([cols, rows], axis=1).astype(np.float64)
    xy += rng.uniform(-0.25, 0.25, xy.shape)
    ids = np.arange(side * side, dtype=np.int64).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    tails = np.concatenate([a, b])
    heads = np.concatenate([b, a])
    delta = xy[tails] - xy[heads]
    weights = np.hypot(delta[:, 0], delta[:, 1]) * rng.uniform(1.0, 2.0, tails.size)
    indptr, indices, csr_weights, _ = csr_from_edges(side * side, tails, heads, weights)
    return Grid(side, xy, tails, heads, weights, indptr, indices, csr_weights, edge_tails(indptr))


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(seconds(fn) for _ in range(repeat))


def fmt(sec: float) -> str:
    return f"{sec * 1e3:10.2f} ms" if sec < 10 else f"{sec:10.2f} s "


class Table:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.targets: list[tuple[str, float, float]] = []

    def section(self, title: str) -> None:
        self.lines.append("")
        self.lines.append(title)

    def row(self, method: str, sec: float, ours: float | None = None, name: str = "") -> float:
        ratio = ""
        if ours is not None:
            ratio = f"   {name}/ours = {sec / ours:.1f}x"
        self.lines.append(f"  {method:<56}{fmt(sec)}{ratio}")
        return sec / ours if ours else 1.0

    def target(self, label: str, value: float, goal: float) -> None:
        self.targets.append((label, value, goal))

    def print(self) -> None:
        print("\n".join(self.lines))
        print()
        print("targets:")
        for label, value, goal in self.targets:
            verdict = "PASS" if value >= goal else "FAIL"
            print(f"  {label:<56} >= {goal:>4.1f}x  measured {value:6.1f}x  {verdict}")


def warm_up() -> None:
    small = grid_network(8, seed=0)
    _, pred = dijkstra(small.indptr, small.indices, small.csr_weights, 0)
    dijkstra(small.indptr, small.indices, small.csr_weights, 0, 63, heuristic=np.zeros(64))
    path_edges(pred, small.csr_tails, 0, 63)
    k_shortest_paths(small.indptr, small.indices, small.csr_weights, 0, 63, 3)


def bench_one_to_all(table: Table, big: Grid, quick: bool, rng: np.random.Generator) -> None:
    matrix = big.scipy_matrix()
    sources = rng.integers(0, big.n, size=3 if quick else 5).tolist()
    ours_dist, _ = dijkstra(big.indptr, big.indices, big.csr_weights, sources[0])
    ref = scipy_dijkstra(matrix, indices=sources[0])
    assert np.array_equal(ours_dist, ref), "one-to-all differs from scipy"
    cycle = itertools.cycle(sources)
    repeat = len(sources)
    ours = median_seconds(
        lambda: dijkstra(big.indptr, big.indices, big.csr_weights, next(cycle)), repeat
    )
    cycle = itertools.cycle(sources)
    scipy_sec = median_seconds(
        lambda: scipy_dijkstra(matrix, indices=next(cycle), return_predecessors=True), repeat
    )
    table.section(
        f"one-to-all, {big.side}x{big.side} grid ({big.n:,} vertices, "
        f"{big.indices.size:,} edges), median of {repeat} sources"
    )
    table.row("ours: dijkstra (dist + pred)", ours)
    ratio = table.row("scipy: csgraph.dijkstra(indices=s, predecessors)", scipy_sec, ours, "scipy")
    table.target("one-to-all: scipy / ours", ratio, 1.0)

    # networkx: the full graph, or with --quick a ~100k-vertex grid built the same way
    sub = grid_network(316, seed=11) if quick else big
    s = int(sources[0]) % sub.n
    graph = sub.networkx()
    ours_sub = median_seconds(lambda: dijkstra(sub.indptr, sub.indices, sub.csr_weights, s), 5)
    start = time.perf_counter()
    lengths = nx.single_source_dijkstra_path_length(graph, s, weight="weight")
    nx_sec = time.perf_counter() - start
    dist, _ = dijkstra(sub.indptr, sub.indices, sub.csr_weights, s)
    assert len(lengths) == sub.n and all(
        abs(lengths[v] - dist[v]) <= 1e-9 * max(1.0, dist[v]) for v in range(0, sub.n, 997)
    ), "one-to-all differs from networkx"
    where = "--quick: a smaller grid built the same way" if quick else "the same graph"
    table.section(
        f"one-to-all vs networkx, {sub.side}x{sub.side} grid ({sub.n:,} vertices; {where}), "
        "networkx run once"
    )
    table.row("ours: dijkstra", ours_sub)
    table.row("networkx: single_source_dijkstra_path_length", nx_sec, ours_sub, "networkx")
    del graph


def bench_point_to_point(table: Table, big: Grid, quick: bool, rng: np.random.Generator) -> None:
    matrix = big.scipy_matrix()
    pairs = rng.integers(0, big.n, size=(10 if quick else 20, 2)).tolist()
    passes = 1 if quick else 3
    x, y = big.xy[:, 0], big.xy[:, 1]

    def early(s: int, t: int) -> float:
        dist, pred = dijkstra(big.indptr, big.indices, big.csr_weights, s, t)
        path_edges(pred, big.csr_tails, s, t)
        return float(dist[t])

    def astar(s: int, t: int) -> float:
        dx, dy = x - x[t], y - y[t]
        heuristic = np.sqrt(dx * dx + dy * dy)
        dist, pred = dijkstra(big.indptr, big.indices, big.csr_weights, s, t, heuristic=heuristic)
        path_edges(pred, big.csr_tails, s, t)
        return float(dist[t])

    def full(s: int, t: int) -> float:
        dist, _ = scipy_dijkstra(matrix, indices=s, return_predecessors=True)
        return float(dist[t])

    def per_pair(fn: Callable[[int, int], float]) -> tuple[float, list[float]]:
        means, values = [], []
        for _ in range(passes):
            start = time.perf_counter()
            values = [fn(s, t) for s, t in pairs]
            means.append((time.perf_counter() - start) / len(pairs))
        return statistics.median(means), values

    ours_early, d_early = per_pair(early)
    ours_astar, d_astar = per_pair(astar)
    scipy_sec, d_full = per_pair(full)
    assert d_early == d_full, "early exit differs from scipy"
    assert np.allclose(d_astar, d_full, rtol=1e-12), "A* differs from scipy"
    settled = []
    for s, t in pairs:
        dist, _ = dijkstra(big.indptr, big.indices, big.csr_weights, s, t)
        settled.append(np.count_nonzero(dist <= dist[t]) / big.n)
    table.section(
        f"point-to-point, same grid, mean per OD pair over {len(pairs)} random pairs "
        f"(median of {passes} passes); early exit settles {np.mean(settled):.0%} of the vertices "
        "on average"
    )
    table.row("ours: dijkstra early exit + path_edges", ours_early)
    table.row("ours: A* (Euclidean heuristic, per query) + path_edges", ours_astar)
    table.row("scipy: full one-to-all per pair", scipy_sec, ours_early, "scipy")
    ratio_astar = scipy_sec / ours_astar
    table.lines[-1] += f",  scipy/ours(A*) = {ratio_astar:.1f}x"
    table.target("point-to-point: scipy full / ours early exit", scipy_sec / ours_early, 3.0)
    table.target("point-to-point: scipy full / ours A*", ratio_astar, 3.0)


def bench_k_shortest(table: Table, quick: bool, rng: np.random.Generator) -> None:
    small = grid_network(100, seed=7)
    graph = small.networkx()
    k = 5
    pairs: list[tuple[int, int]] = []
    while len(pairs) < (2 if quick else 5):
        s, t = (int(v) for v in rng.integers(0, small.n, size=2))
        hops = abs(s // 100 - t // 100) + abs(s % 100 - t % 100)
        if 40 <= hops <= 80:
            pairs.append((s, t))
    ours_total = nx_total = 0.0
    for s, t in pairs:
        costs, _, _ = k_shortest_paths(small.indptr, small.indices, small.csr_weights, s, t, k)
        query = functools.partial(
            k_shortest_paths, small.indptr, small.indices, small.csr_weights, s, t, k
        )
        ours_total += median_seconds(query, 5)
        start = time.perf_counter()
        paths = list(itertools.islice(nx.shortest_simple_paths(graph, s, t, weight="weight"), k))
        nx_total += time.perf_counter() - start
        expected = [nx.path_weight(graph, p, weight="weight") for p in paths]
        assert np.allclose(costs, expected, rtol=1e-12), "k shortest paths differ from networkx"
    ours = ours_total / len(pairs)
    nx_sec = nx_total / len(pairs)
    table.section(
        f"k = {k} loopless paths, 100x100 grid ({small.n:,} vertices), mean over {len(pairs)} "
        "OD pairs 40-80 steps apart\n(ours: median of 5 runs per pair, networkx once)"
    )
    table.row("ours: k_shortest_paths (Yen, numba)", ours)
    ratio = table.row("networkx: shortest_simple_paths, first 5", nx_sec, ours, "networkx")
    table.target("k shortest paths: networkx / ours", ratio, 40.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats and OD pairs; networkx on a 100k-vertex grid",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    rng = np.random.default_rng(2024)
    warm_up()
    big = grid_network(1000, seed=1)
    table = Table()
    bench_one_to_all(table, big, args.quick, rng)
    bench_point_to_point(table, big, args.quick, rng)
    bench_k_shortest(table, args.quick, rng)
    table.print()
    print(f"\ntotal bench time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
