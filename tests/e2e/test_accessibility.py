"""axe-core on every view of the web page: no serious or critical accessibility violation.

One page load walks the views (the opening page, routes with a priced shipment, the Pareto
front, reliability, comparison, flows, outlook, appraisal, validation, scenarios and runs)
and audits each with axe-core, bundled by the axe-playwright-python test dependency.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def audit(page: Any, view: str) -> list[str]:
    """The serious and critical axe-core violations of the page as it is, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:5]]
        found.append(f"{view}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def wait_idle(page: Any) -> None:
    page.wait_for_function(
        "() => document.getElementById('results').getAttribute('aria-busy') === 'false'"
    )


def test_every_view_passes_axe_core(page: Any, page_problems: list[str]) -> None:
    found = audit(page, "opening page")
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Istanbul")
    page.click("#quote-box summary")
    page.fill("#quantity", "40")
    page.click("#find-routes")
    page.wait_for_selector(".route-spread[data-spread='quote']")
    wait_idle(page)
    found += audit(page, "routes")
    page.click("#find-pareto")
    page.wait_for_selector("#result-body canvas")
    wait_idle(page)
    found += audit(page, "pareto")
    page.click("#tab-reliability")
    page.fill("#sim-n", "1000")
    page.click("#run-simulate")
    page.wait_for_selector("#reliability-table")
    wait_idle(page)
    found += audit(page, "reliability")
    page.click("#tab-compare")
    page.click("#run-compare")
    page.wait_for_selector("#compare-table")
    wait_idle(page)
    found += audit(page, "compare")
    page.click("#tab-flows")
    page.select_option("#demand", "middle-2030")
    page.click("#run-assign")
    page.wait_for_selector("#od-table")
    wait_idle(page)
    found += audit(page, "flows")
    for tab, table in (
        ("outlook", "#outlook-table"),
        ("appraise", "#rate-ladder"),
        ("validation", "#validation-table"),
    ):
        page.click(f"#tab-{tab}")
        page.click(f"#run-{tab}")
        page.wait_for_selector(table)
        wait_idle(page)
        found += audit(page, tab)
    page.click("#tab-scenarios")
    found += audit(page, "scenarios")
    page.click("#tab-runs")
    page.wait_for_selector("#runs-list li")
    found += audit(page, "runs")
    assert found == [], "\n".join(found)
    assert page_problems == []
