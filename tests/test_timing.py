"""When to build: discount factors along a rate path, NPV by start year, value of waiting."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.economics.finance import CashFlows, cash_flows, npv
from corridor.economics.timing import RatePath, compare_starts, npv_started
from corridor.errors import CorridorError
from tests.helpers import examples, run_cli


def test_factors_multiply_the_rates_of_the_years_between() -> None:
    path = RatePath.parse("2026:20,2028:8")
    factors = path.factors(2026, [2026, 2027, 2028, 2029, 2025])
    expected = [1, 1 / 1.2, 1 / 1.2**2, 1 / (1.2**2 * 1.08), 1.2]
    assert factors == pytest.approx(expected)


@given(
    rate=st.floats(min_value=-0.5, max_value=0.6),
    delay=st.integers(min_value=0, max_value=15),
    flows=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=20),
)
@settings(max_examples=examples(100), deadline=None)
def test_a_constant_path_is_the_plain_npv_shifted(
    rate: float, delay: int, flows: list[float]
) -> None:
    zeros = np.zeros(len(flows))
    cf = CashFlows(zeros, zeros, np.asarray(flows, dtype=float), zeros)
    path = RatePath.constant(rate, 2026)
    shifted = npv_started(cf, 2026 + delay, path, 2026)
    assert shifted == pytest.approx(npv(rate, flows) / (1 + rate) ** delay, rel=1e-9, abs=1e-6)


def test_with_a_constant_rate_a_paying_project_is_best_built_now() -> None:
    cf = cash_flows(2e9, 3e8, years=25)
    timing = compare_starts(cf, [2026, 2028, 2030], RatePath.constant(0.08, 2026), 2026)
    assert timing.best_start_year == 2026 and timing.value_of_waiting_usd == 0.0
    assert timing.npv_by_start[2028] == pytest.approx(timing.npv_by_start[2026] / 1.08**2)


def test_falling_rates_make_waiting_worth_something() -> None:
    cf = cash_flows(2e9, 3e8, years=25)
    path = RatePath.parse("2026:20,2028:8")
    timing = compare_starts(cf, [2026, 2027, 2028, 2029], path, 2026)
    assert timing.best_start_year == 2028
    waited = timing.npv_by_start[2028] - timing.npv_by_start[2026]
    assert timing.value_of_waiting_usd == pytest.approx(waited) and waited > 0


@pytest.mark.parametrize(
    ("text", "words"),
    [("2026", "not YEAR:RATE_PCT"), ("2026:x", "not YEAR:RATE_PCT"), ("2026:-100", "above -100"),
     ("2026:nan", "finite"), ("2026:5,2026:6", "given twice"), ("99:5", "between 1900")],
)  # fmt: skip
def test_bad_rate_paths_are_refused(text: str, words: str) -> None:
    with pytest.raises(CorridorError, match=words):
        RatePath.parse(text)


def test_cli_timing_and_the_start_year_now_changes_the_npv() -> None:
    args = ["appraise", "--benefit-usd", "3e8", "--capex", "2e9", "--rates", "none", "--json"]
    now = json.loads(run_cli(*args, "--start-year", "2026", "--valuation-year", "2026").stdout)
    later = json.loads(run_cli(*args, "--start-year", "2030", "--valuation-year", "2026").stdout)
    (a,), (b,) = now["timing"]["npv_by_start_year"], later["timing"]["npv_by_start_year"]
    assert b["npv_usd"] == pytest.approx(a["npv_usd"] / 1.08**4)
    table = run_cli("appraise", "--benefit-usd", "3e8", "--capex", "2e9", "--rates", "none",
                    "--rate-path", "2026:20,2028:8", "--start-years", "2026,2028,2030")  # fmt: skip
    assert table.returncode == 0, table.stderr
    assert "Starting in 2028 instead of 2026 adds" in table.stdout
    bad = run_cli("appraise", "--benefit-usd", "3e8", "--capex", "2e9", "--start-years", "20x6")
    assert bad.returncode == 2 and "is not a year" in bad.stderr


def test_a_negative_irr_is_called_negative() -> None:
    out = run_cli("appraise", "--benefit-usd", "1e7", "--capex", "2e9", "--rates", "4,8")
    assert out.returncode == 0, out.stderr
    assert "The IRR is negative" in out.stdout and "pays at discount rates below" not in out.stdout
    data = json.loads(
        run_cli("appraise", "--benefit-usd", "1e7", "--capex", "2e9", "--json").stdout
    )
    assert data["irr_pct"] < 0 and math.isfinite(data["irr_pct"])
