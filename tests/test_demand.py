"""Demand sets: bundled sets validate and match their published totals; bad files are located."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TINY

from corridor.datasets import read_network
from corridor.demand import bundled_demand_sets, describe_demand_sets, read_demand
from corridor.errors import DatasetNotFoundError, ValidationError
from corridor.services import valid_network

BUNDLED = ["containers-2024", "crude-2024", "grain-2024", "kz-tr-2023", "middle-2030"]


@pytest.fixture(scope="module")
def eurasia():
    return valid_network("eurasia")


def test_bundled_sets_are_listed_with_titles_and_years() -> None:
    assert bundled_demand_sets() == BUNDLED
    described = {d["name"]: d for d in describe_demand_sets()}
    assert described["middle-2030"]["year"] == 2030
    assert all(d["title"] for d in described.values())


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_sets_validate_and_cite_sources(eurasia, name: str) -> None:
    demand = read_demand(name, eurasia)
    table = demand.table
    assert len(table) > 0
    assert table["flow_per_year"].gt(0).all()
    sources = set(eurasia.sources["source_id"])
    assert set(table["flow_per_year_ref"]) <= sources


def test_middle_2030_adds_up_to_the_world_bank_11_mt(eurasia) -> None:
    # World Bank (2023) via Interfax, 24 Jan 2024: 11 Mt through the Caspian by 2030,
    # of which 4.074 Mt containers and 3.553 Mt oil.
    demand = read_demand("middle-2030", eurasia).table
    t_per_unit = eurasia.commodities.set_index("commodity_id")["t_per_unit"]
    tonnes = (demand["flow_per_year"] * demand["commodity"].map(t_per_unit)).sum()
    assert tonnes == pytest.approx(11.0e6, rel=0.002)
    containers = demand[demand["commodity"] == "container"]["flow_per_year"].sum()
    assert containers * t_per_unit["container"] == pytest.approx(4.074e6, rel=0.002)


def test_grain_2024_is_close_to_the_published_12_mt(eurasia) -> None:
    # Reuters / Kazakh Ministry of Agriculture: 12 Mt of grain exported in July 2024-June 2025.
    total = read_demand("grain-2024", eurasia).table["flow_per_year"].sum()
    assert total == pytest.approx(12.0e6, rel=0.05)


def test_containers_2024_has_the_published_titr_volume(eurasia) -> None:
    # Astana Times, March 2025: 56,500 TEU on the Trans-Caspian route in 2024.
    table = read_demand("containers-2024", eurasia).table
    titr = table[table["avoid"].notna() & table["avoid"].str.contains("RU")]
    assert titr["flow_per_year"].sum() == pytest.approx(56_500)


def test_unknown_set_names_the_known_ones() -> None:
    with pytest.raises(DatasetNotFoundError, match="middle-2030"):
        read_demand("midle-2030")


def test_bad_demand_file_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    tiny, report = read_network(TINY)
    assert report.ok
    path = tmp_path / "bad.csv"
    path.write_text(
        "demand_id,origin,destination,commodity,flow_per_year,flow_per_year_ref,avoid\n"
        "a,inland,city_west,container,100,t-est,\n"
        "b,inlnd,city_west,container,100,t-est,\n"
        "c,inland,city_west,container,-5,t-est,\n"
        "d,inland,city_west,container,100,,\n"
        "e,inland,inland,container,100,t-est,\n"
        "a,inland,city_west,container,100,t-est,RU\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_demand(path, tiny)
    problems = {(p.line, p.column) for p in caught.value.report.errors}
    assert (3, "origin") in problems  # unknown node, with a suggestion
    assert (4, "flow_per_year") in problems  # below the minimum
    assert (5, "flow_per_year_ref") in problems  # no source
    assert (6, "destination") in problems  # origin == destination
    assert (7, "demand_id") in problems  # duplicate id
    assert (7, "avoid") in problems  # unknown country
    text = str(caught.value)
    assert "bad.csv:3" in text and "'inland'" in text
