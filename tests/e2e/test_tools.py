"""The web page's shipment quote, its map picture and its command line, in headless Chromium.

The quote on the route cards is checked against ``POST /api/quote`` for the same shipment, the
PNG by its signature and size, and the copied ``corridor`` command by the CLI's own parser.
"""

from __future__ import annotations

import shlex
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_analyst import contrast

pytestmark = pytest.mark.e2e

Api = Callable[..., Any]


def wait_idle(page: Any) -> None:
    page.wait_for_function(
        "() => document.getElementById('results').getAttribute('aria-busy') === 'false'"
    )


def find_routes(page: Any) -> None:
    page.click("#find-routes")
    page.wait_for_selector("#leg-table")
    wait_idle(page)


def parse_cli(command: str) -> tuple[str, dict[str, Any]]:
    """Parse one ``corridor ...`` command with the real CLI: (subcommand, its parameters)."""
    import typer.main

    from corridor.cli.main import app

    words = shlex.split(command)
    assert words[0] == "corridor"
    group = typer.main.get_command(app)
    name, rest = words[1], words[2:]
    sub = group.commands[name]  # type: ignore[attr-defined]
    with sub.make_context(name, rest) as ctx:
        return name, dict(ctx.params)


def test_quote_shows_shipment_totals_on_the_cards_and_copies_its_commands(
    page: Any, call_api: Api, page_problems: list[str]
) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#quote-box summary")
    page.fill("#quantity", "40")
    page.select_option("#unit", "feu")
    page.fill("#cargo-value", "2500000")
    assert page.text_content("#quote-summary") == "40 FEU worth 2,500,000 USD"
    find_routes(page)
    page.wait_for_selector(".route-spread")

    k = int(page.input_value("#k"))
    routes = call_api(
        "route", {"origin": "Almaty", "destination": "Istanbul", "k": k, "diverse": True}
    )["routes"]
    quote = call_api(
        "quote",
        {
            "origin": "Almaty",
            "destination": "Istanbul",
            "k": k,
            "quantity": 40,
            "unit": "feu",
            "cargo_value_usd": 2_500_000,
        },
    )
    priced = {tuple(r["nodes"]): r for r in quote["routes"]}
    cards = page.eval_on_selector_all(
        "#route-list li",
        """ls => ls.map(l => ({
            index: Number(l.dataset.index),
            spread: l.querySelector('.route-spread').dataset.spread,
            text: l.querySelector('.route-spread').textContent,
        }))""",
    )
    assert len(cards) == len(routes)
    matched = 0
    for card in cards:
        route = routes[card["index"]]
        quoted = priced.get(tuple(route["nodes"]))
        if quoted is None:
            # Never a spread of zero: the card says it has none.
            assert card["spread"] == "none" and "No spread data" in card["text"]
            continue
        matched += 1
        totals = quoted["shipment_totals"]
        per_unit = quoted["per_unit"]
        assert card["spread"] == "quote"
        assert (
            f"{totals['cost_usd']:,.0f} USD + {totals['expected_insurance_usd']:,.0f}"
            in (card["text"])
        )
        assert f"{totals['co2_t']:,.1f} t CO₂e" in card["text"]
        assert f"P90 {totals['p90_time_days']:,.1f} d" in card["text"]
        assert f"generalized {totals['generalized_cost_usd']:,.0f} USD" in card["text"]
        assert f"P90 {per_unit['p90_generalized_cost_usd']:,.0f} USD per TEU" in card["text"]
        assert "40 FEU (80.0 TEU)" in card["text"]
    assert matched >= 1, "no route card carries the shipment's totals"
    assert "worth 2,500,000 USD" in page.text_content("#quote-note summary")
    # The address keeps the shipment, and the first card stays a few Tab presses away.
    assert "qty=40" in page.url and "unit=feu" in page.url and "value=2500000" in page.url
    page.focus("#find-routes")
    presses = 0
    while not page.evaluate("document.activeElement.matches('#route-list li:first-child button')"):
        presses += 1
        assert presses <= 10, "the first route card is more than 10 Tab presses away"
        page.keyboard.press("Tab")

    # "Copy as CLI command": the route and the quote, each parsed by the real CLI.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy-cli")
    page.wait_for_selector("#cli-box:not([hidden])")
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.splitlines()
    assert lines == [page.text_content("#cli-call"), page.text_content("#cli-call-quote")]
    name, params = parse_cli(lines[0])
    assert name == "route"
    assert (params["origin"], params["destination"], params["cargo"]) == (
        "Almaty",
        "Istanbul",
        "container",
    )
    assert (params["k"], params["diverse"], params["by"]) == (k, True, "generalized")
    name, params = parse_cli(lines[1])
    assert name == "quote"
    assert (params["quantity"], params["unit"], params["cargo_value"]) == (40, "feu", 2_500_000)
    assert (params["k"], params["n"], params["seed"]) == (k, 10_000, 0)

    # The quote's run reopens into the shipment fields and the cards.
    page.fill("#quantity", "")
    page.fill("#cargo-value", "")
    page.click("#tab-runs")
    with page.expect_response("**/api/quote") as asked:
        page.click("#runs-list li button:text-matches('^quote ')")
    assert asked.value.request.post_data_json["quantity"] == 40
    wait_idle(page)
    assert page.input_value("#quantity") == "40"
    assert page.locator(".route-spread[data-spread='quote']").count() >= 1
    assert page.input_value("#unit") == "feu"
    assert page.input_value("#cargo-value") == "2500000"
    assert page_problems == []


