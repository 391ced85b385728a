"""Route GeoJSON drawn from the per-network line cache matches the links' own geometry."""

from __future__ import annotations

import copy
import gc
import math

from corridor import services
from corridor.io.geojson import link_geometries, network_lines
from corridor.model.network import Network


def test_route_features_follow_the_links_in_travel_order() -> None:
    network = services.valid_network("eurasia")
    expected = link_geometries(network)
    nodes = network_lines(network).nodes
    route = services.routes_on(network, "xian", "istanbul")[0]
    features = route.to_geojson(network)["features"]
    link_legs = [leg for leg in route.legs if leg.kind == "link"]
    assert [f["properties"]["item_id"] for f in features] == [leg.item_id for leg in link_legs]
    for feature, leg in zip(features, link_legs, strict=True):
        coords = feature["geometry"]["coordinates"]
        own = expected[leg.item_id]["coordinates"]
        assert coords in (own, own[::-1])
        start, end = nodes[leg.from_node], nodes[leg.to_node]
        assert math.dist(coords[0], start) <= math.dist(coords[-1], start)
        if start != end:
            assert math.dist(coords[-1], end) <= math.dist(coords[0], end)


def test_changing_an_answer_does_not_change_the_next_one() -> None:
    network = services.valid_network("eurasia")
    route = services.routes_on(network, "almaty", "baku")[0]
    first = route.to_geojson(network)
    kept = copy.deepcopy(first)
    for feature in first["features"]:
        feature["geometry"]["coordinates"][0][0] = 999.0
        feature["geometry"]["coordinates"].append([0.0, 0.0])
    assert route.to_geojson(network) == kept


def test_lines_are_kept_per_network_object_and_dropped_with_it() -> None:
    network = services.valid_network("eurasia")
    assert network_lines(network) is network_lines(network)
    other = Network.from_tables(dict(network.tables), network.meta)
    lines = network_lines(other)
    assert lines is not network_lines(network) and lines == network_lines(network)
    from corridor.io import geojson

    before = len(geojson._LINES)
    del other, lines
    gc.collect()
    assert len(geojson._LINES) == before - 1
