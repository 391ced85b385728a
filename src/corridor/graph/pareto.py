"""Exact multi-objective shortest paths: the Pareto front of loopless paths on CSR arrays.

The graph is directed and given in compressed sparse row form: the edges leaving vertex ``v``
are the CSR positions ``indptr[v]:indptr[v + 1]``, ``indices[j]`` is the head of edge ``j`` and
``costs[j]`` its vector of ``c`` non-negative criteria. An edge is identified by its CSR
position, so parallel edges are distinct edges.

Algorithm
---------
:func:`pareto_paths` is Martins' multi-criteria label-setting algorithm, compiled with numba.
A label is a path from the source, stored as its cost vector, its predecessor label and last
edge, and the set of *closed multi-vertex groups* (a bitset, see below); whether a vertex is
already on the path is found by walking the predecessor chain. Labels are popped from a heap
in lexicographic order of ``cost + lower bound`` (the lower bound is, criterion by criterion,
the exact shortest distance to the target computed by one reverse Dijkstra per criterion, so
it is consistent and labels at any one vertex pop in lexicographic order of their cost). A
popped label is discarded if

* a permanent label at its vertex *covers* it (defined below), or
* a target label is ``<=`` its cost plus lower bound in every criterion (target pruning);

otherwise it becomes permanent and is extended along every allowed edge whose head it may
enter. Permanent labels are never removed. Target labels pop in lexicographic order, so a
later one can never strictly dominate an earlier one and equal cost vectors are dropped: the
target labels are the front, one path per distinct cost vector, already sorted.

A new label is checked against the permanent labels and the target labels when it is created
and, when popped, only against those added since. Permanent labels are kept contiguous per
vertex with the componentwise minimum of every block of 8, so that blocks which cannot cover
a label are skipped.

Exactness for loopless and group-loopless paths
-----------------------------------------------
A path is feasible if it visits no vertex twice and, once it leaves a group, never enters that
group again (``group=None``: every vertex is its own group, which is plain looplessness). A
label ``L`` at vertex ``v`` has a set ``C(L)`` of *closed* groups: the groups it has visited
other than ``group[v]``. Extending ``L`` along ``v -> w`` is allowed iff ``w`` is unvisited
and ``group[w]`` is not closed. Let ``M(L)`` be the closed groups that hold at least two
usable vertices. Label ``L'`` *covers* ``L`` at ``v`` iff ``cost(L') <= cost(L)`` in every
criterion and ``M(L')`` is a subset of ``M(L)``. Closed single-vertex groups are deliberately
left out of the test: entering such a group again means visiting its vertex again, and a
revisit is handled by the prefix argument below, so only multi-vertex groups, which can be
re-entered at a *different* vertex, must be tracked. With ``group=None`` all ``M`` are empty
and the test is plain weak Pareto dominance, as in the textbook algorithm.

Claim: for every feasible source-target path ``R`` and every prefix ``Q`` of ``R`` (ending at
vertex ``v``), when the search ends either a permanent label at ``v`` covers ``Q`` or some
target label is ``<= cost(R)``. Since every label is a feasible path and target labels are
mutually non-dominated, the claim for ``Q = R`` gives that the target labels are exactly the
Pareto front. Proof by induction on the length of ``Q``. The empty prefix is the source label,
which is never discarded at the source (nothing precedes it) unless target pruning already
found a target label ``<= cost(R)``. Let ``Q = Q1 + (u -> v)`` and let ``L1`` be a permanent
label at ``u`` covering ``Q1`` (otherwise we are done by induction). ``L1`` was extended along
every edge it may enter; if it may not enter ``v``, then either ``v`` is on ``L1`` -- and the
prefix of ``L1`` ending at ``v`` is permanent (all prefixes of a permanent label were popped
and kept), costs no more than ``L1 <= Q1 <= Q`` and its closed groups are closed in ``L1``,
so it covers ``Q`` -- or ``group[v]`` is a closed group of ``L1`` without ``v`` being on
``L1``, so the group has two usable vertices and lies in ``M(L1)``, a subset of ``M(Q1)``:
``R`` re-enters a closed group, a contradiction. Otherwise the extension ``N`` of ``L1`` has
``cost(N) <= cost(Q)`` and ``M(N) <= M(Q)``, i.e. ``N`` covers ``Q``. ``N`` is either
discarded by a label covering it (covering is transitive, and that label is permanent), or by
target pruning with a target label ``<= cost(N) + bound(v) <= cost(R)``, or becomes permanent.

The subset condition is what makes group-looplessness exact: a cheaper label that has
already left a multi-vertex group must not discard a label that may still pass through that
group (e.g. ``s -> a1 -> v`` cheaper than ``s -> v`` where ``a1`` and ``a2`` share a group and
the only way on from ``v`` is ``v -> a2 -> t``).

Floating point: partial costs are summed along the path, left to right, exactly as the
returned cost vectors; plain target pruning compares against those sums (monotone under
rounding). The lower-bound test uses ``(cost + bound) * (1 - 1e-9)``, a margin far above the
rounding error of sums over fewer than a million edges, so rounding never prunes a path.

The compiled label-setting kernel is in :mod:`corridor.graph.labels`; the lower bounds come
from :func:`corridor.graph.kernels.dijkstra` on the reversed graph.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor.graph import kernels
from corridor.graph.labels import _martins_kernel

__all__ = ["dominates", "non_dominated", "pareto_paths"]

_BOUND_MARGIN = 1.0 - 1e-9


def dominates(a: ArrayLike, b: ArrayLike) -> bool:
    """Whether cost vector ``a`` Pareto-dominates cost vector ``b``.

    Parameters
    ----------
    a, b
        Cost vectors of the same length (smaller is better in every criterion).

    Returns
    -------
    bool
        True iff ``a <= b`` in every criterion and ``a < b`` in at least one.

    Examples
    --------
    >>> dominates([1.0, 2.0], [1.0, 3.0]), dominates([1.0, 2.0], [1.0, 2.0])
    (True, False)
    """
    va = np.asarray(a, dtype=np.float64)
    vb = np.asarray(b, dtype=np.float64)
    if va.shape != vb.shape or va.ndim != 1:
        raise ValueError(
            f"dominates needs two 1-D vectors of equal length, got {va.shape}, {vb.shape}"
        )
    return bool(np.all(va <= vb) and np.any(va < vb))


def non_dominated(points: ArrayLike) -> NDArray[np.bool_]:
    """Mask of the rows of ``points`` that no other row dominates.

    Of several identical rows only the first occurrence is kept, so the kept rows are
    distinct and form the Pareto front of the set.

    Parameters
    ----------
    points
        Array of shape ``(k, c)``: ``k`` cost vectors with ``c`` criteria, no NaN.

    Returns
    -------
    numpy.ndarray
        Boolean array of shape ``(k,)``; True for the rows that are kept.

    Examples
    --------
    >>> non_dominated([[1.0, 3.0], [2.0, 2.0], [2.0, 3.0], [1.0, 3.0]]).tolist()
    [True, True, False, False]
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2:
        raise ValueError(f"non_dominated needs a 2-D array (k, c), got shape {pts.shape}")
    if np.isnan(pts).any():
        raise ValueError("non_dominated: points contain NaN")
    k = pts.shape[0]
    keep = np.zeros(k, dtype=np.bool_)
    if k == 0:
        return keep
    # Stable lexicographic sort: a dominating (or equal, earlier) row always comes first, and
    # dominance is transitive, so a row is kept iff no row kept before it is <= it.
    order = np.lexsort(pts.T[::-1])
    kept = np.empty_like(pts)
    n_kept = 0
    for i in order.tolist():
        row = pts[i]
        if n_kept and bool(np.any(np.all(kept[:n_kept] <= row, axis=1))):
            continue
        kept[n_kept] = row
        n_kept += 1
        keep[i] = True
    return keep


