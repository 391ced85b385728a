"""Single-pair, one-to-all and k-shortest loopless paths on CSR arrays, compiled with numba.

Graph representation
--------------------
A directed graph with ``n`` vertices and ``m`` edges in compressed sparse row form: the edges
leaving vertex ``v`` are the CSR positions ``indptr[v]:indptr[v + 1]`` (``indptr`` is int64 of
length ``n + 1``), ``indices[j]`` is the head vertex of edge ``j`` (int64, length ``m``) and
``weights[j]`` its non-negative length (float64, length ``m``). An edge is identified by its
CSR position ``0 .. m - 1``, so parallel edges are distinct edges. :func:`csr_from_edges` builds
these arrays from an edge list and returns the permutation back to the caller's edge ids.

Masks: ``edge_ok`` (bool, length ``m``) and ``vertex_ok`` (bool, length ``n``) remove the edges
and vertices marked ``False``; a removed vertex is never entered or left.

Algorithms
----------
:func:`dijkstra` is Dijkstra's algorithm (A* when a heuristic is given) on an implicit 4-ary
min-heap with lazy deletion: a vertex whose distance improves is pushed again and outdated
entries are skipped when popped. The minimum is removed bottom-up (the hole is moved to a leaf
along the smaller children, picked without branches, then the last element is sifted up). On
a 1000 x 1000 grid (one-to-all, 4M edges) this measured fastest of the heaps tried, ahead of
the same 4-ary heap with decrease-key through a position array (1.08x its time), an 8-ary
lazy heap (1.04x), a branch-free lazy binary heap (1.2x), a binary heap with decrease-key
(1.5x) and a textbook lazy binary heap (2.1x). The heap has room for ``max(n, m) + 1``
entries, which a search that expands every vertex once never exceeds; on overflow (only
possible when A* re-expands vertices) outdated entries are dropped. Re-expansion keeps A*
exact at the target for any admissible heuristic, including a consistent one that rounding
makes inconsistent by an ulp.

The search kernel is compiled in three variants: without masks or heuristic, A* without
masks (both with the tests removed at compile time; the mask tests alone cost about 10 % on
the grid) and a general one with run-time flags, which :func:`k_shortest_paths` shares.

Input values are checked where they are used: every edge a search scans must have a head in
``[0, n)`` and a weight ``>= 0`` (not NaN), and every row it expands a valid ``indptr`` range,
else ``ValueError``. Scanning all ``m`` edges up front would cost more than a short
point-to-point query on a large graph. :func:`k_shortest_paths` checks the whole graph.

:func:`k_shortest_paths` is Yen's algorithm. One reverse Dijkstra from the target gives the
exact distance ``h`` to the target in the masked graph and the tree of shortest paths to the
target. Spur paths only ever lose edges and vertices, so ``h`` is a consistent lower bound for
every spur search: a spur path is first looked up in the reverse tree (if the tree path from
the spur vertex avoids the removed edges and root vertices it is optimal, cost ``h``) and
otherwise found by A* with heuristic ``h`` and early exit. Candidates are kept in a binary
heap ordered by (cost, creation order) and deduplicated by a hash table on their edge
sequences. Path costs are the left-to-right sums of the edge weights, as in :func:`dijkstra`.

Heap entries store vertices as int32, so graphs are limited to ``2**31 - 2`` vertices.
"""

# The compiled kernels are plain (unannotated) numba functions; the public wrappers are typed.
# mypy: disable-error-code="no-untyped-def"

from __future__ import annotations

from typing import cast

import numba
import numpy as np
from numpy.typing import NDArray

from corridor.graph.csr import _MAX_VERTICES, BoolArray, FloatArray, IntArray, _as_float, _as_int
from corridor.graph.csr import csr_from_edges as csr_from_edges

__all__ = [
    "csr_from_edges",
    "dijkstra",
    "edge_tails",
    "k_shortest_paths",
    "path_edges",
]


# --------------------------------------------------------------------------------------------
# compiled kernels (private)
# --------------------------------------------------------------------------------------------


