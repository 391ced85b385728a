"""Tariffs by railway section and cargo (``tariffs.csv``), on the tiny fixture, solved by hand.

Tiny network: Inland (KZ) -400 km rail- East Port (KZ) -450 km ferry- West Port (AZ)
-380 km rail- West City (AZ). Mode rates: rail 0.03 USD/t-km and 0.5 USD/TEU-km; ferry 0.05
USD/t-km and 1.0 USD/TEU-km; transfers 5 USD/t or 50 USD/TEU each.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import set_cell, write_rows

from corridor import route
from corridor.datasets import read_network

HEADER = [
    "tariff_id",
    "mode",
    "countries",
    "commodities",
    "tariff_usd_per_tkm",
    "tariff_usd_per_tkm_ref",
    "tariff_usd_per_teu_km",
    "tariff_usd_per_teu_km_ref",
    "notes",
]


def _row(tid: str, countries: str, commodities: str, per_t: str, per_teu: str) -> dict[str, str]:
    return {
        "tariff_id": tid,
        "mode": "rail_1520",
        "countries": countries,
        "commodities": commodities,
        "tariff_usd_per_tkm": per_t,
        "tariff_usd_per_tkm_ref": "t-est" if per_t else "",
        "tariff_usd_per_teu_km": per_teu,
        "tariff_usd_per_teu_km_ref": "t-est" if per_teu else "",
        "notes": "",
    }


def _network(folder: Path, rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    write_rows(folder / "tariffs.csv", rows, HEADER)
    network, report = read_network(folder)
    assert report.ok, report.format_text()
    return network


def test_a_section_rate_for_one_cargo_applies_only_inside_its_section(tiny_copy: Path) -> None:
    network = _network(tiny_copy, [_row("kz-grain", "KZ", "grain", "0.006", "")])
    grain = route(network, "inland", "city_west", "grain")
    # KZ rail at the section's grain rate, AZ rail at the mode's rate:
    # 0.006*400 + 5 + 0.05*450 + 5 + 0.03*380
    assert grain.totals.cost_usd == pytest.approx(2.4 + 5 + 22.5 + 5 + 11.4)
    assert "t-est" in grain.legs[0].sources
    # containers are not grain: the mode's per-TEU rate everywhere
    box = route(network, "inland", "city_west", "container")
    assert box.totals.cost_usd == pytest.approx(200 + 50 + 450 + 50 + 190)


def test_the_most_specific_row_wins_and_a_link_tariff_wins_over_all(tiny_copy: Path) -> None:
    rows = [
        _row("any-any", "", "", "0.02", "0.4"),
        _row("az-grain", "AZ", "grain", "0.01", ""),
    ]
    network = _network(tiny_copy, rows)
    grain = route(network, "inland", "city_west", "grain")
    # KZ rail: any-country row 0.02; AZ rail: the AZ grain row 0.01
    assert grain.totals.cost_usd == pytest.approx(0.02 * 400 + 5 + 22.5 + 5 + 0.01 * 380)
    box = route(network, "inland", "city_west", "container")
    assert box.totals.cost_usd == pytest.approx(0.4 * 400 + 50 + 450 + 50 + 0.4 * 380)
    set_cell(tiny_copy, "links", "port_west__city_west__rail_1520", "tariff_usd_per_t", "7")
    set_cell(tiny_copy, "links", "port_west__city_west__rail_1520", "tariff_usd_per_t_ref", "t-est")
    network = _network(tiny_copy, rows)
    grain = route(network, "inland", "city_west", "grain")
    assert grain.totals.cost_usd == pytest.approx(0.02 * 400 + 5 + 22.5 + 5 + 7)


def test_a_link_crossing_a_border_needs_every_country_in_the_row(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "links", "inland__port_east__rail_1520", "countries", "KZ|AZ")
    network = _network(tiny_copy, [_row("kz-grain", "KZ", "grain", "0.006", "")])
    grain = route(network, "inland", "city_west", "grain")
    assert grain.totals.cost_usd == pytest.approx(0.03 * 400 + 5 + 22.5 + 5 + 0.03 * 380)


def test_a_tariff_row_with_an_unknown_mode_or_no_source_is_refused(tiny_copy: Path) -> None:
    bad = _row("bad", "KZ", "grain", "0.006", "")
    bad["mode"] = "hovercraft"
    bad["tariff_usd_per_tkm_ref"] = ""
    write_rows(tiny_copy / "tariffs.csv", [bad], HEADER)
    _, report = read_network(tiny_copy)
    text = report.format_text()
    assert not report.ok
    assert "tariffs.csv" in text and "hovercraft" in text and "tariff_usd_per_tkm" in text
