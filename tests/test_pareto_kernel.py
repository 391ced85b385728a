"""Tests of the exact multi-objective path search, checked against brute-force enumeration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from corridor.graph.pareto import _pareto_search, dominates, non_dominated, pareto_paths

# ---------------------------------------------------------------------------- helpers


@dataclass
class Graph:
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    tails: NDArray[np.int64]
    costs: NDArray[np.float64]

    @property
    def n(self) -> int:
        return len(self.indptr) - 1


def csr(n: int, edges: list[tuple[int, int, tuple[float, ...]]]) -> Graph:
    """CSR graph from (tail, head, costs); edges keep their order within a tail."""
    order = sorted(range(len(edges)), key=lambda k: edges[k][0])
    tails = np.array([edges[k][0] for k in order], dtype=np.int64)
    heads = np.array([edges[k][1] for k in order], dtype=np.int64)
    c = len(edges[0][2]) if edges else 2
    costs = np.array([edges[k][2] for k in order], dtype=np.float64).reshape(len(edges), c)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tails + 1, 1)
    return Graph(np.cumsum(indptr), heads, tails, costs)


def group_loopless(vertices: list[int], group: list[int]) -> bool:
    """No repeated vertex, and each group's visits form one consecutive run."""
    if len(set(vertices)) != len(vertices):
        return False
    runs = [
        group[v] for k, v in enumerate(vertices) if k == 0 or group[vertices[k - 1]] != group[v]
    ]
    return len(set(runs)) == len(runs)


def brute_force_paths(
    g: Graph,
    source: int,
    target: int,
    edge_ok: list[bool],
    vertex_ok: list[bool],
    group: list[int],
) -> list[list[int]]:
    """All loopless, group-loopless source-target paths as edge-position lists."""
    found: list[list[int]] = []
    if not (vertex_ok[source] and vertex_ok[target]):
        return found

    def dfs(v: int, verts: list[int], edges: list[int]) -> None:
        if v == target:
            if group_loopless(verts, group):
                found.append(list(edges))
            return
        for j in range(int(g.indptr[v]), int(g.indptr[v + 1])):
            w = int(g.indices[j])
            if not edge_ok[j] or not vertex_ok[w] or w in verts:
                continue
            verts.append(w)
            edges.append(j)
            dfs(w, verts, edges)
            verts.pop()
            edges.pop()

    dfs(source, [source], [])
    return found


def path_cost(g: Graph, path: list[int]) -> tuple[float, ...]:
    total = [0.0] * g.costs.shape[1]
    for j in path:
        total = [a + float(b) for a, b in zip(total, g.costs[j], strict=True)]
    return tuple(total)


def pareto_set(vectors: list[tuple[float, ...]]) -> set[tuple[float, ...]]:
    """Independent O(k^2) Pareto filter on tuples."""
    distinct = set(vectors)
    return {
        a
        for a in distinct
        if not any(b != a and all(x <= y for x, y in zip(b, a, strict=True)) for b in distinct)
    }


def check_front(
    g: Graph,
    source: int,
    target: int,
    result: list[tuple[NDArray[np.float64], NDArray[np.int64]]],
    edge_ok: list[bool],
    vertex_ok: list[bool],
    group: list[int],
) -> None:
    expected = pareto_set(
        [path_cost(g, p) for p in brute_force_paths(g, source, target, edge_ok, vertex_ok, group)]
    )
    got = [tuple(float(x) for x in cost) for cost, _ in result]
    assert set(got) == expected
    assert len(got) == len(set(got)), "one path per distinct cost vector"
    assert got == sorted(got), "sorted lexicographically"
    for cost, path in result:
        assert cost.dtype == np.float64 and path.dtype == np.int64
        edges = path.tolist()
        verts = [source]
        for j in edges:
            assert edge_ok[j]
            assert int(g.tails[j]) == verts[-1], "edges must be consecutive"
            verts.append(int(g.indices[j]))
        assert verts[-1] == target
        assert all(vertex_ok[v] for v in verts)
        assert group_loopless(verts, group)
        assert path_cost(g, edges) == tuple(cost.tolist())


# ---------------------------------------------------------------------------- hand-solved