def test_bad_shipment_input_is_named_next_to_its_field(page: Any) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#quote-box summary")
    # A cargo value without a quantity is caught on the page.
    page.fill("#cargo-value", "1000000")
    page.click("#find-routes")
    page.wait_for_selector("#quantity-error .problem")
    assert "quantity" in page.text_content("#quantity-error")
    assert page.get_attribute("#quantity", "aria-invalid") == "true"
    # A quantity the API refuses: its message lands next to the field.
    page.fill("#quantity", "-3")
    page.click("#find-routes")
    page.wait_for_selector("#quantity-error .problem")
    wait_idle(page)
    assert "greater than 0" in page.text_content("#quantity-error")
    assert page.locator("#route-list").count() == 0


def test_route_cards_filter_and_the_map_exports_a_png_with_its_legend(
    page: Any, call_api: Api
) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.fill("#k", "5")
    find_routes(page)
    routes = call_api(
        "route", {"origin": "Almaty", "destination": "Istanbul", "k": 5, "diverse": True}
    )["routes"]
    shown = "ls => ls.filter(l => !l.hidden).map(l => Number(l.dataset.index))"
    assert page.eval_on_selector_all("#route-list li", shown) == list(range(len(routes)))
    # Without a priced shipment the cards say they have no spread, never a spread of zero.
    assert page.eval_on_selector_all(".route-spread", "ss => ss.map(s => s.dataset.spread)") == [
        "none"
    ] * len(routes)
    page.click("#route-filter summary")
    days = sorted(r["totals"]["time_h"] / 24 for r in routes)
    limit = round((days[0] + days[-1]) / 2, 1)
    page.fill("#filter-days", str(limit))
    expected = [i for i, r in enumerate(routes) if r["totals"]["time_h"] / 24 <= limit]
    assert 0 < len(expected) < len(routes)
    assert page.eval_on_selector_all("#route-list li", shown) == expected
    assert page.text_content("#route-filter-summary") == (
        f"{len(expected)} of {len(routes)} routes shown"
    )
    page.fill("#filter-days", "")
    page.select_option("#filter-corridor", routes[1]["corridor"])
    same = [i for i, r in enumerate(routes) if r["corridor"] == routes[1]["corridor"]]
    assert page.eval_on_selector_all("#route-list li", shown) == same
    # The filter holds while another card is chosen (the list is redrawn).
    page.click(f"#route-list li[data-index='{same[0]}'] button")
    assert page.eval_on_selector_all("#route-list li", shown) == same
    page.select_option("#filter-corridor", "")

    with page.expect_download() as got:
        page.click("#result-tools button:text-is('Map (PNG)')")
    data = Path(got.value.path()).read_bytes()
    assert got.value.suggested_filename == "map-route.png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    box = page.locator(".map-wrap").bounding_box()
    assert (width, height) == (round(box["width"]), round(box["height"]))
    # A drawn map, not a blank canvas: the lines and names compress to far more than a
    # plain background would.
    assert len(data) > 40_000, len(data)


