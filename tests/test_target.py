"""The freight a trade target implies and where it jams (``corridor outlook --assign``)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from helpers import examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor import services
from corridor.datasets import load
from corridor.demand import read_demand
from corridor.economics.target import flow_values, implied_demand
from corridor.errors import CorridorError
from corridor.model.network import Network


@pytest.fixture(scope="module")
def net() -> Network:
    return load("eurasia")


@pytest.fixture(scope="module")
def today(net: Network) -> pd.DataFrame:
    return read_demand("kz-tr-2023", net).table


def _by_direction(net: Network, table: pd.DataFrame) -> dict[str, float]:
    usd, direction = flow_values(net, table)
    return {str(k): float(v) for k, v in usd.groupby(direction).sum().items()}


@settings(max_examples=examples(40), deadline=None)
@given(
    target=st.floats(min_value=6.5e9, max_value=1e11), mix=st.sampled_from(["today", "balanced"])
)
def test_the_implied_set_is_worth_the_target(target: float, mix: str) -> None:
    net = load("eurasia")
    table = read_demand("kz-tr-2023", net).table
    implied = implied_demand(net, table, target, mix)
    assert implied.value_usd == pytest.approx(target, rel=1e-9)
    assert sum(_by_direction(net, implied.table).values()) == pytest.approx(target, rel=1e-9)
    assert (implied.table["flow_per_year"] > 0).all()


def test_mixes_scale_as_stated(net: Network, today: pd.DataFrame) -> None:
    before = _by_direction(net, today)
    # today: one factor for every flow
    same = implied_demand(net, today, 15e9, "today").table
    ratio = same["flow_per_year"] / today["flow_per_year"]
    assert ratio.min() == pytest.approx(ratio.max())
    assert ratio.iloc[0] == pytest.approx(15e9 / sum(before.values()))
    # balanced: each direction half of the target
    halves = _by_direction(net, implied_demand(net, today, 15e9, "balanced").table)
    assert halves == pytest.approx({"KZ>TR": 7.5e9, "TR>KZ": 7.5e9})
    # non_oil: crude keeps today's tonnes
    non_oil = implied_demand(net, today, 15e9, "non_oil").table
    crude = today["commodity"] == "crude_oil"
    assert (
        non_oil.loc[crude, "flow_per_year"].tolist() == today.loc[crude, "flow_per_year"].tolist()
    )
    assert (
        non_oil.loc[~crude, "flow_per_year"] > ratio.iloc[0] * today.loc[~crude, "flow_per_year"]
    ).all()


@pytest.mark.parametrize(
    ("value", "mix", "message"),
    [(15e9, "cheap", "unknown mix"), (math.nan, "today", "positive and finite"),
     (-1.0, "today", "positive"), (1e9, "non_oil", "crude alone")],
)  # fmt: skip
def test_bad_targets_and_mixes_are_refused(
    net: Network, today: pd.DataFrame, value: float, mix: str, message: str
) -> None:
    with pytest.raises(CorridorError, match=message):
        implied_demand(net, today, value, mix)


def test_a_target_below_today_is_refused() -> None:
    with pytest.raises(CorridorError, match="must exceed today's trade"):
        services.target_assignment(target_usd=5e9, scenarios=(), steps=1)


def test_bilateral_freight_alone_fits_but_with_the_other_traffic_cpc_binds() -> None:
    alone = services.target_assignment(scenarios=(), steps=1, background=()).loads[0]
    assert alone.served_share == pytest.approx(1.0)
    assert alone.binding == []
    shared = services.target_assignment(scenarios=(), steps=1)
    load = shared.loads[0]
    assert load.served_share == pytest.approx(1.0)
    cpc = [b for b in load.binding if b["item_id"] == "atyrau__cpc_terminal__pipeline"]
    # Today's traffic fits (CPC Kazakh section 72.5 Mt/yr); the target's crude does not.
    assert cpc and cpc[0]["binds_from_trade_usd"] == pytest.approx(15e9)
    assert cpc[0]["binds_from_year"] == shared.level_years[-1]
    assert load.co2_bilateral_t is not None and load.co2_bilateral_t > 0
    assert sum(load.corridors_t.values()) == pytest.approx(
        float(shared.implied.table["flow_per_year"].sum()), rel=1e-6
    )


@pytest.mark.slow
def test_cli_assign_answers_in_json_and_refuses_an_unknown_mix() -> None:
    done = run_cli("outlook", "--assign", "--steps", "1", "--n", "50", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)["target_assignment"]
    assert answer["target_usd"] == 15e9 and answer["mix"] == "today"
    names = [n["network"] for n in answer["networks"]]
    assert names == [
        "today",
        "zangezur-open",
        "aktau-hub-expansion",
        "alat-phase2",
        "world-bank-2030",
    ]
    for n in answer["networks"]:
        assert n["served_share"] == pytest.approx(1.0)
        assert n["freight_bill_usd_per_year"] > 0
    bad = run_cli("outlook", "--assign", "--mix", "cheap")
    assert bad.returncode != 0
    assert "unknown mix" in bad.stderr and "Traceback" not in bad.stderr
