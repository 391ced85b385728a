"""Trade outlook: the bundled history, CAGR arithmetic, the gravity link and target years."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from corridor.datasets import load
from corridor.economics.outlook import (
    DEFAULT_SCENARIOS,
    CorridorChange,
    GrowthScenario,
    cagr,
    fan_chart,
    first_year_reaching,
    project,
    scenario_by_id,
    trade_history,
    trade_multiplier,
    volatility,
)
from corridor.errors import CorridorError


@pytest.fixture(scope="module")
def network():
    return load()


@pytest.fixture(scope="module")
def history(network):
    return trade_history(network)


def test_history_reproduces_the_bundled_kazakh_series(network, history):
    expected = {2010: 1.851, 2011: 3.303, 2012: 4.015, 2013: 3.496, 2015: 2.0, 2018: 1.9,
                2020: 3.1, 2021: 4.1, 2022: 6.3, 2023: 6.0, 2024: 5.0}  # fmt: skip
    got = dict(zip(history["year"], history["value_usd"] / 1e9, strict=True))
    assert got == pytest.approx(expected)
    sources = set(network.sources["source_id"])
    assert set(history["source_id"]) <= sources


def test_partner_statistics_are_kept_apart(network):
    turkish = trade_history(network, reporter="TR")
    assert turkish["year"].tolist() == [2010, 2017, 2021]
    # the two sides report different turnovers for the same year (mirror statistics)
    kz = trade_history(network).set_index("year")["value_usd"]
    assert turkish.set_index("year")["value_usd"][2021] > kz[2021]


def test_exports_and_imports_add_up_to_the_turnover(network):
    trade = network.tables["trade"]
    kz = trade[trade["reporter"] == "KZ"]
    for year in (2010, 2011, 2013, 2022, 2023):
        rows = kz[kz["year"] == year].set_index(["flow", "exporter"])["value_usd_per_year"]
        total = rows[("turnover", "KZ")]
        assert rows[("export", "KZ")] + rows[("export", "TR")] == pytest.approx(total, rel=0.02)


def test_scenario_growth_is_the_cagr_arithmetic(history):
    rates = {s.scenario_id: s.growth(history, 15e9) for s in DEFAULT_SCENARIOS}
    assert rates["historical"] == pytest.approx((5.0 / 1.851) ** (1 / 14) - 1)
    assert rates["recent"] == pytest.approx((5.0 / 3.1) ** (1 / 4) - 1)
    assert rates["slow"] == pytest.approx((5.0 / 4.015) ** (1 / 12) - 1)
    assert rates["target_2030"] == pytest.approx(3 ** (1 / 6) - 1)
    assert cagr(100, 121, 2) == pytest.approx(0.10)


def test_central_paths_reach_the_target_when_the_arithmetic_says(history):
    outlook = project(history, n=200, seed=1)
    central = {s.scenario.scenario_id: s.central_year for s in outlook.scenarios}
    # 5 bn * (1 + g)^k >= 15 bn  <=>  k >= ln 3 / ln(1 + g)
    g = (5.0 / 1.851) ** (1 / 14) - 1
    assert central["historical"] == 2024 + math.ceil(math.log(3) / math.log1p(g))
    assert central["target_2030"] == 2030
    assert central["slow"] is None  # ~60 years at 1.85 %/yr: not by 2060


def test_target_year_logic_on_a_hand_made_path():
    years = np.arange(2025, 2030)
    assert first_year_reaching(years, np.array([1, 5, 15, 14, 20.0]), 15) == 2027
    assert first_year_reaching(years, np.array([1, 2, 3, 4, 5.0]), 15) is None
    assert first_year_reaching(years, np.array([16, 1, 1, 1, 1.0]), 15) == 2025


def test_volatility_allows_for_gaps():
    steady = pd.DataFrame({"year": [2000, 2001, 2003, 2006],
                           "value_usd": [100.0, 110.0, 133.1, 177.156]})  # fmt: skip
    assert volatility(steady) == pytest.approx(0.0, abs=1e-6)
    noisy = pd.DataFrame({"year": [2000, 2001, 2002], "value_usd": [100.0, 150.0, 100.0]})
    assert volatility(noisy) > 0.3


def test_cheaper_corridor_raises_trade_and_dearer_lowers_it():
    cheaper = CorridorChange(1000.0, 600.0, 20_000.0, 2030)
    dearer = CorridorChange(1000.0, 1400.0, 20_000.0, 2030)
    assert trade_multiplier(cheaper, 4.0) == pytest.approx((1.03 / 1.05) ** -4)
    assert trade_multiplier(cheaper, 4.0) > 1 > trade_multiplier(dearer, 4.0)
    assert trade_multiplier(cheaper, 5.0) > trade_multiplier(cheaper, 3.0)
    assert trade_multiplier(cheaper, 0.0) == pytest.approx(1.0)
    half = CorridorChange(1000.0, 600.0, 20_000.0, 2030, affected_share=0.5)
    assert trade_multiplier(half, 4.0) - 1 == pytest.approx(
        (trade_multiplier(cheaper, 4.0) - 1) / 2
    )


def test_a_corridor_change_lifts_the_path_from_its_start_year(history):
    change = CorridorChange(5000.0, 2000.0, 43_700.0, 2030)
    base = project(history, [DEFAULT_SCENARIOS[0]], n=2000, seed=3)
    lifted = project(history, [DEFAULT_SCENARIOS[0]], change=change, n=2000, seed=3)
    b, up = base.scenarios[0], lifted.scenarios[0]
    before = base.years < 2030
    assert np.allclose(b.central_usd[before], up.central_usd[before])
    m = trade_multiplier(change, 4.0)
    assert np.allclose(up.central_usd[~before], b.central_usd[~before] * m)
    assert up.central_year <= b.central_year


def test_monte_carlo_is_seeded_and_ordered(history):
    a = project(history, n=500, seed=7)
    b = project(history, n=500, seed=7)
    for x, y in zip(a.scenarios, b.scenarios, strict=True):
        assert np.array_equal(x.p50_usd, y.p50_usd)
        assert np.all(x.p10_usd <= x.p50_usd) and np.all(x.p50_usd <= x.p90_usd)
        years = [v for v in (x.year_p10, x.year_p50, x.year_p90) if v is not None]
        assert years == sorted(years)
    data = a.to_dict()
    assert data["scenarios"][0]["path"][0]["year"] == 2025
    assert {"target_usd", "history", "scenarios"} <= set(data)


def test_bad_inputs_are_clear_errors(history, network):
    with pytest.raises(CorridorError, match="unknown outlook scenario"):
        scenario_by_id("boom", DEFAULT_SCENARIOS)
    with pytest.raises(CorridorError, match="no trade figure for 2014"):
        GrowthScenario("x", "x", "cagr", from_year=2014).growth(history, 15e9)
    with pytest.raises(CorridorError, match="at least two"):
        trade_history(network, reporter="CN")
    with pytest.raises(CorridorError, match="cargo_value_usd"):
        CorridorChange(1.0, 1.0, 0.0, 2030)
    with pytest.raises(CorridorError, match="horizon_year"):
        project(history, horizon_year=2020)


def test_fan_chart_is_written(history, tmp_path):
    out = fan_chart(project(history, n=100), tmp_path / "fan.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
