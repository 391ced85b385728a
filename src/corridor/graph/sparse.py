"""One shortest path on CSR arrays with SciPy's Dijkstra, without compiled kernels.

A single route query from a fresh process spent about a second importing numba and loading its
cached kernels before its first search. SciPy's compiled Dijkstra answers the same one-to-one
question with no start-up cost; the numba kernels stay for what SciPy cannot do (k shortest
paths, Pareto labels, A*). :func:`shortest_path` returns the same CSR positions as
``kernels.dijkstra`` followed by ``kernels.path_edges`` (among equally short paths it may
pick another one).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from corridor.graph.csr import IntArray


def shortest_path(
    indptr: NDArray[np.integer],
    indices: NDArray[np.integer],
    weights: NDArray[np.floating],
    source: int,
    target: int,
    edge_ok: NDArray[np.bool_],
    vertex_ok: NDArray[np.bool_],
) -> tuple[float, IntArray] | None:
    """Return the length and the CSR positions of a shortest path, or ``None`` if none.

    Parameters
    ----------
    indptr, indices, weights
        The graph in CSR form (weights non-negative).
    source, target
        Start and end vertex.
    edge_ok, vertex_ok
        ``False`` removes an edge (CSR position) or a vertex.

    Returns
    -------
    tuple of float and int64 array, or None
        The distance and the path's CSR positions in order; ``None`` when the target cannot be
        reached.

    Raises
    ------
    ValueError
        If an allowed edge has a negative or NaN weight.

    Examples
    --------
    >>> from corridor.graph.csr import csr_from_edges
    >>> indptr, indices, w, _ = csr_from_edges(3, [0, 0, 1], [1, 2, 2], [1.0, 5.0, 1.0])
    >>> ok_e, ok_v = np.ones(3, dtype=bool), np.ones(3, dtype=bool)
    >>> dist, path = shortest_path(indptr, indices, w, 0, 2, ok_e, ok_v)
    >>> dist, path.tolist()
    (2.0, [0, 2])
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    n = len(indptr) - 1
    heads = np.asarray(indices, dtype=np.int64)
    counts = np.diff(np.asarray(indptr, dtype=np.int64)).astype(np.int64)
    tails = np.repeat(np.arange(n, dtype=np.int64), counts)
    w = np.asarray(weights, dtype=np.float64)
    if not vertex_ok[source] or not vertex_ok[target]:
        return None
    allowed = np.flatnonzero(edge_ok & vertex_ok[tails] & vertex_ok[heads])
    if len(allowed) and not w[allowed].min() >= 0.0:
        raise ValueError("weights must be non-negative and not NaN")
    # Parallel edges: keep the lightest (the first in CSR order among equals), since a sparse
    # matrix holds one entry per vertex pair.
    keys = tails[allowed] * n + heads[allowed]
    order = np.lexsort((allowed, w[allowed], keys))
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    chosen = allowed[order[first]]
    chosen_keys = sorted_keys[first]
    matrix = sp.csr_matrix((w[chosen], (tails[chosen], heads[chosen])), shape=(n, n))
    dist, pred = dijkstra(matrix, directed=True, indices=[source], return_predecessors=True)
    dist, pred = dist[0], pred[0]
    if not np.isfinite(dist[target]):
        return None
    path: list[int] = []
    v = int(target)
    while v != source:
        u = int(pred[v])
        path.append(int(chosen[np.searchsorted(chosen_keys, u * n + v)]))
        v = u
    return float(dist[target]), np.asarray(path[::-1], dtype=np.int64)
