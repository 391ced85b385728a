"""Comparing two networks: key routes, assignments, JSON and the HTML report."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from corridor import services
from corridor.compare import (
    ROUTE_METRICS,
    Comparison,
    compare,
    difference,
    key_ods,
    parse_od,
    verdict,
)
from corridor.errors import CorridorError
from corridor.report.compare import comparison_html, diff_cell


@pytest.fixture(scope="module")
def alat() -> Comparison:
    return compare("eurasia", "alat-phase2", demand="middle-2030", ods=["Xian:Istanbul"])


@pytest.fixture(scope="module")
def zangezur() -> Comparison:
    return compare("eurasia", "zangezur-open")


# --- arithmetic ---------------------------------------------------------------------------


def test_difference_and_verdict_by_hand() -> None:
    assert difference(80.0, 100.0) == (20.0, 25.0)
    assert difference(-10.0, -5.0) == (5.0, 50.0)  # % of the base's magnitude
    assert difference(0.0, 0.0) == (0.0, 0.0)
    assert difference(0.0, 1.0) == (1.0, None)
    assert difference(None, 1.0) == (None, None)
    assert verdict("cost_usd_per_unit", 10.0, 12.0) == "worse"
    assert verdict("shadow_price_usd_per_unit", 3201.0, 0.0) == "better"
    assert verdict("tonne_km_per_year", 1.0, 2.0) == "neutral"
    assert verdict("co2_kg_per_unit", 5.0, 5.0) == "same"
    assert verdict("time_h", None, 5.0) == "neutral"


def test_parse_od_and_bundled_pairs() -> None:
    assert parse_od(" Baku : Kars : container ").commodity == "container"
    with pytest.raises(CorridorError, match="FROM:TO"):
        parse_od("Baku::grain")
    pairs = key_ods()
    assert len(pairs) >= 8
    assert all(p.reason for p in pairs)
    assert len({(p.origin, p.destination, p.commodity) for p in pairs}) == len(pairs)


# --- key routes ---------------------------------------------------------------------------


def test_a_network_compared_with_itself_has_no_differences() -> None:
    same = compare("eurasia", "eurasia")
    assert len(same.ods) == len(key_ods())
    assert {od.change for od in same.ods} == {"same route", "no route"}
    for od in same.ods:
        if od.change == "no route":  # Baku-Nakhchivan today: planned links only
            assert od.base_reason == od.other_reason != ""
            continue
        d = od.to_dict()
        for key in ROUTE_METRICS:
            assert d["difference"][key] == 0.0
            assert d["difference_pct"][key] == 0.0
            assert d["verdict"][key] == "same"
    assert same.base.to_dict()["content_hash"] == same.other.to_dict()["content_hash"]


def test_zangezur_opens_baku_to_nakhchivan(zangezur: Comparison) -> None:
    od = next(o for o in zangezur.ods if (o.od.origin, o.od.destination) == ("baku", "nakhchivan"))
    assert od.base is None and "planned" in od.base_reason
    assert od.other is not None and "zangezur" in od.other.corridor
    assert od.change == "route opens"
    d = od.to_dict()
    assert d["base"] == {"route": False, "no_route_reason": od.base_reason}
    assert d["other"]["route"] is True
    assert all(v is None for v in d["difference"].values())
    # The other pairs do not use the corridor, so they do not change.
    others = [o for o in zangezur.ods if o is not od and o.od.destination != "kars"]
    assert all(o.change == "same route" for o in others)


def test_figures_match_routing_each_side_on_its_own(zangezur: Comparison) -> None:
    from corridor.routing.engine import route

    net = services.scenario_network("zangezur-open")
    found = route(net, "baku", "nakhchivan", "general_cargo")
    od = next(o for o in zangezur.ods if o.od.destination == "nakhchivan")
    assert od.to_dict()["other"]["generalized_cost_usd_per_unit"] == pytest.approx(
        found.totals.generalized_cost_usd
    )


def test_unknown_names_are_reported_together() -> None:
    with pytest.raises(CorridorError) as info:
        compare("eurasia", "zangezur-open", ods=["Bakuu:Kars", "Baku", "Xian:Istanbul:grian"])
    text = str(info.value)
    assert "3 problem(s)" in text
    assert "Bakuu" in text and "'Baku'" in text and "grian" in text
    with pytest.raises(CorridorError, match="neither a dataset"):
        compare("eurasia", "zangezur-opn")


# --- assignments --------------------------------------------------------------------------


def test_alat_phase2_relieves_alat_and_lowers_total_cost(alat: Comparison) -> None:
    assert alat.assignment is not None
    flows = alat.assignment
    assert flows.base_year == flows.other_year == 2030
    rows = flows.bottlenecks()
    alat_rows = rows[rows["item_id"] == "baku_alat"]
    assert len(alat_rows) >= 1
    assert set(alat_rows["status"]) == {"relieved"}
    assert (alat_rows["shadow_price_usd_per_unit_base"] > 0).all()
    assert (alat_rows["shadow_price_usd_per_unit_other"] == 0).all()
    totals = {r["metric"]: r for r in flows.totals()}
    cost = totals["generalized_cost_usd_per_year"]
    assert cost["other"] < cost["base"]
    assert cost["verdict"] == "better"
    assert cost["difference"] == pytest.approx(cost["other"] - cost["base"])


def test_assignments_match_independent_runs(alat: Comparison) -> None:
    assert alat.assignment is not None
    # compare --demand answers with the system optimum (the LP), like the appraisal
    _, _, base = services.run_assignment("eurasia", "middle-2030", method="min_cost")
    _, _, other = services.run_assignment(
        "eurasia", "middle-2030", scenario="alat-phase2", method="min_cost"
    )
    for key in ("generalized_cost_usd_per_year", "co2_kg_per_year", "tonne_km_per_year"):
        assert alat.assignment.base.totals[key] == pytest.approx(base.totals[key], rel=1e-6)
        assert alat.assignment.other.totals[key] == pytest.approx(other.totals[key], rel=1e-6)


def test_link_flow_and_share_differences_add_up(alat: Comparison) -> None:
    assert alat.assignment is not None
    flows = alat.assignment
    links = flows.link_flows()
    assert not links.empty
    base = flows.base.link_totals().set_index("link_id")["flow_t_per_year"]
    other = flows.other.link_totals().set_index("link_id")["flow_t_per_year"]
    for row in links.itertuples():
        expected = other.get(row.link_id, 0.0) - base.get(row.link_id, 0.0)
        assert row.flow_difference_t_per_year == pytest.approx(expected)
    shares = flows.route_shares()
    per_od = shares.groupby(["origin", "destination", "commodity"])
    # Served flow per OD is the same on both sides (no unmet demand) and shares sum to one.
    assert per_od["flow_difference_per_year"].sum().abs().max() < 1e-3
    assert per_od["share_base"].sum().to_numpy() == pytest.approx(1.0)
    assert per_od["share_other"].sum().to_numpy() == pytest.approx(1.0)


def test_inputs_are_not_changed() -> None:
    before = services.valid_network("eurasia").content_hash()
    compare("eurasia", "northern-closed", ods=["Xian:Duisburg"])
    assert services.valid_network("eurasia").content_hash() == before


# --- JSON ---------------------------------------------------------------------------------


def test_json_keys_are_stable(alat: Comparison) -> None:
    data = json.loads(json.dumps(alat.to_dict()))
    assert set(data) == {"base", "other", "params", "ods", "assignment", "provenance"}
    assert set(data["base"]) == {"name", "kind", "title", "year", "network", "content_hash"}
    od = data["ods"][0]
    assert set(od) == {
        "origin", "destination", "commodity", "unit", "reason", "change",
        "base", "other", "difference", "difference_pct", "verdict",
    }  # fmt: skip
    assert set(od["difference"]) == set(ROUTE_METRICS)
    assert {"corridor", "cost_usd_per_unit", "time_h", "distance_km"} <= set(od["base"])
    flows = data["assignment"]
    assert set(flows) == {"demand", "base", "other", "totals", "bottlenecks", "route_shares",
                          "link_flows"}  # fmt: skip
    assert {"shadow_price_usd_per_unit_base", "shadow_price_usd_per_unit_other", "status"} <= set(
        flows["bottlenecks"][0]
    )
    assert {"flow_t_per_year_base", "flow_difference_t_per_year"} <= set(flows["link_flows"][0])
    assert data["base"]["kind"] == "dataset" and data["other"]["kind"] == "scenario"


# --- HTML ---------------------------------------------------------------------------------

_VOID = {"meta", "br", "circle", "rect", "line", "hr", "img", "input", "link", "polyline"}


class _Checker(HTMLParser):
    """Check that every element is closed in order and collect URLs outside #sources."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.text: list[str] = []
        self.sources_depth: int | None = None

    def _in_sources(self) -> bool:
        return self.sources_depth is not None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "link", "iframe", "object", "embed"):
            self.errors.append(f"<{tag}> is not allowed")
        for _, value in attrs:
            if value and "://" in value and not self._in_sources():
                self.outside.append(value)
        if tag in _VOID:
            return
        if ("id", "sources") in attrs:
            self.sources_depth = len(self.stack)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _, value in attrs:
            if value and "://" in value and not self._in_sources():
                self.outside.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if self.sources_depth is not None and len(self.stack) == self.sources_depth:
            self.sources_depth = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "://" in data and not self._in_sources():
            self.outside.append(data)


