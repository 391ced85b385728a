"""Tests of the numba shortest-path kernels against hand-solved graphs, networkx and brute force."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.graph.kernels import (
    _compact,
    csr_from_edges,
    dijkstra,
    edge_tails,
    k_shortest_paths,
    path_edges,
)

INF = math.inf
Edge = tuple[int, int, int]

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


class Graph:
    """An edge list (input ids 0..m-1) and its CSR form."""

    def __init__(self, n: int, edges: Sequence[tuple[int, int, float]]) -> None:
        self.n = n
        self.edges = list(edges)
        tails = np.array([e[0] for e in edges], dtype=np.int64)
        heads = np.array([e[1] for e in edges], dtype=np.int64)
        weights = np.array([e[2] for e in edges], dtype=np.float64)
        self.indptr, self.indices, self.weights, self.order = csr_from_edges(
            n, tails, heads, weights
        )
        self.tails = edge_tails(self.indptr)
        self.csr_of = np.empty(len(edges), dtype=np.int64)  # input id -> CSR position
        self.csr_of[self.order] = np.arange(len(edges))

    def ids(self, csr_positions: np.ndarray) -> list[int]:
        """Input edge ids of CSR positions."""
        return [int(self.order[j]) for j in csr_positions]

    def edge_mask(self, keep_input: Sequence[bool]) -> np.ndarray:
        """A CSR-ordered edge mask from a mask over input ids."""
        return np.asarray(keep_input, dtype=bool)[self.order]

    def cost(self, csr_positions: np.ndarray) -> float:
        total = 0.0
        for j in csr_positions:
            total += float(self.weights[j])
        return total

    def check_path(
        self,
        path: np.ndarray,
        source: int,
        target: int,
        edge_ok: np.ndarray | None = None,
        vertex_ok: np.ndarray | None = None,
    ) -> None:
        """A path is a chain of edges from source to target that respects the masks."""
        vertices = [source]
        for j in path:
            assert self.tails[j] == vertices[-1]
            vertices.append(int(self.indices[j]))
            if edge_ok is not None:
                assert edge_ok[j]
        assert vertices[-1] == target
        if vertex_ok is not None:
            assert all(vertex_ok[v] for v in vertices)

    def nx_multi(
        self, keep_edges: Sequence[bool] | None = None, keep_vertices: Sequence[bool] | None = None
    ) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(v for v in range(self.n) if keep_vertices is None or keep_vertices[v])
        for i, (u, v, w) in enumerate(self.edges):
            if keep_edges is not None and not keep_edges[i]:
                continue
            if keep_vertices is not None and not (keep_vertices[u] and keep_vertices[v]):
                continue
            graph.add_edge(u, v, weight=w)
        return graph


def all_loopless_costs(
    graph: Graph,
    source: int,
    target: int,
    edge_ok: np.ndarray | None = None,
    vertex_ok: np.ndarray | None = None,
) -> list[float]:
    """Brute force: the cost of every loopless source-target edge sequence, sorted."""
    if vertex_ok is not None and not (vertex_ok[source] and vertex_ok[target]):
        return []
    if source == target:
        return [0.0]
    costs: list[float] = []

    def walk(v: int, visited: set[int], cost: float) -> None:
        for j in range(graph.indptr[v], graph.indptr[v + 1]):
            w = int(graph.indices[j])
            if w in visited or (edge_ok is not None and not edge_ok[j]):
                continue
            if vertex_ok is not None and not vertex_ok[w]:
                continue
            if w == target:
                costs.append(cost + float(graph.weights[j]))
            else:
                walk(w, visited | {w}, cost + float(graph.weights[j]))

    walk(source, {source}, 0.0)
    return sorted(costs)


def check_k_paths(
    graph: Graph,
    source: int,
    target: int,
    costs: np.ndarray,
    offsets: np.ndarray,
    edges: np.ndarray,
    edge_ok: np.ndarray | None = None,
    vertex_ok: np.ndarray | None = None,
) -> None:
    """Returned paths are valid, loopless, distinct and priced at their edge sums."""
    assert offsets.shape == (costs.size + 1,)
    assert offsets[0] == 0 and offsets[-1] == edges.size
    assert np.all(np.diff(costs) >= 0)
    seen = set()
    for i in range(costs.size):
        path = edges[offsets[i] : offsets[i + 1]]
        graph.check_path(path, source, target, edge_ok, vertex_ok)
        vertices = [source, *(int(graph.indices[j]) for j in path)]
        assert len(set(vertices)) == len(vertices), "path repeats a vertex"
        assert costs[i] == graph.cost(path)
        key = tuple(path.tolist())
        assert key not in seen, "duplicate path"
        seen.add(key)


# --------------------------------------------------------------------------------------------
# hand-solved graphs
# --------------------------------------------------------------------------------------------

# Input edge ids 0..7 on vertices 0..4; vertex 5 is isolated.
FIVE = Graph(
    6,
    [
        (0, 1, 2.0),  # 0
        (0, 2, 5.0),  # 1
        (1, 2, 1.0),  # 2
        (1, 3, 7.0),  # 3
        (2, 3, 2.0),  # 4
        (3, 4, 1.0),  # 5
        (2, 4, 6.0),  # 6
        (4, 0, 1.0),  # 7
    ],
)


def test_hand_solved_one_to_all() -> None:
    g = FIVE
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0)
    assert dist.tolist() == [0.0, 2.0, 3.0, 5.0, 6.0, INF]
    assert g.ids(path_edges(pred, g.tails, 0, 4)) == [0, 2, 4, 5]
    assert g.ids(path_edges(pred, g.tails, 0, 2)) == [0, 2]
    assert pred[0] == -1 and pred[5] == -1
    dist, _ = dijkstra(g.indptr, g.indices, g.weights, 4)
    assert dist.tolist() == [1.0, 3.0, 4.0, 6.0, 0.0, INF]


def test_hand_solved_early_exit_and_astar() -> None:
    g = FIVE
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, target=3)
    assert dist[3] == 5.0
    assert g.ids(path_edges(pred, g.tails, 0, 3)) == [0, 2, 4]
    exact_to_3 = np.array([5.0, 3.0, 2.0, 0.0, 6.0, INF])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, target=3, heuristic=exact_to_3)
    assert dist[3] == 5.0
    assert g.ids(path_edges(pred, g.tails, 0, 3)) == [0, 2, 4]


def test_masks_change_the_answer() -> None:
    g = FIVE
    no_edge_2 = g.edge_mask([j != 2 for j in range(8)])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, edge_ok=no_edge_2)
    assert dist.tolist() == [0.0, 2.0, 5.0, 7.0, 8.0, INF]
    assert g.ids(path_edges(pred, g.tails, 0, 4)) == [1, 4, 5]
    no_vertex_2 = np.array([True, True, False, True, True, True])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, vertex_ok=no_vertex_2)
    assert dist.tolist() == [0.0, 2.0, INF, 9.0, 10.0, INF]
    assert g.ids(path_edges(pred, g.tails, 0, 4)) == [0, 3, 5]
    no_source = np.array([False, True, True, True, True, True])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, vertex_ok=no_source)
    assert np.all(np.isinf(dist)) and np.all(pred == -1)


def test_unreachable_and_source_is_target() -> None:
    g = FIVE
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0, target=5)
    assert dist[5] == INF
    with pytest.raises(ValueError, match="not reached"):
        path_edges(pred, g.tails, 0, 5)
    costs, offsets, edges = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 5, 3)
    assert costs.size == 0 and offsets.tolist() == [0] and edges.size == 0
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 2, target=2)
    assert dist[2] == 0.0
    assert path_edges(pred, g.tails, 2, 2).size == 0
    costs, offsets, edges = k_shortest_paths(g.indptr, g.indices, g.weights, 2, 2, 3)
    assert costs.tolist() == [0.0] and offsets.tolist() == [0, 0] and edges.size == 0


def test_hand_solved_k_shortest() -> None:
    g = FIVE
    costs, offsets, edges = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 4, 10)
    assert costs.tolist() == [6.0, 8.0, 9.0, 10.0, 11.0]
    paths = [g.ids(edges[offsets[i] : offsets[i + 1]]) for i in range(costs.size)]
    assert paths == [[0, 2, 4, 5], [1, 4, 5], [0, 2, 6], [0, 3, 5], [1, 6]]
    costs, _, _ = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 4, 2)
    assert costs.tolist() == [6.0, 8.0]
    costs, _, _ = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 4, 10**12)
    assert costs.tolist() == [6.0, 8.0, 9.0, 10.0, 11.0]
    assert k_shortest_paths(g.indptr, g.indices, g.weights, 0, 4, 0)[0].size == 0
    # without vertex 2 only 0-1-3-4 is left
    no_vertex_2 = np.array([True, True, False, True, True, True])
    costs, offsets, edges = k_shortest_paths(
        g.indptr, g.indices, g.weights, 0, 4, 10, vertex_ok=no_vertex_2
    )
    assert costs.tolist() == [10.0]
    assert g.ids(edges) == [0, 3, 5]
    # without edge 4 (2 -> 3)
    no_edge_4 = g.edge_mask([j != 4 for j in range(8)])
    costs, offsets, edges = k_shortest_paths(
        g.indptr, g.indices, g.weights, 0, 4, 10, edge_ok=no_edge_4
    )
    assert costs.tolist() == [9.0, 10.0, 11.0]


def test_parallel_edges_are_distinct_paths() -> None:
    g = Graph(3, [(0, 1, 3.0), (0, 1, 1.0), (1, 2, 1.0), (1, 2, 1.0), (0, 2, 10.0)])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0)
    assert dist.tolist() == [0.0, 1.0, 2.0]
    assert g.ids(path_edges(pred, g.tails, 0, 1)) == [1]
    costs, offsets, edges = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 2, 10)
    assert costs.tolist() == [2.0, 2.0, 4.0, 4.0, 10.0]
    paths = {tuple(g.ids(edges[offsets[i] : offsets[i + 1]])) for i in range(costs.size)}
    assert paths == {(1, 2), (1, 3), (0, 2), (0, 3), (4,)}
    check_k_paths(g, 0, 2, costs, offsets, edges)


def test_zero_weights_and_self_loops() -> None:
    g = Graph(4, [(0, 0, 0.0), (0, 1, 0.0), (1, 0, 0.0), (1, 2, 0.0), (2, 3, 0.0), (0, 3, 0.0)])
    dist, pred = dijkstra(g.indptr, g.indices, g.weights, 0)
    assert dist.tolist() == [0.0, 0.0, 0.0, 0.0]
    g.check_path(path_edges(pred, g.tails, 0, 3), 0, 3)
    costs, offsets, edges = k_shortest_paths(g.indptr, g.indices, g.weights, 0, 3, 5)
    assert costs.tolist() == [0.0, 0.0]
    check_k_paths(g, 0, 3, costs, offsets, edges)


def test_csr_from_edges_order() -> None:
    indptr, indices, weights, order = csr_from_edges(
        4, np.array([2, 0, 2, 1]), np.array([3, 1, 0, 2]), np.array([1.0, 2.0, 3.0, 4.0])
    )
    assert indptr.tolist() == [0, 1, 2, 4, 4]
    assert order.tolist() == [1, 3, 0, 2]
    assert indices.tolist() == [1, 2, 3, 0]
    assert weights.tolist() == [2.0, 4.0, 1.0, 3.0]
    assert edge_tails(indptr).tolist() == [0, 1, 2, 2]
    for arr in (indptr, indices, order):
        assert arr.dtype == np.int64


def test_invalid_input_is_rejected() -> None:
    g = FIVE
    with pytest.raises(ValueError, match="non-negative"):
        csr_from_edges(2, np.array([0]), np.array([1]), np.array([-1.0]))
    with pytest.raises(ValueError, match="non-negative"):
        dijkstra(g.indptr, g.indices, -g.weights, 0)
    with pytest.raises(ValueError, match="source"):
        dijkstra(g.indptr, g.indices, g.weights, 6)
    with pytest.raises(ValueError, match="target"):
        dijkstra(g.indptr, g.indices, g.weights, 0, target=-2)
    with pytest.raises(ValueError, match="edge_ok"):
        dijkstra(g.indptr, g.indices, g.weights, 0, edge_ok=np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="k must"):
        k_shortest_paths(g.indptr, g.indices, g.weights, 0, 4, -1)
    with pytest.raises(ValueError, match="vertex numbers"):
        csr_from_edges(2, np.array([0]), np.array([2]), np.array([1.0]))
    with pytest.raises(TypeError, match="integers"):
        dijkstra(g.indptr.astype(float), g.indices, g.weights, 0)


def test_kernels_reject_bad_values_they_scan() -> None:
    g = FIVE
    bad_head = g.indices.copy()
    bad_head[g.csr_of[0]] = 99
    with pytest.raises(ValueError, match="vertex numbers"):
        dijkstra(g.indptr, bad_head, g.weights, 0)
    with pytest.raises(ValueError, match="vertex numbers"):
        k_shortest_paths(g.indptr, bad_head, g.weights, 3, 4, 2)
    nan_weight = g.weights.copy()
    nan_weight[g.csr_of[2]] = np.nan
    with pytest.raises(ValueError, match="not NaN"):
        dijkstra(g.indptr, g.indices, nan_weight, 1)
    with pytest.raises(ValueError, match="not NaN"):
        k_shortest_paths(g.indptr, g.indices, nan_weight, 3, 4, 2)
    bad_indptr = g.indptr.copy()
    bad_indptr[1], bad_indptr[2] = bad_indptr[2], bad_indptr[1]
    with pytest.raises(ValueError, match="indptr"):
        dijkstra(bad_indptr, g.indices, g.weights, 0)
    with pytest.raises(ValueError, match="indptr"):
        dijkstra(g.indptr[:-2], g.indices, g.weights, 0)
    looping = np.full(6, -1)
    looping[2] = looping[3] = g.csr_of[4]  # 2 -> 3, so 2 is reached from itself
    with pytest.raises(ValueError, match="does not lead"):
        path_edges(looping, g.tails, 0, 3)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5)), min_size=1, max_size=60))
def test_compaction_keeps_exactly_the_current_entries(entries: list[tuple[int, int]]) -> None:
    # Heap overflow (only reachable through re-expansions with an inconsistent heuristic)
    # drops stale entries: an entry is current iff its key equals dist (+ heuristic).
    n = 10
    dist = np.full(n, np.inf)
    for node, _ in entries:
        dist[node] = min(dist[node], 10.0 * node)
    heuristic = np.arange(n, dtype=np.float64) % 3
    size = len(entries)
    hkey = np.empty(size + 4)
    hnode = np.empty(size + 4, dtype=np.int32)
    seen: set[int] = set()
    current = []
    for q, (node, extra) in enumerate(entries):
        if node not in seen and extra == 0:
            seen.add(node)
            current.append(node)
            hkey[q] = 10.0 * node + heuristic[node]
        else:
            hkey[q] = 10.0 * node + heuristic[node] + 1.0 + extra
        hnode[q] = node
    kept = _compact(hkey, hnode, size, dist, heuristic, True)
    assert sorted(hnode[:kept].tolist()) == sorted(current)
    for i in range(1, kept):
        assert hkey[(i - 1) // 4] <= hkey[i]
    assert hkey[:kept].tolist() == [dist[v] + heuristic[v] for v in hnode[:kept]]


# --------------------------------------------------------------------------------------------
# property tests on random small graphs
# --------------------------------------------------------------------------------------------

# a graph, source, target, CSR edge mask, vertex mask
Problem = tuple[Graph, int, int, np.ndarray | None, np.ndarray | None]


@st.composite
def graphs(
    draw: st.DrawFn, max_n: int = 12, max_m: int = 40, parallel: bool = True
) -> tuple[int, list[Edge]]:
    n = draw(st.integers(1, max_n))
    vertex = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(vertex, vertex, st.integers(0, 20)), max_size=max_m))
    if not parallel:
        unique: dict[tuple[int, int], Edge] = {}
        for u, v, w in edges:
            unique.setdefault((u, v), (u, v, w))
        edges = list(unique.values())
    return n, edges


@st.composite
def problems(
    draw: st.DrawFn, max_n: int = 12, max_m: int = 40, parallel: bool = True, masks: bool = True
) -> Problem:
    n, edges = draw(graphs(max_n, max_m, parallel))
    source = draw(st.integers(0, n - 1))
    target = draw(st.integers(0, n - 1))
    graph = Graph(n, [(u, v, float(w)) for u, v, w in edges])
    edge_ok = vertex_ok = None
    if masks and draw(st.booleans()):
        keep = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
        edge_ok = graph.edge_mask(keep)
    if masks and draw(st.booleans()):
        vertex_ok = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return graph, source, target, edge_ok, vertex_ok


def nx_for(graph: Graph, edge_ok: np.ndarray | None, vertex_ok: np.ndarray | None) -> nx.Graph:
    keep_edges = None if edge_ok is None else edge_ok[graph.csr_of].tolist()
    keep_vertices = None if vertex_ok is None else vertex_ok.tolist()
    return graph.nx_multi(keep_edges, keep_vertices)


def nx_dist(g: nx.Graph, n: int, source: int) -> list[float]:
    if source not in g:
        return [INF] * n
    lengths = nx.single_source_dijkstra_path_length(g, source, weight="weight")
    return [float(lengths.get(v, INF)) for v in range(n)]


FAST = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
THOROUGH = settings(FAST, max_examples=examples(400))


@FAST
@given(problems())
def test_one_to_all_matches_networkx(
    problem: Problem,
) -> None:
    graph, source, _, edge_ok, vertex_ok = problem
    dist, pred = dijkstra(
        graph.indptr, graph.indices, graph.weights, source, edge_ok=edge_ok, vertex_ok=vertex_ok
    )
    expected = nx_dist(nx_for(graph, edge_ok, vertex_ok), graph.n, source)
    assert dist.tolist() == expected
    for v in range(graph.n):
        if dist[v] < INF:
            path = path_edges(pred, graph.tails, source, v)
            graph.check_path(path, source, v, edge_ok, vertex_ok)
            assert graph.cost(path) == dist[v]
        else:
            assert pred[v] == -1
            if v != source:  # (a removed source: dist says unreached, pred cannot tell)
                with pytest.raises(ValueError):
                    path_edges(pred, graph.tails, source, v)


@FAST
@given(problems(), st.sampled_from(["none", "zero", "half", "exact"]))
def test_early_exit_and_astar_match_networkx(problem: Problem, kind: str) -> None:
    graph, source, target, edge_ok, vertex_ok = problem
    heuristic = None
    if kind == "zero":
        heuristic = np.zeros(graph.n)
    elif kind in ("half", "exact"):
        # distances to the target in the unmasked graph: a consistent lower bound
        to_target = nx_dist(graph.nx_multi().reverse(copy=True), graph.n, target)
        heuristic = np.array(to_target) * (0.5 if kind == "half" else 1.0)
    dist, pred = dijkstra(
        graph.indptr,
        graph.indices,
        graph.weights,
        source,
        target,
        edge_ok=edge_ok,
        vertex_ok=vertex_ok,
        heuristic=heuristic,
    )
    expected = nx_dist(nx_for(graph, edge_ok, vertex_ok), graph.n, source)[target]
    assert dist[target] == expected
    if expected < INF:
        path = path_edges(pred, graph.tails, source, target)
        graph.check_path(path, source, target, edge_ok, vertex_ok)
        assert graph.cost(path) == expected
    elif target != source:
        with pytest.raises(ValueError):
            path_edges(pred, graph.tails, source, target)


@FAST
@given(problems(), st.data())
def test_astar_with_admissible_inconsistent_heuristic(
    problem: Problem, data: st.DataObject
) -> None:
    # Vertices may be expanded again when a cheaper path to them appears later; the distance to
    # the target is still exact for any admissible heuristic.
    graph, source, target, edge_ok, vertex_ok = problem
    to_target = np.array(nx_dist(graph.nx_multi().reverse(copy=True), graph.n, target))
    factors = data.draw(st.lists(st.integers(0, 4), min_size=graph.n, max_size=graph.n))
    finite = np.where(np.isinf(to_target), 0.0, to_target)
    heuristic = np.where(np.isinf(to_target), np.inf, finite * np.array(factors) / 4)
    dist, pred = dijkstra(
        graph.indptr, graph.indices, graph.weights, source, target, edge_ok, vertex_ok, heuristic
    )
    expected = nx_dist(nx_for(graph, edge_ok, vertex_ok), graph.n, source)[target]
    assert dist[target] == expected
    if expected < INF:
        path = path_edges(pred, graph.tails, source, target)
        graph.check_path(path, source, target, edge_ok, vertex_ok)
        assert graph.cost(path) == expected


@THOROUGH
@given(problems(max_n=9, max_m=30, parallel=False), st.integers(1, 20))
def test_k_shortest_matches_networkx(problem: Problem, k: int) -> None:
    graph, source, target, edge_ok, vertex_ok = problem
    costs, offsets, edges = k_shortest_paths(
        graph.indptr, graph.indices, graph.weights, source, target, k, edge_ok, vertex_ok
    )
    check_k_paths(graph, source, target, costs, offsets, edges, edge_ok, vertex_ok)
    simple = nx.DiGraph(nx_for(graph, edge_ok, vertex_ok))  # no parallel edges to collapse
    expected: list[float] = []
    if source in simple and target in simple:
        try:
            for nodes in itertools.islice(
                nx.shortest_simple_paths(simple, source, target, weight="weight"), k
            ):
                expected.append(float(nx.path_weight(simple, nodes, weight="weight")))
        except nx.NetworkXNoPath:
            pass
    assert costs.tolist() == expected


@THOROUGH
@given(problems(max_n=7, max_m=14), st.integers(1, 20))
def test_k_shortest_with_parallel_edges_matches_brute_force(problem: Problem, k: int) -> None:
    graph, source, target, edge_ok, vertex_ok = problem
    costs, offsets, edges = k_shortest_paths(
        graph.indptr, graph.indices, graph.weights, source, target, k, edge_ok, vertex_ok
    )
    check_k_paths(graph, source, target, costs, offsets, edges, edge_ok, vertex_ok)
    assert costs.tolist() == all_loopless_costs(graph, source, target, edge_ok, vertex_ok)[:k]


# --------------------------------------------------------------------------------------------
# a larger grid with real-valued weights
# --------------------------------------------------------------------------------------------


def grid_graph(side: int, seed: int) -> tuple[Graph, np.ndarray]:
    rng = np.random.default_rng(seed)
    xy = np.stack(np.meshgrid(np.arange(side), np.arange(side)), axis=-1).reshape(-1, 2)
    xy = xy + rng.uniform(-0.3, 0.3, xy.shape)
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    tails, heads = np.concatenate([a, b]), np.concatenate([b, a])
    length = np.hypot(*(xy[tails] - xy[heads]).T) * rng.uniform(1.0, 2.0, tails.size)
    return Graph(
        side * side, list(zip(tails.tolist(), heads.tolist(), length.tolist(), strict=True))
    ), xy


def test_grid_against_scipy_and_networkx() -> None:
    graph, xy = grid_graph(30, seed=3)
    n = graph.n
    matrix = sp.csr_matrix((graph.weights, graph.indices, graph.indptr), shape=(n, n))
    rng = np.random.default_rng(4)
    for source, target in rng.integers(0, n, size=(5, 2)).tolist():
        dist, _ = dijkstra(graph.indptr, graph.indices, graph.weights, source)
        np.testing.assert_array_equal(dist, scipy_dijkstra(matrix, indices=source))
        euclid = np.hypot(*(xy - xy[target]).T)
        for heuristic in (None, euclid):
            d_t, pred = dijkstra(
                graph.indptr, graph.indices, graph.weights, source, target, heuristic=heuristic
            )
            assert d_t[target] == dist[target]
            assert graph.cost(path_edges(pred, graph.tails, source, target)) == dist[target]
        costs, offsets, edges = k_shortest_paths(
            graph.indptr, graph.indices, graph.weights, source, target, 6
        )
        check_k_paths(graph, source, target, costs, offsets, edges)
        assert costs[0] == dist[target]
        digraph = nx.DiGraph(graph.nx_multi())
        expected = [
            nx.path_weight(digraph, nodes, weight="weight")
            for nodes in itertools.islice(
                nx.shortest_simple_paths(digraph, source, target, weight="weight"), 6
            )
        ]
        np.testing.assert_allclose(costs, expected, rtol=1e-12)