# error codes returned by the kernels (the wrappers turn them into ValueError)
_BAD_HEAD = -1
_BAD_WEIGHT = -2
_BAD_INDPTR = -3
_ERRORS = {
    _BAD_HEAD: "indices must be vertex numbers in [0, n)",
    _BAD_WEIGHT: "weights must be non-negative and not NaN",
    _BAD_INDPTR: "indptr must be non-decreasing with values in [0, m]",
}


@numba.njit(cache=True)
def _sift_down(hkey, hnode, size, i):
    # Move the hole at ``i`` down to a leaf along the smaller children, then sift the element
    # that was at ``size`` (the old last element) up into it. ``hkey`` is padded with inf.
    inf = np.inf
    last_key = hkey[size]
    last_node = hnode[size]
    hkey[size] = inf
    hkey[size + 1] = inf
    hkey[size + 2] = inf
    hkey[size + 3] = inf
    while True:
        c = (i << 2) + 1
        if c >= size:
            break
        k0 = hkey[c]
        k1 = hkey[c + 1]
        k2 = hkey[c + 2]
        k3 = hkey[c + 3]
        a = c + (k1 < k0)
        ka = min(k0, k1)
        b = c + 2 + (k3 < k2)
        kb = min(k2, k3)
        best = b if kb < ka else a
        hkey[i] = min(ka, kb)
        hnode[i] = hnode[best]
        i = best
    _sift_up(hkey, hnode, i, last_key, np.int64(last_node))


@numba.njit(cache=True)
def _sift_up(hkey, hnode, i, key, node):
    while i > 0:
        p = (i - 1) >> 2
        pk = hkey[p]
        if pk <= key:
            break
        hkey[i] = pk
        hnode[i] = hnode[p]
        i = p
    hkey[i] = key
    hnode[i] = node


@numba.njit(cache=True)
def _compact(hkey, hnode, size, dist, heuristic, use_h):
    # Drop the stale entries (at most one entry per vertex is current) and rebuild the heap.
    kept = 0
    for q in range(size):
        node = hnode[q]
        f = dist[node]
        if use_h:
            hv = heuristic[node]
            if hv > 0.0:
                f = f + hv
        if hkey[q] == f:
            hkey[kept] = hkey[q]
            hnode[kept] = node
            kept += 1
    for i in range((kept - 2) >> 2, -1, -1):
        key = hkey[i]
        node = hnode[i]
        while True:
            c = (i << 2) + 1
            if c >= kept:
                break
            best = c
            for q in range(c + 1, min(c + 4, kept)):
                if hkey[q] < hkey[best]:
                    best = q
            if hkey[best] >= key:
                break
            hkey[i] = hkey[best]
            hnode[i] = hnode[best]
            i = best
        hkey[i] = key
        hnode[i] = node
    return kept


@numba.njit(cache=True)
def _search(
    indptr,
    indices,
    weights,
    source,
    target,
    edge_ok,
    vertex_ok,
    heuristic,
    use_edge,
    use_vertex,
    use_h,
    dist,
    pred,
    hkey,
    hnode,
    touched,
    track,
):
    # Dijkstra / A* from ``source`` on a lazy-deletion 4-ary heap; stops once ``target`` is
    # taken from the heap (never if ``target`` is -1). Workspace: ``dist`` (inf) and ``pred``
    # (-1) of length n in their initial state; ``hkey``/``hnode`` of length max(n, m) + 5. If
    # ``track``, every vertex whose ``dist`` is set is appended to ``touched`` and the count
    # returned, so that the caller can reset the workspace in time proportional to the search.
    # Every edge scanned is checked; a negative return value is an error code.
    inf = np.inf
    n = dist.shape[0]
    m = indices.shape[0]
    cap = hkey.shape[0] - 4
    nt = 0
    if use_vertex and not vertex_ok[source]:
        return nt
    dist[source] = 0.0
    if track:
        touched[nt] = source
        nt += 1
    hs = 0.0
    if use_h:
        hs = heuristic[source]
        if hs == inf:
            return nt
        if not hs > 0.0:
            hs = 0.0
    hkey[0] = hs
    hnode[0] = source
    size = 1
    while size > 0:
        key = hkey[0]
        u = np.int64(hnode[0])
        size -= 1
        if size > 0:
            _sift_down(hkey, hnode, size, np.int64(0))
        du = dist[u]
        fu = du
        if use_h:
            hu = heuristic[u]
            if hu > 0.0:
                fu = du + hu
        if key > fu:
            continue  # stale entry: u was reached more cheaply since
        if u == target:
            break
        lo = indptr[u]
        hi = indptr[u + 1]
        if lo < 0 or hi > m or lo > hi:
            return _BAD_INDPTR
        for j in range(lo, hi):
            if use_edge and not edge_ok[j]:
                continue
            v = indices[j]
            wj = weights[j]
            if v < 0 or v >= n:
                return _BAD_HEAD
            if not wj >= 0.0:
                return _BAD_WEIGHT
            nd = du + wj
            if nd < dist[v]:
                if use_vertex and not vertex_ok[v]:
                    continue
                nk = nd
                if use_h:
                    hv = heuristic[v]
                    if hv == inf:
                        continue
                    if hv > 0.0:
                        nk = nd + hv
                if track and dist[v] == inf:
                    touched[nt] = v
                    nt += 1
                dist[v] = nd
                pred[v] = j
                if size == cap:
                    size = _compact(hkey, hnode, size, dist, heuristic, use_h)
                _sift_up(hkey, hnode, size, nk, v)
                size += 1
    return nt


