"""POST /api/quote equals the library's quote; risk controls reach the REST API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import corridor
from corridor.services.shipments import quote_shipment

NET = corridor.load()
BODY = {"origin": "Xian", "destination": "Istanbul", "quantity": 40, "unit": "feu",
        "cargo_value_usd": 2.5e6, "n": 1000, "k": 1}  # fmt: skip


def test_quote_equals_the_library(client: TestClient) -> None:
    response = client.post("/api/quote", json=BODY)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = quote_shipment(NET, "Xian", "Istanbul", quantity=40, unit="feu",
                              cargo_value_usd=2.5e6, n=1000, k=1)  # fmt: skip
    assert body["shipment"]["units_in_commodity_unit"] == 80.0
    assert [r["nodes"] for r in body["routes"]] == [
        q.reliability.route.nodes for q in expected.routes
    ]
    first, library = body["routes"][0], expected.routes[0].totals()
    assert first["shipment_totals"]["cost_usd"] == pytest.approx(library["cost_usd"])
    assert first["shipment_totals"]["p90_time_days"] == pytest.approx(library["p90_time_days"])
    assert first["geojson"]["features"] and first["corridor_name"]
    assert body["run_id"] and "FEU count as 2 TEU" in body["assumptions"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"unit": "box"}, "unit"),
        ({"cargo_value_usd": -5}, "cargo_value_usd"),
        ({"commodity": "grain"}, "unit"),  # grain is quoted in tonnes, not FEU
    ],
)
def test_bad_quotes_are_422_naming_the_field(
    client: TestClient, change: dict[str, object], field: str
) -> None:
    response = client.post("/api/quote", json={**BODY, **change})
    assert response.status_code == 422, response.text
    assert field in response.text


def test_insurability_limit_in_the_rest_api(client: TestClient) -> None:
    free = client.post("/api/route", json={"origin": "Xian", "destination": "Istanbul"}).json()
    assert free["routes"][0]["totals"]["risk_usd"] > 0  # the best route pays war risk
    strict = client.post(
        "/api/route",
        json={"origin": "Xian", "destination": "Istanbul", "max_war_risk_pct": 0.0},
    ).json()
    assert strict["routes"][0]["totals"]["risk_usd"] == 0.0
    assert strict["routes"][0]["provenance"]["params"]["max_war_risk_pct"] == 0.0
