"""GET /api/outlook and POST /api/appraise answer what the CLI answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corridor import services


def test_outlook_equals_the_library_and_has_fan_series(client: TestClient) -> None:
    response = client.get("/api/outlook", params={"n": 500, "target_usd": 15e9})
    assert response.status_code == 200, response.text
    body = response.json()
    expected, _ = services.trade_outlook(n=500)
    library = expected.to_dict()
    assert [s["target_year_p50"] for s in body["scenarios"]] == [
        s["target_year_p50"] for s in library["scenarios"]
    ]
    first = body["series"][0]
    assert first["unit"] == "USD" and first["rows"][0].keys() >= {"year", "p10", "p50", "p90"}
    assert all(r["p10"] <= r["p50"] <= r["p90"] for r in first["rows"])


def test_outlook_with_a_corridor_scenario_and_a_bad_one(client: TestClient) -> None:
    body = client.get("/api/outlook", params={"n": 200, "scenario": "zangezur-open"}).json()
    assert body["corridor_change"] is not None
    bad = client.get("/api/outlook", params={"scenario": "no-such-plan"})
    assert bad.status_code == 422 and "not a bundled scenario" in bad.text


def test_appraise_a_given_benefit_with_timing(client: TestClient) -> None:
    body = {"benefit_usd": 3e8, "capex_usd": 2e9, "rate": 0.08, "rates": [4, 8],
            "rate_path": "2026:20,2028:8", "start_years": [2026, 2028, 2030]}  # fmt: skip
    response = client.post("/api/appraise", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    expected = services.appraise_project(
        benefit_usd=3e8, capex_usd=2e9, rate=0.08, rates=[4, 8], rate_path="2026:20,2028:8",
        start_years=[2026, 2028, 2030],
    ).to_dict()  # fmt: skip
    assert data["npv_usd"] == pytest.approx(expected["npv_usd"])
    assert data["timing"]["best_start_year"] == expected["timing"]["best_start_year"] == 2028


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "benefit_usd"),
        ({"scenario": "zangezur-open"}, "demand"),
        ({"scenario": "nope", "demand": "containers-2024"}, "scenario"),
        ({"benefit_usd": 1e8, "rate_path": "2026:x"}, "rate path"),
        ({"benefit_usd": "NaN"}, "benefit_usd"),
    ],
)
def test_bad_appraisals_are_422(client: TestClient, body: dict[str, object], field: str) -> None:
    response = client.post("/api/appraise", json=body)
    assert response.status_code == 422, response.text
    assert field in response.text