@numba.njit(cache=True)
def _dijkstra_kernel(
    indptr,
    indices,
    weights,
    source,
    target,
    edge_ok,
    vertex_ok,
    heuristic,
    use_edge,
    use_vertex,
    use_h,
):
    n = indptr.shape[0] - 1
    cap = max(n, indices.shape[0]) + 1
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int64)
    hkey = np.empty(cap + 4)
    hnode = np.empty(cap + 4, np.int32)
    touched = np.empty(0, np.int64)
    if use_h and not (use_edge or use_vertex):
        # A* without masks: its own specialisation (literal flags)
        status = _search(
            indptr,
            indices,
            weights,
            source,
            target,
            edge_ok,
            vertex_ok,
            heuristic,
            False,
            False,
            True,
            dist,
            pred,
            hkey,
            hnode,
            touched,
            False,
        )
    elif use_edge or use_vertex or use_h:
        # runtime flags: the general specialisation, shared with k_shortest_paths
        status = _search(
            indptr,
            indices,
            weights,
            source,
            target,
            edge_ok,
            vertex_ok,
            heuristic,
            use_edge,
            use_vertex,
            use_h,
            dist,
            pred,
            hkey,
            hnode,
            touched,
            np.bool_(False),
        )
    else:
        # literal flags: numba compiles a specialisation without the mask and heuristic tests
        status = _search(
            indptr,
            indices,
            weights,
            source,
            target,
            edge_ok,
            vertex_ok,
            heuristic,
            False,
            False,
            False,
            dist,
            pred,
            hkey,
            hnode,
            touched,
            False,
        )
    return dist, pred, min(status, 0)


@numba.njit(cache=True)
def _validate(indptr, indices, weights):
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    for u in range(n):
        if indptr[u] > indptr[u + 1]:
            return _BAD_INDPTR
    if n >= 0 and (indptr[0] != 0 or indptr[n] != m):
        return _BAD_INDPTR
    for j in range(m):
        if indices[j] < 0 or indices[j] >= n:
            return _BAD_HEAD
        if not weights[j] >= 0.0:
            return _BAD_WEIGHT
    return 0


@numba.njit(cache=True)
def _tails_kernel(indptr):
    n = indptr.shape[0] - 1
    tails = np.empty(indptr[n], np.int64)
    for u in range(n):
        for j in range(indptr[u], indptr[u + 1]):
            tails[j] = u
    return tails


@numba.njit(cache=True)
def _path_kernel(pred, tails, source, target):
    # Edges from source to target, in order, and a status: 0, -1 ("target not reached") or -2
    # ("the predecessor chain does not lead back to the source").
    empty = np.empty(0, np.int64)
    if target == source:
        return empty, 0
    n = pred.shape[0]
    m = tails.shape[0]
    count = 0
    v = target
    while v != source:
        e = pred[v]
        if e < 0 or e >= m:
            return empty, -1 if (v == target and e < 0) else -2
        count += 1
        v = tails[e]
        if count > n or v < 0 or v >= n:
            return empty, -2
    out = np.empty(count, np.int64)
    v = target
    for q in range(count - 1, -1, -1):
        e = pred[v]
        out[q] = e
        v = tails[e]
    return out, 0