def _check(html: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker


def test_html_report_is_well_formed_self_contained_and_complete(alat: Comparison) -> None:
    html = comparison_html(alat)
    checker = _check(html)
    assert checker.errors == []
    assert checker.stack == []
    assert checker.outside == []
    text = "".join(checker.text)
    for od in alat.ods:
        assert f"{od.od.origin} → {od.od.destination}" in text
    assert "baku_alat" in text and "relieved" in text
    assert alat.base.network.content_hash() in text
    assert "trend.az" in html  # the scenario's source is cited
    assert html.count("<svg") >= 4  # route map, bars, shadow-price bars, flow map


def test_html_report_of_every_default_pair(zangezur: Comparison) -> None:
    html = comparison_html(zangezur)
    checker = _check(html)
    assert checker.errors == [] and checker.outside == []
    text = "".join(checker.text)
    for od in key_ods():
        assert f"{od.origin} → {od.destination}" in text
    assert "route opens" in text
    assert "http" not in html  # no sources to cite: no address at all


def test_html_escapes_text(tmp_path: Path) -> None:
    scenario = tmp_path / "odd.yaml"
    scenario.write_text(
        "name: odd\ntitle: '<script>alert(1)</script> & <b>bold</b>'\nbase: eurasia\n",
        encoding="utf-8",
    )
    html = comparison_html(compare("eurasia", scenario, ods=["Baku:Kars"]))
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert _check(html).errors == []


def test_diff_cell_marks_better_and_worse_with_a_sign() -> None:
    assert diff_cell("cost_usd_per_unit", 100.0, 90.0) == (
        '<td class="n better">&minus;10 (&minus;10%)</td>'
    )
    assert diff_cell("cost_usd_per_unit", 100.0, 125.0) == '<td class="n worse">+25 (+25%)</td>'
    assert 'class="n"' in diff_cell("cost_usd_per_unit", None, 1.0)
    assert diff_cell("distance_km", 1.0, 3.0) == '<td class="n">+2 (+200%)</td>'  # no verdict
