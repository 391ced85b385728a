"""Routing on random networks against independent oracles (networkx), and constraint invariants.

The random networks are single-gauge rail webs built as tables, so the oracle can compute the
generalized cost of each link straight from the tables without the state graph: tariff per
TEU-km x km + value of time x (km / speed + dwell at the node entered) / 24.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pandas as pd
import pytest
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor import CostParams, NoRouteError, alternatives, pareto, route
from corridor.model.network import Network
from corridor.model.schema import table_schema
from corridor.model.tables import empty_table

SPEED = 40.0
TARIFF = 0.5
VALUE = 50_000.0
VOT = 1.0  # % per day
PARAMS = CostParams(value_of_time_pct_per_day=VOT)


def _table(name: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    empty = empty_table(table_schema(name))
    frame = pd.concat([empty, pd.DataFrame(rows)], ignore_index=True)
    return frame[list(empty.columns)].astype(empty.dtypes.to_dict())


@st.composite
def networks(
    draw: st.DrawFn,
) -> tuple[Network, dict[int, float], list[tuple[int, int, float, str]]]:
    n = draw(st.integers(3, 9))
    countries = [draw(st.sampled_from(["AA", "BB", "CC"])) for _ in range(n)]
    dwell = {i: float(draw(st.integers(0, 5))) for i in range(n)}
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=1,
            max_size=20,
            unique_by=lambda p: (min(p), max(p)),
        )
    )
    links = [(a, b, float(draw(st.integers(1, 50)) * 10), countries[a]) for a, b in pairs]
    tables = {
        "sources": _table(
            "sources", [{"source_id": "s", "kind": "estimate", "title": "t", "method": "m"}]
        ),
        "modes": _table(
            "modes",
            [
                {
                    "mode": "rail_1520",
                    "name": "rail",
                    "family": "rail",
                    "speed_kmh": SPEED,
                    "speed_kmh_ref": "s",
                    "co2e_g_per_tkm": 20.0,
                    "co2e_g_per_tkm_ref": "s",
                    "tariff_usd_per_teu_km": TARIFF,
                    "tariff_usd_per_teu_km_ref": "s",
                }
            ],
        ),
        "countries": _table(
            "countries",
            [{"country": c, "name": c, "sanctions": "none"} for c in ("AA", "BB", "CC")],
        ),
        "commodities": _table(
            "commodities",
            [
                {
                    "commodity_id": "container",
                    "name": "c",
                    "unit": "teu",
                    "t_per_unit": 10.0,
                    "t_per_unit_ref": "s",
                    "value_usd_per_unit": VALUE,
                    "value_usd_per_unit_ref": "s",
                    "allowed_modes": "rail_1520",
                }
            ],
        ),
        "nodes": _table(
            "nodes",
            [
                {
                    "node_id": f"n{i}",
                    "name": f"Node {i}",
                    "country": countries[i],
                    "kind": "rail_station",
                    "lat": 40.0 + i,
                    "lon": 50.0,
                    "dwell_h": dwell[i],
                    "dwell_h_ref": "s",
                }
                for i in range(n)
            ],
        ),
        "links": _table(
            "links",
            [
                {
                    "link_id": f"n{a}__n{b}__rail_1520",
                    "from_node": f"n{a}",
                    "to_node": f"n{b}",
                    "mode": "rail_1520",
                    "corridor": f"c{a % 3}",
                    "countries": country,
                    "distance_km": km,
                    "distance_km_ref": "s",
                }
                for a, b, km, country in links
            ],
        ),
    }
    return Network.from_tables(tables), dwell, links


def _oracle(dwell: dict[int, float], links: list[tuple[int, int, float, str]], avoid=()):
    """networkx DiGraph whose edge u->v weighs the link plus the dwell at v (entered)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(dwell)
    for a, b, km, country in links:
        if country in avoid:
            continue
        for u, v in ((a, b), (b, a)):
            hours = km / SPEED + dwell[v]
            graph.add_edge(u, v, weight=TARIFF * km + VOT / 100 * VALUE * hours / 24)
    return graph


SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(networks(), st.data())
def test_route_cost_equals_networkx(case, data):
    network, dwell, links = case
    n = len(dwell)
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    oracle = _oracle(dwell, links)
    try:
        expected = nx.shortest_path_length(oracle, s, t, weight="weight") - VOT / 100 * VALUE * (
            dwell[t] / 24
        )
    except nx.NetworkXNoPath:
        with pytest.raises(NoRouteError):
            route(network, f"n{s}", f"n{t}", params=PARAMS)
        return
    found = route(network, f"n{s}", f"n{t}", params=PARAMS)
    assert found.totals.generalized_cost_usd == pytest.approx(expected, rel=1e-9, abs=1e-6)
    # the leg table adds up to the totals
    legs = found.legs_frame()
    assert legs["cost_usd"].sum() == pytest.approx(found.totals.cost_usd)
    assert legs["time_h"].sum() == pytest.approx(found.totals.time_h)
    assert found.nodes[0] == f"n{s}" and found.nodes[-1] == f"n{t}"


@SETTINGS
@given(networks(), st.data())
def test_alternatives_equal_networkx_simple_paths(case, data):
    network, dwell, links = case
    n = len(dwell)
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    oracle = _oracle(dwell, links)
    if not nx.has_path(oracle, s, t):
        return
    k = 4
    expected = [
        nx.path_weight(oracle, p, "weight") - VOT / 100 * VALUE * dwell[t] / 24
        for p in itertools.islice(nx.shortest_simple_paths(oracle, s, t, weight="weight"), k)
    ]
    found = alternatives(network, f"n{s}", f"n{t}", k=k, params=PARAMS)
    assert [r.totals.generalized_cost_usd for r in found] == pytest.approx(expected, abs=1e-6)
    assert len({tuple(r.nodes) for r in found}) == len(found)
    for r in found:
        assert len(set(r.nodes)) == len(r.nodes)  # loopless


@SETTINGS
@given(networks(), st.data())
def test_avoided_countries_are_never_touched(case, data):
    network, dwell, links = case
    n = len(dwell)
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    avoid = data.draw(st.sampled_from(["AA", "BB", "CC"]))
    try:
        found = route(network, f"n{s}", f"n{t}", avoid=[avoid], params=PARAMS)
    except NoRouteError as error:
        assert "No route" in str(error)
        return
    assert avoid not in found.countries
    oracle = _oracle(dwell, links, avoid=(avoid,))
    countries = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))
    oracle.remove_nodes_from([int(k[1:]) for k, c in countries.items() if c == avoid])
    expected = nx.shortest_path_length(oracle, s, t, weight="weight")
    assert found.totals.generalized_cost_usd == pytest.approx(
        expected - VOT / 100 * VALUE * dwell[t] / 24
    )


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_pareto_front_matches_brute_force(case, data):
    network, dwell, links = case
    n = len(dwell)
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    graph = _oracle(dwell, links)
    if not nx.has_path(graph, s, t):
        return
    km = {}
    for a, b, d, _ in links:
        km[(a, b)] = km[(b, a)] = d
    vectors = set()
    for path in nx.all_simple_paths(graph, s, t):
        legs = list(itertools.pairwise(path))
        cost = sum(TARIFF * km[e] for e in legs)
        time = sum(km[e] / SPEED for e in legs) + sum(dwell[v] for v in path[1:-1])
        vectors.add((round(cost, 6), round(time, 6)))
    front = {
        v for v in vectors if not any(o[0] <= v[0] and o[1] <= v[1] and o != v for o in vectors)
    }
    result = pareto(network, f"n{s}", f"n{t}", params=PARAMS)
    got = {(round(r.totals.cost_usd, 6), round(r.totals.time_h, 6)) for r in result.front}
    assert got == front
    assert all(not math.isnan(r.totals.co2_kg) for r in result.front)
