"""Shipment quotes: unit conversion by hand, totals equal per-unit figures times units, the
cargo value reaches the search, and bad quantities are refused with the field named."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import InvalidRequestError
from corridor.routing.shipment import shipment_of
from corridor.services.shipments import USER_VALUE_SOURCE, quote_shipment, with_cargo_value
from tests.helpers import examples, run_cli

NET = corridor.load()
BOX = {"commodity": "container", "commodity_unit": "teu", "t_per_unit": 10.8,
       "value_usd_per_unit": 43_700.0}  # fmt: skip


def test_units_converted_by_hand() -> None:
    feu = shipment_of(40, "feu", **BOX)
    assert (feu.units, feu.tonnes, feu.cargo_value_usd) == (80.0, 864.0, 80 * 43_700.0)
    tonnes = shipment_of(540, "t", **BOX)
    assert tonnes.units == pytest.approx(50.0)  # 540 t / 10.8 t per TEU
    valued = shipment_of(40, "feu", cargo_value_usd=2.5e6, **BOX)
    assert valued.value_usd_per_unit == pytest.approx(31_250.0) and valued.value_given
    grain = shipment_of(5000, None, commodity="grain", commodity_unit="t", t_per_unit=1.0,
                        value_usd_per_unit=265.7)  # fmt: skip
    assert (grain.units, grain.unit, grain.tonnes) == (5000.0, "t", 5000.0)


@pytest.mark.parametrize(
    ("quantity", "unit", "value", "field", "words"),
    [
        (0, "teu", None, "quantity", "positive finite"),
        (float("nan"), "teu", None, "quantity", "positive finite"),
        (float("inf"), "feu", None, "quantity", "positive finite"),
        (10, "box", None, "unit", "not one of teu, feu, t"),
        (10, "teu", -1.0, "cargo_value_usd", "positive finite"),
        (10, "teu", float("nan"), "cargo_value_usd", "positive finite"),
        (6e8, "feu", None, "quantity", "is 1.2e\\+09 teu, more than the 1e\\+09"),
        (1e300, "t", None, "quantity", "more than the 1e\\+09 one shipment may hold"),
    ],
)
def test_bad_shipments_name_the_field(
    quantity: float, unit: str, value: float | None, field: str, words: str
) -> None:
    with pytest.raises(InvalidRequestError, match=words) as caught:
        shipment_of(quantity, unit, cargo_value_usd=value, **BOX)
    assert caught.value.field == field


def test_tonnes_of_a_bulk_commodity_need_no_tonnes_per_unit() -> None:
    grain = shipment_of(5000, "t", commodity="grain", commodity_unit="t",
                        t_per_unit=float("nan"), value_usd_per_unit=265.7)  # fmt: skip
    assert (grain.units, grain.tonnes) == (5000.0, 5000.0)


def test_containers_of_a_bulk_commodity_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="grain is costed per t"):
        shipment_of(40, "feu", commodity="grain", commodity_unit="t", t_per_unit=1.0,
                    value_usd_per_unit=265.7)  # fmt: skip


@given(
    quantity=st.floats(min_value=0.01, max_value=1e6),
    unit=st.sampled_from(["teu", "feu", "t"]),
)
@settings(max_examples=examples(50), deadline=None)
def test_tonnes_and_units_agree(quantity: float, unit: str) -> None:
    s = shipment_of(quantity, unit, **BOX)
    assert s.tonnes == pytest.approx(s.units * 10.8)
    assert s.cargo_value_usd == pytest.approx(s.units * 43_700.0)
    expected_teu = {"teu": quantity, "feu": 2 * quantity, "t": quantity / 10.8}[unit]
    assert s.units == pytest.approx(expected_teu)


def test_quote_totals_are_the_route_times_the_units() -> None:
    quote = quote_shipment(NET, "Xian", "Istanbul", quantity=40, unit="feu", k=1, n=2000)
    assert quote.shipment.units == 80.0
    for quoted in quote.routes:
        per_unit = quoted.reliability.route.totals
        totals = quoted.totals()
        assert totals["cost_usd"] == pytest.approx(per_unit.cost_usd * 80)
        assert totals["co2_t"] == pytest.approx(per_unit.co2_kg * 80 / 1000)
        assert totals["expected_insurance_usd"] == pytest.approx(per_unit.risk_usd * 80)
        assert totals["p50_time_days"] <= totals["p90_time_days"]
    best = corridor.route(NET, "Xian", "Istanbul")
    assert best.nodes in [q.reliability.route.nodes for q in quote.routes]


def test_cargo_value_reaches_value_of_time_and_is_cited_as_user_input() -> None:
    cheap = quote_shipment(NET, "Xian", "Istanbul", quantity=1, cargo_value_usd=1_000.0, k=1,
                           n=500)  # fmt: skip
    dear = quote_shipment(NET, "Xian", "Istanbul", quantity=1, cargo_value_usd=1_000_000.0,
                          k=1, n=500)  # fmt: skip
    for quote, value in ((cheap, 1_000.0), (dear, 1_000_000.0)):
        route = quote.routes[0].reliability.route
        assert route.provenance["value_usd_per_unit"] == value
        assert route.provenance["source_kinds"].get("user") == 1
        # time value = 0.6 %/day of the cargo value (the container default) times days.
        assert route.totals.time_value_usd == pytest.approx(
            0.006 * value * route.totals.time_h / 24
        )
    # A valuable cargo pays for speed: its best route is no slower than the cheap cargo's.
    assert dear.routes[0].reliability.route.totals.time_h <= (
        cheap.routes[0].reliability.route.totals.time_h + 1e-9
    )


def test_with_cargo_value_leaves_the_network_alone() -> None:
    before = NET.content_hash()
    valued = with_cargo_value(NET, "container", 12_345.0)
    assert NET.content_hash() == before
    row = valued.commodities.set_index("commodity_id").loc["container"]
    assert row["value_usd_per_unit"] == 12_345.0
    assert row["value_usd_per_unit_ref"] == USER_VALUE_SOURCE
    from corridor.model.validate import validate

    assert validate(valued).ok


def test_cli_quote_json_and_table() -> None:
    result = run_cli("quote", "--from", "Xian", "--to", "Istanbul", "--quantity", "40",
                     "--unit", "feu", "--cargo-value", "2.5e6", "--n", "1000", "--k", "1",
                     "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["shipment"]["units_in_commodity_unit"] == 80.0
    assert data["shipment"]["cargo_value_usd"] == 2.5e6
    first = data["routes"][0]
    assert first["shipment_totals"]["cost_usd"] == pytest.approx(first["per_unit"]["cost_usd"] * 80)
    assert first["sources"] and "user" in first["provenance"]["source_kinds"]
    table = run_cli("quote", "--from", "Xian", "--to", "Istanbul", "-q", "40", "--unit", "feu",
                    "--n", "500", "--k", "1")  # fmt: skip
    assert table.returncode == 0 and "40 FEU of container (80 teu" in table.stdout
    bad = run_cli("quote", "--from", "Astana", "--to", "Istanbul", "--cargo", "grain",
                  "-q", "40", "--unit", "feu")  # fmt: skip
    assert bad.returncode == 2 and "grain is costed per t" in bad.stderr
    assert "Traceback" not in bad.stderr
