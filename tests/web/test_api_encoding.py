"""The faster answer assembly says the same as the plain one.

Route answers are encoded with orjson and their GeoJSON is built from coordinate lists kept per
network; these tests hold them to the standard-library encoding and :meth:`Route.to_geojson`:
the same JSON values (for route answers, with the keys in the same order), NaN and infinities
as ``null``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from corridor import services
from corridor.routing.assemble import _lonlat
from corridor.routing.params import CostParams
from corridor.routing.result import Route
from corridor.web.api import deps, routing

PAIRS = [
    ("xian", "istanbul"),
    ("almaty", "baku"),
    ("urumqi", "duisburg"),
    ("aktau_port", "poti"),
    ("shanghai", "rotterdam"),
    ("moscow", "tehran"),
    ("astana", "hamburg"),
]


def _plain_encode(data: Any) -> str:
    """The encoding the API used before orjson: the standard library after ``json_safe``."""
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (ValueError, TypeError):
        safe = deps.json_safe(data)
        return json.dumps(safe, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _plain_route_out(route: Route, network: Any) -> dict[str, Any]:
    """A route answer as built before: ``to_dict`` and ``to_geojson`` with feature ids."""
    data = route.to_dict()
    collection = route.to_geojson(network)
    for feature in collection["features"]:
        feature.setdefault("id", feature["properties"]["item_id"])
    data["geojson"] = collection
    return data


@pytest.fixture(scope="module")
def routes() -> tuple[Any, list[Route]]:
    network = deps.bundled_network("eurasia")
    found: list[Route] = []
    for i, (origin, destination) in enumerate(PAIRS):
        params = CostParams(co2_price_usd_per_t=37.5 * i)
        found += services.routes_on(network, origin, destination, k=3, params=params)
    return network, found


def test_route_answers_say_the_same_as_before(routes: tuple[Any, list[Route]]) -> None:
    network, found = routes
    for route in found:
        plain = _plain_encode(_plain_route_out(route, network))
        fast = routing.encode(routing.route_out(route, network))
        # The same values with the keys in the same order (numbers may be spelled otherwise).
        assert json.loads(fast, object_pairs_hook=list) == json.loads(plain, object_pairs_hook=list)


def test_shared_coordinates_are_not_changed_by_answers(routes: tuple[Any, list[Route]]) -> None:
    network, found = routes
    first = routing.route_out(found[0], network)
    before = json.dumps(first["geojson"])
    for route in found:
        routing.encode(routing.route_out(route, network))
    assert json.dumps(routing.route_out(found[0], network)["geojson"]) == before


def test_route_coordinates_keep_the_nodes_table_order(routes: tuple[Any, list[Route]]) -> None:
    network, found = routes
    nodes = network.nodes
    for route in found:
        touched = {n for leg in route.legs for n in (leg.from_node, leg.to_node)}
        plain = {
            str(n): (float(x), float(y))
            for n, x, y in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True)
            if n in touched
        }
        fast = _lonlat(network, route.legs)
        assert list(fast.items()) == list(plain.items())


@pytest.mark.parametrize(
    "data",
    [
        {"a": float("nan"), "b": [1.0, float("inf"), -float("inf")], "c": (1, 2, (3,))},
        {"numpy": np.float64(2.5), "int": np.int64(3), "nan": np.float64("nan")},
        {"nested": {"x": [np.float32(0.5), None, True, "Türkiye — Kazakhstan"]}},
        {1: "an int key", "big": 10**30},
        {"tiny": 1e-7, "huge": 1e300, "negative_zero": -0.0, "sum": 0.1 + 0.2},
        {"empty": {}, "list": [], "text": 'quote " and \\ and \n and \u2028'},
    ],
)
def test_encoding_gives_the_same_json_values(data: dict[Any, Any]) -> None:
    fast = routing.encode(data)
    assert json.loads(fast) == json.loads(_plain_encode(data))
    assert "NaN" not in fast and "Infinity" not in fast


def test_nan_and_infinities_become_null() -> None:
    decoded = json.loads(routing.encode({"x": [math.nan, math.inf, -math.inf, 1.5]}))
    assert decoded == {"x": [None, None, None, 1.5]}