def diamond() -> Graph:
    # 0 -> 1 -> 3 cheap but slow, 0 -> 2 -> 3 fast but dear, 0 -> 3 dominated by both.
    return csr(
        4,
        [
            (0, 1, (5.0, 1.0)),
            (1, 3, (5.0, 1.0)),
            (0, 2, (1.0, 5.0)),
            (2, 3, (1.0, 5.0)),
            (0, 3, (11.0, 11.0)),
        ],
    )


def edges_of(result: list[tuple[NDArray[np.float64], NDArray[np.int64]]]) -> list[list[int]]:
    return [path.tolist() for _, path in result]


def test_cheap_slow_vs_fast_dear() -> None:
    g = diamond()
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 3)
    assert [cost.tolist() for cost, _ in result] == [[2.0, 10.0], [10.0, 2.0]]
    # CSR order: tail 0 -> [0->1, 0->2, 0->3] = positions 0, 1, 2; 1->3 = 3; 2->3 = 4.
    assert edges_of(result) == [[1, 4], [0, 3]]


def test_dominated_path_appears_when_others_removed() -> None:
    g = diamond()
    edge_ok = np.ones(5, dtype=np.bool_)
    edge_ok[[0, 1]] = False
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 3, edge_ok=edge_ok)
    assert [cost.tolist() for cost, _ in result] == [[11.0, 11.0]]
    vertex_ok = np.array([True, True, False, True])
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 3, vertex_ok=vertex_ok)
    assert [cost.tolist() for cost, _ in result] == [[10.0, 2.0]]


def test_tie_returns_one_path() -> None:
    g = csr(4, [(0, 1, (1.0, 2.0)), (1, 3, (2.0, 1.0)), (0, 2, (2.0, 1.0)), (2, 3, (1.0, 2.0))])
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 3)
    assert len(result) == 1
    assert result[0][0].tolist() == [3.0, 3.0]
    assert path_cost(g, result[0][1].tolist()) == (3.0, 3.0)


def test_parallel_edges_are_distinct() -> None:
    g = csr(2, [(0, 1, (1.0, 2.0)), (0, 1, (2.0, 1.0)), (0, 1, (2.0, 2.0))])
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 1)
    assert edges_of(result) == [[0], [1]]


def test_unreachable_target() -> None:
    g = csr(3, [(0, 1, (1.0, 1.0)), (2, 1, (1.0, 1.0))])
    assert pareto_paths(g.indptr, g.indices, g.costs, 0, 2) == []
    assert pareto_paths(g.indptr, g.indices, g.costs, 1, 0) == []


def test_source_equals_target() -> None:
    g = diamond()
    result = pareto_paths(g.indptr, g.indices, g.costs, 2, 2)
    assert len(result) == 1
    assert result[0][0].tolist() == [0.0, 0.0]
    assert result[0][1].tolist() == []
    assert pareto_paths(g.indptr, g.indices, g.costs, 2, 2, vertex_ok=np.arange(4) != 2) == []


def test_removed_source_or_target() -> None:
    g = diamond()
    for removed in (0, 3):
        vertex_ok = np.arange(4) != removed
        assert pareto_paths(g.indptr, g.indices, g.costs, 0, 3, vertex_ok=vertex_ok) == []


def test_zero_cost_cycle_is_not_returned() -> None:
    g = csr(3, [(0, 1, (0.0, 0.0)), (1, 0, (0.0, 0.0)), (1, 2, (1.0, 1.0)), (1, 1, (0.0, 0.0))])
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 2)
    assert [(c.tolist(), p.tolist()) for c, p in result] == [([1.0, 1.0], [0, 2])]