# (The kernels copy with explicit loops: a numba slice assignment compiles its shape-mismatch
# error message, string formatting included, which costs seconds of compile time.)


@numba.njit(cache=True)
def _grow_int(arr, need):
    if need <= arr.shape[0]:
        return arr
    out = np.empty(max(need, 2 * arr.shape[0]), np.int64)
    for q in range(arr.shape[0]):
        out[q] = arr[q]
    return out


@numba.njit(cache=True)
def _grow_float(arr, need):
    if need <= arr.shape[0]:
        return arr
    out = np.empty(max(need, 2 * arr.shape[0]), np.float64)
    for q in range(arr.shape[0]):
        out[q] = arr[q]
    return out


@numba.njit(cache=True)
def _reverse_csr(indptr, indices):
    # The reverse graph: rindptr/rindices as CSR and redge[p] = forward CSR position of the
    # reverse edge at position p.
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    rindptr = np.zeros(n + 1, np.int64)
    for j in range(m):
        rindptr[indices[j] + 1] += 1
    for v in range(n):
        rindptr[v + 1] += rindptr[v]
    fill = rindptr[:n].copy()
    rindices = np.empty(m, np.int64)
    redge = np.empty(m, np.int64)
    for u in range(n):
        for j in range(indptr[u], indptr[u + 1]):
            v = indices[j]
            p = fill[v]
            fill[v] = p + 1
            rindices[p] = u
            redge[p] = j
    return rindptr, rindices, redge


@numba.njit(cache=True)
def _seq_hash(seq, start, stop):
    h = np.int64(-3750763034362895579)  # FNV-1a offset basis as int64
    for q in range(start, stop):
        h = (h ^ seq[q]) * np.int64(1099511628211)
    h = h ^ (h >> 29)
    return h


@numba.njit(cache=True)
def _cand_less(costs, a, b):
    return costs[a] < costs[b] or (costs[a] == costs[b] and a < b)