def pareto_paths(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    costs: NDArray[np.float64],
    source: int,
    target: int,
    *,
    edge_ok: NDArray[np.bool_] | None = None,
    vertex_ok: NDArray[np.bool_] | None = None,
    group: NDArray[np.int64] | None = None,
    max_labels: int = 200_000,
) -> list[tuple[NDArray[np.float64], NDArray[np.int64]]]:
    """Complete Pareto front of the loopless source-target paths of a CSR graph.

    Parameters
    ----------
    indptr
        CSR row pointer, shape ``(n + 1,)``.
    indices
        Head vertex of each CSR edge position, shape ``(m,)``.
    costs
        Non-negative finite criteria per edge, shape ``(m, c)`` with ``c >= 1``.
    source, target
        Vertex ids.
    edge_ok
        Optional mask of shape ``(m,)``; False removes the edge.
    vertex_ok
        Optional mask of shape ``(n,)``; False removes the vertex and its edges.
    group
        Optional group ("physical place") id per vertex, shape ``(n,)``. A path may visit
        several vertices of one group only consecutively: once it leaves a group it never
        enters it again. None makes every vertex its own group.
    max_labels
        Limit on the number of labels created; exceeding it raises ``RuntimeError``.

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        One ``(cost vector float64[c], CSR edge positions int64 in path order)`` pair per
        non-dominated cost vector, sorted lexicographically by cost vector. Empty if the target
        is unreachable; ``source == target`` gives one empty path of zero cost.

    Raises
    ------
    ValueError
        If the arrays are malformed or a cost is negative or not finite.
    RuntimeError
        If more than ``max_labels`` labels are created.

    Notes
    -----
    The search is exact (see the module docstring for the argument). Its size is that of the
    Pareto sets at the vertices, which can grow exponentially; ``max_labels`` bounds time and
    memory. The first call in a fresh environment compiles the numba kernels (a few seconds;
    cached on disk afterwards).

    Examples
    --------
    A cheap-slow and a fast-dear route from 0 to 3, and a direct edge dominated by both:

    >>> import numpy as np
    >>> indptr = np.array([0, 3, 4, 5, 5])
    >>> indices = np.array([1, 2, 3, 3, 3])
    >>> costs = np.array([[5.0, 1.0], [1.0, 5.0], [11.0, 11.0], [5.0, 1.0], [1.0, 5.0]])
    >>> [(c.tolist(), p.tolist()) for c, p in pareto_paths(indptr, indices, costs, 0, 3)]
    [([2.0, 10.0], [1, 4]), ([10.0, 2.0], [0, 3])]
    """
    return _pareto_search(
        indptr,
        indices,
        costs,
        source,
        target,
        edge_ok=edge_ok,
        vertex_ok=vertex_ok,
        group=group,
        max_labels=max_labels,
    )