def test_group_reentry_is_exact() -> None:
    # Vertices: s=0, v=1, a1=2, a2=3, t=4; a1 and a2 are two states of one place (group 9).
    # s -> a1 -> v is cheaper than s -> v, but from v the only way on is v -> a2 -> t, which
    # re-enters the place after s -> a1 -> v. A plain dominance test at v would lose the answer.
    g = csr(
        5,
        [
            (0, 2, (0.0, 0.0)),
            (2, 1, (1.0, 1.0)),
            (0, 1, (5.0, 5.0)),
            (1, 3, (1.0, 1.0)),
            (3, 4, (1.0, 1.0)),
        ],
    )
    group = np.array([0, 1, 9, 9, 4], dtype=np.int64)
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 4, group=group)
    # CSR positions: s->a1 0, s->v 1, v->a2 2, a1->v 3, a2->t 4.
    assert [(c.tolist(), p.tolist()) for c, p in result] == [([7.0, 7.0], [1, 2, 4])]
    # Without groups the cheaper path is allowed.
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 4)
    assert [c.tolist() for c, _ in result] == [[3.0, 3.0]]
    # Changing state inside the place is allowed: add a1 -> a2.
    old = zip(g.tails.tolist(), g.indices.tolist(), map(tuple, g.costs.tolist()), strict=True)
    g2 = csr(5, [*old, (2, 3, (0.0, 0.0))])
    result = pareto_paths(g2.indptr, g2.indices, g2.costs, 0, 4, group=group)
    assert [c.tolist() for c, _ in result] == [[1.0, 1.0]]


def test_group_needs_incomparable_labels_kept() -> None:
    # Two labels reach v: A is cheaper in both criteria but closed group {a1, a2}; B avoided it.
    # From v: v -> a2 -> t (cheap, only B may use it) and v -> t (dear). Front: B+cheap and
    # A+dear if A+dear is not dominated by B+cheap.
    g = csr(
        5,
        [
            (0, 2, (0.0, 0.0)),  # s -> a1
            (2, 1, (0.0, 0.0)),  # a1 -> v
            (0, 1, (3.0, 0.0)),  # s -> v
            (1, 3, (0.0, 0.0)),  # v -> a2
            (3, 4, (0.0, 0.0)),  # a2 -> t
            (1, 4, (0.0, 2.0)),  # v -> t
        ],
    )
    group = np.array([0, 1, 9, 9, 4], dtype=np.int64)
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 4, group=group)
    assert [c.tolist() for c, _ in result] == [[0.0, 2.0], [3.0, 0.0]]


def test_lower_bound_rounding_does_not_prune() -> None:
    # Forward sum (0.3 + 0.2) + 0.1 == 0.6, but cost-so-far + reverse-Dijkstra bound at x is
    # 0.3 + (0.2 + 0.1) == 0.6000000000000001, which the direct edge's target label matches.
    g = csr(
        4,
        [
            (0, 1, (0.3, 0.0)),
            (1, 2, (0.2, 0.0)),
            (2, 3, (0.1, 1.0)),
            (0, 3, (0.6000000000000001, 0.9)),
        ],
    )
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 3)
    assert [c.tolist() for c, _ in result] == [[0.6, 1.0], [0.6000000000000001, 0.9]]


def test_near_tie_is_not_pruned() -> None:
    g = csr(3, [(0, 2, (1.0, 1.0)), (0, 1, (0.5, 0.5)), (1, 2, (0.50001, 0.49995))])
    result = pareto_paths(g.indptr, g.indices, g.costs, 0, 2)
    assert [c.tolist() for c, _ in result] == [[1.0, 1.0], [1.00001, 0.99995]]


def test_max_labels() -> None:
    # A chain of k "diamonds" has 2^k Pareto-optimal paths.
    edges: list[tuple[int, int, tuple[float, ...]]] = []
    k = 10
    for i in range(k):
        edges.append((i, i + 1, (float(2**i), 0.0)))
        edges.append((i, i + 1, (0.0, float(2**i))))
    g = csr(k + 1, edges)
    assert len(pareto_paths(g.indptr, g.indices, g.costs, 0, k)) == 2**k
    with pytest.raises(RuntimeError, match="max_labels=50"):
        pareto_paths(g.indptr, g.indices, g.costs, 0, k, max_labels=50)


def test_invalid_input() -> None:
    g = diamond()
    with pytest.raises(ValueError, match="non-negative"):
        pareto_paths(g.indptr, g.indices, -g.costs, 0, 3)
    with pytest.raises(ValueError, match="shape"):
        pareto_paths(g.indptr, g.indices, g.costs[:, 0], 0, 3)
    with pytest.raises(ValueError, match="source"):
        pareto_paths(g.indptr, g.indices, g.costs, 0, 4)
    with pytest.raises(ValueError, match="edge_ok"):
        pareto_paths(g.indptr, g.indices, g.costs, 0, 3, edge_ok=np.ones(4, dtype=np.bool_))


