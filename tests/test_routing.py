"""Routing on the tiny fixture, solved by hand.

Tiny network (see tests/fixtures/tiny): Inland (KZ) -400 km rail- East Port (KZ) -450 km ferry,
21 h- West Port (AZ) -380 km rail- West City (AZ); a planned 900 km rail link Inland-West City
opens in 2030. Rail: 40 km/h, 0.5 USD/TEU-km, 20 g CO2e/t-km; ferry: 1.0 USD/TEU-km,
30 g CO2e/t-km; 10 t per TEU, 50,000 USD per TEU. Transfers: 48 h at East Port, 24 h at West
Port, 5 USD/t or 50 USD/TEU each. AZ border: 12 h.
"""

from __future__ import annotations

import pytest
from helpers import TINY, set_cell

from corridor import CostParams, NameNotFoundError, NoRouteError, alternatives, pareto, route
from corridor.datasets import read_network
from corridor.errors import CorridorError


@pytest.fixture(scope="module")
def tiny():
    network, report = read_network(TINY)
    assert report.ok
    return network


def test_todays_route_is_rail_ferry_rail(tiny):
    r = route(tiny, "inland", "city_west", "container")
    assert r.nodes == ["inland", "port_east", "port_west", "city_west"]
    assert [leg.kind for leg in r.legs] == ["link", "transfer", "link", "transfer", "link"]
    # hours: 400/40 + 48 + 21 + 24 + 380/40
    assert r.totals.time_h == pytest.approx(10 + 48 + 21 + 24 + 9.5)
    # USD per TEU: 0.5*400 + 50 + 1.0*450 + 50 + 0.5*380
    assert r.totals.cost_usd == pytest.approx(200 + 50 + 450 + 50 + 190)
    # kg CO2e per TEU: (20*400 + 30*450 + 20*380) * 10 t / 1000
    assert r.totals.co2_kg == pytest.approx(80 + 135 + 76)
    assert r.totals.distance_km == pytest.approx(1230)
    assert r.corridor == "middle"
    assert r.unit == "teu"
    ferry = r.legs[2]
    assert (ferry.mode, ferry.running_h, ferry.distance_km) == ("caspian_ferry", 21, 450)
    assert "t-ferry" in ferry.sources


def test_generalized_cost_adds_value_of_time(tiny):
    params = CostParams(value_of_time_pct_per_day=1.0, co2_price_usd_per_t=100)
    r = route(tiny, "inland", "city_west", "container", params=params)
    t = r.totals
    assert t.time_value_usd == pytest.approx(0.01 * 50_000 * 112.5 / 24)
    assert t.carbon_cost_usd == pytest.approx(100 * 291 / 1000)
    assert t.generalized_cost_usd == pytest.approx(940 + t.time_value_usd + t.carbon_cost_usd)


def test_planned_link_counts_from_its_opening_year(tiny):
    before = route(tiny, "inland", "city_west", "container", year=2029)
    assert before.nodes[1] == "port_east"
    after = route(tiny, "inland", "city_west", "container", year=2030)
    assert after.nodes == ["inland", "city_west"]
    # 900 km at 40 km/h + 12 h entering AZ (no border node with its own dwell)
    assert after.totals.time_h == pytest.approx(22.5 + 12)
    assert after.legs[0].border_h == 12
    assert after.corridor == "zangezur"


def slow_land_link(folder):
    """The new link at 5 km/h: cheaper than the ferry route (450 vs 940 USD), slower."""
    link = "inland__city_west__rail_1520"
    set_cell(folder, "links", link, "speed_kmh", "5")
    set_cell(folder, "links", link, "speed_kmh_ref", "t-est")
    network, report = read_network(folder)
    assert report.ok, report.format_text()
    return network


def test_objectives_choose_differently_when_criteria_conflict(tiny_copy):
    network = slow_land_link(tiny_copy)
    r_cost = route(network, "inland", "city_west", year=2030, objective="cost")
    r_time = route(network, "inland", "city_west", year=2030, objective="time")
    assert r_cost.nodes == ["inland", "city_west"]
    assert r_cost.totals.time_h == pytest.approx(900 / 5 + 12)
    assert r_time.nodes == ["inland", "port_east", "port_west", "city_west"]
    # equal on CO2? no: 180 kg by land vs 291 by ferry route; by co2 the land link wins
    assert route(network, "inland", "city_west", year=2030, objective="co2").nodes == [
        "inland",
        "city_west",
    ]