def _pareto_search(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    costs: NDArray[np.float64],
    source: int,
    target: int,
    *,
    edge_ok: NDArray[np.bool_] | None = None,
    vertex_ok: NDArray[np.bool_] | None = None,
    group: NDArray[np.int64] | None = None,
    max_labels: int = 200_000,
    use_bounds: bool = True,
    target_pruning: bool = True,
) -> list[tuple[NDArray[np.float64], NDArray[np.int64]]]:
    """:func:`pareto_paths` with switches for the pruning rules (the benchmark's baselines)."""
    ip, heads, cost, eok, vok, grp, src, tgt = _validate(
        indptr, indices, costs, source, target, edge_ok, vertex_ok, group, max_labels
    )
    n = ip.shape[0] - 1
    c = cost.shape[1]
    if not (vok[src] and vok[tgt]):
        return []

    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(ip))
    allowed = eok & vok[tails] & vok[heads] & (tails != heads)

    # Compact group ids; bit positions for groups holding >= 2 usable vertices (see above).
    _, ginv = np.unique(grp, return_inverse=True)
    gid = ginv.astype(np.int64).reshape(n)
    multi = np.bincount(gid[vok], minlength=int(gid.max()) + 1) >= 2
    rank = np.cumsum(multi) - 1
    gword = np.where(multi[gid], rank[gid] // 64, -1).astype(np.int64)
    gbit = np.where(multi[gid], np.left_shift(np.uint64(1), (rank[gid] % 64).astype(np.uint64)), 0)
    gbit = gbit.astype(np.uint64)
    words = max(1, (int(multi.sum()) + 63) // 64)

    if use_bounds:
        bound = _reverse_distances(n, tails, heads, cost, allowed, tgt)
        reach = np.asarray(np.isfinite(bound).all(axis=1), dtype=np.bool_)
        if not reach[src]:
            return []
        allowed &= reach[heads]
        bound[~reach] = 0.0
        margin = _BOUND_MARGIN
    else:
        bound = np.zeros((n, c), dtype=np.float64)
        margin = 1.0

    status, front, lab_cost, lab_pred, lab_edge = _martins_kernel(
        ip,
        heads,
        cost,
        allowed,
        bound,
        margin,
        bool(target_pruning),
        gid,
        gword,
        gbit,
        words,
        src,
        tgt,
        max_labels,
    )
    if status != 0:
        raise RuntimeError(
            f"Pareto path search from vertex {src} to vertex {tgt} created more than "
            f"max_labels={max_labels} labels; the front is too large to enumerate "
            "(restrict the graph or the criteria, or raise the limit)"
        )
    result: list[tuple[NDArray[np.float64], NDArray[np.int64]]] = []
    preds = lab_pred.tolist()
    edges = lab_edge.tolist()
    for lab in sorted(front.tolist(), key=lambda k: tuple(lab_cost[k].tolist())):
        path: list[int] = []
        lid = lab
        while edges[lid] >= 0:
            path.append(edges[lid])
            lid = preds[lid]
        path.reverse()
        result.append((lab_cost[lab].copy(), np.array(path, dtype=np.int64)))
    return result


def _reverse_distances(
    n: int,
    tails: NDArray[np.int64],
    heads: NDArray[np.int64],
    cost: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    target: int,
) -> NDArray[np.float64]:
    """Per-criterion shortest distance from every vertex to ``target`` (inf if unreachable).

    One :func:`corridor.graph.kernels.dijkstra` per criterion on the reversed graph.
    """
    keep = np.flatnonzero(allowed)
    order = keep[np.argsort(heads[keep], kind="stable")]
    rindptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads[order], minlength=n), out=rindptr[1:])
    rtails = np.ascontiguousarray(tails[order])
    out = np.empty((n, cost.shape[1]), dtype=np.float64)
    for k in range(cost.shape[1]):
        rcost = np.ascontiguousarray(cost[order, k])
        out[:, k] = kernels.dijkstra(rindptr, rtails, rcost, target)[0]
    return out