def test_single_criterion_is_shortest_path() -> None:
    g = diamond()
    result = pareto_paths(g.indptr, g.indices, g.costs[:, :1], 0, 3)
    assert [(c.tolist(), p.tolist()) for c, p in result] == [([2.0], [1, 4])]


# ---------------------------------------------------------------------------- property tests


@st.composite
def instances(
    draw: st.DrawFn, float_costs: bool = False, grouped: bool = False
) -> dict[str, object]:
    n = draw(st.integers(1, 8))
    c = draw(st.integers(2, 4))
    m = draw(st.integers(0, 20))
    weight = (
        st.floats(0.0, 3.0, allow_nan=False, allow_subnormal=False)
        if float_costs
        else st.integers(0, 3).map(float)
    )
    edges = [
        (
            draw(st.integers(0, n - 1)),
            draw(st.integers(0, n - 1)),
            tuple(draw(st.lists(weight, min_size=c, max_size=c))),
        )
        for _ in range(m)
    ]
    if not edges:
        g = csr(n, [])
        g.costs = np.zeros((0, c))
    else:
        g = csr(n, edges)
    source = draw(st.integers(0, n - 1))
    target = draw(st.integers(0, n - 1))
    edge_ok = draw(st.none() | st.lists(st.booleans(), min_size=m, max_size=m))
    vertex_ok = draw(st.none() | st.lists(st.booleans(), min_size=n, max_size=n))
    group_ids = st.lists(st.integers(0, 2 if grouped else 3), min_size=n, max_size=n)
    group = draw(group_ids if grouped else st.none() | group_ids)
    return {
        "g": g,
        "source": source,
        "target": target,
        "edge_ok": edge_ok,
        "vertex_ok": vertex_ok,
        "group": group,
    }


def run_and_check(inst: dict[str, object], **flags: bool) -> None:
    g = inst["g"]
    assert isinstance(g, Graph)
    source, target = inst["source"], inst["target"]
    assert isinstance(source, int) and isinstance(target, int)
    edge_ok, vertex_ok, group = inst["edge_ok"], inst["vertex_ok"], inst["group"]
    assert edge_ok is None or isinstance(edge_ok, list)
    assert vertex_ok is None or isinstance(vertex_ok, list)
    assert group is None or isinstance(group, list)
    result = _pareto_search(
        g.indptr,
        g.indices,
        g.costs,
        source,
        target,
        edge_ok=None if edge_ok is None else np.array(edge_ok, dtype=np.bool_),
        vertex_ok=None if vertex_ok is None else np.array(vertex_ok, dtype=np.bool_),
        group=None if group is None else np.array(group, dtype=np.int64),
        **flags,
    )
    check_front(
        g,
        source,
        target,
        result,
        [True] * len(g.indices) if edge_ok is None else edge_ok,
        [True] * g.n if vertex_ok is None else vertex_ok,
        list(range(g.n)) if group is None else group,
    )


@settings(max_examples=examples(400), deadline=None)
@given(instances())
def test_front_matches_brute_force(inst: dict[str, object]) -> None:
    run_and_check(inst)


@settings(max_examples=examples(400), deadline=None)
@given(instances(grouped=True))
def test_front_matches_brute_force_grouped(inst: dict[str, object]) -> None:
    # Few groups of several vertices: exercises re-entry at a different vertex of a place.
    run_and_check(inst)


