"""The named view of an assignment that the API and the web page show."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from corridor import services


@pytest.fixture(scope="module")
def view() -> tuple[object, dict[str, object]]:
    network = services.network_of("eurasia")
    demand = services.bundled_demand(network, "eurasia", "middle-2030")
    assignment = services.assign_on(network, demand)
    return assignment, services.assignment_view(network, assignment)


def test_binding_capacity_is_named_placed_and_cited(view: tuple[object, dict]) -> None:
    assignment, result = view
    binding = result["bottlenecks"]
    expected = assignment.bottlenecks(10)  # type: ignore[attr-defined]
    assert [b["item_id"] for b in binding] == list(expected["item_id"])
    alat = binding[0]
    assert alat["name"] == "Port of Baku (Alat)"
    assert (alat["lon"], alat["lat"]) == (49.42, 39.94)
    assert alat["source"] == "a-alat-phase1"
    assert alat["binding"] is True
    assert alat["shadow_price_usd_per_unit"] == pytest.approx(
        float(expected["shadow_price_usd_per_unit"].iloc[0])
    )


def test_capacities_are_those_used_with_names_not_ids(view: tuple[object, dict]) -> None:
    assignment, result = view
    resources: pd.DataFrame = assignment.resources  # type: ignore[attr-defined]
    assert len(result["capacities"]) == int((resources["used_per_year"] > 1e-9).sum())
    for c in result["capacities"]:
        assert "__" not in c["name"], c
        assert c["used_per_year"] > 0


def test_served_plus_unmet_is_demand_and_od_names_are_given(view: tuple[object, dict]) -> None:
    _, result = view
    for row in result["unmet"]:
        assert row["served_per_year"] + row["unmet_per_year"] == pytest.approx(
            row["demand_per_year"]
        )
        assert row["origin_name"] and row["destination_name"]
    shares = result["route_shares"]
    assert {r["origin_name"] for r in shares} <= {r["origin_name"] for r in result["unmet"]}


def test_a_link_without_a_capacity_figure_has_no_utilisation(view: tuple[object, dict]) -> None:
    _, result = view
    features = result["link_flows"]["features"]
    without = [
        f["properties"]
        for f in features
        if f["properties"]["capacity_t_per_year"] is None
        and f["properties"]["capacity_teu_per_year"] is None
    ]
    assert without, "the middle-2030 flows use links without a capacity figure"
    assert all(p["utilisation"] is None for p in without)
    for f in features:
        p = f["properties"]
        assert p["from_name"] and p["to_name"] and "__" not in p["name"]
        assert p["utilisation"] is None or not math.isnan(p["utilisation"])


def test_short_name_drops_the_detail_in_brackets() -> None:
    assert (
        services.short_name("Xi'an (International Trade and Logistics Park / dry port)") == "Xi'an"
    )
    assert services.short_name("Baku") == "Baku"
