"""Runs: every call is recorded with its request, status, timings and result."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client

AppFactory = Callable[..., FastAPI]


def test_route_calls_are_recorded_with_their_results(client: TestClient) -> None:
    answer = client.post("/api/route", json={"origin": "Xian", "destination": "Istanbul"}).json()
    failed = client.post("/api/route", json={"origin": "Xain", "destination": "Istanbul"})
    assert failed.status_code == 422
    listing = client.get("/api/runs").json()
    assert listing["total"] == 2
    newest, oldest = listing["runs"]
    assert oldest["run_id"] == answer["run_id"]
    assert oldest["status"] == "done" and oldest["kind"] == "route"
    assert oldest["request"]["origin"] == "Xian" and oldest["duration_s"] >= 0
    assert newest["status"] == "failed"
    assert newest["error"]["detail"][0]["loc"] == ["body", "origin"]
    run = client.get(f"/api/runs/{answer['run_id']}").json()
    assert run == oldest
    results = client.get(f"/api/runs/{answer['run_id']}/results").json()
    assert results == {k: v for k, v in answer.items() if k not in ("run_id", "stored")}


def test_runs_filter_page_and_delete(client: TestClient) -> None:
    for _ in range(3):
        client.post("/api/route", json={"origin": "Almaty", "destination": "Baku"})
    client.post("/api/simulate", json={"origin": "Almaty", "destination": "Baku", "n": 100})
    assert client.get("/api/runs", params={"kind": "simulate"}).json()["total"] == 1
    page = client.get("/api/runs", params={"kind": "route", "limit": 2, "offset": 2}).json()
    assert page["total"] == 3 and len(page["runs"]) == 1
    run_id = page["runs"][0]["run_id"]
    assert client.delete(f"/api/runs/{run_id}").status_code == 204
    assert client.get(f"/api/runs/{run_id}").status_code == 404
    assert client.get("/api/runs", params={"limit": 501}).status_code == 422
    assert client.get("/api/runs", params={"kind": "nonsense"}).status_code == 422


def test_deleting_runs_needs_the_token(make_app: AppFactory) -> None:
    with local_client(make_app(api_token="t")) as client:
        run_id = client.post("/api/route", json={"origin": "Almaty", "destination": "Baku"}).json()[
            "run_id"
        ]
        assert client.delete(f"/api/runs/{run_id}").status_code == 401
        ok = client.delete(f"/api/runs/{run_id}", headers={"Authorization": "Bearer t"})
        assert ok.status_code == 204


def test_runs_survive_a_restart(make_app: AppFactory) -> None:
    with local_client(make_app()) as first:
        run_id = first.post("/api/route", json={"origin": "Almaty", "destination": "Baku"}).json()[
            "run_id"
        ]
    with local_client(make_app()) as second:
        assert second.get(f"/api/runs/{run_id}").json()["status"] == "done"


def test_a_repeated_request_is_a_new_run_with_the_same_answer(client: TestClient) -> None:
    body = {"origin": "Almaty", "destination": "Baku", "k": 2}
    first = client.post("/api/route", json=body).json()
    second = client.post("/api/route", json=body).json()
    assert first["run_id"] != second["run_id"]
    assert {k: v for k, v in first.items() if k != "run_id"} == {
        k: v for k, v in second.items() if k != "run_id"
    }
    assert client.get("/api/runs", params={"kind": "route"}).json()["total"] == 2
