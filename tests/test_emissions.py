"""CO2e by emission factors: WTT + TTW = WTW per leg, TEU-km and t-km figures, feeder vs deep-sea
legs, hub emissions at transfers, located schema errors and the factor table's version.

The network below is small enough to compute every figure by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

import corridor
from corridor.io.folder import read_folder
from corridor.model.validate import validate

FILES = {
    "network.yaml": 'name: co2net\nversion: "1"\n',
    "sources.csv": (
        "source_id,kind,title,publisher,url,published,figure_as_published,method,notes\n"
        "s,estimate,Test estimate,,,,,stated for the test,\n"
    ),
    "emission_factors.csv": (
        "factor_id,name,applies_to,commodities,wtt_g_per_tkm,ttw_g_per_tkm,wtt_g_per_teu_km,"
        "ttw_g_per_teu_km,load_t_per_teu,hub_wtt_kg_per_t,hub_ttw_kg_per_t,hub_wtt_kg_per_teu,"
        "hub_ttw_kg_per_teu,factor_ref,standard,meaning,notes\n"
        "deep,Deep-sea container ship,transport,container,1.0,6.0,10,60,10,,,,,s,T v1,avg,\n"
        "feeder,Feeder container ship,transport,container,4.0,20.0,40,200,10,,,,,s,T v1,avg,\n"
        "bulk,Bulk carrier,transport,grain,1,5,,,,,,,,s,T v1,avg,\n"
        "rail,Freight train,transport,,5,15,,,,,,,,s,T v2,avg,\n"
        "hub,Transshipment,hub,,,,,,,0.5,1.0,4,6,s,T v2,avg,\n"
    ),
    "modes.csv": (
        "mode,name,family,speed_kmh,speed_kmh_ref,emission_factors\n"
        "rail_1520,Rail,rail,40,s,rail\n"
        "sea,Sea,sea,25,s,deep|bulk\n"
    ),
    "countries.csv": "country,name,sanctions\nGE,Georgia,none\nTR,Turkey,none\nCN,China,none\n",
    "commodities.csv": (
        "commodity_id,name,unit,t_per_unit,t_per_unit_ref,value_usd_per_unit,"
        "value_usd_per_unit_ref,allowed_modes\n"
        "container,Containers,teu,12,s,50000,s,rail_1520|sea\n"
        "grain,Grain,t,1,s,250,s,rail_1520|sea\n"
    ),
    "nodes.csv": (
        "node_id,name,country,kind,lat,lon,coord_ref\n"
        "inland,Inland,GE,rail_station,42.0,44.0,s\n"
        "poti,Poti,GE,sea_port,42.15,41.67,s\n"
        "istanbul,Istanbul,TR,sea_port,41.0,28.97,s\n"
        "shanghai,Shanghai,CN,sea_port,31.2,121.5,s\n"
    ),
    "links.csv": (
        "link_id,from_node,to_node,mode,corridor,distance_km,distance_km_ref,emission_factors\n"
        "inland__poti,inland,poti,rail_1520,middle,230,s,\n"
        "poti__istanbul,poti,istanbul,sea,black_sea,1100,s,feeder\n"
        "shanghai__istanbul,shanghai,istanbul,sea,sea_suez,15000,s,\n"
    ),
    "transfers.csv": (
        "transfer_id,node_id,from_mode,to_mode,time_h,time_h_ref,emission_factors\n"
        "poti_rail_sea,poti,rail_1520,sea,12,s,hub\n"
    ),
}


def write(folder: Path, changes: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **(changes or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def net(tmp_path: Path) -> corridor.Network:
    network, report = read_folder(write(tmp_path / "co2net"))
    validate(network, report)
    assert not report.errors, report.errors
    return network


def legs_by_id(r: corridor.Route) -> dict[str, corridor.routing.result.Leg]:
    return {leg.item_id: leg for leg in r.legs}


def test_container_legs_by_hand(net: corridor.Network) -> None:
    r = corridor.route(net, "inland", "istanbul", "container")
    legs = legs_by_id(r)
    # Rail has per t-km figures only: 230 km x 12 t per TEU x (5 WTT + 15 TTW) g.
    rail = legs["inland__poti"]
    assert rail.co2_wtt_kg == pytest.approx(230 * 12 * 5 / 1000)
    assert rail.co2_ttw_kg == pytest.approx(230 * 12 * 15 / 1000)
    assert rail.co2_kg == pytest.approx(55.2)
    # The transfer at Poti adds the hub's per-TEU emission: 4 WTT + 6 TTW kg.
    hub = legs["poti_rail_sea"]
    assert hub.kind == "transfer"
    assert (hub.co2_kg, hub.co2_wtt_kg, hub.co2_ttw_kg) == pytest.approx((10.0, 4.0, 6.0))
    # The Black Sea leg names the feeder factor: 1100 km x (40 + 200) g/TEU-km, per TEU as
    # published (its t-km figures at 12 t per TEU would give 1100 x 24 x 12 = 316.8 kg).
    sea = legs["poti__istanbul"]
    assert (sea.co2_kg, sea.co2_wtt_kg) == pytest.approx((1100 * 240 / 1000, 1100 * 40 / 1000))
    t = r.totals
    assert t.co2_kg == pytest.approx(55.2 + 10.0 + 264.0)
    assert t.co2_wtt_kg == pytest.approx(13.8 + 4.0 + 44.0)
    assert t.co2_wtt_kg + t.co2_ttw_kg == pytest.approx(t.co2_kg)
    for leg in r.legs:
        assert leg.co2_wtt_kg + leg.co2_ttw_kg == pytest.approx(leg.co2_kg)


def test_deep_sea_leg_uses_the_deep_sea_factor(net: corridor.Network) -> None:
    r = corridor.route(net, "shanghai", "istanbul", "container")
    (leg,) = r.legs
    assert leg.co2_kg == pytest.approx(15000 * 70 / 1000)
    assert leg.co2_wtt_kg == pytest.approx(15000 * 10 / 1000)


def test_bulk_cargo_uses_per_tonne_figures_and_the_modes_factor_on_a_feeder_link(
    net: corridor.Network,
) -> None:
    legs = legs_by_id(corridor.route(net, "inland", "istanbul", "grain"))
    # The feeder factor is for containers only, so grain falls back to the mode's bulk factor.
    assert legs["poti__istanbul"].co2_kg == pytest.approx(1100 * 6 / 1000)
    assert legs["poti__istanbul"].co2_wtt_kg == pytest.approx(1100 * 1 / 1000)
    # The hub's per-tonne figures for a tonne of grain.
    assert legs["poti_rail_sea"].co2_kg == pytest.approx(1.5)
    assert legs["inland__poti"].co2_kg == pytest.approx(230 * 20 / 1000)


def test_t_km_figures_must_agree_with_the_teu_km_ones_and_the_load(tmp_path: Path) -> None:
    bad = FILES["emission_factors.csv"].replace(
        "deep,Deep-sea container ship,transport,container,1.0,6.0",
        "deep,Deep-sea container ship,transport,container,1.0,9.0",
    )
    network, report = read_folder(write(tmp_path / "n", {"emission_factors.csv": bad}))
    validate(network, report)
    messages = [(p.file, p.line, p.column, p.message) for p in report.errors]
    assert any(
        f.endswith("emission_factors.csv") and line == 2 and col == "ttw_g_per_tkm"
        and "60 / load_t_per_teu=10 = 6" in m
        for f, line, col, m in messages
    ), messages  # fmt: skip


def test_mode_without_a_split_reports_it_as_unknown_not_zero(tmp_path: Path) -> None:
    modes = (
        "mode,name,family,speed_kmh,speed_kmh_ref,co2e_g_per_tkm,co2e_g_per_tkm_ref,"
        "emission_factors\nrail_1520,Rail,rail,40,s,20,s,\nsea,Sea,sea,25,s,,,deep|bulk\n"
    )
    network, _ = read_folder(write(tmp_path / "n", {"modes.csv": modes}))
    r = corridor.route(network, "inland", "poti", "container")
    (leg,) = r.legs
    assert leg.co2_kg == pytest.approx(230 * 12 * 20 / 1000)
    assert leg.co2_wtt_kg is None and r.totals.co2_wtt_kg is None
    assert leg.to_dict()["co2_wtt_kg"] is None and r.totals.to_dict()["co2_ttw_kg"] is None


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "column", "message"),
    [
        ("emission_factors.csv", "rail,Freight train,transport,,5,15",
         "rail,Freight train,transport,,nan,15", 5, "wtt_g_per_tkm", "not finite"),
        ("emission_factors.csv", "rail,Freight train,transport,,5,15",
         "rail,Freight train,transport,,5,-15", 5, "ttw_g_per_tkm", "below the minimum"),
        ("modes.csv", "sea,Sea,sea,25,s,deep|bulk", "sea,Sea,sea,25,s,deep|bulky", 3,
         "emission_factors", "unknown emission_factors id 'bulky'"),
        ("transfers.csv", "12,s,hub", "12,s,rail", 2, "emission_factors",
         "is a transport factor"),
        ("emission_factors.csv", "rail,Freight train,transport,,5,15",
         "rail,Freight train,transport,,,15", 5, "wtt_g_per_tkm", "the WTT/TTW split"),
    ],
)  # fmt: skip
def test_schema_errors_are_located(
    tmp_path: Path, file: str, old: str, new: str, line: int, column: str, message: str
) -> None:
    text = FILES[file]
    assert old in text
    folder = write(tmp_path / "n", {file: text.replace(old, new)})
    result = run_cli("data", "check", folder, "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert any(
        p["file"].endswith(file) and p["line"] == line and p["column"] == column
        and message in p["message"]
        for p in problems
    ), problems  # fmt: skip


def test_every_commodity_of_a_mode_needs_a_factor(tmp_path: Path) -> None:
    modes = FILES["modes.csv"].replace("sea,Sea,sea,25,s,deep|bulk", "sea,Sea,sea,25,s,deep")
    network, report = read_folder(write(tmp_path / "n", {"modes.csv": modes}))
    validate(network, report)
    assert any(
        p.line == 3 and "commodity 'grain' on mode 'sea'" in p.message for p in report.errors
    ), report.errors


def test_route_json_carries_the_split_and_the_factor_version(tmp_path: Path) -> None:
    folder = write(tmp_path / "co2net")
    result = run_cli("route", "--network", folder, "--from", "inland", "--to", "istanbul", "--json")
    assert result.returncode == 0, result.stderr
    (r,) = json.loads(result.stdout)["routes"]
    totals = r["totals"]
    assert totals["co2_kg"] == pytest.approx(329.2)
    assert totals["co2_wtt_kg"] + totals["co2_ttw_kg"] == pytest.approx(totals["co2_kg"])
    version = r["provenance"]["emission_factors_version"]
    assert version.startswith("T v1; T v2 · sha256:")
    assert all(leg["co2_wtt_kg"] is not None for leg in r["legs"])


def test_factor_version_changes_with_the_table(tmp_path: Path) -> None:
    changed = FILES["emission_factors.csv"].replace(
        "bulk,Bulk carrier,transport,grain,1,5", "bulk,Bulk carrier,transport,grain,1,6"
    )
    a, _ = read_folder(write(tmp_path / "a"))
    b, _ = read_folder(write(tmp_path / "b", {"emission_factors.csv": changed}))
    ra = corridor.route(a, "inland", "istanbul", "container")
    rb = corridor.route(b, "inland", "istanbul", "container")
    assert ra.totals.co2_kg == pytest.approx(rb.totals.co2_kg)  # bulk factor unused here
    assert ra.provenance["emission_factors_version"] != rb.provenance["emission_factors_version"]


def test_bundled_network_black_sea_feeder_and_deep_sea_legs() -> None:
    net = corridor.load()
    sea = corridor.route(net, "Shanghai", "Istanbul", "container", avoid_modes=["rail_1435"])
    legs = {leg.item_id: leg for leg in sea.legs}
    deep = legs["shanghai__singapore__sea"]
    assert deep.co2_kg / deep.distance_km == pytest.approx(80.4 / 1000)
    assert "e-co2-container-deepsea" in deep.sources
    feeder = corridor.route(net, "Poti", "Constanta", "container").legs[-1]
    assert feeder.item_id == "poti__constanta__sea"
    assert feeder.co2_kg / feeder.distance_km == pytest.approx(266 / 1000)
    assert "e-co2-container-feeder" in feeder.sources
    assert sea.provenance["emission_factors_version"].startswith("GLEC Framework v3.0")