def test_outlook_appraisal_and_validation_views_show_the_apis_answers(
    page: Any, call_api: Api, page_problems: list[str]
) -> None:
    # Outlook: the year 15 bn USD is reached, per growth scenario, and its fan chart.
    page.click("#tab-outlook")
    page.click("#run-outlook")
    page.wait_for_selector("#outlook-table")
    wait_idle(page)
    outlook = call_api("outlook")
    rows = page.eval_on_selector_all(
        "#outlook-table tbody tr",
        "rs => rs.map(r => [r.dataset.scenario, ...[...r.cells].map(c => c.textContent)])",
    )
    assert [r[0] for r in rows] == [s["scenario_id"] for s in outlook["scenarios"]]
    for row, scenario in zip(rows, outlook["scenarios"], strict=True):
        reached = scenario["target_reached"]
        assert row[3:7] == [reached["central"], reached["p10"], reached["p50"], reached["p90"]]
    assert "15.0 bn USD" in page.text_content("#result-title")
    assert page.evaluate(
        "Chart.getChart(document.querySelector('#result-body canvas')).data.datasets"
        ".some(d => d.label.startsWith('target 15.0 bn'))"
    )
    page.click("#copy-cli")
    name, params = parse_cli(page.text_content("#cli-call"))
    assert (name, params["target"], params["horizon"], params["reporter"]) == (
        "outlook",
        15e9,
        2060,
        "KZ",
    )

    # Appraisal: NPV and IRR, and the NPV at each rung of the discount-rate ladder.
    page.click("#tab-appraise")
    page.fill("#appraise-benefit", "200000000")
    page.fill("#appraise-capex", "1500000000")
    page.click("#run-appraise")
    page.wait_for_selector("#appraisal-facts")
    wait_idle(page)
    appraisal = call_api(
        "appraise", {"benefit_usd": 2e8, "capex_usd": 1.5e9, "opex_usd_per_year": 0, "years": 25}
    )
    facts = page.text_content("#appraisal-facts")
    assert f"{appraisal['npv_usd']:,.0f} USD at 8.0%" in facts
    assert f"{appraisal['irr_pct']:,.2f}%" in facts
    ladder = page.eval_on_selector_all(
        "#rate-ladder tbody tr", "rs => rs.map(r => r.cells[2].textContent)"
    )
    assert ladder == [f"{r['npv_usd']:,.0f}" for r in appraisal["sweep"]]
    # A bad field is named next to it.
    page.fill("#appraise-years", "0")
    page.click("#run-appraise")
    page.wait_for_selector("#years-error .problem")
    wait_idle(page)

    # Validation: how many observations the model meets, and each one.
    page.click("#tab-validation")
    page.click("#run-validation")
    page.wait_for_selector("#validation-table")
    wait_idle(page)
    report = call_api("validation")
    total = report["total"]
    assert page.text_content("#result-title").startswith(
        f"Validation: {total['in_band']} of {total['count']} observations in band"
    )
    assert page.locator("#validation-table tbody tr").count() == len(report["observations"])
    assert page.locator("#validation-table tbody tr.unmet").count() == sum(
        1 for o in report["observations"] if o["in_band"] is False
    )
    assert [p for p in page_problems if "422" not in p] == []


