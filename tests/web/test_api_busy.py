"""Heavy work is capped per kind and per client; health answers while the caps are full.

A stub holds every simulation until the test releases it, so the requests stay in flight for
as long as the test needs; every wait is bounded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from helpers import local_client

from corridor import services

AppFactory = Callable[..., FastAPI]
SIMULATE = {"origin": "xian", "destination": "istanbul", "n": 200, "k": 2}
PARETO = {"origin": "xian", "destination": "istanbul"}


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Make simulations wait for ``release`` (at most 30 s); ``started`` is set by the first."""
    release, started = threading.Event(), threading.Event()
    real = services.simulate_routes

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "simulate_routes", slow)
    yield release, started
    release.set()


def test_a_burst_of_simulations_is_capped_and_health_still_answers(
    make_app: AppFactory, held: tuple[threading.Event, threading.Event]
) -> None:
    release, started = held
    burst = 45
    with local_client(make_app(max_heavy_per_kind=2, max_heavy_per_client=5)) as client:
        assert client.get("/api/health").status_code == 200
        with ThreadPoolExecutor(burst + 1) as pool:
            try:
                replies = [pool.submit(client.post, "/api/simulate", json=SIMULATE)]
                assert started.wait(20)
                replies += [
                    pool.submit(client.post, "/api/simulate", json=SIMULATE)
                    for _ in range(burst - 1)
                ]
                time.sleep(1.0)  # let the burst reach the server
                began = time.monotonic()
                health = pool.submit(client.get, "/api/health")
                answered = health.result(timeout=5)
                assert answered.status_code == 200
                assert time.monotonic() - began < 2.0
            finally:
                release.set()
            statuses = [r.result(timeout=60) for r in replies]
    refused = [r for r in statuses if r.status_code == 429]
    assert len(refused) == burst - 2
    assert sorted(r.status_code for r in statuses if r.status_code != 429) == [200, 200]
    first = refused[0]
    assert int(first.headers["Retry-After"]) >= 1
    detail = first.json()["detail"][0]
    assert detail["type"] == "busy" and "simulate" in detail["msg"]


def test_one_client_cannot_take_every_slot(
    make_app: AppFactory, held: tuple[threading.Event, threading.Event]
) -> None:
    release, started = held
    app = make_app(max_heavy_per_kind=4, max_heavy_per_client=1)
    with local_client(app) as client, ThreadPoolExecutor(2) as pool:
        other = local_client(app, client=("192.0.2.7", 50000))
        try:
            running = pool.submit(client.post, "/api/simulate", json=SIMULATE)
            assert started.wait(20)
            mine = client.post("/api/pareto", json=PARETO)
            assert mine.status_code == 429 and "Retry-After" in mine.headers
            assert "client" in mine.json()["detail"][0]["msg"]
            assert other.post("/api/pareto", json=PARETO).status_code == 200
        finally:
            release.set()
        assert running.result(timeout=60).status_code == 200
        # The slot is given back when the work ends.
        assert client.post("/api/pareto", json=PARETO).status_code == 200
