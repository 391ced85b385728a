"""Scenarios: parsing with located errors, pure and composable application, bundled effects."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import NoRouteError
from corridor.model.network import Network
from corridor.routing.engine import route
from corridor.scenarios import (
    ScenarioError,
    apply_demand,
    apply_scenario,
    bundled_scenarios,
    load_scenario,
    merge,
    parse_scenario,
    scenario_year,
)
from corridor.scenarios.spec import Patch, Scenario, Selector


@cache
def _base() -> Network:
    return corridor.load()


@cache
def _applied(name: str) -> Network:
    return apply_scenario(load_scenario(name), _base())


def _errors(text: str, source: str = "s.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source)
    return [p.format() for p in info.value.problems]


# --- parsing and located errors ---------------------------------------------------------------


def test_every_schema_problem_is_reported_at_once_with_path_and_line() -> None:
    text = """\
name: bad
patches:
  - links: {corridor: middle}
    set: {capacity_t_per_year: -5, speed: 3}
    ref: x
  - nodes: {ids: aktau_port}
    set: {capacity_teu_per_year: 240000}
  - links: {ids: a}
    scale: {status: 2}
    ref: x
  - links: {ids: a}
    open: true
    close: true
"""
    problems = _errors(text)
    assert "s.yaml:4: patches[0].set.capacity_t_per_year: -5 is below the minimum 0 t/year" in (
        problems
    )
    assert any(
        p.startswith("s.yaml:4: patches[0].set.speed: links has no column 'speed'")
        for p in problems
    )
    assert any("did you mean 'speed_kmh'" in p for p in problems)
    assert any(
        p.startswith("s.yaml:7: patches[1].set.capacity_teu_per_year: a figure needs a source")
        for p in problems
    )
    assert any(p.startswith("s.yaml:9: patches[2].scale.status: status is not") for p in problems)
    assert any(p.startswith("s.yaml:11: patches[3]: give exactly one operation") for p in problems)
    assert len(problems) == 5


def test_structural_errors_name_the_yaml_path() -> None:
    problems = _errors("name: x\nyear: twenty\npatches:\n  - links: {idz: [a]}\n    close: true\n")
    assert any(p.startswith("s.yaml:2: year:") for p in problems)
    assert any(p.startswith("s.yaml:4: patches[0].links.idz: unknown key") for p in problems)


def test_unsafe_yaml_tags_are_refused() -> None:
    text = "name: !!python/object/apply:os.system ['echo hacked']\n"
    problems = _errors(text)
    assert len(problems) == 1
    assert "unsafe YAML" in problems[0] and problems[0].startswith("s.yaml:1")


def test_added_rows_are_checked_with_the_table_schema() -> None:
    text = """\
name: add
patches:
  - add:
      nodes:
        - {node_id: n1, name: N1, country: KZ, kind: factory, lat: 95, lon: 71}
      ports:
        - {x: 1}
"""
    problems = _errors(text)
    assert any(
        p.startswith("s.yaml:5: patches[0].add.nodes[0].kind: 'factory' is not one of")
        for p in problems
    )
    assert any("patches[0].add.nodes[0].lat: 95 is above the maximum 90" in p for p in problems)
    assert any(
        "patches[0].add.ports: rows can be added to nodes, links, transfers" in p for p in problems
    )


def test_unknown_ids_get_did_you_mean_at_apply_time_all_at_once() -> None:
    text = """\
name: ids
patches:
  - nodes: {ids: [aktau_prot]}
    set: {capacity_teu_per_year: 1}
    ref: a-aktau-hub
  - links: {corridor: zangzur}
    close: true
  - war_risk: {RX: 3}
    ref: nope-source
