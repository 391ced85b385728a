"""Assignment jobs: queued in the background, polled, checked against a hand-computed total."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client

import corridor

AppFactory = Callable[..., FastAPI]

NET = corridor.load()


def wait_for(client: TestClient, job_id: str, timeout_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        assert 0 <= job["progress"] <= 1
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s")


def test_one_uncongested_flow_takes_its_best_route(client: TestClient) -> None:
    teu = 1000.0
    response = client.post(
        "/api/assign",
        json={
            "flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": teu}],
            "method": "min_cost",
        },
    )
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] in ("queued", "running", "done")
    assert response.headers["Location"] == f"/api/jobs/{accepted['job_id']}"
    job = wait_for(client, accepted["job_id"])
    assert job["status"] == "done", job["error"]
    result = job["result"]
    best = corridor.route(NET, "Almaty", "Baku")
    t_per_teu = float(NET.commodities.set_index("commodity_id").loc["container", "t_per_unit"])
    assert result["totals"]["unmet_t_per_year"] == 0
    assert result["totals"]["tonne_km_per_year"] == pytest.approx(
        teu * t_per_teu * best.totals.distance_km, rel=1e-6
    )
    flows = {f["properties"]["link_id"]: f for f in result["link_flows"]["features"]}
    assert set(flows) == set(best.link_ids)
    for feature in flows.values():
        assert feature["properties"]["flow_t_per_year"] == pytest.approx(teu * t_per_teu)
        assert feature["geometry"]["type"] == "LineString"


def test_the_default_logit_splits_over_routes_and_reports_its_convergence(
    client: TestClient,
) -> None:
    teu = 1000.0
    job_id = client.post(
        "/api/assign",
        json={"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": teu}]},
    ).json()["job_id"]
    job = wait_for(client, job_id)
    assert job["status"] == "done", job["error"]
    result = job["result"]
    assert result["method"] == "logit"
    assert result["convergence"]["relative_gap"] <= result["convergence"]["tolerance"]
    shares = result["route_shares"]
    assert len(shares) >= 2
    assert sum(s["flow_per_year"] for s in shares) == pytest.approx(teu, rel=1e-6)
    assert {s["shipper_class"] for s in result["class_shares"]} == {
        "container-standard",
        "container-time-sensitive",
    }


def test_demand_over_a_capacity_makes_it_a_priced_bottleneck(client: TestClient) -> None:
    # A million TEU a year from Almaty to Baku is more than the Alat port's 100,000 TEU.
    # (From Xi'an to Istanbul the cheapest route is now by sea, which has no capacity limit.)
    job_id = client.post(
        "/api/assign",
        json={"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": 1e6}],
              "top": 5},
    ).json()["job_id"]  # fmt: skip
    job = wait_for(client, job_id)
    assert job["status"] == "done", job["error"]
    bottlenecks = job["result"]["bottlenecks"]
    assert 0 < len(bottlenecks) <= 5
    prices = [b["shadow_price_usd_per_unit"] for b in bottlenecks]
    assert prices == sorted(prices, reverse=True) and prices[0] > 0
    assert all(b["utilisation"] >= 1 - 1e-6 for b in bottlenecks)
    assert "baku_alat" in {b["item_id"] for b in bottlenecks}


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": 1},
                    {"origin": "Almatty", "destination": "Baku", "flow_per_year": 1}]},
         ["body", "flows", 1, "origin"]),
        ({"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": -1}]},
         ["body", "flows", 0, "flow_per_year"]),
        ({"flows": []}, ["body", "flows"]),
        ({"flows": [{"origin": "Almaty", "destination": "Baku", "commodity": f"c{i}",
                     "flow_per_year": 1} for i in range(6)]}, ["body", "flows"]),
        ({"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": 1}] * 201},
         ["body", "flows"]),
    ],
)  # fmt: skip
def test_bad_demand_is_refused_before_queueing(client: TestClient, body: dict, loc: list) -> None:
    response = client.post("/api/assign", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert client.get("/api/runs", params={"kind": "assign"}).json()["total"] == 0


def test_unknown_job_is_404(client: TestClient) -> None:
    response = client.get("/api/jobs/nope")
    assert response.status_code == 404
    assert response.json()["detail"][0]["type"] == "not_found"


def test_jobs_survive_a_restart(make_app: AppFactory) -> None:
    with local_client(make_app()) as first:
        job_id = first.post(
            "/api/assign",
            json={"flows": [{"origin": "Almaty", "destination": "Baku", "flow_per_year": 10}]},
        ).json()["job_id"]
        done = wait_for(first, job_id)
    with local_client(make_app()) as second:
        assert second.get(f"/api/jobs/{job_id}").json() == done


def test_bundled_demand_sets(client: TestClient) -> None:
    sets = {d["name"]: d for d in client.get("/api/demand").json()}
    assert "containers-2024" in sets
    job_id = client.post("/api/assign", json={"demand": "containers-2024"}).json()["job_id"]
    job = wait_for(client, job_id)
    assert job["status"] == "done", job["error"]
    assert job["result"]["link_flows"]["features"]
    wrong = client.post("/api/assign", json={"demand": "containers-2042"})
    assert wrong.status_code == 422
    assert "containers-2024" in wrong.json()["detail"][0]["suggestions"]


def test_a_bundled_demand_set_is_assigned_in_its_own_year_as_on_the_command_line(
    client: TestClient,
) -> None:
    from corridor import services

    _, demand, expected = services.run_assignment("eurasia", "middle-2030")
    assert demand.year == 2030
    job_id = client.post("/api/assign", json={"demand": "middle-2030", "top": 5}).json()["job_id"]
    job = wait_for(client, job_id, timeout_s=120)
    assert job["status"] == "done", job["error"]
    assert job["result"]["year"] == 2030
    api = {b["item_id"]: b["shadow_price_usd_per_unit"] for b in job["result"]["bottlenecks"]}
    cli = expected.bottlenecks(5).set_index("item_id")["shadow_price_usd_per_unit"].to_dict()
    assert api.keys() == cli.keys()
    for item, price in cli.items():
        assert api[item] == pytest.approx(price, rel=1e-6)


def test_a_stopped_job_runner_refuses_jobs_and_starts_again(tmp_path: Path) -> None:
    from corridor.web.db.store import Store
    from corridor.web.jobs import JobRunner, TooManyJobsError

    store = Store(f"sqlite:///{tmp_path / 'jobs.db'}")
    store.migrate()
    runner = JobRunner(store)
    runner.shutdown()
    with pytest.raises(TooManyJobsError, match="stopping"):
        runner.submit("assign", {}, lambda progress: {"ok": True}, network="eurasia")
    runner.start()  # an app whose lifespan starts again takes jobs again
    record = runner.submit("assign", {}, lambda progress: {"ok": True}, network="eurasia")
    runner.wait(timeout=30)
    assert store.get_run(record.run_id).status == "done"
    runner.shutdown()
    store.close()
