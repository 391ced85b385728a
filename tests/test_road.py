"""Road links, border crossings and Caspian ro-ro ferries of the bundled network."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from helpers import run_cli

from corridor.datasets import load
from corridor.model.network import Network
from corridor.validation import run_validation

#: Modes a truck-only route may not use (everything but road and the ro-ro ferries).
NOT_TRUCK = "sea,rail_1520,rail_1435,caspian_ferry,caspian_ship,lake_ferry,pipeline"


@pytest.fixture(scope="module")
def net() -> Network:
    return load("eurasia")


def _route(*args: str) -> dict[str, object]:
    done = run_cli("route", "--from", "Istanbul", "--to", "Almaty", *args, "--json")
    assert done.returncode == 0, done.stderr
    routes = json.loads(done.stdout)["routes"]
    assert isinstance(routes, list)
    first = routes[0]
    assert isinstance(first, dict)
    return first


def test_road_links_have_a_distance_source_and_border_nodes_a_dwell(net: Network) -> None:
    road = net.links[net.links["mode"] == "road"]
    assert len(road) >= 60
    assert road["distance_km_ref"].notna().all()
    kinds = net.sources.set_index("source_id")["kind"]
    assert set(kinds[road["distance_km_ref"]]) <= {"computed", "published", "estimate"}
    nodes = net.nodes.set_index("node_id")
    ends = set(road["from_node"]) | set(road["to_node"])
    borders = [n for n in ends if nodes.loc[n, "kind"] == "border_crossing"]
    assert len(borders) >= 10
    for node in borders:
        assert not pd.isna(nodes.loc[node, "dwell_h"]), node
        assert not pd.isna(nodes.loc[node, "dwell_h_ref"]), node
    # A road link joining two countries has a border node at one end, so its crossing time is
    # the node's dwell and never the rail border time of the country entered.
    country, kind = nodes["country"].to_dict(), nodes["kind"].to_dict()
    for link, a, b in zip(road["link_id"], road["from_node"], road["to_node"], strict=True):
        if country[a] != country[b]:
            assert "border_crossing" in (kind[a], kind[b]), link


def test_roro_fares_differ_by_direction_as_published(net: Network) -> None:
    links = net.links.set_index("link_id")
    east = links.loc["baku_alat__kuryk_port__caspian_roro"]
    west = links.loc["kuryk_port__baku_alat__caspian_roro"]
    assert bool(east["directed"]) and bool(west["directed"])
    # ASCO: 73 and 54.5 USD per metre of a 16.5 m truck carrying 20 t.
    assert east["tariff_usd_per_t"] == pytest.approx(73 * 16.5 / 20, abs=0.05)
    assert west["tariff_usd_per_t"] == pytest.approx(54.5 * 16.5 / 20, abs=0.05)


def test_bulk_grain_and_crude_never_go_by_truck(net: Network) -> None:
    allowed = net.commodities.set_index("commodity_id")["allowed_modes"]
    for bulk in ("grain", "crude_oil"):
        assert "road" not in allowed[bulk].split("|")
        assert "caspian_roro" not in allowed[bulk].split("|")
    done = run_cli(
        "route", "--from", "Istanbul", "--to", "Almaty", "--cargo", "grain", "--avoid", NOT_TRUCK
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_truck_route_costs_the_road_rate_times_its_length(net: Network) -> None:
    route = _route("--cargo", "general_cargo", "--avoid", NOT_TRUCK)
    legs = route["legs"]
    assert isinstance(legs, list)
    assert {leg["mode"] for leg in legs} == {"road"}
    rate = float(net.modes.set_index("mode")["tariff_usd_per_tkm"].to_dict()["road"])
    km = sum(leg["distance_km"] for leg in legs)
    assert sum(leg["cost_usd"] for leg in legs) == pytest.approx(rate * km)
    # Every border on the way is crossed at a border node and costs its dwell, not a rail
    # border time.
    kinds = net.nodes.set_index("node_id")["kind"]
    crossings = [leg for leg in legs if kinds[leg["to_node"]] == "border_crossing"]
    assert len(crossings) >= 3
    assert all(leg["dwell_h"] == pytest.approx(9.9) for leg in crossings)
    assert sum(leg["border_h"] for leg in legs) == 0


def test_truck_and_roro_route_crosses_the_caspian_with_its_fare() -> None:
    route = _route("--cargo", "general_cargo", "--avoid", NOT_TRUCK, "--via", "Kuryk")
    legs = route["legs"]
    assert isinstance(legs, list)
    ferry = [leg for leg in legs if leg["mode"] == "caspian_roro"]
    assert [(leg["from_node"], leg["to_node"]) for leg in ferry] == [("baku_alat", "kuryk_port")]
    assert ferry[0]["cost_usd"] == pytest.approx(60.2)
    onto = [leg for leg in legs if leg["mode"] in ("road>caspian_roro", "caspian_roro>road")]
    assert len(onto) == 2
    assert all(leg["time_h"] > 0 for leg in onto)


def test_istanbul_almaty_compares_truck_roro_and_rail() -> None:
    truck = _route("--cargo", "container", "--avoid", NOT_TRUCK + ",caspian_roro")
    roro = _route("--cargo", "container", "--avoid", NOT_TRUCK + ",RU,IR", "--via", "Alat")
    rail = _route("--cargo", "container", "--avoid", "road,caspian_roro")
    modes = [set(r["modes"]) for r in (truck, roro, rail)]  # type: ignore[call-overload]
    assert modes[0] == {"road"}
    assert modes[1] == {"road", "caspian_roro"}
    assert "road" not in modes[2] and modes[2] & {"rail_1520", "rail_1435"}
    for r in (truck, roro, rail):
        totals = r["totals"]
        assert isinstance(totals, dict)
        for key in ("distance_km", "time_h", "cost_usd", "co2_kg"):
            assert math.isfinite(totals[key]) and totals[key] > 0, key


def test_truck_observations_are_answered_by_truck_routes() -> None:
    truck_rows = {
        "tt-truck-khorgos-istanbul-2024",
        "pr-roro-alat-turkmenbashi-2023",
        "st-roro-alat-turkmenbashi-2023",
        "pr-truck-turkiye-central-asia-iran-2015",
    }
    rows = []
    for kind in ("transit_time", "segment_time", "price"):
        result = run_validation("eurasia", kind=kind)
        rows += [r for r in result.rows if r.observation_id in truck_rows]
    assert {r.observation_id for r in rows} == truck_rows
    for row in rows:
        assert row.status == "modelled", (row.observation_id, row.reason)
        modes = {leg["mode"] for leg in row.legs}
        assert modes <= {"road", "caspian_roro", "road>caspian_roro", "caspian_roro>road"}, modes
