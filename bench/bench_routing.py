"""Benchmark route queries on the bundled network against networkx on the same graph.

Run: python bench/bench_routing.py [--queries 1000]

Measures, in one run:
- one route query end to end (name look-up, masks, weights, Dijkstra, leg table, totals),
  target well under 10 ms;
- 1,000 random origin-destination route queries, target under 2 s;
- the shortest-path step alone, ours (CSR + numba) vs networkx.shortest_path_length on a
  DiGraph of the same state graph and weights (the baseline), as a ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import networkx as nx
import numpy as np

from corridor import load, route
from corridor.errors import NoRouteError
from corridor.graph import kernels
from corridor.routing.engine import _shortest, build_problem, resolve_request


def _time(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    net = load()
    rng = np.random.default_rng(42)
    nodes = list(net.nodes["node_id"])
    # Container nodes reachable by rail or sea (skip pipeline-only oil fields).
    container_nodes = [n for n in nodes if n not in {"tengiz", "kashagan", "karachaganak"}]
    pairs = [tuple(rng.choice(container_nodes, 2, replace=False)) for _ in range(args.queries)]

    # Warm up (numba compilation, caches of the state graph and names).
    route(net, "Xian", "Istanbul", "container")

    single = _time(lambda: route(net, "Xian", "Istanbul", "container"), repeat=50)

    def many() -> int:
        found = 0
        for a, b in pairs:
            try:
                route(net, a, b, "container")
                found += 1
            except NoRouteError:
                pass
        return found

    start = time.perf_counter()
    found = many()
    batch = time.perf_counter() - start

    # Shortest-path step alone: ours vs networkx on the same weighted state graph.
    request = resolve_request(net, "Xian", "Istanbul", "container")
    problem = build_problem(net, request)
    weights = problem.weights("generalized")
    graph = nx.DiGraph()
    for e in np.flatnonzero(problem.edge_ok):
        u, v, w = int(problem.graph.tails[e]), int(problem.graph.heads[e]), float(weights[e])
        if not graph.has_edge(u, v) or graph[u][v]["weight"] > w:
            graph.add_edge(u, v, weight=w)
    ours = _time(lambda: _shortest(problem, "generalized"), repeat=200)
    theirs = _time(
        lambda: nx.shortest_path_length(graph, problem.source, problem.target, weight="weight"),
        repeat=50,
    )
    dist, _ = kernels.dijkstra(
        problem.indptr, problem.indices, problem.csr_weights("generalized"), problem.source
    )
    expected = nx.shortest_path_length(graph, problem.source, problem.target, weight="weight")
    assert abs(dist[problem.target] - expected) < 1e-6

    print(f"bundled network: {problem.graph.n_vertices} vertices, {problem.graph.n_edges} edges")
    print(f"single route query, end to end:   {single * 1e3:8.2f} ms   (target < 10 ms)")
    print(
        f"{args.queries} OD route queries:        {batch:8.2f} s    (target < 2 s; "
        f"{found} routed, {args.queries - found} without route)"
    )
    print(f"shortest-path step, ours:         {ours * 1e6:8.1f} us")
    print(f"shortest-path step, networkx:     {theirs * 1e6:8.1f} us")
    print(f"networkx/ours = {theirs / ours:.1f}x")
    ok_single = single < 0.010
    ok_batch = batch < 2.0 * args.queries / 1000
    verdict = {True: "PASS", False: "FAIL"}
    print(f"single < 10 ms: {verdict[ok_single]}; batch < 2 s: {verdict[ok_batch]}")


if __name__ == "__main__":
    main()