def _validate(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    costs: NDArray[np.float64],
    source: int,
    target: int,
    edge_ok: NDArray[np.bool_] | None,
    vertex_ok: NDArray[np.bool_] | None,
    group: NDArray[np.int64] | None,
    max_labels: int,
) -> tuple[
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.float64],
    NDArray[np.bool_],
    NDArray[np.bool_],
    NDArray[np.int64],
    int,
    int,
]:
    """Check shapes and values; return normalised arrays and vertex ids."""
    ip = np.ascontiguousarray(indptr, dtype=np.int64)
    heads = np.ascontiguousarray(indices, dtype=np.int64)
    cost = np.ascontiguousarray(costs, dtype=np.float64)
    if ip.ndim != 1 or ip.shape[0] < 1:
        raise ValueError("indptr must be a 1-D array of length n + 1 >= 1")
    n = ip.shape[0] - 1
    m = heads.shape[0] if heads.ndim == 1 else -1
    if m < 0:
        raise ValueError("indices must be a 1-D array")
    if ip[0] != 0 or ip[-1] != m or np.any(np.diff(ip) < 0):
        raise ValueError("indptr must start at 0, be non-decreasing and end at len(indices)")
    if m and (heads.min() < 0 or heads.max() >= n):
        raise ValueError(f"indices must lie in [0, {n})")
    if cost.ndim != 2 or cost.shape[0] != m or cost.shape[1] < 1:
        raise ValueError(f"costs must have shape (m, c) = ({m}, c >= 1), got {cost.shape}")
    if not np.isfinite(cost).all() or (cost < 0).any():
        raise ValueError("costs must be finite and non-negative")
    src = int(source)
    tgt = int(target)
    if not (0 <= src < n and 0 <= tgt < n):
        raise ValueError(f"source {src} and target {tgt} must be vertices in [0, {n})")
    eok = np.ones(m, dtype=np.bool_) if edge_ok is None else np.asarray(edge_ok, dtype=np.bool_)
    vok = np.ones(n, dtype=np.bool_) if vertex_ok is None else np.asarray(vertex_ok, np.bool_)
    if eok.shape != (m,):
        raise ValueError(f"edge_ok must have shape ({m},), got {eok.shape}")
    if vok.shape != (n,):
        raise ValueError(f"vertex_ok must have shape ({n},), got {vok.shape}")
    grp = np.arange(n, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    if grp.shape != (n,):
        raise ValueError(f"group must have shape ({n},), got {grp.shape}")
    if max_labels < 1:
        raise ValueError("max_labels must be at least 1")
    return ip, heads, cost, eok, vok, grp, src, tgt
