"""Owner runs are never pruned; Host check, security headers, 401 challenge, open writes."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from helpers import local_client

AppFactory = Callable[..., FastAPI]
ROUTE = {"origin": "xian", "destination": "istanbul"}
TEXT = "name: mine\ntitle: Mine\nbase: eurasia\n"


def test_anonymous_calls_do_not_evict_the_owners_run(make_app: AppFactory) -> None:
    app = make_app(api_token="t0ken", max_runs=10)
    with local_client(app) as client:
        owned = client.post("/api/route", json=ROUTE, headers={"Authorization": "Bearer t0ken"})
        assert owned.status_code == 200
        owned_id = owned.json()["run_id"]
        for _ in range(250):
            assert client.post("/api/route", json=ROUTE).status_code == 200
        ctx = app.state.ctx
        ctx.runs.flush()
        ctx.store.prune_runs(ctx.settings.max_runs)
        assert client.get(f"/api/runs/{owned_id}").status_code == 200
        # Anonymous runs are still bounded.
        assert client.get("/api/runs").json()["total"] <= 11


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "maps.example"])
def test_only_served_hosts_are_answered(make_app: AppFactory, host: str) -> None:
    with local_client(make_app()) as client:
        reply = client.get("/api/health", headers={"Host": host})
    if host == "maps.example":
        assert reply.status_code == 400
        assert reply.json()["detail"][0]["type"] == "host_not_allowed"
    else:
        assert reply.status_code == 200


def test_configured_hosts_are_answered(make_app: AppFactory) -> None:
    with local_client(make_app(allowed_hosts=("maps.example",))) as client:
        assert client.get("/api/health", headers={"Host": "maps.example"}).status_code == 200
        assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/runs/nothing"])
def test_every_answer_has_the_security_headers(client: object, path: str) -> None:
    reply = client.get(path)  # type: ignore[attr-defined]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    policy = reply.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy


def test_every_401_challenges_for_a_bearer_token(make_app: AppFactory) -> None:
    with local_client(make_app(api_token="t0ken")) as client:
        answers = [
            client.post("/api/scenarios", json={"name": "mine", "yaml": TEXT}),
            client.put("/api/scenarios/mine", json={"yaml": TEXT}),
            client.delete("/api/scenarios/mine"),
            client.delete("/api/runs/nothing", headers={"Authorization": "Bearer wrong"}),
        ]
    for answer in answers:
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_open_writes_come_only_from_this_machine(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="corridor.web"):
        app = make_app()
    assert "WRITES ARE OPEN" in caplog.text
    remote = local_client(app, client=("192.0.2.7", 50000))
    refused = remote.post("/api/scenarios", json={"name": "mine", "yaml": TEXT})
    assert refused.status_code == 403
    with local_client(app) as client:
        assert client.post("/api/scenarios", json={"name": "mine", "yaml": TEXT}).status_code == 201
    # With a token, any address may write with it.
    tokened = make_app(api_token="t0ken")
    other = local_client(tokened, client=("192.0.2.7", 50000))
    created = other.post(
        "/api/scenarios",
        json={"name": "mine2", "yaml": TEXT.replace("mine", "mine2")},
        headers={"Authorization": "Bearer t0ken"},
    )
    assert created.status_code == 201