@numba.njit(cache=True)
def _yen_kernel(
    indptr, indices, weights, source, target, k, edge_ok, vertex_ok, use_edge, use_vertex
):
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    inf = np.inf
    # output buffers grow with the number of paths found (k may be far more than exist)
    out_costs = np.empty(min(k, 16), np.float64)
    out_off = np.zeros(min(k, 16) + 1, np.int64)
    out_edges = np.empty(16, np.int64)
    status = _validate(indptr, indices, weights)
    if status < 0:
        return out_costs[:0], out_off[:1], out_edges[:0], status
    ealive = edge_ok.copy() if use_edge else np.ones(m, np.bool_)
    valive = vertex_ok.copy() if use_vertex else np.ones(n, np.bool_)
    if k == 0 or not valive[source] or not valive[target]:
        return out_costs[:0], out_off[:1], out_edges[:0], 0
    if source == target:
        out_costs[0] = 0.0
        return out_costs[:1], out_off[:2], out_edges[:0], 0

    tails = _tails_kernel(indptr)
    # exact distance to the target (the A* heuristic) and the reverse shortest-path tree
    rindptr, rindices, redge = _reverse_csr(indptr, indices)
    rweights = np.empty(m, np.float64)
    rok = np.empty(m, np.bool_)
    for p in range(m):
        rweights[p] = weights[redge[p]]
        rok[p] = ealive[redge[p]]
    h = np.full(n, inf)
    rpred = np.full(n, -1, np.int64)
    hkey = np.empty(max(n, m) + 5)
    hnode = np.empty(max(n, m) + 5, np.int32)
    touched = np.empty(n, np.int64)
    # np.bool_ / np.int64 values (not literals) so that both searches below use the general
    # specialisation of _search that dijkstra() with masks or a heuristic compiles as well
    yes = np.bool_(True)
    no = np.bool_(False)
    _search(
        rindptr,
        rindices,
        rweights,
        target,
        np.int64(-1),
        rok,
        valive,
        np.empty(0, np.float64),
        yes,
        yes,
        no,
        h,
        rpred,
        hkey,
        hnode,
        touched,
        no,
    )
    if h[source] == inf:
        return out_costs[:0], out_off[:1], out_edges[:0], 0
    dist = np.full(n, inf)
    pred = np.full(n, -1, np.int64)

    # first path: follow the reverse tree from the source
    na = 0
    v = source
    length = 0
    cost = 0.0
    while v != target:
        e = redge[rpred[v]]
        out_edges = _grow_int(out_edges, length + 1)
        out_edges[length] = e
        length += 1
        cost += weights[e]
        v = indices[e]
    out_costs[0] = cost
    out_off[1] = length
    na = 1

    # candidate pool
    c_edges = np.empty(64, np.int64)
    c_off = np.zeros(17, np.int64)
    c_cost = np.empty(16, np.float64)
    c_hash = np.empty(16, np.int64)
    nc = np.int64(0)
    heap = np.empty(16, np.int64)
    hsize = 0
    table = np.full(64, -1, np.int64)

    share = np.empty(16, np.int64)
    removed = np.empty(16, np.int64)
    spur_buf = np.empty(n, np.int64)

    while na < k:
        ps = out_off[na - 1]
        pe = out_off[na]
        plen = pe - ps
        share = _grow_int(share, na)
        removed = _grow_int(removed, na)
        nshare = na
        for a in range(na):
            share[a] = a
        spur = source
        for i in range(plen):
            # remove the next edge of every accepted path with the same root
            nrem = 0
            for s in range(nshare):
                a = share[s]
                if out_off[a + 1] - out_off[a] > i:
                    e = out_edges[out_off[a] + i]
                    if ealive[e]:
                        ealive[e] = False
                        removed[nrem] = e
                        nrem += 1
            # spur path: the reverse tree path if it is still usable, else A*
            nspur = 0
            found = True
            v = spur
            while v != target:
                e = redge[rpred[v]]
                w = indices[e]
                if not ealive[e] or not valive[w]:
                    found = False
                    break
                spur_buf[nspur] = e
                nspur += 1
                v = w
            if not found:
                nt = _search(
                    indptr,
                    indices,
                    weights,
                    spur,
                    target,
                    ealive,
                    valive,
                    h,
                    yes,
                    yes,
                    yes,
                    dist,
                    pred,
                    hkey,
                    hnode,
                    touched,
                    yes,
                )
                if dist[target] < inf:
                    found = True
                    nspur = 0
                    v = target
                    while v != spur:
                        e = pred[v]
                        spur_buf[nspur] = e
                        nspur += 1
                        v = tails[e]
                    for q in range(nspur // 2):
                        e = spur_buf[q]
                        spur_buf[q] = spur_buf[nspur - 1 - q]
                        spur_buf[nspur - 1 - q] = e
                for q in range(nt):
                    t = touched[q]
                    dist[t] = inf
                    pred[t] = -1
            for q in range(nrem):
                ealive[removed[q]] = True
            if found:
                # candidate = root (first i edges of the previous path) + spur path
                clen = i + nspur
                start = c_off[nc]
                c_edges = _grow_int(c_edges, start + clen)
                cost = 0.0
                for q in range(i):
                    e = out_edges[ps + q]
                    c_edges[start + q] = e
                    cost += weights[e]
                for q in range(nspur):
                    e = spur_buf[q]
                    c_edges[start + i + q] = e
                    cost += weights[e]
                hv = _seq_hash(c_edges, start, start + clen)
                mask = table.shape[0] - 1
                slot = hv & mask
                duplicate = False
                while table[slot] >= 0:
                    o = table[slot]
                    if c_hash[o] == hv and c_off[o + 1] - c_off[o] == clen:
                        same = True
                        ostart = c_off[o]
                        for q in range(clen):
                            if c_edges[ostart + q] != c_edges[start + q]:
                                same = False
                                break
                        if same:
                            duplicate = True
                            break
                    slot = (slot + 1) & mask
                if not duplicate:
                    c_off = _grow_int(c_off, nc + 2)
                    c_cost = _grow_float(c_cost, nc + 1)
                    c_hash = _grow_int(c_hash, nc + 1)
                    c_off[nc + 1] = start + clen
                    c_cost[nc] = cost
                    c_hash[nc] = hv
                    table[slot] = nc
                    # push onto the candidate heap
                    heap = _grow_int(heap, hsize + 1)
                    x = hsize
                    hsize += 1
                    while x > 0:
                        p = (x - 1) >> 1
                        if not _cand_less(c_cost, nc, heap[p]):
                            break
                        heap[x] = heap[p]
                        x = p
                    heap[x] = nc
                    nc += 1
                    if 2 * nc > table.shape[0]:
                        table = np.full(2 * table.shape[0], -1, np.int64)
                        mask = table.shape[0] - 1
                        for o in range(nc):
                            slot = c_hash[o] & mask
                            while table[slot] >= 0:
                                slot = (slot + 1) & mask
                            table[slot] = o
            # the spur vertex joins the root: remove it and keep the paths sharing the root
            valive[spur] = False
            e_i = out_edges[ps + i]
            kept = 0
            for s in range(nshare):
                a = share[s]
                if out_off[a + 1] - out_off[a] > i and out_edges[out_off[a] + i] == e_i:
                    share[kept] = a
                    kept += 1
            nshare = kept
            spur = indices[e_i]
        # restore the root vertices
        # (they lie on an accepted path, so they were alive before)
        valive[source] = True
        for q in range(plen - 1):
            valive[indices[out_edges[ps + q]]] = True
        if hsize == 0:
            break
        # pop the cheapest candidate and accept it
        best = heap[0]
        hsize -= 1
        if hsize > 0:
            last = heap[hsize]
            x = 0
            while True:
                c = 2 * x + 1
                if c >= hsize:
                    break
                if c + 1 < hsize and _cand_less(c_cost, heap[c + 1], heap[c]):
                    c += 1
                if not _cand_less(c_cost, heap[c], last):
                    break
                heap[x] = heap[c]
                x = c
            heap[x] = last
        bstart = c_off[best]
        blen = c_off[best + 1] - bstart
        out_edges = _grow_int(out_edges, out_off[na] + blen)
        for q in range(blen):
            out_edges[out_off[na] + q] = c_edges[bstart + q]
        out_off = _grow_int(out_off, na + 2)
        out_costs = _grow_float(out_costs, na + 1)
        out_off[na + 1] = out_off[na] + blen
        out_costs[na] = c_cost[best]
        na += 1
    return out_costs[:na].copy(), out_off[: na + 1].copy(), out_edges[: out_off[na]].copy(), 0


# --------------------------------------------------------------------------------------------
# public wrappers
# --------------------------------------------------------------------------------------------


def _as_mask(x: object | None, size: int, name: str) -> tuple[BoolArray, bool]:
    if x is None:
        return np.empty(0, dtype=np.bool_), False
    arr = np.ascontiguousarray(x, dtype=np.bool_)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {arr.shape}")
    return arr, True


def _check_csr(
    indptr: object, indices: object, weights: object
) -> tuple[IntArray, IntArray, FloatArray]:
    ip = _as_int(indptr, "indptr")
    ix = _as_int(indices, "indices")
    w = _as_float(weights, "weights")
    if ip.size == 0 or ip[0] != 0:
        raise ValueError("indptr must have length n + 1 and start at 0")
    n = ip.size - 1
    if n > _MAX_VERTICES:
        raise ValueError(f"at most {_MAX_VERTICES} vertices are supported")
    m = ix.size
    if ip[-1] != m or w.size != m:
        raise ValueError("indptr[-1], len(indices) and len(weights) must all equal m")
    # the values (monotone indptr, heads in range, weights >= 0) are checked by the kernels
    return ip, ix, w


def _raise_for(status: int) -> None:
    if status < 0:
        raise ValueError(_ERRORS[status])


def _check_vertex(v: int, n: int, name: str) -> int:
    v = int(v)
    if not 0 <= v < n:
        raise ValueError(f"{name} {v} is not a vertex in [0, {n})")
    return v


def edge_tails(indptr: NDArray[np.integer]) -> IntArray:
    """Tail vertex of every CSR position.

    Parameters
    ----------
    indptr : array of int, shape (n + 1,)
        CSR row pointers.

    Returns
    -------
    int64 array, shape (m,)
        ``tails[j]`` is the vertex whose row holds CSR position ``j``.

    Raises
    ------
    ValueError
        If ``indptr`` is empty or decreasing.
    TypeError
        If ``indptr`` does not hold integers.
    """
    ip = _as_int(indptr, "indptr")
    if ip.size == 0:
        raise ValueError("indptr must have length n + 1")
    n = ip.size - 1
    return np.repeat(np.arange(n, dtype=np.int64), np.diff(ip))


def dijkstra(
    indptr: NDArray[np.integer],
    indices: NDArray[np.integer],
    weights: NDArray[np.floating],
    source: int,
    target: int = -1,
    edge_ok: NDArray[np.bool_] | None = None,
    vertex_ok: NDArray[np.bool_] | None = None,
    heuristic: NDArray[np.floating] | None = None,
) -> tuple[FloatArray, IntArray]:
    """Shortest paths from one source: one-to-all, or to one target with early exit (A*).

    Parameters
    ----------
    indptr : array of int, shape (n + 1,)
        CSR row pointers.
    indices : array of int, shape (m,)
        Head vertex of each CSR position.
    weights : array of float, shape (m,)
        Non-negative edge lengths.
    source : int
        Start vertex.
    target : int, default -1
        ``-1`` computes distances to all vertices; otherwise the search stops as soon as
        ``target`` is settled.
    edge_ok : array of bool, shape (m,), optional
        ``False`` removes the edge at that CSR position.
    vertex_ok : array of bool, shape (n,), optional
        ``False`` removes the vertex: it is never entered, and a removed source reaches
        nothing (its own ``dist`` stays ``inf``).
    heuristic : array of float, shape (n,), optional
        A* lower bound of the distance from each vertex to ``target``; it must be admissible
        and consistent (``h[u] <= w + h[v]`` for every edge ``u -> v``). Negative or NaN
        entries count as 0; ``inf`` marks a vertex that cannot reach the target, which is
        never entered.

    Returns
    -------
    dist : float64 array, shape (n,)
        Distance from ``source``; ``inf`` if not reached. With a target, only settled vertices
        (always including a reachable ``target``) hold exact distances; others hold upper
        bounds or ``inf``.
    pred : int64 array, shape (n,)
        CSR position of the edge through which each vertex was reached, ``-1`` for the source
        and unreached vertices. Use :func:`path_edges` to extract a path.

    Raises
    ------
    ValueError
        If the array lengths are inconsistent, ``source`` or ``target`` is out of range, or an
        edge the search scans has a negative or NaN weight or a head out of range (edges the
        search never reaches are not checked).
    TypeError
        If ``indptr`` or ``indices`` does not hold integers.

    Examples
    --------
    >>> indptr, indices, w, _ = csr_from_edges(3, [0, 0, 1], [1, 2, 2], [1.0, 5.0, 1.0])
    >>> dist, pred = dijkstra(indptr, indices, w, 0)
    >>> dist.tolist(), pred.tolist()
    ([0.0, 1.0, 2.0], [-1, 0, 2])
    """
    ip, ix, w = _check_csr(indptr, indices, weights)
    n = ip.size - 1
    src = _check_vertex(source, n, "source")
    tgt = -1 if int(target) == -1 else _check_vertex(target, n, "target")
    eok, use_edge = _as_mask(edge_ok, ix.size, "edge_ok")
    vok, use_vertex = _as_mask(vertex_ok, n, "vertex_ok")
    if heuristic is None:
        h, use_h = np.empty(0, dtype=np.float64), False
    else:
        h, use_h = _as_float(heuristic, "heuristic"), True
        if h.shape != (n,):
            raise ValueError(f"heuristic must have shape ({n},), got {h.shape}")
    dist, pred, status = _dijkstra_kernel(
        ip, ix, w, src, tgt, eok, vok, h, use_edge, use_vertex, use_h
    )
    _raise_for(int(status))
    return cast(FloatArray, dist), cast(IntArray, pred)


def path_edges(
    pred: NDArray[np.integer], tails: NDArray[np.integer], source: int, target: int
) -> IntArray:
    """Extract the path from ``source`` to ``target`` from a predecessor array.

    Parameters
    ----------
    pred : array of int, shape (n,)
        Predecessor edges from :func:`dijkstra` run from ``source``.
    tails : array of int, shape (m,)
        Tail vertex of each CSR position, from :func:`edge_tails` (compute it once per graph).
    source : int
        The source of the search that produced ``pred``.
    target : int
        End vertex of the path.

    Returns
    -------
    int64 array
        CSR positions of the path's edges from ``source`` to ``target``, in order; empty if
        ``target == source`` (even if the source was removed by a mask: check ``dist``).

    Raises
    ------
    ValueError
        If ``target`` was not reached, or ``pred`` does not lead back to ``source``.
    TypeError
        If ``pred`` or ``tails`` does not hold integers.

    Examples
    --------
    >>> indptr, indices, w, _ = csr_from_edges(3, [0, 0, 1], [1, 2, 2], [1.0, 5.0, 1.0])
    >>> dist, pred = dijkstra(indptr, indices, w, 0)
    >>> path_edges(pred, edge_tails(indptr), 0, 2).tolist()
    [0, 2]
    """
    pr = _as_int(pred, "pred")
    tl = _as_int(tails, "tails")
    n = pr.size
    src = _check_vertex(source, n, "source")
    tgt = _check_vertex(target, n, "target")
    out, status = _path_kernel(pr, tl, src, tgt)
    if status == -1:
        raise ValueError(f"target {tgt} was not reached from source {src}")
    if status < 0:
        raise ValueError(f"pred does not lead from target {tgt} back to source {src}")
    return cast(IntArray, out)


def k_shortest_paths(
    indptr: NDArray[np.integer],
    indices: NDArray[np.integer],
    weights: NDArray[np.floating],
    source: int,
    target: int,
    k: int,
    edge_ok: NDArray[np.bool_] | None = None,
    vertex_ok: NDArray[np.bool_] | None = None,
) -> tuple[FloatArray, IntArray, IntArray]:
    """Up to ``k`` shortest loopless paths from ``source`` to ``target`` (Yen's algorithm).

    Paths visit no vertex twice and come in non-decreasing order of cost. Paths are edge
    sequences, so routes that differ only in which of two parallel edges they use are
    different paths.

    Parameters
    ----------
    indptr : array of int, shape (n + 1,)
        CSR row pointers.
    indices : array of int, shape (m,)
        Head vertex of each CSR position.
    weights : array of float, shape (m,)
        Non-negative edge lengths.
    source, target : int
        End vertices. If they are equal the only loopless path is the empty one (cost 0).
    k : int
        Maximum number of paths (``>= 0``).
    edge_ok : array of bool, shape (m,), optional
        ``False`` removes the edge at that CSR position.
    vertex_ok : array of bool, shape (n,), optional
        ``False`` removes the vertex.

    Returns
    -------
    costs : float64 array, shape (p,)
        Path costs, non-decreasing, ``p <= k`` (fewer if fewer loopless paths exist).
    offsets : int64 array, shape (p + 1,)
        Path ``i`` is ``edges[offsets[i]:offsets[i + 1]]``.
    edges : int64 array
        CSR positions of the concatenated paths.

    Raises
    ------
    ValueError
        If the arrays are inconsistent, a weight is negative or NaN, a vertex is out of range
        or ``k`` is negative.
    TypeError
        If ``indptr`` or ``indices`` does not hold integers.

    Examples
    --------
    >>> indptr, indices, w, _ = csr_from_edges(3, [0, 0, 1], [1, 2, 2], [1.0, 5.0, 1.0])
    >>> costs, offsets, edges = k_shortest_paths(indptr, indices, w, 0, 2, 3)
    >>> costs.tolist(), offsets.tolist(), edges.tolist()
    ([2.0, 5.0], [0, 2, 3], [0, 2, 1])
    """
    ip, ix, w = _check_csr(indptr, indices, weights)
    n = ip.size - 1
    src = _check_vertex(source, n, "source")
    tgt = _check_vertex(target, n, "target")
    k = int(k)
    if k < 0:
        raise ValueError("k must be non-negative")
    eok, use_edge = _as_mask(edge_ok, ix.size, "edge_ok")
    vok, use_vertex = _as_mask(vertex_ok, n, "vertex_ok")
    costs, offsets, edges, status = _yen_kernel(
        ip, ix, w, src, tgt, k, eok, vok, use_edge, use_vertex
    )
    _raise_for(int(status))
    return cast(FloatArray, costs), cast(IntArray, offsets), cast(IntArray, edges)
