"""One set of request bounds: the CLI refuses what the REST API refuses, without a traceback
and before any work starts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import local_client, run_cli

from corridor import limits
from corridor.web.app import create_app
from corridor.web.settings import Settings

OD = ["--from", "Xian", "--to", "Istanbul"]
BODY = {"origin": "Xian", "destination": "Istanbul"}

# (CLI arguments, API path, API body) that each break one bound.
CASES: dict[str, tuple[list[str], str | None, dict[str, object] | str | None]] = {
    "k too large": (["route", *OD, "--k", "1000000"], "/api/route", {**BODY, "k": 1_000_000}),
    "samples too many": (
        ["simulate", *OD, "--n", "10000000000"],
        "/api/simulate",
        {**BODY, "n": 10_000_000_000},
    ),
    "negative seed": (["simulate", *OD, "--seed", "-1"], "/api/simulate", {**BODY, "seed": -1}),
    "year far away": (["route", *OD, "--year", "99999"], "/api/route", {**BODY, "year": 99999}),
    "infinite CO2 price": (
        ["route", *OD, "--co2-price", "inf"],
        "/api/route",
        '{"origin": "Xian", "destination": "Istanbul", "co2_price_usd_per_t": 1e400}',
    ),
    "CO2 price not a number": (["route", *OD, "--co2-price", "nan"], None, None),
    "value of time not a number": (["route", *OD, "--vot", "nan"], None, None),
    "month 13": (["simulate", *OD, "--month", "13"], "/api/simulate", {**BODY, "month": 13}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_refuses_out_of_bounds_options_at_once(case: str) -> None:
    args = CASES[case][0]
    start = time.perf_counter()
    result = run_cli(*args)
    assert time.perf_counter() - start < 3
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Invalid value" in result.stderr and "Traceback" not in result.stderr


def test_the_api_refuses_the_same_requests(tmp_path: Path) -> None:
    app = create_app(Settings.from_env({"CORRIDOR_DATA_DIR": str(tmp_path)}))
    with local_client(app) as client:
        for case, (_, path, body) in CASES.items():
            if path is None:
                continue
            if isinstance(body, str):  # a literal JSON cannot hold: sent as text
                response = client.post(
                    path, content=body, headers={"Content-Type": "application/json"}
                )
            else:
                response = client.post(path, json=body)
            assert response.status_code == 422, (case, response.text)


def test_the_limits_are_the_ones_both_sides_use() -> None:
    from corridor.web import settings
    from corridor.web.api import models

    assert settings.MAX_K == limits.MAX_K and settings.MAX_SAMPLES == limits.MAX_SAMPLES
    fields = models.SimulateRequest.model_fields
    assert any(getattr(m, "le", None) == limits.MAX_SAMPLES for m in fields["n"].metadata)
    assert any(getattr(m, "le", None) == limits.SEED_MAX for m in fields["seed"].metadata)


@pytest.mark.parametrize(
    "body",
    [
        '{"origin": "Xian", "destination": "Istanbul", "co2_price_usd_per_t": NaN}',
        '{"origin": "Xian", "destination": "Istanbul", "co2_price_usd_per_t": Infinity}',
        '{"origin": "Xian", "destination": "Istanbul", "co2_price_usd_per_t": -Infinity}',
        '{"origin": "Xian", "destination": "Istanbul", "year": 1e400}',
        '{"origin": "\\ud800", "destination": "Istanbul"}',
        '{"origin": "Xian", "destination": "Istanbul", "commodity": "\\udfff"}',
    ],
)
def test_bodies_json_cannot_echo_get_a_4xx_not_a_500(tmp_path: Path, body: str) -> None:
    app = create_app(Settings.from_env({"CORRIDOR_DATA_DIR": str(tmp_path)}))
    with local_client(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/api/route", content=body, headers={"Content-Type": "application/json"}
        )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]
