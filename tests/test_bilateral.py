"""The Kazakhstan–Türkiye bilateral demand set and its commodity groups."""

from __future__ import annotations

import pytest

from corridor.datasets import load
from corridor.demand import read_demand
from corridor.model.network import Network


@pytest.fixture(scope="module")
def net() -> Network:
    return load("eurasia")


def _trade(net: Network, trade_id: str) -> float:
    trade = net.tables["trade"]
    return float(trade.set_index("trade_id")["value_usd_per_year"].to_dict()[trade_id])


def test_tonnes_times_value_per_tonne_give_the_published_trade_values(net: Network) -> None:
    table = read_demand("kz-tr-2023", net).table
    value = net.commodities.set_index("commodity_id")["value_usd_per_unit"].to_dict()
    countries = net.nodes.set_index("node_id")["country"].to_dict()
    usd = {"KZ": 0.0, "TR": 0.0}
    for origin, commodity, flow in zip(
        table["origin"], table["commodity"], table["flow_per_year"], strict=True
    ):
        usd[countries[origin]] += float(flow) * float(value[commodity])
    assert usd["KZ"] == pytest.approx(_trade(net, "kz-tr-2023-kz-export"), rel=0.005)
    assert usd["TR"] == pytest.approx(_trade(net, "tr-kz-2023-kz-export"), rel=0.005)


def test_every_flow_runs_between_the_two_countries(net: Network) -> None:
    table = read_demand("kz-tr-2023", net).table
    countries = net.nodes.set_index("node_id")["country"].to_dict()
    pairs = {
        (countries[o], countries[d])
        for o, d in zip(table["origin"], table["destination"], strict=True)
    }
    assert pairs == {("KZ", "TR"), ("TR", "KZ")}


def test_bulk_groups_never_go_by_road(net: Network) -> None:
    allowed = net.commodities.set_index("commodity_id")["allowed_modes"].to_dict()
    assert "road" not in str(allowed["coal"]).split("|")
    for group in ("tr_manufactures", "kz_metals_other"):
        assert {"road", "caspian_roro"} <= set(str(allowed[group]).split("|"))
