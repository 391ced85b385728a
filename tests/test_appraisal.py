"""Investment appraisal: hand-computed NPV/IRR/payback cases, properties and the model benefit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import TINY, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.datasets import load, read_network
from corridor.economics.appraisal import (
    Rate,
    appraise,
    appraise_scenario,
    benefit_cost_ratio,
    breakeven_rate,
    cash_flows,
    irr,
    irr_with_reason,
    model_benefit,
    npv,
    payback_years,
    ramp_profile,
    rate_ladder,
    rate_sweep,
)
from corridor.errors import CorridorError
from corridor.model.network import Network
from corridor.routing.params import CostParams


def test_npv_matches_the_textbook_formula():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    by_hand = -1000 + 300 / 1.08 + 400 / 1.08**2 + 500 / 1.08**3
    assert npv(0.08, flows) == pytest.approx(by_hand)
    assert by_hand == pytest.approx(17.6294, abs=1e-4)
    assert npv(0.0, flows) == pytest.approx(200.0)


def test_irr_of_a_two_year_project_solves_the_quadratic():
    # -100 + 60x + 60x^2 = 0 with x = 1/(1+r)  ->  x = (-1 + sqrt(1 + 20/3)) / 2
    x = (-1 + math.sqrt(1 + 20 / 3)) / 2
    assert irr([-100, 60, 60]) == pytest.approx(1 / x - 1, abs=1e-10)
    # a one-period project: invest 100, get 110 -> 10 %
    assert irr([-100, 110]) == pytest.approx(0.10, abs=1e-12)
    # an annuity: 1000 now, 5 x 263.797 -> 10 % (annuity factor 3.790787)
    assert irr([-1000] + [1000 / 3.790787] * 5) == pytest.approx(0.10, abs=1e-6)


def test_irr_without_a_sign_change_is_none_with_a_reason():
    value, reason = irr_with_reason([100, 50, 20])
    assert value is None
    assert "never change sign" in reason
    assert irr([-100, -5]) is None
    assert irr([0, 0, 0]) is None


def test_irr_of_a_non_conventional_flow_says_so():
    # -100, +230, -132 has IRRs at 10 % and 20 %
    value, reason = irr_with_reason([-100, 230, -132])
    assert value == pytest.approx(0.10, abs=1e-9)
    assert "several IRRs" in reason


def test_payback_simple_and_discounted():
    flows = [-100, 30, 30, 30, 30, 30]
    assert payback_years(flows) == 4  # cumulative -100 -70 -40 -10 +20
    # discounted at 10 %: PV of 30s = 27.27 24.79 22.54 20.49 18.63 -> cumulative +13.7 in year 5
    assert payback_years(flows, rate=0.10) == 5
    assert payback_years([-100, 30, 30]) is None
    assert payback_years([10, 5]) == 0


def test_ramp_up_and_build_years_place_the_flows():
    cf = cash_flows(300.0, 90.0, years=5, build_years=3, ramp_up_years=3, opex_usd_per_year=10.0)
    assert cf.capex_usd.tolist() == [100, 100, 100, 0, 0, 0, 0, 0]
    assert cf.benefit_usd.tolist() == pytest.approx([0, 0, 0, 30, 60, 90, 90, 90])
    assert cf.opex_usd.tolist() == [0, 0, 0, 10, 10, 10, 10, 10]
    assert ramp_profile(4, 1).tolist() == [1, 1, 1, 1]
    spread = cash_flows([50.0, 150.0], 40.0, years=2, residual_value_usd=25.0)
    assert spread.net_usd.tolist() == [-50, -150, 40, 65]


def test_benefit_cost_ratio_by_hand():
    cf = cash_flows(100.0, 60.0, years=2, opex_usd_per_year=10.0)
    pv_b = 60 / 1.1 + 60 / 1.21
    pv_c = 100 + 10 / 1.1 + 10 / 1.21
    assert benefit_cost_ratio(0.10, cf) == pytest.approx(pv_b / pv_c)
    result = appraise(cf, 0.10)
    assert result.npv_usd == pytest.approx(pv_b - pv_c)
    assert result.pv_benefits_usd - result.pv_costs_usd == pytest.approx(result.npv_usd)


def test_appraisal_dict_has_unit_keys_and_calendar_years():
    cf = cash_flows(100.0, 60.0, years=3, start_year=2026)
    data = appraise(cf, 0.08, rates=[4, 46]).to_dict()
    for key in ("npv_usd", "irr_pct", "benefit_cost_ratio", "payback_year", "rate_pct"):
        assert key in data
    assert data["payback_year"] == 2028  # t = 2
    assert [row["rate_pct"] for row in data["sweep"]] == [4, 46]
    assert data["cash_flows"][0]["year"] == 2026


def test_sweep_pays_exactly_below_the_breakeven_rate():
    cf = cash_flows(1000.0, 150.0, years=25, ramp_up_years=3)
    root = breakeven_rate(cf)
    assert root is not None
    ladder = [Rate(1.0), Rate(root * 100 - 0.01), Rate(root * 100 + 0.01), Rate(46.0)]
    sweep = rate_sweep(cf, ladder)
    assert sweep["pays"].tolist() == [True, True, False, False]
    assert np.all(np.diff(sweep["npv_usd"]) < 0)
    assert npv(root, cf.net_usd) == pytest.approx(0, abs=1e-6)


def test_bad_inputs_are_reported_together():
    with pytest.raises(CorridorError) as info:
        cash_flows(-5.0, math.nan, years=0)
    message = str(info.value)
    assert "years must be at least 1" in message
    assert "capex_usd must be a non-negative number" in message
    assert "benefit_usd_per_year" in message
    with pytest.raises(CorridorError, match="above -100 %"):
        npv(-1.5, [1, 2])


@settings(max_examples=examples(200), deadline=None)
@given(
    capex=st.floats(1, 1e9),
    benefits=st.lists(st.floats(0, 1e9), min_size=1, max_size=40),
    r1=st.floats(-0.5, 2.0),
    r2=st.floats(-0.5, 2.0),
)
def test_npv_decreases_with_the_rate_for_a_conventional_project(capex, benefits, r1, r2):
    flows = [-capex, *benefits]
    lo, hi = sorted((r1, r2))
    assert npv(hi, flows) <= npv(lo, flows) + 1e-9 * capex


@settings(max_examples=examples(200), deadline=None)
@given(
    capex=st.floats(1, 1e6),
    # benefits from 1/1000 to 50 times the capex keep the IRR inside the searched bracket
    ratios=st.lists(st.floats(1e-3, 50), min_size=1, max_size=30),
)
def test_irr_zeroes_the_npv(capex, ratios):
    flows = [-capex, *(capex * r for r in ratios)]
    root = irr(flows)
    assert root is not None
    assert abs(npv(root, flows)) <= 1e-6 * max(abs(f) for f in flows)
    # below the IRR the project pays, above it does not
    step = min(0.01, (1 + root) / 2)
    assert npv(root - step, flows) > 0 > npv(root + step, flows)


def test_irr_outside_the_bracket_is_none_with_a_reason():
    value, reason = irr_with_reason([-1, 1000])  # 99,900 % per year
    assert value is None
    assert "does not change sign" in reason


@pytest.fixture(scope="module")
def tiny() -> Network:
    network, report = read_network(TINY)
    assert report.ok
    return network


def _demand(teu: float) -> pd.DataFrame:
    return pd.DataFrame(
        [{"origin": "Inland", "destination": "West City", "commodity": "container",
          "flow_per_year": teu}]
    )  # fmt: skip


def _with_land_link_open(network: Network) -> Network:
    links = network.links.copy()
    links.loc[links["link_id"] == "inland__city_west__rail_1520", "status"] = "open"
    tables = dict(network.tables)
    tables["links"] = links
    return Network.from_tables(tables, network.meta)


def test_model_benefit_is_the_fall_in_generalized_cost_plus_co2(tiny):
    before = tiny.content_hash()
    project = _with_land_link_open(tiny)
    benefit = model_benefit(tiny, project, _demand(100_000), co2_price_usd_per_t=100)
    # base: ferry route at 940 USD/TEU; project: the land link at 450 USD/TEU (tiny has no
    # value of time), 100,000 TEU
    assert benefit.cost_saving_usd_per_year == pytest.approx((940 - 450) * 100_000)
    # CO2 at 10 t/TEU: base 780 km rail x 20 g + 450 km ferry x 30 g per t-km = 29.1 kg/t;
    # project 900 km rail x 20 g = 18 kg/t; 1 Mt -> 11,100 t saved at 100 USD/t
    assert benefit.co2_base_t_per_year == pytest.approx(29_100)
    assert benefit.co2_project_t_per_year == pytest.approx(18_000)
    assert benefit.co2_saving_usd_per_year == pytest.approx(1_110_000)
    assert tiny.content_hash() == before


def test_appraise_scenario_discounts_the_model_benefit(tiny):
    project = _with_land_link_open(tiny)
    result = appraise_scenario(
        tiny, project, _demand(100_000), capex_usd=200e6, rate=0.08, years=10,
        ramp_up_years=2, rates=[4, 8, 46],
    )  # fmt: skip
    annual = 49e6
    by_hand = -200e6 + sum(annual * min(k / 2, 1) / 1.08**k for k in range(1, 11))
    assert result.npv_usd == pytest.approx(by_hand)
    assert result.inputs["benefit"]["benefit_usd_per_year"] == pytest.approx(annual)
    assert result.sweep is not None
    assert result.sweep.set_index("rate_pct")["pays"].to_dict() == {4: True, 8: True, 46: False}


def test_same_network_at_a_later_year_is_a_project(tiny):
    benefit = model_benefit(tiny, tiny, _demand(100_000), project_year=2030)
    assert benefit.cost_saving_usd_per_year == pytest.approx(49e6)


def test_co2_is_not_counted_twice(tiny):
    with pytest.raises(CorridorError, match="counted twice"):
        model_benefit(
            tiny, tiny, _demand(1), co2_price_usd_per_t=50,
            params=CostParams(co2_price_usd_per_t=50),
        )  # fmt: skip


def test_a_project_that_raises_cost_has_no_benefit(tiny):
    project = _with_land_link_open(tiny)
    with pytest.raises(CorridorError, match="no benefit to appraise"):
        appraise_scenario(project, tiny, _demand(100_000), capex_usd=1.0)


def test_bundled_rate_ladder_runs_from_usd_to_lira_rates():
    ladder = rate_ladder(load())
    rates = [r.rate_pct for r in ladder]
    assert rates == sorted(rates)
    assert ladder[0].currency == "USD" and rates[0] < 5
    assert ladder[-1].currency == "TRY" and rates[-1] >= 40
    assert {"KZT", "TRY", "USD"} <= {r.currency for r in ladder}
    sources = set(load().sources["source_id"])
    assert all(r.source_id in sources for r in ladder)
