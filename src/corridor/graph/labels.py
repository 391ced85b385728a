"""Compiled kernels of the Pareto search: Martins' label-setting algorithm (numba).

The algorithm, its pruning rules and why it is exact are described in
:mod:`corridor.graph.pareto`, whose typed wrapper :func:`~corridor.graph.pareto.pareto_paths`
prepares the arrays these kernels work on.
"""

# The compiled kernels are plain (unannotated) numba functions; the public wrappers are typed.
# mypy: disable-error-code="no-untyped-def"

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _label_less(lf, lg, a, b):
    # Heap order: priority (cost + bound), then cost, lexicographically; then creation order.
    c = lf.shape[1]
    for k in range(c):
        if lf[a, k] != lf[b, k]:
            return lf[a, k] < lf[b, k]
    for k in range(c):
        if lg[a, k] != lg[b, k]:
            return lg[a, k] < lg[b, k]
    return a < b


@numba.njit(cache=True)
def _push(heap, size, lf, lg, lab):
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if not _label_less(lf, lg, lab, heap[p]):
            break
        heap[i] = heap[p]
        i = p
    heap[i] = lab


@numba.njit(cache=True)
def _pop(heap, size, lf, lg):
    # Remove the root of a heap of ``size`` entries (the caller decrements ``size``).
    last = heap[size - 1]
    size -= 1
    i = 0
    while True:
        ch = 2 * i + 1
        if ch >= size:
            break
        if ch + 1 < size and _label_less(lf, lg, heap[ch + 1], heap[ch]):
            ch += 1
        if not _label_less(lf, lg, heap[ch], last):
            break
        heap[i] = heap[ch]
        i = ch
    heap[i] = last


@numba.njit(cache=True)
def _below(low, key):
    # Whether key < low in some criterion (then nothing >= low can be <= key).
    for k in range(key.shape[0]):  # noqa: SIM110 (plain loop for numba)
        if key[k] < low[k]:
            return True
    return False


@numba.njit(cache=True)
def _any_le(rows, rlow, lo, hi, key):
    # Whether one of rows[lo:hi] is <= key in every criterion; rlow[b] is the componentwise
    # minimum of rows 8b .. 8b + 7, so blocks with a component above key are skipped.
    c = key.shape[0]
    i = lo
    while i < hi:
        b = i >> 3
        end = min((b + 1) << 3, hi)
        if _below(rlow[b], key):
            i = end
            continue
        while i < end:
            ok = True
            for k in range(c):
                if rows[i, k] > key[k]:
                    ok = False
                    break
            if ok:
                return True
            i += 1
    return False


@numba.njit(cache=True)
def _covered(pcost, pmc, plow, lo, hi, g, mc):
    # Whether a permanent label in rows lo:hi of the pool covers (g, mc): cost <= g in every
    # criterion and closed multi-vertex groups a subset of mc. plow[b] is the componentwise
    # minimum of the rows of block b (rows 8b .. 8b + 7): blocks with a larger component
    # than g are skipped.
    c = g.shape[0]
    words = mc.shape[0]
    i = lo
    while i < hi:
        b = i >> 3
        end = min((b + 1) << 3, hi)
        if _below(plow[b], g):
            i = end
            continue
        while i < end:
            ok = True
            for k in range(c):
                if pcost[i, k] > g[k]:
                    ok = False
                    break
            if ok:
                for k in range(words):
                    if pmc[i, k] & ~mc[k] != 0:
                        ok = False
                        break
                if ok:
                    return True
            i += 1
    return False


