"""The bundled dataset: valid, covering the corridor, and matching published figures."""

from __future__ import annotations

import pandas as pd
import pytest

from corridor.datasets import load, read_network
from corridor.model.network import Network
from corridor.summary import summarize


@pytest.fixture(scope="module")
def net() -> Network:
    return load("eurasia")


def test_bundled_dataset_has_no_errors() -> None:
    _, report = read_network("eurasia")
    assert report.ok, report.format_text(max_problems=50)


def test_size_and_coverage(net: Network) -> None:
    assert len(net.nodes) >= 100
    assert len(net.links) >= 180
    modes = set(net.links["mode"])
    assert {"rail_1520", "rail_1435", "caspian_ferry", "caspian_ship", "sea", "pipeline"} <= modes
    countries = set(net.nodes["country"])
    assert {"CN", "KZ", "AZ", "GE", "TR", "RU", "BY", "PL", "IR", "TM", "AM"} <= countries
    families = {f for cell in net.links["corridor"].dropna() for f in cell.split("|")}
    assert {"middle", "northern", "southern", "sea_suez", "sea_cape", "cpc", "btc"} <= families


# The target is 80%; this floor is what the data reaches today and must only go up. It was
# lowered from 0.69 once, when 72 empty handling charges (read as free) got stated estimates:
# the published and computed figures did not drop, the estimates were added beside them.
SOURCED_SHARE_FLOOR = 0.58
#: Published + computed core figures: this count must not drop either (272 since the Alashankou
#: dwell, which cited a published customs-release time of the wrong quantity, became an estimate).
SOURCED_COUNT_FLOOR = 272


def test_core_figures_sourced_share_does_not_regress(net: Network) -> None:
    core = summarize(net).core
    assert core.figures > 300
    assert core.sourced_share >= SOURCED_SHARE_FLOOR, core
    assert core.published + core.computed >= SOURCED_COUNT_FLOOR, core


def test_every_estimate_and_computed_source_states_its_method(net: Network) -> None:
    derived = net.sources[net.sources["kind"].isin(["estimate", "computed"])]
    assert derived["method"].notna().all()
    published = net.sources[net.sources["kind"] == "published"]
    assert published[["url", "published", "figure_as_published"]].notna().all().all()


def _node(net: Network, node_id: str) -> pd.Series:
    return net.nodes.set_index("node_id").loc[node_id]


def _links_between(net: Network, a: str, b: str) -> pd.DataFrame:
    links = net.links
    return links[
        ((links["from_node"] == a) & (links["to_node"] == b))
        | ((links["from_node"] == b) & (links["to_node"] == a))
    ]


def test_planned_links_have_opening_years(net: Network) -> None:
    planned = net.links[net.links["status"] == "planned"]
    assert len(planned) >= 4
    assert planned["opening_year"].notna().all()
    ids = " ".join(planned["link_id"])
    for place in ("horadiz", "meghri", "nakhchivan", "igdir"):
        assert place in ids, place


def _cited(net: Network, ref: str) -> pd.Series:
    return net.sources.set_index("source_id").loc[ref]


def test_btk_capacity_is_5_mt_after_2024(net: Network) -> None:
    btk = net.links[
        net.links["link_id"].isin(
            [
                "marabda__akhalkalaki__rail_1520",
                "akhalkalaki__kartsakhi__rail_1435",
                "kartsakhi__kars__rail_1435",
            ]
        )
    ]
    assert len(btk) == 3
    assert (btk["capacity_t_per_year"] == 5_000_000).all()
    source = _cited(net, btk["capacity_t_per_year_ref"].iloc[0])
    assert source["kind"] == "published" and "5" in source["figure_as_published"]


def test_caspian_crossing_takes_about_20_to_22_hours(net: Network) -> None:
    ferry = _links_between(net, "kuryk_port", "baku_alat")
    ferry = ferry[ferry["mode"] == "caspian_ferry"]
    assert len(ferry) == 1
    hours = ferry["running_time_h"].iloc[0]
    assert 20 <= hours <= 22
    assert _cited(net, ferry["running_time_h_ref"].iloc[0])["kind"] == "published"


def test_kazakh_caspian_ports_capacity_is_21_2_mt(net: Network) -> None:
    # Published: Aktau and Kuryk together 21.2 Mt/yr (Kazinform 2022); Kuryk 6 Mt/yr.
    aktau = _node(net, "aktau_port")["capacity_t_per_year"]
    kuryk = _node(net, "kuryk_port")["capacity_t_per_year"]
    assert kuryk == 6_000_000
    assert aktau + kuryk == pytest.approx(21_200_000)


def test_published_anchor_figures(net: Network) -> None:
    assert _node(net, "baku_alat")["capacity_t_per_year"] == 15_000_000
    assert _node(net, "aktau_port")["capacity_teu_per_year"] == 140_000
    horadiz = _links_between(net, "horadiz", "aghband")
    assert horadiz["distance_km"].iloc[0] == pytest.approx(110.4)
    assert horadiz["status"].iloc[0] == "planned"
    dostyk_moiynty = net.links[
        net.links["link_id"].str.contains("moiynty") & net.links["link_id"].str.contains("aktogay")
    ]
    assert not dostyk_moiynty.empty


def test_gauge_changes_at_the_known_places(net: Network) -> None:
    transfers = net.transfers
    gauge = transfers[
        transfers["from_mode"].isin(["rail_1435", "rail_1520"])
        & transfers["to_mode"].isin(["rail_1435", "rail_1520"])
    ]
    assert {"dostyk", "altynkol", "akhalkalaki", "brest", "malaszewicze"} <= set(gauge["node_id"])


def test_oil_routes_are_directed_pipelines_for_crude_only(net: Network) -> None:
    pipes = net.links[net.links["mode"] == "pipeline"]
    assert len(pipes) >= 10
    assert pipes["directed"].all()
    commodities = net.commodities.set_index("commodity_id")
    assert "pipeline" not in commodities.loc["container", "allowed_modes"].split("|")
    assert "pipeline" in commodities.loc["crude_oil", "allowed_modes"].split("|")


def test_black_sea_russian_ports_carry_war_risk(net: Network) -> None:
    ru = net.countries.set_index("country").loc["RU"]
    assert ru["war_risk_pct_hull_per_call"] > 0
    assert ru["sanctions"] == "sectoral"
    assert net.countries.set_index("country").loc["IR", "sanctions"] == "comprehensive"


def test_geojson_of_bundled_network_draws_every_link(net: Network) -> None:
    from corridor.io.geojson import links_geojson

    features = links_geojson(net)["features"]
    assert len(features) == len(net.links)
    for feature in features:
        coords = feature["geometry"]["coordinates"]
        assert len(coords) >= 2
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords)


def test_computed_dostyk_moiynty_matches_the_published_length(net: Network) -> None:
    # Independent check of the OpenStreetMap-computed distances: the two computed links
    # Dostyk-Aktogay-Moiynty against the published 836 km of the Dostyk-Moiynty line.
    total = sum(
        _links_between(net, a, b)["distance_km"].iloc[0]
        for a, b in (("dostyk", "aktogay"), ("aktogay", "moiynty"))
    )
    assert total == pytest.approx(836, rel=0.02)