"""
    scenario = parse_scenario(text, "ids.yaml")
    with pytest.raises(ScenarioError) as info:
        apply_scenario(scenario, _base())
    problems = [p.format() for p in info.value.problems]
    assert (
        "ids.yaml:3: patches[0].nodes.ids: unknown nodes id 'aktau_prot' (did you mean "
        "'aktau_port'?)" in problems
    )
    assert any(
        p.startswith("ids.yaml:6: patches[1].links.corridor: unknown corridor 'zangzur'")
        and "did you mean 'zangezur'" in p
        for p in problems
    )
    assert any(
        p.startswith("ids.yaml:8: patches[2].war_risk.RX: unknown country") for p in problems
    )
    assert any(
        p.startswith("ids.yaml:9: patches[2].ref: unknown source id 'nope-source'")
        for p in problems
    )
    assert len(problems) == 4


def test_cycle_in_inheritance_is_located(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nbase: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nbase: c.yaml\n")
    (tmp_path / "c.yaml").write_text("name: c\nbase: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        apply_scenario(load_scenario(tmp_path / "a.yaml"))
    (problem,) = info.value.problems
    assert problem.path == "base" and problem.line == 2
    assert problem.file.endswith("c.yaml")
    assert "cycle in inheritance: a -> b -> c -> a" in problem.message


def test_unknown_base_is_reported() -> None:
    scenario = parse_scenario("name: x\nbase: eurasai\n", "x.yaml")
    with pytest.raises(ScenarioError, match=r"x.yaml:2: base: 'eurasai' is neither.*eurasia"):
        apply_scenario(scenario)


def test_errors_the_validator_finds_in_the_result_are_reported() -> None:
    text = """\
name: v
patches:
  - add:
      links:
        - {link_id: l1, from_node: astana, to_node: istanbul, mode: rail_1520, distance_km: 10}
    ref: a-aktau-hub
"""
    with pytest.raises(ScenarioError) as info:
        apply_scenario(parse_scenario(text, "v.yaml"), _base())
    messages = [p.format() for p in info.value.problems]
    assert any(
        m.startswith("v.yaml:5: link_id=l1.distance_km: 10 km is shorter than") for m in messages
    )


# --- purity, inheritance, composition ----------------------------------------------------------


def test_applying_does_not_change_the_input_network() -> None:
    base = _base()
    before = base.content_hash()
    for name in bundled_scenarios():
        result = _applied(name)
        assert result.meta.name == name
        assert result.content_hash() != before
    assert base.content_hash() == before
    assert corridor.load().content_hash() == before


def test_a_scenario_inherits_its_base_scenario(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nbase: world-bank-2030\npatches: []\n")
    scenario = load_scenario(child)
    assert scenario_year(scenario) == 2030
    assert apply_scenario(scenario).content_hash() == _applied("world-bank-2030").content_hash()


_FIGURES = [
    ("links", "capacity_t_per_year"),
    ("links", "speed_kmh"),
    ("links", "distance_km"),
    ("nodes", "dwell_h"),
    ("transfers", "time_h"),
]
_IDS = {
    "links": [
        "marabda__akhalkalaki__rail_1520",
        "akhalkalaki__kartsakhi__rail_1435",
        "kartsakhi__kars__rail_1435",
        "atyrau__samara__pipeline",
    ],
    "nodes": ["aktau_port", "baku_alat", "poti"],
    "transfers": ["dostyk__rail_1435__rail_1520", "akhalkalaki__rail_1520__rail_1435"],
}


@st.composite
def _patches(draw: st.DrawFn) -> Patch:
    table, column = draw(st.sampled_from(_FIGURES))
    ids = draw(st.lists(st.sampled_from(_IDS[table]), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        value = draw(st.floats(min_value=1, max_value=1e7, allow_nan=False))
        op = {"set": {column: round(value, 3)}}
    else:
        op = {"scale": {column: draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]))}}
    fields = {table: Selector(ids=ids), **op, "ref": "a-btk-capacity"}
    return Patch.model_validate(fields)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.lists(_patches(), min_size=1, max_size=3), b=st.lists(_patches(), min_size=1, max_size=3)
)
def test_a_then_b_equals_the_merged_scenario(a: list[Patch], b: list[Patch]) -> None:
    sa = Scenario(name="a", patches=tuple(a))
    sb = Scenario(name="b", patches=tuple(b))
    try:
        first = apply_scenario(sa, _base())
    except ScenarioError:
        # A alone leaves an invalid network (e.g. a distance below the great-circle
        # distance). B may repair it, so the merged scenario can be valid: the stepwise path
        # is undefined here, and there is nothing to compare.
        return
    try:
        stepwise = apply_scenario(sb, first)
    except ScenarioError:
        # The final network is invalid; the merged scenario reaches the same one and must
        # fail as well.
        with pytest.raises(ScenarioError):
            apply_scenario(merge(sa, sb), _base())
        return
    merged = apply_scenario(merge(sa, sb), _base())
    assert merged.content_hash() == stepwise.content_hash()


def test_set_then_scale_composes_by_hand() -> None:
    link = "marabda__akhalkalaki__rail_1520"
    a = Scenario(
        name="a",
        patches=(
            Patch(links=Selector(ids=link), set={"capacity_t_per_year": 6e6}, ref="a-btk-capacity"),
        ),
    )
    b = Scenario(
        name="b",
        patches=(
            Patch(
                links=Selector(ids=link), scale={"capacity_t_per_year": 1.5}, ref="c-btc-capacity"
            ),
        ),
    )
    net = apply_scenario(merge(a, b), _base())
    row = net.links.set_index("link_id").loc[link]
    assert row["capacity_t_per_year"] == 9e6
    assert row["capacity_t_per_year_ref"] == "c-btc-capacity"
    base_row = _base().links.set_index("link_id").loc[link]
    assert base_row["capacity_t_per_year"] == 5e6


# --- demand ----------------------------------------------------------------------------------


def _demand() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "demand_id": ["g1", "g2", "c1"],
            "origin": ["akmola_grain", "akmola_grain", "xian"],
            "destination": ["istanbul", "tashkent", "istanbul"],
            "commodity": ["grain", "grain", "container"],
            "flow_per_year": [1_000_000.0, 500_000.0, 20_000.0],
        }
    )


def test_flour_plant_takes_grain_off_exports_and_adds_flour() -> None:
    demand = _demand()
    before = demand.copy()
    out = apply_demand(load_scenario("astana-flour-plant"), demand)
    pd.testing.assert_frame_equal(demand, before)
    flows = out.set_index("demand_id")["flow_per_year"]
    # 600,000 t off 1.5 Mt of Akmola grain exports, in proportion: 0.6 of each row stays.
    assert flows["g1"] == pytest.approx(600_000) and flows["g2"] == pytest.approx(300_000)
    assert flows["c1"] == 20_000
    assert flows["astana-mill-flour-to-tashkent"] == pytest.approx(0.72 * 600_000)
    refs = out.set_index("demand_id")["flow_per_year_ref"]
    assert refs["g1"] == "sc-est-astana-mill-intake" and pd.isna(refs["c1"])


def test_demand_selectors_accept_ids_lists_and_star() -> None:
    scenario = parse_scenario(
        """\
