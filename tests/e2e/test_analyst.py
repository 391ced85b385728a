"""The web page as an analyst's tool: a map you can read, flows that show their bottleneck,
keyboard paths, one colour language, scenario editing, errors, exports and shareable state.

Each test drives the page in headless Chromium and checks what a user would see (DOM,
drawn colours, focus, downloads) against the API's own answer where there is one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

Api = Callable[..., Any]
LAPTOP = {"width": 1280, "height": 720}


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours given as ``#rrggbb`` or ``rgb(r, g, b)``."""

    def channels(colour: str) -> list[float]:
        colour = colour.strip()
        if colour.startswith("#"):
            return [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        return [int(x) / 255 for x in re.findall(r"\d+", colour)[:3]]

    def luminance(colour: str) -> float:
        r, g, b = (
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels(colour)
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("rgb(255, 255, 255)", "#ffffff") == pytest.approx(1.0)


def assign_via_api(call_api: Api, body: dict[str, Any]) -> dict[str, Any]:
    job = call_api("assign", body)
    deadline = time.monotonic() + 120
    while True:
        state = call_api(f"jobs/{job['job_id']}")
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert state["status"] == "done", state
    result: dict[str, Any] = state["result"]
    return result


def find_routes(page: Any, origin: str = "Almaty", destination: str = "Istanbul") -> None:
    page.fill("#origin", origin)
    page.fill("#destination", destination)
    page.click("#find-routes")
    page.wait_for_selector("#leg-table")
    page.wait_for_function(
        "() => document.getElementById('results').getAttribute('aria-busy') === 'false'"
    )


def visible_labels(page: Any, selector: str) -> list[str]:
    """Text of the map names of a kind that lie inside the map's visible area."""
    labels: list[str] = page.evaluate(
        """sel => {
          const map = document.getElementById('map').getBoundingClientRect();
          return [...document.querySelectorAll(sel)].filter(el => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.left >= map.left && r.right <= map.right
              && r.top >= map.top && r.bottom <= map.bottom;
          }).map(el => el.textContent);
        }""",
        selector,
    )
    return labels


# --------------------------------------------------------------------- a map you can read


def test_opening_view_names_the_corridor_region_and_outlines_are_clean(
    open_page: Callable[..., Any], page_errors: list[str], page_problems: list[str]
) -> None:
    for viewport in ({"width": 1440, "height": 900}, LAPTOP):
        page = open_page(viewport)
        places = visible_labels(page, ".place-label")
        seas = visible_labels(page, ".sea-label")
        countries = visible_labels(page, ".country-label")
        for name in ("Baku", "Aktau", "Istanbul", "Almaty", "Astana", "Poti"):
            assert name in places, (name, places)
        assert "Caspian Sea" in seas and "Black Sea" in seas, seas
        assert "KAZAKHSTAN" in {c.upper() for c in countries} and len(countries) >= 8, countries
        # The opening view is the Caspian-Black Sea region, not the world.
        west, south, east, north = json.loads(page.get_attribute("#map", "data-bounds"))
        # The Caspian-Black Sea region (26-74°E, 36.5-53°N) is in view, and not much more.
        assert west <= 26.5 and east >= 73.5 and south <= 37 and north >= 52.5
        assert east - west <= 80 and north - south <= 50, (west, south, east, north)
        # Zoomed out to the world, no outline segment spans the map (what rings crossing
        # the antimeridian drew near 70°N and 17°S).
        zoom_out = page.locator("#map .leaflet-control-zoom-out")
        for _ in range(30):
            if zoom_out.get_attribute("aria-disabled") == "true":
                break
            # A zoom animation may disable the button between the check and the click;
            # forced, a click on a disabled Leaflet control does nothing instead of waiting.
            zoom_out.click(force=True)
            page.wait_for_timeout(300)
        assert zoom_out.get_attribute("aria-disabled") == "true"
        width = page.evaluate("document.getElementById('map').clientWidth")
        longest = page.evaluate(
            """() => {
              let longest = 0;
              for (const p of document.querySelectorAll('.leaflet-basemap-pane path')) {
                // Each "M" starts a ring; only the segments within a ring are drawn.
                for (const ring of (p.getAttribute('d') || '').split('M')) {
                  const nums = ring.match(/-?\\d+(\\.\\d+)?/g) || [];
                  for (let i = 2; i + 1 < nums.length; i += 2) {
                    longest = Math.max(longest, Math.abs(nums[i] - nums[i - 2]));
                  }
                }
              }
              return longest;
            }"""
        )
        assert longest < width, (longest, width)
    assert page_errors == []
    assert page_problems == []


def test_map_is_one_tab_stop_and_focus_moves_to_the_results(page: Any) -> None:
    find_routes(page)
    # After the query the keyboard focus is on the result, not the top of the page.
    assert page.evaluate("document.activeElement.id") == "result-title"
    # Nothing drawn on the map is a Tab stop: from the map, Tab reaches only its two zoom
    # buttons before it leaves the map.
    assert page.locator("#map path").count() > 300
    page.focus("#map")
    inside = []
    for _ in range(20):
        page.keyboard.press("Tab")
        here = page.evaluate(
            "(e => e.closest('#map') ? e.getAttribute('class') : null)(document.activeElement)"
        )
        if here is None:
            break
        inside.append(str(here))
    assert len(inside) <= 2 and all("leaflet-control-zoom" in c for c in inside), inside
    # From the main button to the first route card in a few Tab presses.
    page.focus("#find-routes")
    presses = 0
    while not page.evaluate("document.activeElement.matches('#route-list li:first-child button')"):
        presses += 1
        assert presses <= 10, "the first route card is more than 10 Tab presses from Find routes"
        page.keyboard.press("Tab")


# --------------------------------------------------------------------- one colour language


def test_selected_route_is_drawn_in_its_cards_colour_and_colours_do_not_mix(page: Any) -> None:
    find_routes(page)
    for i in (0, 1):
        if i:
            page.click("#route-list li:nth-child(2) button")
            page.wait_for_selector("#route-list li:nth-child(2) button[aria-pressed='true']")
        card = page.get_attribute(f"#route-list li:nth-child({i + 1}) .route-num", "data-colour")
        drawn = set(
            page.eval_on_selector_all(
                "#map path.route-leg", "ps => ps.map(p => p.getAttribute('stroke'))"
            )
        )
        assert drawn == {card}
    colours = page.evaluate(
        """async () => {
          const map = await import('/static/js/map.js');
          const dom = await import('/static/js/dom.js');
          const steps = map.UTILISATION_STEPS.map(([s]) => map.utilisationColour(s + 1e-6));
          return {modes: Object.values(map.MODE_COLOURS), routes: dom.ROUTE_PALETTE,
                  util: steps, none: map.NO_CAPACITY.colour, bg: map.MAP_BACKGROUNDS};
        }"""
    )
    lower = {c.lower() for c in colours["modes"]}
    assert not lower & {c.lower() for c in colours["routes"]}
    assert not lower & {c.lower() for c in colours["util"]}
    assert len(set(colours["routes"])) == len(colours["routes"])
    # Every line colour has 3:1 contrast on the land and on the sea.
    for colour in colours["modes"] + colours["routes"] + colours["util"] + [colours["none"]]:
        for background in colours["bg"].values():
            assert contrast(colour, background) >= 3, (colour, background)
    # The legend follows the view: route colours, not the mode list.
    assert page.get_attribute("#legend", "data-view") == "routes"
    assert "Rail 1520" not in page.text_content("#legend")


def test_map_names_and_drawn_lines_meet_contrast(page: Any) -> None:
    drawn = set(
        page.eval_on_selector_all(
            "#map path.net-link", "ps => ps.map(p => p.getAttribute('stroke'))"
        )
    )
    for colour in drawn:
        for background in ("#cfe3f2", "#f4f1ea"):
            assert contrast(colour, background) >= 3, (colour, background)
    for selector, background in (
        (".place-label span", "#f4f1ea"),
        (".country-label span", "#f4f1ea"),
        (".sea-label span", "#cfe3f2"),
    ):
        colour = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
        assert contrast(colour, background) >= 4.5, (selector, colour)


# --------------------------------------------------------------------- flows


def test_flows_draw_the_binding_port_with_its_shadow_price_and_list_flows(
    page: Any, call_api: Api, page_errors: list[str]
) -> None:
    expected = assign_via_api(call_api, {"demand": "middle-2030"})
    binding = expected["bottlenecks"][0]
    assert binding["name"] == "Port of Baku (Alat)"
    page.click("#tab-flows")
    page.select_option("#demand", "middle-2030")
    page.click("#run-assign")
    page.wait_for_selector("#od-table", timeout=120_000)
    # The binding port is on the map, named with its shadow price.
    assert page.locator("#map path.binding-node").count() == len(expected["bottlenecks"])
    label = page.text_content(".binding-label")
    price = f"{binding['shadow_price_usd_per_unit']:,.0f}"
    assert "Port of Baku" in label and price in label
    assert price in page.text_content("#flows-headline")
    # Tooltips use names, not link ids.
    # (Leaflet opens a line's tooltip when the line gets focus, as on hover.)
    page.eval_on_selector("#map path.flow-link", "p => p.focus()")
    tip = page.wait_for_selector(".leaflet-tooltip:not(.binding-label)")
    assert "__" not in tip.text_content()
    assert re.search(r"Mt/yr", tip.text_content())
    # Links without a capacity figure are dashed grey, never a spare-capacity colour.
    unknown = page.eval_on_selector_all(
        "#map path.flow-no-capacity",
        "ps => ps.map(p => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')])",
    )
    assert unknown and all(dash for _, dash in unknown)
    assert {stroke for stroke, _ in unknown} == {"#595959"}
    # A width key and a table of flows per OD with served and unmet demand.
    assert page.get_attribute("#legend", "data-view") == "flows"
    assert "Flow per year" in page.text_content("#legend")
    rows = page.eval_on_selector_all(
        "#od-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert len(rows) == len(expected["unmet"])
    for row, od in zip(rows, expected["unmet"], strict=True):
        assert row[2] == f"{od['demand_per_year']:,.0f}"
        assert row[4] == f"{od['unmet_per_year']:,.0f}"
        assert "%" in row[5]
    assert page_errors == []


# --------------------------------------------------------------------- one shipment bar


def test_compare_uses_the_shipment_bar_and_opens_against_a_scenario(
    page: Any, call_api: Api
) -> None:
    scenarios = [s["name"] for s in call_api("scenarios")]
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#tab-compare")
    # What the request will use is visible on this tab.
    for field in ("#year", "#k", "#avoid-box"):
        assert page.is_visible(field), field
    if scenarios:
        assert page.input_value("#compare-other") == scenarios[0]
    page.select_option("#compare-other", "")
    page.click("#avoid-box summary")
    page.check("#avoid-list input[value='RU']")
    assert page.text_content("#avoid-summary") == "RU"
    with page.expect_request("**/api/compare") as sent:
        page.click("#run-compare")
    assert json.loads(sent.value.post_data)["avoid"] == ["RU"]
    page.wait_for_selector("#compare-table")
    expected = call_api("compare", {"origin": "Almaty", "destination": "Istanbul", "avoid": ["RU"]})
    assert "RU" not in expected["base"]["countries"]
    assert "Russia" not in page.text_content("#compare-table")
    assert "avoiding RU" in page.text_content("#result-context")
    assert page.text_content("#result-context-line").startswith("Comparison · base network")
    assert page.get_attribute("#legend", "data-view") == "compare"
    # The table's keys are the colours the two routes are drawn in.
    for side in ("base", "other"):
        drawn = page.eval_on_selector(f"#map path.compare-{side}", "p => p.getAttribute('stroke')")
        key = page.eval_on_selector(
            f"#compare-table .key-{side}", "k => getComputedStyle(k).backgroundColor"
        )
        rgb = tuple(int(drawn[i : i + 2], 16) for i in (1, 3, 5))
        assert key == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", (side, drawn, key)


# --------------------------------------------------------------------- scenarios


def test_validate_accepts_a_bundled_scenario_and_save_follows_the_name(
    page: Any, call_api: Api
) -> None:
    bundled = [s["name"] for s in call_api("scenarios") if s.get("bundled")]
    if not bundled:
        pytest.skip("no bundled scenario")
    page.click("#tab-scenarios")
    page.click(f"#scenario-list button:text-is('{bundled[0]}')")
    page.wait_for_function("() => document.getElementById('scenario-yaml').value.length > 0")
    assert page.is_disabled("#scenario-save")
    page.click("#scenario-validate")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('valid')")
    assert page.text_content("#status") == "The scenario is valid."
    assert page.text_content("#scenario-yaml-error") == ""
    page.fill("#scenario-name", f"{bundled[0]}-copy")
    assert not page.is_disabled("#scenario-save")
    page.click("#scenario-save")
    page.wait_for_function(
        "name => document.getElementById('status').textContent.includes('Saved')",
        arg=f"{bundled[0]}-copy",
    )
    assert f"{bundled[0]}-copy" in [s["name"] for s in call_api("scenarios")]
    # The command line knows bundled scenarios only: a saved one is passed as its YAML file.
    page.select_option("#scenario-picker", f"{bundled[0]}-copy")
    page.click("#tab-route")
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#find-routes")
    page.wait_for_selector("#leg-table")
    page.click("#copy-cli")
    assert f"--scenario {bundled[0]}-copy.yaml" in page.text_content("#cli-call")
    assert f"as {bundled[0]}-copy.yaml" in page.text_content("#cli-box .cli-note")


# --------------------------------------------------------------------- errors


def test_a_failed_query_clears_the_old_answer(page: Any) -> None:
    find_routes(page)
    assert page.locator("#map path.route-leg").count() > 0
    page.fill("#origin", "Nowhereville")
    page.click("#find-routes")
    page.wait_for_selector("#origin-error .problem")
    assert page.locator("#route-list").count() == 0
    assert page.locator("#leg-table").count() == 0
    assert page.locator("#map path.route-leg, #map path.route-alt").count() == 0
    assert page.get_attribute("#legend", "data-view") == "network"


def test_errors_land_next_to_their_field_on_the_tab_in_view(page: Any) -> None:
    # A year that is not whole is refused by name, not silently rounded.
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.fill("#year", "2024.5")
    page.click("#find-routes")
    page.wait_for_selector("#year-error .problem")
    assert page.get_attribute("#year", "aria-invalid") == "true"
    assert page.input_value("#year") == "2024.5"
    page.fill("#year", "")
    page.fill("#k", "0")
    page.click("#find-routes")
    page.wait_for_selector("#k-error .problem")
    assert page.input_value("#k") == "0"
    # A bad year on Flows is shown on Flows, next to Flows' own year.
    page.click("#tab-flows")
    if page.is_visible("#demand"):
        page.select_option("#demand", "")
    page.fill("#assign-year", "1800")
    page.click("#run-assign")
    page.wait_for_selector("#assign-year-error .problem")
    assert page.is_visible("#assign-year-error")
    assert page.get_attribute("#assign-year", "aria-invalid") == "true"
    assert page.text_content("#year-error") == ""
    # Each bad demand line is its own message.
    page.fill("#assign-year", "")
    page.fill("#flows", "Aktau, Baku\nAktau, Baku, grain, lots\n")
    page.click("#run-assign")
    page.wait_for_selector("#flows-error .problem")
    problems = page.eval_on_selector_all(
        "#flows-error .problem", "ps => ps.map(p => p.textContent)"
    )
    assert len(problems) == 2
    assert problems[0].startswith("line 1") and problems[1].startswith("line 2")


# --------------------------------------------------------------------- leaving the page


def test_url_state_round_trips_and_reruns_the_question(
    open_page: Callable[..., Any], page_problems: list[str]
) -> None:
    page = open_page()
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#avoid-box summary")
    page.check("#avoid-list input[value='RU']")
    page.click("#find-routes")
    page.wait_for_selector("#leg-table")
    url = page.url
    assert "from=Almaty" in url and "avoid=RU" in url
    corridors = page.eval_on_selector_all(
        "#route-list .route-corridor", "els => els.map(e => e.dataset.corridor)"
    )
    again = open_page(query=url.split("/", 3)[3])
    again.wait_for_selector("#leg-table")
    assert again.input_value("#origin") == "Almaty"
    assert again.is_checked("#avoid-list input[value='RU']")
    assert (
        again.eval_on_selector_all(
            "#route-list .route-corridor", "els => els.map(e => e.dataset.corridor)"
        )
        == corridors
    )
    assert page_problems == []


def test_exports_download_valid_files(page: Any, call_api: Api) -> None:
    find_routes(page)
    expected = call_api(
        "route",
        {"origin": "Almaty", "destination": "Istanbul", "k": 3, "diverse": True},
    )["routes"][0]
    with page.expect_download() as got:
        page.click("#result-tools button:text-is('Legs (CSV)')")
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(expected["legs"])
    assert rows[0]["from"] == "Almaty"
    assert float(rows[0]["distance_km"]) == expected["legs"][0]["distance_km"]
    with page.expect_download() as got:
        page.click("#result-tools button:text-is('Route (GeoJSON)')")
    geo = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == len(expected["geojson"]["features"])
    # The result says which data made it (the network's version, from the answer).
    version = expected["provenance"]["network_version"]
    assert f"version {version}" in page.text_content("#result-data")
    # "Ask the API the same question" gives a call that answers with the same route.
    page.click("#result-tools .api-call summary")
    command = page.text_content("#api-call")
    assert command.startswith("curl -X POST http") and "/api/route " in command
    body = json.loads(command.split(" -d '", 1)[1].rstrip("'"))
    assert call_api("route", body)["routes"][0]["totals"] == expected["totals"]


def test_a_run_reopens_into_the_form_and_redraws(page: Any) -> None:
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#tab-compare")
    page.click("#run-compare")
    page.wait_for_selector("#compare-table")
    page.fill("#origin", "Aktau")
    page.click("#tab-runs")
    page.click("#runs-list li:first-child button")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.includes('compare')"
    )
    assert page.locator("#compare-table").count() == 1
    assert page.locator("#map path.compare-base").count() > 0
    assert page.input_value("#origin") == "Almaty"
    assert page.locator("#result-body pre").count() == 0


# --------------------------------------------------------------------- laptop, speed, hygiene


def test_laptop_screen_shows_the_main_button_and_no_empty_results_column(
    open_page: Callable[..., Any],
) -> None:
    page = open_page(LAPTOP)
    button = page.locator("#find-routes").bounding_box()
    assert button["y"] + button["height"] <= LAPTOP["height"]
    empty = page.locator("#results").bounding_box()["width"]
    find_routes(page)
    assert page.locator("#results").bounding_box()["width"] > empty
    box = page.locator("#map").bounding_box()
    assert box["width"] >= 560
    # The route is fitted to the map as it is once the results column has opened.
    for end in ("#map .route-origin", "#map .route-destination"):
        mark = page.locator(end).bounding_box()
        assert box["x"] <= mark["x"] and mark["x"] + mark["width"] <= box["x"] + box["width"]
        assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"]


def test_results_are_drawn_quickly_after_the_answer_arrives(page: Any) -> None:
    for n in (1, 2, 3):
        find_routes(page)
        page.wait_for_function(
            "n => performance.getEntriesByName('drawn-route').length === n", arg=n
        )
        drawn = page.evaluate(
            """() => {
              const answer = performance.getEntriesByType('resource')
                .filter(e => e.name.endsWith('/api/route')).at(-1);
              const mark = performance.getEntriesByName('drawn-route').at(-1);
              return mark.startTime - answer.responseEnd;
            }"""
        )
        # From the answer's last byte to the list, tables, map and its names on screen.
        assert drawn < 800, drawn


def test_every_view_loads_without_console_errors_or_missing_files(
    page: Any, page_errors: list[str], page_problems: list[str]
) -> None:
    for tab in (
        "reliability",
        "flows",
        "compare",
        "scenarios",
        "outlook",
        "appraise",
        "validation",
        "runs",
        "route",
    ):
        page.click(f"#tab-{tab}")
        page.wait_for_timeout(100)
    find_routes(page)
    assert page.evaluate("document.querySelector('link[rel=icon]').href.endsWith('favicon.svg')")
    assert page_problems == []
    assert page_errors == []


def test_a_legs_sources_are_cited_with_title_publisher_and_quote(page: Any, call_api: Api) -> None:
    find_routes(page)
    sources = {s["source_id"]: s for s in call_api("sources")}
    best = call_api(
        "route", {"origin": "Almaty", "destination": "Istanbul", "k": 3, "diverse": True}
    )["routes"][0]
    page.click("#leg-table tbody tr:first-child button.leg-sources")
    page.wait_for_selector("#leg-source-panel:not([hidden]) .citation")
    assert page.evaluate("document.activeElement.id") == "leg-source-title"
    cited = page.eval_on_selector_all(
        "#leg-source-panel .citation", "cs => cs.map(c => c.dataset.source)"
    )
    assert cited == best["legs"][0]["sources"]
    text = page.text_content("#leg-source-panel")
    for sid in cited:
        source = sources[sid]
        assert source["title"] in text
        if source.get("publisher"):
            assert source["publisher"] in text
        if source.get("figure_as_published"):
            assert source["figure_as_published"] in text
    links = page.eval_on_selector_all(
        "#leg-source-panel .citation a", "as => as.map(a => a.getAttribute('href'))"
    )
    assert links == [sources[s]["url"] for s in cited if sources[s].get("url")]


def test_route_cards_sort_and_name_countries_in_words(page: Any, call_api: Api) -> None:
    find_routes(page)
    expected = call_api(
        "route", {"origin": "Almaty", "destination": "Istanbul", "k": 3, "diverse": True}
    )["routes"]
    page.select_option("#route-sort", "cost")
    order = page.eval_on_selector_all(
        "#route-list li", "ls => ls.map(l => Number(l.dataset.index))"
    )
    assert order == sorted(range(len(expected)), key=lambda i: expected[i]["totals"]["cost_usd"])
    # Each card keeps its number and colour whatever the order.
    numbers = page.eval_on_selector_all(
        "#route-list .route-num", "ns => ns.map(n => Number(n.textContent))"
    )
    assert numbers == [i + 1 for i in order]
    # Countries in words, international waters by name rather than the code ZZ.
    page.click("#avoid-box summary")
    page.check("#avoid-list input[value='RU']")
    page.click("#find-routes")
    page.wait_for_selector("#avoid-list input[value='RU']:checked")
    page.wait_for_function(
        "() => document.querySelector('.route-details .totals')?.textContent.includes('Türkiye')"
        " && !document.querySelector('.route-details .totals').textContent.includes('Russia')"
    )
    totals = page.text_content(".route-details .totals")
    best = call_api(
        "route",
        {"origin": "Almaty", "destination": "Istanbul", "avoid": ["RU"], "k": 3, "diverse": True},
    )["routes"][0]
    if "ZZ" in best["countries"]:
        assert "international waters" in totals
    assert "ZZ" not in totals and "Kazakhstan" in totals
