"""The Python API names a wrongly typed argument in a CorridorError, never an internal error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import corridor
from corridor.errors import CorridorError

NET = corridor.load()

BAD_CALLS: dict[str, tuple[Callable[[], Any], str]] = {
    "origin int": (lambda: corridor.route(NET, 123, "Istanbul"), "origin must be a name"),
    "destination None": (lambda: corridor.route(NET, "Xian", None), "destination must be"),
    "commodity list": (lambda: corridor.route(NET, "Xian", "Istanbul", ["grain"]), "commodity"),
    "avoid ints": (lambda: corridor.route(NET, "Xian", "Istanbul", avoid=[1]), "avoid must"),
    "avoid number": (lambda: corridor.route(NET, "Xian", "Istanbul", avoid=5), "avoid must"),
    "year fraction": (lambda: corridor.route(NET, "Xian", "Istanbul", year=2030.5), "year"),
    "year word": (lambda: corridor.route(NET, "Xian", "Istanbul", year="soon"), "year"),
    "params list": (lambda: corridor.route(NET, "Xian", "Istanbul", params=[1]), "params"),
    "params field": (
        lambda: corridor.route(NET, "Xian", "Istanbul", params={"co2_price_usd_per_t": "x"}),
        "params.co2_price_usd_per_t",
    ),
    "network None": (lambda: corridor.route(None, "Xian", "Istanbul"), "network must be"),
    "k text": (lambda: corridor.alternatives(NET, "Xian", "Istanbul", k="3"), "k must be"),
    "pareto commodity": (lambda: corridor.pareto(NET, "Xian", "Istanbul", 5), "commodity"),
    "read_demand int": (lambda: corridor.read_demand(5), "demand set must be given"),
    "load int": (lambda: corridor.load(5), "network must be given"),
    "apply_scenario int": (lambda: corridor.apply_scenario(5), "must be a Scenario"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_wrong_types_are_named(case: str) -> None:
    call, words = BAD_CALLS[case]
    with pytest.raises(CorridorError, match=words):
        call()


def test_conveniences_work_as_a_reader_expects() -> None:
    by_name = corridor.route("eurasia", "Xian", "Istanbul", avoid="RU,IR")
    by_list = corridor.route(NET, "Xian", "Istanbul", avoid=["RU", "IR"])
    assert by_name.nodes == by_list.nodes and "RU" not in by_name.countries
    as_dict = corridor.route(NET, "Xian", "Istanbul", params={"co2_price_usd_per_t": 100})
    assert as_dict.provenance["params"]["co2_price_usd_per_t"] == 100
    assert corridor.apply_scenario("zangezur-open").meta.name == "zangezur-open"