@st.composite
def gadget_instances(draw: st.DrawFn) -> dict[str, object]:
    """Random graph around a planted place re-entry: s -> a1 -> v, s -> v, v -> a2 -> t.

    ``a1`` and ``a2`` are two states of one place, so ``s -> a1 -> v -> a2 -> t`` is
    forbidden; random weights and noise edges decide whether the direct ``s -> v`` is needed.
    Plain (group-blind) dominance at ``v`` fails on a few percent of these.
    """
    n = 5 + draw(st.integers(0, 3))
    c = draw(st.integers(2, 3))
    perm = draw(st.permutations(range(n)))
    group = [0, 1, 2, 1, 4, *draw(st.lists(st.integers(0, n), min_size=n - 5, max_size=n - 5))]
    pairs = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4)]
    pairs += draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=8))
    pairs = draw(st.permutations(pairs))
    weights = st.lists(st.integers(0, 3).map(float), min_size=c, max_size=c).map(tuple)
    edges = [(perm[u], perm[w], draw(weights)) for u, w in pairs]
    relabelled = [0] * n
    for old, new in enumerate(perm):
        relabelled[new] = group[old]
    return {
        "g": csr(n, edges),
        "source": perm[0],
        "target": perm[4],
        "edge_ok": None,
        "vertex_ok": None,
        "group": relabelled,
    }


@settings(max_examples=examples(300), deadline=None)
@given(gadget_instances())
def test_front_matches_brute_force_planted_reentry(inst: dict[str, object]) -> None:
    run_and_check(inst)


@settings(max_examples=examples(100), deadline=None)
@given(instances(float_costs=True))
def test_front_matches_brute_force_float_costs(inst: dict[str, object]) -> None:
    run_and_check(inst)


@settings(max_examples=examples(100), deadline=None)
@given(instances(), st.booleans(), st.booleans())
def test_pruning_switches_do_not_change_front(
    inst: dict[str, object], use_bounds: bool, target_pruning: bool
) -> None:
    run_and_check(inst, use_bounds=use_bounds, target_pruning=target_pruning)


@settings(max_examples=examples(100), deadline=None)
@given(instances())
def test_singleton_groups_equal_no_groups(inst: dict[str, object]) -> None:
    g = inst["g"]
    assert isinstance(g, Graph)
    s, t = inst["source"], inst["target"]
    assert isinstance(s, int) and isinstance(t, int)
    a = pareto_paths(g.indptr, g.indices, g.costs, s, t)
    b = pareto_paths(g.indptr, g.indices, g.costs, s, t, group=np.arange(g.n, dtype=np.int64) * 7)
    assert [c.tolist() for c, _ in a] == [c.tolist() for c, _ in b]


# ---------------------------------------------------------------------------- dominance helpers


def test_dominates() -> None:
    assert dominates([1.0, 2.0], [1.0, 3.0])
    assert dominates(np.array([0.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]))
    assert not dominates([1.0, 2.0], [1.0, 2.0])
    assert not dominates([1.0, 3.0], [2.0, 2.0])
    assert not dominates([2.0, 2.0], [1.0, 3.0])
    assert not dominates([1.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        dominates([1.0], [1.0, 2.0])


def test_non_dominated_examples() -> None:
    pts = np.array([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0], [3.0, 3.0], [2.0, 2.0], [1.0, 3.0]])
    assert non_dominated(pts).tolist() == [True, True, True, False, False, False]
    assert non_dominated(np.zeros((0, 3))).tolist() == []
    assert non_dominated(np.array([[5.0, 5.0]])).tolist() == [True]
    assert non_dominated(np.array([[1.0], [0.0], [0.0]])).tolist() == [False, True, False]
    with pytest.raises(ValueError):
        non_dominated(np.array([1.0, 2.0]))


@settings(max_examples=examples(300), deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda c: st.lists(st.lists(st.integers(0, 4), min_size=c, max_size=c), max_size=30)
    )
)
def test_non_dominated_property(rows: list[list[int]]) -> None:
    pts = np.array(rows, dtype=np.float64).reshape(len(rows), -1 if rows else 2)
    mask = non_dominated(pts)
    assert mask.dtype == np.bool_ and mask.shape == (len(rows),)
    kept = [i for i in range(len(rows)) if mask[i]]
    for i in kept:
        assert not any(dominates(pts[j], pts[i]) for j in range(len(rows)))
    assert len({tuple(rows[i]) for i in kept}) == len(kept), "kept rows are distinct"
    for i in range(len(rows)):
        if mask[i]:
            continue
        assert any(dominates(pts[j], pts[i]) or (rows[j] == rows[i] and j < i) for j in kept), (
            "every removed row is dominated by, or a later duplicate of, a kept row"
        )