def test_compare_draws_what_changes_link_by_link(page: Any, call_api: Api) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#tab-compare")
    page.select_option("#compare-base", "")
    page.select_option("#compare-other", "northern-closed")
    page.click("#run-compare")
    page.wait_for_selector("#compare-table")
    wait_idle(page)
    data = call_api(
        "compare", {"origin": "Almaty", "destination": "Istanbul", "other": "northern-closed"}
    )
    base = {f["id"] for f in data["base"]["geojson"]["features"]}
    other = {f["id"] for f in data["other"]["geojson"]["features"]}
    assert base != other
    route_colours = {
        page.eval_on_selector(f"#map path.compare-{side}", "p => p.getAttribute('stroke')")
        for side in ("base", "other")
    }
    page.check("#compare-map-difference")
    page.wait_for_selector("#map path.difference-added")
    counts = {
        kind: page.locator(f"#map path.difference-{kind}").count()
        for kind in ("added", "removed", "same")
    }
    assert counts == {
        "added": len(other - base),
        "removed": len(base - other),
        "same": len(base & other),
    }
    # Coloured by sign: added and removed differ from each other and from both route colours.
    colours = {
        kind: page.eval_on_selector(f"#map path.difference-{kind}", "p => p.getAttribute('stroke')")
        for kind in ("added", "removed")
    }
    assert colours["added"] != colours["removed"]
    assert not set(colours.values()) & route_colours
    for colour in colours.values():
        for background in ("#cfe3f2", "#f4f1ea"):
            assert contrast(colour, background) >= 3, (colour, background)
    assert page.get_attribute("#legend", "data-view") == "difference"
    assert f"{len(other - base)} links start being used" in page.text_content("#difference-summary")
    page.check("#compare-map-routes")
    assert page.locator("#map path.difference-added").count() == 0
    assert page.locator("#map path.compare-other").count() > 0


def test_the_target_assignment_view_shows_the_jobs_answer(
    page: Any, call_api: Api, page_problems: list[str]
) -> None:
    # The $15 bn question: the page queues the job, follows it and draws its answer.
    page.click("#tab-outlook")
    page.select_option("#target-mix", "today")
    page.fill("#target-steps", "1")
    page.click("#run-target")
    page.wait_for_selector("#target-networks", timeout=300_000)
    wait_idle(page)
    runs = call_api("runs?limit=5")["runs"]
    job_id = next(r["run_id"] for r in runs if r["kind"] == "target-assignment")
    result = call_api(f"jobs/{job_id}")["result"]
    assert result["mix"] == "today" and result["target_usd"] == 15e9
    today = result["networks"][0]
    assert today["network"] == "today"
    assert today["served_share"] == pytest.approx(1.0)
    # The Kazakh section of CPC binds at the target; it is named, not shown as an id.
    cpc = next(b for b in today["binding"] if b["item_id"] == "atyrau__cpc_terminal__pipeline")
    assert cpc["name"] != cpc["item_id"] and "–" in cpc["name"]
    shown = page.eval_on_selector_all(
        "#target-networks tbody tr", "rs => rs.map(r => r.dataset.network)"
    )
    assert shown == [n["network"] for n in result["networks"]]
    binding = page.eval_on_selector_all(
        "#target-binding tbody tr.binding", "rs => rs.map(r => r.cells[1].textContent)"
    )
    assert binding == [b["name"] for n in result["networks"] for b in n["binding"]]
    assert page.text_content("#result-title").startswith("Can the corridors carry 15.0 bn USD")
    page.click("#copy-cli")
    name, params = parse_cli(page.text_content("#cli-call"))
    assert (name, params["assign"], params["mix"], params["steps"], params["target"]) == (
        "outlook",
        True,
        "today",
        1,
        15e9,
    )
    assert page_problems == []
