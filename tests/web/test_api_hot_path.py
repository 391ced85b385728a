"""The route hot path: cached answers equal fresh ones; runs written in the background are kept.

Runs are written by a background thread in batches, with each distinct result stored once.
These tests check that nothing is lost or changed on the way: listing runs right after answers
shows all of them, a clean shutdown writes everything queued, and shared results read back as
each run's own answer.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client
from sqlalchemy import func, insert, select

from corridor import services
from corridor.web.api import deps, routing
from corridor.web.db.models import ResultRow, RunRow
from corridor.web.db.store import NewRun, Store
from corridor.web.db.writer import RunWriter, new_run_id

AppFactory = Callable[..., FastAPI]
PAIRS = [("xian", "istanbul"), ("almaty", "baku"), ("aktau_port", "poti")]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    routing.CACHE.clear()
    yield
    routing.CACHE.clear()


@pytest.fixture
def slow_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every batch take a while, so that a read that does not wait for it misses runs."""
    add_runs = Store.add_runs

    def slow(self: Store, runs: list[NewRun]) -> None:
        time.sleep(0.2)
        add_runs(self, runs)

    monkeypatch.setattr(Store, "add_runs", slow)


def _without_run_id(answer: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in answer.items() if k not in ("run_id", "stored")}


def _not_cached(*args: object, **kwargs: object) -> None:
    raise AssertionError("the route was computed again, not taken from the cache")


def test_a_cached_answer_equals_a_fresh_one(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"origin": "Xian", "destination": "Istanbul", "k": 2}
    fresh = client.post("/api/route", json=body)
    assert fresh.status_code == 200
    # From now on computing a route fails: only the cache can answer.
    monkeypatch.setattr(services, "routes_on", _not_cached)
    cached = client.post("/api/route", json=body)
    assert cached.status_code == 200
    assert cached.headers["content-type"] == "application/json"
    first, second = fresh.json(), cached.json()
    assert first["run_id"] != second["run_id"]
    assert _without_run_id(first) == _without_run_id(second)
    assert list(second)[-2:] == ["run_id", "stored"] and second["stored"] is True
    monkeypatch.undo()
    # An independent computation of the same answer, through the service layer.
    network = deps.bundled_network("eurasia")
    found = services.routes_on(network, "Xian", "Istanbul", k=2)
    expected = {
        "routes": [routing.route_out(r, network) for r in found],
        "network": "eurasia",
        "scenario": None,
    }
    assert _without_run_id(second) == json.loads(json.dumps(deps.json_safe(expected)))


def test_the_cache_tells_requests_apart(client: TestClient) -> None:
    by_time = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "objective": "time"}
    ).json()
    by_cost = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "objective": "cost"}
    ).json()
    again = client.post(
        "/api/route", json={"origin": "Xian", "destination": "Istanbul", "objective": "time"}
    ).json()
    assert by_time["routes"][0]["objective"] == "time"
    assert by_cost["routes"][0]["objective"] == "cost"
    assert _without_run_id(again) == _without_run_id(by_time)


@pytest.mark.usefixtures("slow_writes")
def test_every_answer_is_listed_as_a_run_right_away(client: TestClient) -> None:
    answers = []
    for i in range(30):
        origin, destination = PAIRS[i % len(PAIRS)]
        reply = client.post("/api/route", json={"origin": origin, "destination": destination})
        assert reply.status_code == 200
        answers.append(reply.json())
    listing = client.get("/api/runs", params={"limit": 500}).json()
    assert listing["total"] == 30
    assert {r["run_id"] for r in listing["runs"]} == {a["run_id"] for a in answers}
    for answer in answers[:4]:
        results = client.get(f"/api/runs/{answer['run_id']}/results").json()
        assert results == _without_run_id(answer)


@pytest.mark.usefixtures("slow_writes")
def test_runs_queued_at_shutdown_are_written(make_app: AppFactory, tmp_path: Path) -> None:
    with local_client(make_app()) as client:
        ids = [
            client.post("/api/route", json={"origin": o, "destination": d}).json()["run_id"]
            for o, d in PAIRS * 5
        ]
        client.post("/api/route", json={"origin": "Nowhere", "destination": "Baku"})
    # Read the database directly, not through the app (which flushes before reading).
    store = Store(f"sqlite:///{tmp_path / 'data' / 'corridor.db'}")
    total, runs = store.list_runs(limit=100)
    assert total == len(ids) + 1
    assert {r.run_id for r in runs if r.status == "done"} == set(ids)
    assert [r.status for r in runs].count("failed") == 1
    with store.engine.connect() as connection:
        # Fifteen answers to three distinct requests: three stored results.
        assert connection.scalar(select(func.count()).select_from(ResultRow)) == 3
        assert connection.scalar(select(func.count()).where(RunRow.result.is_not(None))) == 0
    store.close()


