"""The $15 bn question over REST: bad requests and a failing job.

The job's answer (routes, binding capacities and their names) is checked through the web
page, which asks the same endpoint: tests/e2e/test_tools.py.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _wait(client: TestClient, job_id: str, timeout_s: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s")


@pytest.mark.parametrize(
    "body",
    [{"target_usd": -1}, {"mix": "cheap"}, {"steps": 0}, {"target_usd": 15e9, "extra": 1}],
)
def test_bad_target_requests_answer_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/target-assignment", json=body)
    assert response.status_code == 422
    assert "Traceback" not in response.text


def test_a_target_below_today_fails_the_job_with_a_message(client: TestClient) -> None:
    response = client.post("/api/target-assignment", json={"target_usd": 1e9, "steps": 1})
    job = _wait(client, response.json()["job_id"])
    assert job["status"] == "failed"
    assert "must exceed today's trade" in str(job["error"])
