"""The HiGHS multi-commodity flow core: certificates, a networkx oracle and invariants."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.assign.lp import Group, Solution, solve, solve_paths

PENALTY = 1e6


def group(n, edges, origin, dests, demand, n_res=None):
    """edges: list of (u, v, cost); each edge uses its own resource (index = edge)."""
    tails = np.array([e[0] for e in edges], dtype=np.int64)
    heads = np.array([e[1] for e in edges], dtype=np.int64)
    m = len(edges)
    n_res = m if n_res is None else n_res
    use = sp.csr_matrix((np.ones(m), (np.arange(m), np.arange(m))), shape=(m, n_res))
    return Group(
        n_vertices=n,
        tails=tails,
        heads=heads,
        cost=np.array([float(e[2]) for e in edges]),
        origin=origin,
        destinations=np.array(dests, dtype=np.int64),
        demand=np.array(demand, dtype=float),
        use=use,
    )


def check_certificate(groups: list[Group], capacity, sol: Solution) -> None:
    """Flow conservation per vertex and group, capacities respected, flows non-negative."""
    assert sol.status == "optimal"
    usage = np.zeros(len(capacity))
    for g, x, s in zip(groups, sol.flows, sol.unmet, strict=True):
        assert np.all(x >= -1e-9) and np.all(s >= -1e-9)
        net = np.zeros(g.n_vertices)
        np.add.at(net, g.tails, x)
        np.subtract.at(net, g.heads, x)
        expected = np.zeros(g.n_vertices)
        expected[g.origin] += (g.demand - s).sum()
        np.subtract.at(expected, g.destinations, g.demand - s)
        assert net == pytest.approx(expected, abs=1e-6)
        usage += g.use.T @ x
    assert np.all(usage <= capacity + 1e-6)
    assert usage == pytest.approx(sol.usage, abs=1e-6)


@pytest.mark.parametrize("solve", [solve, solve_paths])
def test_hand_solved_bottleneck_and_shadow_price(solve):
    # Cheap edge 0->1 costs 2 with capacity 5; the detour 0->2->1 costs 3 + 3 = 6.
    edges = [(0, 1, 2.0), (0, 2, 3.0), (2, 1, 3.0)]
    g = group(3, edges, 0, [1], [8.0])
    cap = np.array([5.0, np.inf, np.inf])
    sol = solve([g], cap, unmet_penalty=PENALTY)
    check_certificate([g], cap, sol)
    assert sol.flows[0] == pytest.approx([5.0, 3.0, 3.0])
    assert sol.objective == pytest.approx(5 * 2 + 3 * 6)
    # one more unit on the cheap edge saves 6 - 2 = 4
    assert sol.shadow_price[0] == pytest.approx(4.0)
    assert sol.shadow_price[1:] == pytest.approx([0.0, 0.0])


@pytest.mark.parametrize("solve", [solve, solve_paths])
def test_unmet_demand_is_reported_not_fatal(solve):
    g = group(2, [(0, 1, 1.0)], 0, [1], [10.0])
    cap = np.array([4.0])
    sol = solve([g], cap, unmet_penalty=100.0)
    check_certificate([g], cap, sol)
    assert sol.unmet[0] == pytest.approx([6.0])
    assert sol.objective == pytest.approx(4 * 1 + 6 * 100)
    # the capacity is worth the penalty minus the cost
    assert sol.shadow_price[0] == pytest.approx(99.0)


@pytest.mark.parametrize("solve", [solve, solve_paths])
def test_two_groups_share_a_resource(solve):
    # both groups cross edge resource 0 (capacity 6); group B has a dear alternative
    a = group(3, [(0, 2, 1.0)], 0, [2], [4.0], n_res=2)
    b = Group(
        n_vertices=3,
        tails=np.array([1, 1]),
        heads=np.array([2, 2]),
        cost=np.array([1.0, 5.0]),
        origin=1,
        destinations=np.array([2]),
        demand=np.array([4.0]),
        use=sp.csr_matrix(([1.0, 1.0], ([0, 1], [0, 1])), shape=(2, 2)),
    )
    cap = np.array([6.0, np.inf])
    sol = solve([a, b], cap, unmet_penalty=PENALTY)
    check_certificate([a, b], cap, sol)
    assert sol.usage[0] == pytest.approx(6.0)
    assert sol.objective == pytest.approx(4 * 1 + 2 * 1 + 2 * 5)
    assert sol.shadow_price[0] == pytest.approx(4.0)


@st.composite
def instances(draw):
    n = draw(st.integers(3, 7))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=2,
            max_size=16,
            unique=True,
        )
    )
    edges = [(u, v, draw(st.integers(0, 9))) for u, v in pairs]
    caps = [draw(st.integers(1, 12)) for _ in edges]
    origin = draw(st.integers(0, n - 1))
    dest = draw(st.integers(0, n - 1).filter(lambda d: d != origin))
    demand = draw(st.integers(0, 15))
    return n, edges, caps, origin, dest, demand


SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(instances())
def test_single_commodity_cost_equals_networkx_min_cost_flow(instance):
    n, edges, caps, origin, dest, demand = instance
    g = group(n, edges, origin, [dest], [float(demand)])
    cap = np.array(caps, dtype=float)
    sol = solve([g], cap, unmet_penalty=PENALTY)
    check_certificate([g], cap, sol)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    for (u, v, c), k in zip(edges, caps, strict=True):
        graph.add_edge(u, v, weight=c, capacity=k)
    # networkx needs feasibility: route what can be routed (max flow), compare that cost
    routable = min(demand, nx.maximum_flow_value(graph, origin, dest)) if demand else 0
    graph.nodes[origin]["demand"] = -routable
    graph.nodes[dest]["demand"] = routable
    expected = nx.min_cost_flow_cost(graph) + (demand - routable) * PENALTY
    assert sol.objective == pytest.approx(expected, abs=1e-6)
    assert sol.unmet[0].sum() == pytest.approx(demand - routable, abs=1e-6)


@SETTINGS
@given(instances(), st.data())
def test_more_capacity_never_costs_more(instance, data):
    n, edges, caps, origin, dest, demand = instance
    g = group(n, edges, origin, [dest], [float(demand)])
    cap = np.array(caps, dtype=float)
    base = solve([g], cap, unmet_penalty=PENALTY)
    i = data.draw(st.integers(0, len(caps) - 1))
    more = cap.copy()
    more[i] += data.draw(st.integers(1, 10))
    assert solve([g], more, unmet_penalty=PENALTY).objective <= base.objective + 1e-6


@SETTINGS
@given(instances())
def test_closing_an_unused_edge_keeps_the_optimum(instance):
    n, edges, caps, origin, dest, demand = instance
    g = group(n, edges, origin, [dest], [float(demand)])
    cap = np.array(caps, dtype=float)
    base = solve([g], cap, unmet_penalty=PENALTY)
    unused = np.flatnonzero(base.flows[0] <= 1e-9)
    if len(unused) == 0:
        return
    closed = cap.copy()
    closed[unused[0]] = 0.0
    assert solve([g], closed, unmet_penalty=PENALTY).objective == pytest.approx(
        base.objective, abs=1e-6
    )


@SETTINGS
@given(instances())
def test_zero_demand_costs_nothing(instance):
    n, edges, caps, origin, dest, _ = instance
    g = group(n, edges, origin, [dest], [0.0])
    cap = np.array(caps, dtype=float)
    sol = solve([g], cap, unmet_penalty=PENALTY)
    check_certificate([g], cap, sol)
    assert sol.objective == pytest.approx(0.0, abs=1e-9)
    # only zero-cost circulations may carry flow
    assert np.allclose(sol.flows[0][g.cost > 0], 0.0)


@st.composite
def multi_instances(draw):
    """Several origin groups, each with 1-3 destinations, sharing edge capacities."""
    n = draw(st.integers(3, 7))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=3,
            max_size=18,
            unique=True,
        )
    )
    edges = [(u, v, draw(st.integers(0, 9))) for u, v in pairs]
    caps = np.array([float(draw(st.integers(1, 12))) for _ in edges])
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        origin = draw(st.integers(0, n - 1))
        dests = draw(
            st.lists(
                st.integers(0, n - 1).filter(lambda d, o=origin: d != o),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        demand = [float(draw(st.integers(0, 10))) for _ in dests]
        groups.append(group(n, edges, origin, dests, demand))
    return groups, caps


@SETTINGS
@given(multi_instances())
def test_column_generation_reaches_the_arc_model_optimum(instance):
    groups, caps = instance
    arcs = solve(groups, caps, unmet_penalty=PENALTY)
    paths = solve_paths(groups, caps, unmet_penalty=PENALTY)
    check_certificate(groups, caps, paths)
    assert paths.objective == pytest.approx(arcs.objective, rel=1e-7, abs=1e-6)
    # both shadow-price vectors are optimal duals: pricing capacities at either gives the
    # same Lagrangian bound (complementary slackness holds for the path solution)
    slack = caps - paths.usage
    assert np.all(paths.shadow_price[slack > 1e-6] <= 1e-6)