@numba.njit(cache=True)
def _martins_kernel(
    indptr,
    heads,
    cost,
    allowed,
    bound,
    margin,
    target_pruning,
    gid,
    gword,
    gbit,
    words,
    src,
    tgt,
    max_labels,
):
    # Labels (arrays grown by doubling): cost, priority, vertex, predecessor label, last edge,
    # closed multi-vertex group bits, and what the label was checked against when created
    # (number of permanent labels at its vertex, front size), so that the check when it is
    # popped only looks at what came after.
    n = indptr.shape[0] - 1
    c = cost.shape[1]
    cap = 1024
    lg = np.empty((cap, c), dtype=np.float64)
    lf = np.empty((cap, c), dtype=np.float64)
    lv = np.empty(cap, dtype=np.int64)
    lpred = np.empty(cap, dtype=np.int64)
    ledge = np.empty(cap, dtype=np.int64)
    lmc = np.zeros((cap, words), dtype=np.uint64)
    lseen = np.empty(cap, dtype=np.int64)
    lnf = np.empty(cap, dtype=np.int64)
    heap = np.empty(cap, dtype=np.int64)
    # Permanent labels' (cost, group bits), contiguous per vertex in a pool: vertex v owns
    # rows vstart[v] : vstart[v] + vcap[v], of which the first vcnt[v] are used; a full
    # segment moves to the end of the pool with twice the room. Segments are aligned to blocks
    # of 8 rows, and plow holds each block's componentwise minimum cost.
    pcost = np.empty((cap, c), dtype=np.float64)
    pmc = np.empty((cap, words), dtype=np.uint64)
    plow = np.empty((cap >> 3, c), dtype=np.float64)
    vstart = np.zeros(n, dtype=np.int64)
    vcap = np.zeros(n, dtype=np.int64)
    vcnt = np.zeros(n, dtype=np.int64)
    vlow = np.full((n, c), np.inf)
    pend = 0
    # Target labels: ids and costs.
    front = np.empty(64, dtype=np.int64)
    fcost = np.empty((64, c), dtype=np.float64)
    fblock = np.full((8, c), np.inf)
    flow = np.full(c, np.inf)
    nf = 0
    g2 = np.empty(c, dtype=np.float64)
    f2 = np.empty(c, dtype=np.float64)
    key = np.empty(c, dtype=np.float64)
    mc2 = np.empty(words, dtype=np.uint64)

    lg[0, :] = 0.0
    lf[0, :] = bound[src]
    lv[0] = src
    lpred[0] = -1
    ledge[0] = -1
    lseen[0] = 0
    lnf[0] = 0
    nl = 1
    heap[0] = 0
    size = 1
    while size > 0:
        lab = heap[0]
        _pop(heap, size, lf, lg)
        size -= 1
        v = lv[lab]
        if v == tgt:
            if _any_le(fcost, fblock, lnf[lab], nf, lg[lab]):
                continue
            if nf == front.shape[0]:
                front = np.concatenate((front, np.empty_like(front)))
                fcost = np.concatenate((fcost, np.empty_like(fcost)))
                fblock = np.concatenate((fblock, np.full_like(fblock, np.inf)))
            front[nf] = lab
            fcost[nf] = lg[lab]
            for k in range(c):
                flow[k] = min(flow[k], lg[lab, k])
                fblock[nf >> 3, k] = min(fblock[nf >> 3, k], lg[lab, k])
            nf += 1
            continue
        if target_pruning and nf > lnf[lab]:
            for k in range(c):
                key[k] = lf[lab, k] * margin
            if not _below(flow, key) and _any_le(fcost, fblock, lnf[lab], nf, key):
                continue
        lo = vstart[v]
        if not _below(vlow[v], lg[lab]) and _covered(
            pcost, pmc, plow, lo + lseen[lab], lo + vcnt[v], lg[lab], lmc[lab]
        ):
            continue
        if vcnt[v] == vcap[v]:
            grown = max(8, 2 * vcap[v])
            while pend + grown > pcost.shape[0]:
                pcost = np.concatenate((pcost, np.empty_like(pcost)))
                pmc = np.concatenate((pmc, np.empty_like(pmc)))
                plow = np.concatenate((plow, np.empty_like(plow)))
            pcost[pend : pend + vcnt[v]] = pcost[lo : lo + vcnt[v]]
            pmc[pend : pend + vcnt[v]] = pmc[lo : lo + vcnt[v]]
            plow[pend >> 3 : (pend + vcnt[v]) >> 3] = plow[lo >> 3 : (lo + vcnt[v]) >> 3]
            plow[(pend + vcnt[v]) >> 3 : (pend + grown) >> 3] = np.inf
            vstart[v] = pend
            vcap[v] = grown
            pend += grown
        row = vstart[v] + vcnt[v]
        pcost[row] = lg[lab]
        for k in range(c):
            plow[row >> 3, k] = min(plow[row >> 3, k], lg[lab, k])
        for k in range(c):
            vlow[v, k] = min(vlow[v, k], lg[lab, k])
        pmc[row] = lmc[lab]
        vcnt[v] += 1
        gv = gid[v]
        for j in range(indptr[v], indptr[v + 1]):
            if not allowed[j]:
                continue
            w = heads[j]
            leaving = gid[w] != gv
            if leaving and gword[w] >= 0 and lmc[lab, gword[w]] & gbit[w] != 0:
                continue
            u = lab
            while u >= 0 and lv[u] != w:
                u = lpred[u]
            if u >= 0:
                continue
            for k in range(c):
                g2[k] = lg[lab, k] + cost[j, k]
                f2[k] = g2[k] + bound[w, k]
            for k in range(words):
                mc2[k] = lmc[lab, k]
            if leaving and gword[v] >= 0:
                mc2[gword[v]] |= gbit[v]
            if w == tgt:
                if _any_le(fcost, fblock, 0, nf, g2):
                    continue
            else:
                if target_pruning and nf > 0:
                    for k in range(c):
                        key[k] = f2[k] * margin
                    if not _below(flow, key) and _any_le(fcost, fblock, 0, nf, key):
                        continue
                if not _below(vlow[w], g2) and _covered(
                    pcost, pmc, plow, vstart[w], vstart[w] + vcnt[w], g2, mc2
                ):
                    continue
            if nl >= max_labels:
                return 1, front[:nf], lg[:nl], lpred[:nl], ledge[:nl]
            if nl == lg.shape[0]:
                lg = np.concatenate((lg, np.empty_like(lg)))
                lf = np.concatenate((lf, np.empty_like(lf)))
                lv = np.concatenate((lv, np.empty_like(lv)))
                lpred = np.concatenate((lpred, np.empty_like(lpred)))
                ledge = np.concatenate((ledge, np.empty_like(ledge)))
                lmc = np.concatenate((lmc, np.empty_like(lmc)))
                lseen = np.concatenate((lseen, np.empty_like(lseen)))
                lnf = np.concatenate((lnf, np.empty_like(lnf)))
            if size == heap.shape[0]:
                heap = np.concatenate((heap, np.empty_like(heap)))
            lg[nl] = g2
            lf[nl] = f2
            lv[nl] = w
            lpred[nl] = lab
            ledge[nl] = j
            lmc[nl] = mc2
            lseen[nl] = vcnt[w]
            lnf[nl] = nf
            _push(heap, size, lf, lg, nl)
            size += 1
            nl += 1
    return 0, front[:nf], lg[:nl], lpred[:nl], ledge[:nl]
