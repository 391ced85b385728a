"""Corridor names: what a route crosses decides its name, never the link tags alone."""

from __future__ import annotations

import pytest

import corridor
from corridor.routing.corridor_names import corridor_name
from corridor.routing.result import Leg

NET = corridor.load()


def leg(mode: str, km: float, countries: tuple[str, ...], corridors: tuple[str, ...]) -> Leg:
    return Leg(
        kind="link", item_id=f"{mode}-{km}", from_node="a", to_node="b", from_name="A",
        to_name="B", mode=mode, distance_km=km, running_h=1.0, border_h=0.0, dwell_h=0.0,
        cost_usd=1.0, co2_kg=1.0, risk_usd=0.0, countries=countries, corridors=corridors,
        sources=(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("legs", "countries", "expected"),
    [
        # Mostly "middle" links, but the route leaves Kazakhstan through Russia.
        ([leg("rail_1520", 3000, ("KZ",), ("middle",)),
          leg("rail_1520", 600, ("KZ", "RU"), ("grain_russia",)),
          leg("sea", 800, ("RU", "TR"), ("grain_russia",))],
         ["KZ", "RU", "TR"], "Northern route via Russia and the Black Sea · KZ–RU–TR"),
        ([leg("rail_1520", 3000, ("KZ",), ("middle",)),
          leg("caspian_ferry", 450, ("KZ", "AZ"), ("middle",)),
          leg("rail_1520", 900, ("AZ", "GE"), ("middle", "btk"))],
         ["KZ", "AZ", "GE"], "Middle Corridor (Trans-Caspian) · KZ–AZ–GE"),
        ([leg("rail_1435", 1000, ("CN",), ("sea_suez", "sea_cape")),
          leg("sea", 9000, ("CN", "ZZ"), ("sea_suez", "sea_cape")),
          leg("sea", 6000, ("ZZ", "EG"), ("sea_suez",))],
         ["CN", "ZZ", "EG"], "Sea via Suez · CN–EG"),
        ([leg("sea", 9000, ("CN", "ZZ"), ("sea_suez", "sea_cape")),
          leg("sea", 12000, ("ZZ", "NL"), ("sea_cape",))],
         ["CN", "ZZ", "NL"], "Sea via the Cape of Good Hope · CN–NL"),
        ([leg("pipeline", 1500, ("KZ", "RU"), ("cpc",)),
          leg("sea", 700, ("RU", "TR"), ("cpc",))],
         ["KZ", "RU", "TR"], "CPC pipeline to Novorossiysk · KZ–RU–TR"),
        ([leg("rail_1520", 1500, ("KZ", "TM"), ("southern",)),
          leg("rail_1435", 2500, ("TM", "IR", "TR"), ("southern",))],
         ["KZ", "TM", "IR", "TR"], "Southern route via Iran · KZ–TM–IR–TR"),
        ([leg("caspian_ship", 700, ("KZ", "IR"), ("southern",))],
         ["KZ", "IR"], "Caspian to Iran · KZ–IR"),
    ],
)  # fmt: skip
def test_names_by_what_the_route_crosses(
    legs: list[Leg], countries: list[str], expected: str
) -> None:
    assert corridor_name(legs, countries) == expected


def test_the_bundled_route_through_russia_is_not_called_middle() -> None:
    found = corridor.route(NET, "Xian", "Istanbul")
    assert "RU" in found.countries
    assert found.corridor_name.startswith("Northern route via Russia")
    assert found.to_dict()["corridor_name"] == found.corridor_name
    assert found.to_dict()["corridor"] == found.corridor  # the families stay in the JSON


def test_avoiding_russia_gives_the_middle_corridor() -> None:
    found = corridor.route(NET, "Xian", "Istanbul", avoid=["RU", "IR"])
    assert found.corridor_name.startswith("Middle Corridor (Trans-Caspian)")
    assert all(c in found.corridor_name for c in ("KZ", "AZ", "GE", "TR"))
