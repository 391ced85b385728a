"""Assignment on the tiny network, solved by hand (see tests/test_routing.py for its figures)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import TINY

from corridor.assign.model import assign
from corridor.datasets import read_network
from corridor.errors import CorridorError


@pytest.fixture(scope="module")
def tiny():
    network, report = read_network(TINY)
    assert report.ok
    return network


def demand(teu: float, commodity: str = "container") -> pd.DataFrame:
    return pd.DataFrame(
        [{"origin": "Inland", "destination": "West City", "commodity": commodity,
          "flow_per_year": teu}]
    )  # fmt: skip


def test_uncongested_demand_takes_the_best_route(tiny):
    result = assign(tiny, demand(100_000), method="min_cost")
    flows = result.link_flows.set_index("link_id")["flow_units_per_year"]
    assert flows["port_east__port_west__caspian_ferry"] == pytest.approx(100_000)
    # 940 USD/TEU money + value of time (tiny has none) -> 940 per TEU
    assert result.totals["generalized_cost_usd_per_year"] == pytest.approx(940 * 100_000)
    assert result.totals["unmet_units_per_year"] == pytest.approx(0)
    assert not result.resources["binding"].any()


def test_ferry_capacity_binds_and_the_rest_is_unmet_today(tiny):
    # ferry link: 4.5 Mt/yr = 450,000 TEU at 10 t/TEU; demand 500,000 TEU
    result = assign(tiny, demand(500_000), method="min_cost")
    assert result.totals["unmet_units_per_year"] == pytest.approx(50_000)
    top = result.bottlenecks(1).iloc[0]
    assert (top["kind"], top["item_id"], top["unit"]) == (
        "link",
        "port_east__port_west__caspian_ferry",
        "t",
    )
    assert top["utilisation"] == pytest.approx(1.0)
    # one more tonne of ferry capacity serves 0.1 TEU more: saves (penalty - 940) / 10
    penalty = result.provenance["unmet_penalty_usd_per_unit"]
    assert top["shadow_price_usd_per_unit"] == pytest.approx((penalty - 940) / 10)


def test_new_link_relieves_the_ferry_in_2030(tiny):
    result = assign(tiny, demand(500_000), year=2030, method="min_cost")
    assert result.totals["unmet_units_per_year"] == pytest.approx(0)
    flows = result.link_flows.set_index("link_id")["flow_units_per_year"]
    # the 2030 land link is cheaper (450 USD/TEU + 12 h border), so everything moves to it
    assert flows["inland__city_west__rail_1520"] == pytest.approx(500_000)


def test_network_is_unchanged_and_provenance_is_recorded(tiny):
    before = tiny.content_hash()
    result = assign(tiny, demand(10), method="min_cost")
    assert tiny.content_hash() == before
    assert result.provenance["content_hash"] == before
    assert result.provenance["solver"] == "HiGHS"
    assert result.provenance["status"] == "optimal"


def test_bad_demand_is_a_clear_error(tiny):
    with pytest.raises(CorridorError, match="missing column"):
        assign(tiny, pd.DataFrame([{"origin": "Inland"}]))
    with pytest.raises(CorridorError, match="flow_per_year must be a non-negative number"):
        assign(tiny, demand("lots"))  # type: ignore[arg-type]
    with pytest.raises(CorridorError, match="Did you mean"):
        assign(tiny, pd.DataFrame([{"origin": "Inlandd", "destination": "West City",
                                     "commodity": "container", "flow_per_year": 1}]))  # fmt: skip