def _run(i: int, result: Mapping[str, object] | None, run_id: str | None = None) -> NewRun:
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=i)
    return NewRun(
        run_id=run_id or f"run-{i}",
        kind="route",
        status="done",
        network="eurasia",
        scenario=None,
        request={"i": i},
        result_json=json.dumps(result) if result is not None else None,
        error=None,
        started_at=start,
        finished_at=start + timedelta(milliseconds=5),
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    s.migrate()
    yield s
    s.close()


def test_shared_results_read_back_and_are_pruned_with_their_last_run(store: Store) -> None:
    shared, own = {"routes": [1, 2]}, {"routes": [3]}
    store.add_runs([_run(0, own), _run(1, shared), _run(2, shared)])
    store.add_runs([_run(3, shared), _run(4, None)])
    assert [store.get_run(f"run-{i}").result for i in range(5)] == [
        own,
        shared,
        shared,
        shared,
        None,
    ]
    assert store.get_run("run-1", with_result=False).result is None
    assert store.get_run("run-1").duration_s == pytest.approx(0.005)
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ResultRow)) == 2
    assert store.prune_runs(3) == 2  # run-0 (the only one with ``own``) and run-1 go
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ResultRow)) == 1
    assert store.get_run("run-3").result == shared


def test_a_bad_run_does_not_lose_the_rest_of_its_batch(store: Store) -> None:
    store.add_runs([_run(0, None)])
    writer = RunWriter(store)
    writer.add(_run(1, {"a": 1}))
    writer.add(_run(2, None, run_id="run-0"))  # the id is taken: this one cannot be written
    writer.add(_run(3, {"b": 2}))
    writer.close()
    total, runs = store.list_runs()
    assert total == 3
    assert {r.run_id for r in runs} == {"run-0", "run-1", "run-3"}
    assert store.get_run("run-3").result == {"b": 2}


def test_flush_waits_for_every_queued_run(store: Store) -> None:
    writer = RunWriter(store, max_batch=7)
    for i in range(50):
        writer.add(_run(i, {"i": i % 5}))
    assert writer.flush()
    assert writer.pending == 0
    assert store.list_runs()[0] == 50
    writer.close()
    writer.add(_run(99, None))  # after close, written at once in the caller's thread
    assert store.get_run("run-99").status == "done"


def test_run_ids_are_distinct_version_4_uuids() -> None:
    ids = [new_run_id() for _ in range(1000)]  # several refills of the random buffer
    assert len(set(ids)) == len(ids)
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 4 and str(u) == i for u, i in zip(parsed, ids, strict=True))


def _wait_for_rechecks() -> None:
    for _ in range(1000):
        if not deps._RECHECKING:
            return
        time.sleep(0.01)
    raise AssertionError("a network check did not end")


def test_a_loaded_network_is_rechecked_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    network = deps.bundled_network("eurasia")
    _wait_for_rechecks()
    monkeypatch.setattr(deps, "NETWORK_RECHECK_S", 0.0)
    checked = threading.Event()
    real = services.valid_network

    def broken(*args: object, **kwargs: object) -> object:
        checked.set()
        raise OSError("a file cannot be read")

    monkeypatch.setattr(services, "valid_network", broken)
    # The loaded network is served at once while its files are checked, and kept when the
    # check fails.
    assert deps.loaded_network("eurasia") is network
    assert checked.wait(10)
    _wait_for_rechecks()
    assert deps.bundled_network("eurasia") is network
    monkeypatch.setattr(services, "valid_network", real)
    deps.loaded_network("eurasia")
    _wait_for_rechecks()
    # Unchanged files: the same object, so cached answers keep being found.
    assert deps.bundled_network("eurasia") is network


def test_a_database_of_the_first_schema_is_upgraded_with_its_runs(db_url: str) -> None:
    store = Store(db_url)
    config = Config()
    location = resources.files("corridor.web.db").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    # A run as the first schema stored it: its result inline.
    start = datetime(2025, 1, 1, tzinfo=UTC)
    old = {
        "run_id": "old", "kind": "route", "status": "done", "network": "eurasia",
        "scenario": None, "request": {"i": 0}, "result": {"routes": ["inline"]}, "error": None,
        "progress": 1.0, "created_at": start, "started_at": start, "finished_at": start,
        "duration_s": 0.0,
    }  # fmt: skip
    with store.engine.begin() as connection:
        connection.execute(insert(RunRow).values(**old))
    store.migrate()
    store.add_runs([_run(1, {"routes": ["shared"]})])
    assert store.get_run("old").result == {"routes": ["inline"]}
    assert store.get_run("run-1").result == {"routes": ["shared"]}
    assert store.list_runs()[0] == 2
    store.close()


def test_a_database_outage_cannot_grow_the_queue_without_bound(
    store: Store, make_app: AppFactory
) -> None:
    from sqlalchemy.exc import OperationalError

    from corridor.web.db.writer import WriterFullError

    def outage(runs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is unreachable"))

    store.add_runs = outage  # type: ignore[method-assign]
    writer = RunWriter(store, max_pending=3)
    futures = [writer.add(_run(i, None)) for i in range(3)]
    with pytest.raises(WriterFullError, match="3 runs are waiting"):
        writer.add(_run(3, None))
    assert writer.pending == 3 and not any(f.done() for f in futures)
    writer.close(timeout=0.2)
    assert all(f.exception() is not None for f in futures)  # never acknowledged as stored

    app = make_app()
    with local_client(app) as client:
        ctx = app.state.ctx
        ctx.runs.close()  # replace the live writer by one that is full and cannot write
        full = RunWriter(ctx.store, max_pending=0)
        ctx.runs = full
        answer = client.post("/api/route", json={"origin": "Xian", "destination": "Istanbul"})
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "5"
        assert "waiting to be written" in answer.json()["detail"][0]["msg"]
        full.close(timeout=0.1)
