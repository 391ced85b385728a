"""CSR arrays of a directed graph, in plain NumPy (no compiled code, cheap to import).

:mod:`corridor.graph.kernels` runs its compiled searches on these arrays; a single
shortest-path query can run on them with SciPy alone (:mod:`corridor.graph.sparse`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_MAX_VERTICES = 2**31 - 2

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _as_int(x: object, name: str) -> IntArray:
    raw = np.asarray(x)
    if raw.size and raw.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {raw.dtype}")
    arr = np.ascontiguousarray(raw, dtype=np.int64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return arr


def _as_float(x: object, name: str) -> FloatArray:
    arr = np.ascontiguousarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return arr


def csr_from_edges(
    n: int,
    tails: NDArray[np.integer],
    heads: NDArray[np.integer],
    weights: NDArray[np.floating],
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Build CSR arrays from an edge list.

    Edges are ordered by tail with a stable sort, so edges with the same tail keep their input
    order.

    Parameters
    ----------
    n : int
        Number of vertices.
    tails, heads : array of int, shape (m,)
        Tail and head vertex of each input edge, in ``[0, n)``.
    weights : array of float, shape (m,)
        Non-negative length of each input edge.

    Returns
    -------
    indptr : int64 array, shape (n + 1,)
        Row pointers: the edges leaving ``v`` are CSR positions ``indptr[v]:indptr[v + 1]``.
    indices : int64 array, shape (m,)
        Head vertex of the edge at each CSR position.
    weights_sorted : float64 array, shape (m,)
        Weight of the edge at each CSR position.
    order : int64 array, shape (m,)
        ``order[j]`` is the index of the input edge placed at CSR position ``j``.

    Raises
    ------
    ValueError
        If the arrays differ in length, a vertex is out of range or a weight is negative or NaN.
    TypeError
        If ``tails`` or ``heads`` does not hold integers.

    Examples
    --------
    >>> indptr, indices, w, order = csr_from_edges(3, [1, 0, 0], [2, 1, 2], [1.0, 2.0, 5.0])
    >>> indptr.tolist(), indices.tolist(), w.tolist(), order.tolist()
    ([0, 2, 3, 3], [1, 2, 2], [2.0, 5.0, 1.0], [1, 2, 0])
    """
    n = int(n)
    if n < 0 or n > _MAX_VERTICES:
        raise ValueError(f"n must be in [0, {_MAX_VERTICES}]")
    t = _as_int(tails, "tails")
    hd = _as_int(heads, "heads")
    w = _as_float(weights, "weights")
    if not t.size == hd.size == w.size:
        raise ValueError("tails, heads and weights must have the same length")
    if t.size:
        if min(t.min(), hd.min()) < 0 or max(t.max(), hd.max()) >= n:
            raise ValueError("tails and heads must be vertex numbers in [0, n)")
        if not w.min() >= 0.0:
            raise ValueError("weights must be non-negative and not NaN")
    order = np.argsort(t, kind="stable").astype(np.int64, copy=False)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(t, minlength=n), out=indptr[1:])
    return indptr, hd[order], w[order], order
