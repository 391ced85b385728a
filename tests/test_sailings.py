"""Waiting for a sailing (``sailings.csv``), on the tiny fixture, solved by hand.

Tiny network: Inland (KZ) -400 km rail at 40 km/h- East Port (KZ) -ferry, 21 h- West Port
(AZ) -380 km rail at 40 km/h- West City (AZ). Transfers rail<->ferry: 48 h at East Port,
24 h at West Port, both ways. The AZ border time is charged over land only, so not here.

Without sailings, either way: 10 + 48 + 21 + 24 + 9.5 = 112.5 h. A headway of 30 h adds
15 h (half of it) to the transfer that boards the ferry at the listed port, and nothing to
the transfer that leaves the ferry there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_rows

from corridor import route
from corridor.datasets import read_network

HEADER = ["sailing_id", "node_id", "mode", "headway_h", "headway_h_ref", "notes"]
BASE_H = 10 + 48 + 21 + 24 + 9.5


def _network(folder: Path, rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    write_rows(folder / "sailings.csv", rows, HEADER)
    network, report = read_network(folder)
    assert not report.errors, report.format_text()
    return network, report


def _row(node: str, headway: str, mode: str = "caspian_ferry") -> dict[str, str]:
    return {
        "sailing_id": f"{node}-{mode}",
        "node_id": node,
        "mode": mode,
        "headway_h": headway,
        "headway_h_ref": "t-ferry",
        "notes": "",
    }


def test_without_sailings_the_times_are_the_transfer_times(tiny_copy: Path) -> None:
    network, _ = _network(tiny_copy, [])
    assert route(network, "inland", "city_west", "grain").totals.time_h == pytest.approx(BASE_H)
    assert route(network, "city_west", "inland", "grain").totals.time_h == pytest.approx(BASE_H)


def test_cargo_boarding_at_a_listed_port_waits_half_the_headway(tiny_copy: Path) -> None:
    network, _ = _network(tiny_copy, [_row("port_east", "30")])
    west = route(network, "inland", "city_west", "grain")
    assert west.totals.time_h == pytest.approx(BASE_H + 15)
    boarding = next(leg for leg in west.legs if leg.item_id.startswith("port_east__"))
    assert boarding.time_h == pytest.approx(48 + 15)
    assert "t-ferry" in boarding.sources
    # eastbound cargo leaves the ferry at East Port: no wait there
    east = route(network, "city_west", "inland", "grain")
    assert east.totals.time_h == pytest.approx(BASE_H)


def test_the_wait_is_at_the_port_of_departure_in_each_direction(tiny_copy: Path) -> None:
    network, _ = _network(tiny_copy, [_row("port_west", "8")])
    assert route(network, "city_west", "inland", "grain").totals.time_h == pytest.approx(BASE_H + 4)
    assert route(network, "inland", "city_west", "grain").totals.time_h == pytest.approx(BASE_H)


def test_a_headway_no_transfer_waits_for_is_a_warning(tiny_copy: Path) -> None:
    _, report = _network(tiny_copy, [_row("inland", "30")])
    warnings = [p for p in report.warnings if p.file.endswith("sailings.csv")]
    assert len(warnings) == 1 and "never waited for" in warnings[0].message
