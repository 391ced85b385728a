"""The logit assignment against closed forms, the LP's limit and properties of its equilibrium."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from helpers import TINY, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.assign.choice import Graph, choice_sets, path_size
from corridor.assign.logit import PathSet, solve_logit
from corridor.assign.model import assign
from corridor.datasets import read_network
from corridor.errors import InfeasibleError

INF = math.inf


def parallel(costs: list[float], demand: float, theta: float, unmet_cost: float = 1e6) -> PathSet:
    """One OD over parallel paths; row r counts path r."""
    n = len(costs)
    return PathSet(
        od=np.zeros(n, dtype=np.int64),
        cost=np.array(costs, dtype=float),
        log_ps=np.zeros(n),
        rows=sp.identity(n, format="csr"),
        demand=np.array([demand]),
        theta=np.array([theta]),
        unmet_cost=np.array([unmet_cost]),
    )


def test_two_parallel_routes_split_as_the_closed_form():
    paths = parallel([10.0, 12.0], 100.0, 0.5)
    sol = solve_logit(paths, np.full(2, -INF), np.full(2, INF))
    share = 1.0 / (1.0 + math.exp(-0.5 * (12.0 - 10.0)))  # binary logit
    assert sol.path_flow[0] == pytest.approx(100.0 * share, rel=1e-12)
    assert sol.path_flow[1] == pytest.approx(100.0 * (1 - share), rel=1e-12)
    assert sol.relative_gap == 0.0 and sol.converged


def test_a_negligible_unmet_share_is_reported_as_none():
    # Unmet at 1e6 USD against routes at 10: its logit share is about exp(-0.5e6), never zero.
    sol = solve_logit(parallel([10.0, 12.0], 100.0, 0.5), np.full(2, -INF), np.full(2, INF))
    assert sol.unmet[0] == 0.0
    # Unmet at 20 against 10 and 12: a share a reader must see, e^-5 of the routes' weight.
    near = solve_logit(parallel([10.0, 12.0], 100.0, 0.5, 20.0), np.full(2, -INF), np.full(2, INF))
    weights = [math.exp(-5.0), math.exp(-6.0), math.exp(-10.0)]
    assert near.unmet[0] == pytest.approx(100.0 * weights[2] / sum(weights), rel=1e-12)


@pytest.mark.parametrize("capacity", [20.0, 50.0, 60.0])
def test_a_binding_capacity_is_respected_and_its_penalty_is_the_closed_form(capacity):
    theta, demand = 0.5, 100.0
    paths = parallel([10.0, 12.0], demand, theta)
    sol = solve_logit(paths, np.full(2, -INF), np.array([capacity, INF]))
    # At equilibrium route 1 carries K: K/D = 1 / (1 + exp(-theta (c2 - c1 - lambda))).
    penalty = (12.0 - 10.0) + math.log((demand - capacity) / capacity) / theta
    assert sol.path_flow[0] == pytest.approx(capacity, rel=1e-6)
    assert sol.price[0] == pytest.approx(penalty, rel=1e-5)
    assert sol.price[1] == 0.0
    assert sol.converged and sol.relative_gap <= 1e-4


def test_a_slack_capacity_has_no_penalty():
    paths = parallel([10.0, 12.0], 100.0, 0.5)
    sol = solve_logit(paths, np.full(2, -INF), np.array([90.0, INF]))  # 73.1 < 90
    assert sol.price[0] == 0.0
    assert sol.path_flow[0] == pytest.approx(100 / (1 + math.exp(-1.0)))


def test_a_minimum_contract_pulls_flow_at_the_closed_form_bonus():
    theta, demand, minimum = 0.5, 100.0, 40.0  # route 2 would carry 26.9 unconstrained
    paths = parallel([10.0, 12.0], demand, theta)
    sol = solve_logit(paths, np.array([-INF, minimum]), np.full(2, INF))
    assert sol.path_flow[1] == pytest.approx(minimum, rel=1e-6)
    # route 2's cost falls by the bonus b: m/D = 1 / (1 + exp(-theta (c1 - c2 + b)))
    bonus = (12.0 - 10.0) - math.log((demand - minimum) / minimum) / theta
    assert -sol.price[1] == pytest.approx(bonus, rel=1e-5)


def overlap_graph(delta: float) -> Graph:
    """Origin 0, destination 3: route A 0->3 (cost 1); B1 and B2 share 0->1 (1 - delta)."""
    tails = np.array([0, 0, 1, 1, 2])
    heads = np.array([3, 1, 2, 3, 3])
    cost = np.array([1.0, 1.0 - delta, delta / 2, delta, delta / 2])
    return Graph(n_vertices=4, tails=tails, heads=heads, cost=cost)


@pytest.mark.parametrize("delta", [0.05, 0.2, 0.5])
def test_path_size_removes_the_overlap_bias(delta):
    graph = overlap_graph(delta)
    [found] = choice_sets(graph, 0, np.array([3]), k=3)
    assert sorted(tuple(p.tolist()) for p in found) == [(0,), (1, 2, 4), (1, 3)]
    ps = path_size(found, graph.cost)
    # closed form: PS_A = 1 and PS_B = (1 - delta) / 2 + delta = (1 + delta) / 2
    by_path = {tuple(p.tolist()): f for p, f in zip(found, ps, strict=True)}
    assert by_path[(0,)] == pytest.approx(1.0)
    assert by_path[(1, 3)] == pytest.approx((1 + delta) / 2)
    costs = [float(graph.cost[p].sum()) for p in found]
    assert costs == pytest.approx([1.0, 1.0, 1.0])
    paths = PathSet(
        od=np.zeros(3, dtype=np.int64), cost=np.array(costs), log_ps=np.log(ps),
        rows=sp.csr_matrix((3, 0)), demand=np.array([1.0]), theta=np.array([2.0]),
        unmet_cost=np.array([1e6]),
    )  # fmt: skip
    sol = solve_logit(paths, np.zeros(0), np.zeros(0))
    share_a = sol.path_flow[[tuple(p.tolist()) for p in found].index((0,))]
    # Equal costs: P_A = 1 / (1 + 2 PS_B) = 1 / (2 + delta), tending to 1/2 (not plain
    # logit's 1/3) as the two B routes become one.
    assert share_a == pytest.approx(1.0 / (2.0 + delta), rel=1e-12)
    assert share_a - 1 / 3 == pytest.approx((1 - delta) / (3 * (2 + delta)))


@pytest.fixture(scope="module")
def tiny():
    network, report = read_network(TINY)
    assert report.ok
    return network


def demand(teu: float) -> pd.DataFrame:
    return pd.DataFrame(
        [{"origin": "Inland", "destination": "West City", "commodity": "container",
          "flow_per_year": teu}]
    )  # fmt: skip


@pytest.mark.parametrize(("teu", "year"), [(100_000, 2030), (400_000, 2030)])
def test_logit_flows_tend_to_the_lp_as_dispersion_grows(tiny, teu, year):
    lp = assign(tiny, demand(teu), year=year, method="min_cost")
    target = lp.link_flows.set_index("link_id")["flow_units_per_year"]
    gaps = []
    for dispersion in (2.0, 10.0, 50.0, 250.0):
        logit = assign(tiny, demand(teu), year=year, dispersion=dispersion)
        assert logit.method == "logit"
        flows = logit.link_flows.set_index("link_id")["flow_units_per_year"]
        both = target.index.union(flows.index)
        diff = (flows.reindex(both, fill_value=0) - target.reindex(both, fill_value=0)).abs()
        gaps.append(float(diff.sum()) / teu)
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[0] > 0.01 and gaps[-1] < 1e-4


def test_a_maximum_contract_holds_and_reports_its_shadow_price(tiny):
    contracts = pd.DataFrame(
        [{"contract_id": "ferry-quota", "commodity": "container", "measure": "link",
          "measure_ids": "port_east__port_west__caspian_ferry", "max_t_per_year": 200_000.0}]
    )  # fmt: skip
    result = assign(tiny, demand(400_000), year=2030, contracts=contracts, dispersion=2.0)
    row = result.contracts.set_index("contract_id").loc["ferry-quota"]
    free = assign(tiny, demand(400_000), year=2030, dispersion=2.0)
    ferry = free.link_flows.set_index("link_id").loc["port_east__port_west__caspian_ferry"]
    assert ferry["flow_t_per_year"] > 300_000  # the contract binds
    assert row["used_t_per_year"] == pytest.approx(200_000, rel=1e-4)
    assert row["shadow_price_usd_per_t"] > 0


def test_infeasible_contracts_are_named_all_at_once(tiny):
    contracts = pd.DataFrame(
        [
            {"contract_id": "too-much", "commodity": "container", "measure": "link",
             "measure_ids": "port_east__port_west__caspian_ferry", "min_t_per_year": 9e9},
            {"contract_id": "upside-down", "commodity": "container", "measure": "link",
             "measure_ids": "inland__city_west__rail_1520", "min_t_per_year": 2e6,
             "max_t_per_year": 1e6},
        ]
    )  # fmt: skip
    with pytest.raises(InfeasibleError) as info:
        assign(tiny, demand(100_000), year=2030, contracts=contracts)
    message = str(info.value)
    assert "too-much" in message and "upside-down" in message


@settings(max_examples=examples(60), deadline=None)
@given(
    costs=st.lists(st.floats(1.0, 100.0), min_size=2, max_size=5),
    demand_=st.floats(1.0, 1e6),
    dispersion=st.floats(0.5, 50.0),
    cap_share=st.lists(st.floats(0.05, 1.5), min_size=5, max_size=5),
)
def test_equilibrium_conserves_demand_and_respects_capacities(
    costs, demand_, dispersion, cap_share
):
    n = len(costs)
    theta = dispersion / min(costs)
    paths = parallel(costs, demand_, theta, unmet_cost=10 * max(costs))  # as assign() does
    capacity = np.array(cap_share[:n]) * demand_
    sol = solve_logit(paths, np.full(n, -INF), capacity)
    assert sol.path_flow.sum() + sol.unmet.sum() == pytest.approx(demand_, rel=1e-9)
    assert np.all(sol.path_flow >= 0)
    assert np.all(sol.path_flow <= capacity * (1 + 1e-3) + 1e-6 * demand_)
    assert np.all(sol.price >= 0)
    assert sol.converged, sol.relative_gap
    # Complementary slackness: a priced capacity is full.
    priced = sol.price > 1e-6 * max(costs)
    assert np.allclose(sol.path_flow[priced], capacity[priced], rtol=1e-3)


def test_data_check_names_bad_class_shares_and_upside_down_contracts(tmp_path):
    import shutil

    from corridor.datasets import read_network

    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    (folder / "shipper_classes.csv").write_text(
        "class_id,commodity,share_ratio,share_ref\n"
        "fast,container,0.7,est-test\nslow,container,0.6,est-test\n",
        encoding="utf-8",
    )
    (folder / "contracts.csv").write_text(
        "contract_id,commodity,measure,measure_ids,min_t_per_year,min_t_per_year_ref,"
        "max_t_per_year,max_t_per_year_ref\n"
        "quota,container,link,port_east__port_west__caspian_ferry,5,est-test,1,est-test\n",
        encoding="utf-8",
    )
    with (folder / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("est-test,estimate,Test figures,,,,,test values,\n")
    _, report = read_network(folder)
    messages = [p.format() for p in report.errors]
    assert any("shipper_classes.csv" in m and "add up to 1.3" in m for m in messages), messages
    assert any("contracts.csv" in m and "quota" in m and "exceeds" in m for m in messages)


@pytest.mark.dask  # starts a local Dask cluster
def test_criticality_on_dask_ranks_as_one_after_another(monkeypatch):
    from corridor.services import flows, rank_criticality

    serial = rank_criticality("eurasia", "middle-2030", top=4, method="min_cost", workers=1)[2]
    monkeypatch.setattr(flows, "DASK_FROM", 1)
    parallel_ = rank_criticality("eurasia", "middle-2030", top=4, method="min_cost", workers=2)[2]
    pd.testing.assert_frame_equal(serial.ranking, parallel_.ranking)


@settings(max_examples=examples(20), deadline=None)
@given(
    teu=st.floats(1.0, 2_000_000.0),
    year=st.sampled_from([None, 2030]),
    dispersion=st.floats(1.0, 100.0),
)
def test_assignment_serves_or_reports_all_demand_within_capacities(tiny, teu, year, dispersion):
    result = assign(tiny, demand(teu), year=year, dispersion=dispersion)
    served = float(result.route_shares["flow_per_year"].sum())
    unmet = float(result.unmet["unmet_per_year"].sum())
    assert served + unmet == pytest.approx(teu, rel=1e-9)
    res = result.resources
    assert (res["used_per_year"] <= res["capacity_per_year"] * (1 + 1e-3) + 1e-6).all()
    assert result.convergence["converged"], result.convergence
