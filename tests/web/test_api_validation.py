"""``GET /api/validation`` returns the document of ``corridor validate --json``."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_validation_endpoint_returns_the_summary_and_rows(client: TestClient) -> None:
    response = client.get("/api/validation", params={"kind": "distance"})
    assert response.status_code == 200
    body = response.json()
    assert [s["kind"] for s in body["summary"]] == ["distance"]
    assert all(r["kind"] == "distance" for r in body["observations"])
    assert body["criteria"]["bands"]["distance"]["relative"] == 0.1


def test_validation_endpoint_rejects_an_unknown_kind(client: TestClient) -> None:
    assert client.get("/api/validation", params={"kind": "speed"}).status_code == 422
