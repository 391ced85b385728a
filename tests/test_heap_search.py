"""The heap search agrees with the numba kernel on random graphs (distances equal,
the path valid and as short), including parallel edges, zero weights and removed edges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.graph import kernels
from corridor.graph.csr import csr_from_edges
from corridor.graph.heap_search import shortest_path
from tests.helpers import examples


@st.composite
def graphs(
    draw: st.DrawFn,
) -> tuple[int, list[int], list[int], list[float], list[bool], list[bool]]:
    n = draw(st.integers(min_value=2, max_value=12))
    m = draw(st.integers(min_value=0, max_value=40))
    vertex = st.integers(min_value=0, max_value=n - 1)
    tails = draw(st.lists(vertex, min_size=m, max_size=m))
    heads = draw(st.lists(vertex, min_size=m, max_size=m))
    weights = draw(st.lists(st.sampled_from([0.0, 1.0, 2.5, 7.0]) | st.floats(0, 100),
                            min_size=m, max_size=m))  # fmt: skip
    edge_ok = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    vertex_ok = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, tails, heads, weights, edge_ok, vertex_ok


@given(graph=graphs(), ends=st.tuples(st.integers(0, 11), st.integers(0, 11)))
@settings(max_examples=examples(300), deadline=None)
def test_scipy_path_equals_the_kernel(
    graph: tuple[int, list[int], list[int], list[float], list[bool], list[bool]],
    ends: tuple[int, int],
) -> None:
    n, tails, heads, weights, edge_ok, vertex_ok = graph
    source, target = ends[0] % n, ends[1] % n
    indptr, indices, w, order = csr_from_edges(
        n, np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64), np.array(weights)
    )
    ok_e = np.array(edge_ok, dtype=bool)[order]
    ok_v = np.array(vertex_ok, dtype=bool)
    dist, _ = kernels.dijkstra(indptr, indices, w, source, target, edge_ok=ok_e, vertex_ok=ok_v)
    found = shortest_path(indptr, indices, w, source, target, ok_e, ok_v)
    if not np.isfinite(dist[target]):
        assert found is None
        return
    assert found is not None
    length, path = found
    assert length == pytest.approx(dist[target])
    # The path is valid: it starts at the source, ends at the target, uses allowed edges only
    # and its length is the distance.
    tails_csr = kernels.edge_tails(indptr)
    at = source
    for e in path:
        assert tails_csr[e] == at and ok_e[e] and ok_v[indices[e]]
        at = int(indices[e])
    assert at == target
    assert float(w[path].sum()) == pytest.approx(length)


def test_negative_weights_are_refused() -> None:
    indptr, indices, w, _ = csr_from_edges(2, np.array([0]), np.array([1]), np.array([1.0]))
    w = w.copy()
    w[0] = -1.0
    with pytest.raises(ValueError, match="non-negative"):
        shortest_path(indptr, indices, w, 0, 1, np.ones(1, bool), np.ones(2, bool))


def test_a_route_in_a_fresh_process_does_not_import_numba() -> None:
    import subprocess
    import sys

    code = (
        "import sys, corridor; net = corridor.load(); corridor.route(net, 'Xian', 'Istanbul');"
        "print('numba' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
