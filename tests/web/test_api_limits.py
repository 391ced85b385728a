"""Limits and transport settings: body size, CORS, the API on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client

from corridor.web.settings import MAX_BODY_BYTES

AppFactory = Callable[..., FastAPI]


def test_large_bodies_are_refused_with_413(client: TestClient) -> None:
    big = "x" * (MAX_BODY_BYTES + 1)
    response = client.post("/api/scenarios/validate", json={"yaml": big})
    assert response.status_code == 413
    assert response.json()["detail"][0]["type"] == "too_large"

    def chunks():  # no Content-Length: the bytes are counted as they arrive
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b" " * 1024

    streamed = client.post(
        "/api/scenarios/validate", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


def test_cors_is_off_unless_configured(make_app: AppFactory) -> None:
    origin = {"Origin": "https://maps.example.org"}
    with local_client(make_app()) as closed:
        response = closed.get("/api/health", headers=origin)
        assert "access-control-allow-origin" not in response.headers
    with local_client(make_app(cors_origins=("https://maps.example.org",))) as open_:
        response = open_.get("/api/health", headers=origin)
        assert response.headers["access-control-allow-origin"] == "https://maps.example.org"


def test_the_api_on_postgresql(make_app: AppFactory, pg_url: str) -> None:
    with local_client(make_app(database_url=pg_url)) as client:
        assert client.get("/api/health").json()["database"] == "postgresql"
        answer = client.post("/api/route", json={"origin": "Almaty", "destination": "Baku"})
        assert answer.status_code == 200
        run_id = answer.json()["run_id"]
        stored = client.get(f"/api/runs/{run_id}/results").json()
        assert stored["routes"][0]["nodes"] == answer.json()["routes"][0]["nodes"]
        assert (
            client.post("/api/scenarios", json={"name": "s", "yaml": "name: s\n"}).status_code
            == 201
        )
    with local_client(make_app(database_url=pg_url)) as again:
        assert again.get("/api/scenarios/s").status_code == 200