name: d
demand:
  - where: {origin: [akmola_grain, xian], destination: istanbul}
    scale: 2
  - where: {commodity: "*"}
    set: 7
    ref: a-aktau-hub
  - where: {commodity: container}
    scale: 3
"""
    )
    flows = apply_demand(scenario, _demand()).set_index("demand_id")["flow_per_year"]
    assert flows.to_dict() == {"g1": 7.0, "g2": 7.0, "c1": 21.0}


def test_demand_patch_ids_are_checked_against_the_network() -> None:
    scenario = parse_scenario(
        "name: d\ndemand:\n  - where: {origin: akmola}\n    scale: 2\n", "d.yaml"
    )
    with pytest.raises(ScenarioError, match=r"d.yaml:3: demand\[0\].where.origin: unknown origin"):
        apply_scenario(scenario, _base())


# --- bundled scenarios and their effects -------------------------------------------------------


def test_every_bundled_scenario_applies_and_is_listed() -> None:
    assert set(bundled_scenarios()) >= {
        "zangezur-open",
        "aktau-hub-expansion",
        "alat-phase2",
        "btc-kazakh-oil-7mt",
        "black-sea-war-risk-spike",
        "northern-closed",
        "astana-flour-plant",
        "world-bank-2030",
    }
    assert "scenarios" not in corridor.bundled_datasets()
    for name in bundled_scenarios():
        net = _applied(name)
        sources = set(net.sources["source_id"])
        for table in ("nodes", "links", "transfers", "countries"):
            frame = net.tables[table]
            refs = {c for c in frame.columns if c.endswith("_ref")}
            for column in refs:
                assert set(frame[column].dropna()) <= sources


def test_zangezur_open_connects_baku_to_nakhchivan_today() -> None:
    with pytest.raises(NoRouteError):
        route(_base(), "Baku", "Nakhchivan")
    found = route(_applied("zangezur-open"), "Baku", "Nakhchivan")
    assert {"horadiz", "meghri", "ordubad"} <= set(found.nodes)


def test_zangezur_open_carries_baku_to_kars_through_nakhchivan() -> None:
    # The 1520 mm Nakhchivan line meets the 1435 mm line to Kars at Dilucu: without the
    # gauge change there, the through route would not exist and Kars would keep the BTK.
    before = route(_base(), "Baku", "Kars", "general_cargo")
    assert "tbilisi" in before.nodes
    after = route(_applied("zangezur-open"), "Baku", "Kars", "general_cargo")
    assert {"nakhchivan", "dilucu", "igdir"} <= set(after.nodes)
    assert "tbilisi" not in after.nodes
    assert after.totals.time_h < before.totals.time_h


def test_aktau_and_alat_capacities() -> None:
    aktau = _applied("aktau-hub-expansion").nodes.set_index("node_id").loc["aktau_port"]
    assert aktau["capacity_teu_per_year"] == 240_000
    assert aktau["capacity_teu_per_year_ref"] == "sc-timesca-aktau-hub-240k"
    alat = _applied("alat-phase2").nodes.set_index("node_id").loc["baku_alat"]
    assert (alat["capacity_t_per_year"], alat["capacity_teu_per_year"]) == (25e6, 5e5)


def test_btc_scenario_sends_aktau_crude_through_btc() -> None:
    scenario = load_scenario("btc-kazakh-oil-7mt")
    year = scenario_year(scenario)
    assert year == 2027
    before = route(_base(), "aktau_port", "ceyhan", "crude_oil", year=year)
    assert "makhachkala" in before.nodes
    after = route(_applied("btc-kazakh-oil-7mt"), "aktau_port", "ceyhan", "crude_oil", year=year)
    assert "sangachal" in after.nodes and "makhachkala" not in after.nodes
    added = apply_demand(scenario, _demand()).set_index("demand_id").loc["btc-kazakh-crude"]
    assert added["flow_per_year"] == 7_000_000


def test_war_risk_spike_raises_the_risk_cost_of_grain_through_taman() -> None:
    net = _applied("black-sea-war-risk-spike")
    russia = net.countries.set_index("country").loc["RU"]
    assert russia["war_risk_pct_hull_per_call"] == 10
    nodes = net.nodes.set_index("node_id")
    assert nodes.loc["taman", "war_risk_pct_hull_per_call"] == 10
    before = route(_base(), "Kostanay", "Istanbul", "grain")
    after = route(net, "Kostanay", "Istanbul", "grain")
    # 10 % is below the premium that moves this grain off Taman (about 14 %, test_risk):
    # the route stays, and its war-risk cost grows with the premium (0.725 % -> 10 %).
    assert "taman" in before.nodes and "taman" in after.nodes
    assert after.totals.risk_usd == pytest.approx(before.totals.risk_usd * 10 / 0.725, rel=0.02)


def test_northern_closed_leaves_no_route_through_russia_or_belarus() -> None:
    net = _applied("northern-closed")
    found = route(net, "Xian", "Duisburg")
    countries = set(net.nodes.set_index("node_id").loc[list(found.nodes), "country"])
    assert not countries & {"RU", "BY"}
    base_route = route(_base(), "Xian", "Duisburg")
    assert "moscow" in base_route.nodes
    assert set(net.countries.set_index("country").loc[["RU", "BY"], "sanctions"]) == {
        "comprehensive"
    }


def test_flour_plant_is_on_the_network() -> None:
    net = _applied("astana-flour-plant")
    found = route(net, "astana_flour_mill", "tashkent", "flour")
    assert found.nodes[:2] == ["astana_flour_mill", "astana"]


def test_world_bank_2030_cuts_middle_corridor_time() -> None:
    scenario = load_scenario("world-bank-2030")
    year = scenario_year(scenario)
    avoid = ["RU", "IR"]
    before = route(_base(), "Xian", "Istanbul", avoid=avoid, year=year, objective="time")
    after = route(
        _applied("world-bank-2030"), "Xian", "Istanbul", avoid=avoid, year=year, objective="time"
    )
    assert after.totals.time_days < 0.8 * before.totals.time_days
    kz = _applied("world-bank-2030").countries.set_index("country").loc["KZ", "border_time_h"]
    assert kz == pytest.approx(40.6 / 2)
