"""Property-based tests of the whole API from its OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid; no answer may be a server error,
and answers must match the documented schemas and status codes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from helpers import examples
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.web.app import create_app
from corridor.web.settings import Settings

_DATA_DIR = Path(tempfile.mkdtemp(prefix="corridor-schemathesis-"))
_APP: FastAPI = create_app(
    Settings.from_env({"CORRIDOR_DATA_DIR": str(_DATA_DIR), "CORRIDOR_ALLOWED_HOSTS": "testserver"})
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.fixture(scope="module", autouse=True)
def _remove_database() -> Iterator[None]:
    # The fuzzer queues valid $15 bn jobs, each a minute of CPU on the test machine; what is
    # fuzzed here is the request handling (validation, queueing, answers), so the job's work
    # is replaced by a quick failure. tests/web/test_api_target.py runs the real job.
    from corridor import services
    from corridor.errors import CorridorError

    def quick(*args: object, **kwargs: object) -> None:
        raise CorridorError("not computed in the fuzz run")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "target_assignment", quick)
        yield
    _APP.state.ctx.jobs.shutdown()
    _APP.state.ctx.store.close()
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


CHECKS: list[Callable[..., object]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.slow  # a fuzz run over every endpoint: CI's tier, not the developer's loop
@schema.parametrize()
@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
