"""The web page in a real headless Chromium: routes, errors, scenarios, reliability and flows.

Each test drives the page as a user would and checks what it shows against the API's own
answer for the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

Api = Callable[..., Any]


def find_routes(page: Any, origin: str, destination: str, cargo: str = "container") -> None:
    page.fill("#origin", origin)
    page.fill("#destination", destination)
    page.select_option("#commodity", cargo)
    page.click("#find-routes")
    page.wait_for_selector("#leg-table")
    page.wait_for_function(
        "() => document.getElementById('results').getAttribute('aria-busy') === 'false'"
    )


def leg_rows(page: Any) -> list[list[str]]:
    rows: list[list[str]] = page.eval_on_selector_all(
        "#leg-table tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))",
    )
    return rows


def drawn_route_path(page: Any) -> list[str]:
    paths: list[str] = page.eval_on_selector_all(
        "#map path.route-leg", "ps => ps.map(p => p.getAttribute('d'))"
    )
    return paths


def test_route_almaty_istanbul_on_map_and_leg_table(
    page: Any, call_api: Api, page_errors: list[str]
) -> None:
    k = int(page.input_value("#k"))
    find_routes(page, "Almaty", "Istanbul")
    expected = call_api(
        "route",
        {
            "origin": "Almaty",
            "destination": "Istanbul",
            "commodity": "container",
            "k": k,
            "diverse": True,
        },
    )["routes"]

    # The list shows the same routes in the same order as the API.
    corridors = page.eval_on_selector_all(
        "#route-list .route-corridor", "els => els.map(e => e.dataset.corridor)"
    )
    assert corridors == [r["corridor"] for r in expected]

    # The leg table of the selected (first) route: same legs, from Almaty to Istanbul.
    best = expected[0]
    rows = leg_rows(page)
    assert len(rows) == len(best["legs"])
    assert rows[0][1].startswith("Almaty")
    assert rows[-1][1].endswith(best["legs"][-1]["to_name"])
    assert [r[0] for r in rows] == [str(i + 1) for i in range(len(rows))]
    total_km = page.text_content("#leg-table tfoot td")
    assert total_km == f"{best['totals']['distance_km']:,.0f}"

    # On the map: one highlighted line per link leg, plus the alternatives.
    link_legs = sum(1 for leg in best["legs"] if leg["kind"] == "link")
    assert len(drawn_route_path(page)) == link_legs
    assert page.locator("#map path.route-alt").count() > 0
    assert page.locator("#map .route-origin").count() == 1
    assert page.locator("#map .route-destination").count() == 1
    assert "Found" in page.text_content("#status")
    assert page_errors == []


def test_choosing_an_alternative_redraws_its_legs(page: Any, page_errors: list[str]) -> None:
    find_routes(page, "Almaty", "Istanbul")
    first = drawn_route_path(page)
    first_rows = leg_rows(page)
    page.click("#route-list li:nth-child(2) button")
    page.wait_for_selector("#route-list li:nth-child(2) button[aria-pressed='true']")
    assert page.text_content("#leg-table caption").startswith("Legs of route 2")
    assert drawn_route_path(page) != first
    assert leg_rows(page) != first_rows
    assert page_errors == []


def test_avoiding_a_country_changes_the_route(
    page: Any, call_api: Api, page_errors: list[str]
) -> None:
    find_routes(page, "Almaty", "Istanbul")
    before = page.get_attribute("#route-list li:first-child .route-corridor", "data-corridor")
    countries_before = page.text_content(".route-details .totals")
    assert "Russia" in countries_before, "the best Almaty-Istanbul route crosses Russia"
    path_before = drawn_route_path(page)

    page.click("#avoid-box summary")
    page.check("#avoid-list input[value='RU']")
    page.click("#find-routes")
    page.wait_for_function(
        "before => document.querySelector('#route-list li:first-child .route-corridor')"
        "?.dataset.corridor !== before",
        arg=before,
    )
    expected = call_api(
        "route",
        {"origin": "Almaty", "destination": "Istanbul", "avoid": ["RU"], "k": 3, "diverse": True},
    )["routes"][0]
    after = page.get_attribute("#route-list li:first-child .route-corridor", "data-corridor")
    assert after == expected["corridor"]
    assert "RU" not in expected["countries"]
    assert "Russia" not in page.text_content(".route-details .totals")
    assert drawn_route_path(page) != path_before
    assert page_errors == []


def test_switching_scenario_changes_the_route(
    page: Any, call_api: Api, page_errors: list[str]
) -> None:
    scenarios = [s["name"] for s in call_api("scenarios")]
    if not scenarios:
        pytest.skip("this version of corridor has no scenarios to switch to")
    find_routes(page, "Almaty", "Istanbul")
    base = call_api("route", {"origin": "Almaty", "destination": "Istanbul"})["routes"][0]
    for name in scenarios:
        other = call_api(
            "route", {"origin": "Almaty", "destination": "Istanbul", "scenario": name}
        )["routes"][0]
        if other["totals"] != base["totals"]:
            break
    else:
        pytest.skip("no scenario changes the Almaty-Istanbul route")
    page.select_option("#scenario-picker", name)
    page.wait_for_function(
        "name => document.getElementById('status').textContent.includes(name)", arg=name
    )
    days = f"{other['totals']['time_h'] / 24:.1f} d"
    assert page.text_content("#route-list li:first-child .route-figures").startswith(days)
    assert page_errors == []


def test_unknown_place_is_shown_next_to_the_field_with_suggestions(
    page: Any, page_errors: list[str]
) -> None:
    page.fill("#origin", "Almatyy")
    page.fill("#destination", "Istanbul")
    page.click("#find-routes")
    suggestion = page.wait_for_selector("#origin-error button.suggestion")
    assert page.get_attribute("#origin", "aria-invalid") == "true"
    assert "Almatyy" in page.text_content("#origin-error")
    assert page.text_content("#destination-error") == ""
    assert suggestion.text_content() == "Almaty"
    suggestion.click()
    assert page.input_value("#origin") == "Almaty"
    assert page.get_attribute("#origin", "aria-invalid") is None
    assert page_errors == []


def test_tabs_work_from_the_keyboard_and_simulation_draws_its_chart(
    page: Any, call_api: Api, page_errors: list[str]
) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.focus("#tab-route")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-reliability"
    assert page.get_attribute("#tab-reliability", "aria-selected") == "true"
    assert page.is_visible("#pane-reliability")
    assert not page.is_visible("#pane-route")

    page.fill("#sim-n", "2000")
    page.fill("#sim-deadline", "20")
    page.click("#run-simulate")
    page.wait_for_selector("#reliability-table")
    expected = call_api(
        "simulate",
        {
            "origin": "Almaty",
            "destination": "Istanbul",
            "n": 2000,
            "seed": 0,
            "k": 3,
            "deadline_h": 480,
        },
    )["routes"]
    rows = page.eval_on_selector_all(
        "#reliability-table tbody tr", "rows => rows.map(r => r.cells[4].textContent)"
    )
    assert rows == [f"{r['p90_time_h'] / 24:.1f}" for r in expected]
    # The chart was drawn (Chart.js attaches itself to the canvas).
    assert page.evaluate(
        "Boolean(window.Chart.getChart(document.querySelector('#result-body canvas')))"
    )
    assert page_errors == []


def test_assigned_flows_are_drawn_with_widths_and_listed(page: Any, page_errors: list[str]) -> None:
    page.click("#tab-flows")
    page.click("#run-assign")
    page.wait_for_selector("#bottleneck-table", timeout=120_000)
    assert page.locator("#map path.flow-link").count() > 0
    widths = page.eval_on_selector_all(
        "#map path.flow-link", "ps => ps.map(p => Number(p.getAttribute('stroke-width')))"
    )
    assert min(widths) >= 2
    assert "Flows assigned" in page.text_content("#status")
    assert "Logit equilibrium: relative gap" in page.text_content("#assign-method-used")
    assert page.locator("#share-table tbody tr").count() >= 2
    assert page_errors == []


def test_empty_places_are_caught_before_asking_the_server(
    page: Any, page_errors: list[str]
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/route" in r.url else None)
    page.click("#find-routes")
    assert "Type or pick a place" in page.text_content("#origin-error")
    assert "Type or pick a place" in page.text_content("#destination-error")
    assert requests == []
    assert page_errors == []