def test_pareto_keeps_both_sides_of_a_trade_off(tiny_copy):
    network = slow_land_link(tiny_copy)
    result = pareto(network, "inland", "city_west", year=2030)
    assert sorted(r.corridor for r in result.front) == ["middle", "zangezur"]
    assert result.dominated == ()


def test_grain_is_counted_per_tonne(tiny):
    r = route(tiny, "inland", "city_west", "grain")
    assert r.unit == "t"
    # rail 0.03 USD/t-km, ferry 0.05 USD/t-km, transfers 5 USD/t
    assert r.totals.cost_usd == pytest.approx(0.03 * 400 + 5 + 0.05 * 450 + 5 + 0.03 * 380)


def test_names_are_forgiving(tiny):
    r = route(tiny, "INLAND", "west city", "containers")
    assert (r.origin, r.destination, r.commodity) == ("inland", "city_west", "container")
    assert route(tiny, "East Harbour", "West Port").origin == "port_east"


def test_wrong_name_gets_did_you_mean(tiny):
    with pytest.raises(NameNotFoundError, match="Did you mean 'West City'"):
        route(tiny, "inland", "West Citty")


def test_avoiding_a_country_that_cuts_the_network_names_it(tiny):
    with pytest.raises(NoRouteError, match="avoiding country AZ cuts the last connection"):
        route(tiny, "inland", "city_west", avoid=["Azerbaijan"], year=2030)


def test_only_planned_links_connect_says_so(tiny, tiny_copy):
    with pytest.raises(NoRouteError, match="planned links connect them from 2030"):
        route(tiny, "inland", "city_west", avoid=["caspian_ferry"])
    ferry = "port_east__port_west__caspian_ferry"
    set_cell(tiny_copy, "links", ferry, "status", "planned")
    set_cell(tiny_copy, "links", ferry, "opening_year", "2031")
    set_cell(tiny_copy, "links", ferry, "opening_year_ref", "t-est")
    network, report = read_network(tiny_copy)
    assert report.ok, report.format_text()
    with pytest.raises(NoRouteError, match="today: only planned links connect them from 2030"):
        route(network, "inland", "city_west")
    with pytest.raises(NoRouteError, match="2029: only planned links connect them from 2030"):
        route(network, "inland", "city_west", year=2029)


def test_avoid_mode_and_via(tiny):
    r = route(tiny, "inland", "city_west", year=2030, avoid=["caspian_ferry"])
    assert r.modes == ["rail_1520"]
    via = route(tiny, "inland", "city_west", year=2030, via=["West Port"])
    assert via.nodes == ["inland", "port_east", "port_west", "city_west"]


def test_via_keeps_the_transfer_at_the_via_node(tiny):
    direct = route(tiny, "inland", "city_west")
    via = route(tiny, "inland", "city_west", via=["East Port"])
    assert via.totals.time_h == pytest.approx(direct.totals.time_h)
    assert [leg.kind for leg in via.legs] == [leg.kind for leg in direct.legs]


def test_alternatives_are_ordered_and_distinct(tiny):
    routes = alternatives(tiny, "inland", "city_west", k=5, year=2030)
    assert len(routes) == 2
    costs = [r.totals.generalized_cost_usd for r in routes]
    assert costs == sorted(costs)
    assert {r.corridor for r in routes} == {"middle", "zangezur"}


def test_pareto_front_on_conflicting_criteria(tiny):
    result = pareto(tiny, "inland", "city_west", year=2030)
    # The 900 km land link is better on cost, time and CO2: it dominates the ferry route.
    assert [r.corridor for r in result.front] == ["zangezur"]
    assert [(loser.corridor, winner.corridor) for loser, winner in result.dominated] == [
        ("middle", "zangezur")
    ]


def test_same_origin_and_destination_is_a_clear_error(tiny):
    with pytest.raises(CorridorError, match="same node"):
        route(tiny, "inland", "Inland")


def test_bad_objective_and_k(tiny):
    with pytest.raises(CorridorError, match="Unknown objective"):
        route(tiny, "inland", "city_west", objective="fastest")  # type: ignore[arg-type]
    with pytest.raises(CorridorError, match="k must be at least 1"):
        alternatives(tiny, "inland", "city_west", k=0)


def test_results_do_not_touch_the_network(tiny):
    before = tiny.content_hash()
    route(tiny, "inland", "city_west", year=2030, via=["West Port"])
    alternatives(tiny, "inland", "city_west", k=3, year=2030)
    pareto(tiny, "inland", "city_west", year=2030)
    assert tiny.content_hash() == before
