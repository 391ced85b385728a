"""Scenario endpoints: list, read, create, update, delete and validate (YAML text).

Bundled scenarios are listed read-only; saved ones live in the database. Writes need the bearer
token when the server has one.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from corridor import services
from corridor.errors import CorridorError
from corridor.scenarios import parse_scenario
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.errors import ApiError
from corridor.web.api.models import (
    ScenarioIn,
    ScenarioOut,
    ScenarioText,
    ScenarioUpdate,
    ValidationOut,
)
from corridor.web.db.store import StoredScenario

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
Ctx = Annotated[AppContext, Depends(deps.context)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(deps.bearer)]
ScenarioPath = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]

_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "A bearer token is needed"},
    403: {
        "description": "Bundled scenarios are read-only; open writes (no token set) come only "
        "from this machine"
    },
    422: {"description": "The YAML is not a valid scenario; every problem is listed"},
}


def validate_text(text: str, name: str = "<text>") -> tuple[list[dict[str, str]], str]:
    """Return every problem of a scenario's YAML and what checked it."""
    try:
        parsed = parse_scenario(text, source=name)
    except CorridorError as exc:
        problems = getattr(exc, "problems", None) or []
        found = [
            {
                "path": str(getattr(p, "path", "")),
                "message": str(getattr(p, "message", p)),
            }
            for p in problems
        ]
        return found or [{"path": "", "message": str(exc)}], "corridor.scenarios"
    base = str(parsed.base or "")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", base) or base in (".", ".."):
        message = f"base {base!r} must be the name of a dataset or scenario, not a path"
        return [{"path": "base", "message": message}], "corridor.scenarios"
    return [], "corridor.scenarios"


def applies(ctx: AppContext, text: str, name: str) -> list[dict[str, str]]:
    """Return the problems of applying a parsed scenario to the served network (none if it applies).

    Unknown ids, bad values and a missing or cyclic base are found here, when the scenario is
    saved, instead of on its first use.
    """
    base = deps.bundled_network(ctx.settings.network)
    try:
        deps.apply_scenario_text(ctx, text, name, base, ["body", "yaml"])
    except ApiError as exc:
        return [{"path": "", "message": str(item.get("msg", exc))} for item in exc.items] or [
            {"path": "", "message": str(exc)}
        ]
    return []


def _check(ctx: AppContext, text: str, name: str) -> None:
    problems, _ = validate_text(text, name)
    if not problems:
        problems = applies(ctx, text, name)
    if problems:
        items = [
            {
                "loc": ["body", "yaml", *([p["path"]] if p["path"] else [])],
                "msg": p["message"],
                "type": "invalid_scenario",
            }
            for p in problems
        ]
        error = ApiError(422, ["body", "yaml"], "invalid scenario", "invalid_scenario")
        error.items = items
        raise error


def _out(stored: StoredScenario) -> dict[str, Any]:
    return {
        "name": stored.name,
        "description": stored.description,
        "yaml": stored.yaml_text,
        "bundled": False,
        "revision": stored.revision,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
    }


def _read_only(name: str) -> None:
    if name in services.list_scenarios():
        raise ApiError(
            403,
            ["path", "name"],
            f"{name!r} is a bundled scenario and read-only; save a copy under another name.",
            "read_only",
        )


@router.get("", response_model=list[ScenarioOut], summary="Saved and bundled scenarios")
def list_scenarios(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the bundled scenarios (read-only) and the saved ones."""
    bundled = []
    for name in services.list_scenarios():
        text, _, _ = deps.scenario_text(ctx, name)
        bundled.append({"name": name, "description": "", "yaml": text, "bundled": True})
    return bundled + [_out(s) for s in ctx.store.list_scenarios()]


@router.post(
    "/validate", response_model=ValidationOut, summary="Check a scenario's YAML without saving"
)
def validate(body: ScenarioText, ctx: Ctx, http: Request) -> dict[str, Any]:
    """Return every problem found in the YAML (``ok`` is true when there is none).

    A scenario that parses is also applied to the served network, so unknown ids and bases
    are reported here rather than when the scenario is first used.
    """
    problems, checked_with = validate_text(body.yaml)
    if not problems:
        with deps.heavy(ctx, http, "scenario-check"):
            problems = applies(ctx, body.yaml, "<text>")
        checked_with = "corridor.scenarios (parsed and applied to the network)"
    return {"ok": not problems, "problems": problems, "checked_with": checked_with}


@router.get(
    "/{name}",
    response_model=ScenarioOut,
    responses={404: {"description": "No such scenario"}},
    summary="One scenario",
)
def get_scenario(name: ScenarioPath, ctx: Ctx) -> dict[str, Any]:
    """Return a saved or bundled scenario with its YAML text."""
    text, _, bundled = deps.scenario_text(ctx, name)
    if bundled:
        return {"name": name, "description": "", "yaml": text, "bundled": True}
    return _out(ctx.store.get_scenario(name))


@router.post(
    "",
    status_code=201,
    response_model=ScenarioOut,
    responses={**_WRITE_ERRORS, 409: {"description": "The name is taken"}},
    summary="Save a new scenario",
)
def create_scenario(
    body: ScenarioIn, ctx: Ctx, request: Request, credentials: Credentials, response: Response
) -> dict[str, Any]:
    """Validate and save a scenario under a new name."""
    deps.require_write(request, credentials)
    _read_only(body.name)
    _check(ctx, body.yaml, body.name)
    stored = ctx.store.create_scenario(body.name, body.yaml, body.description)
    response.headers["Location"] = f"/api/scenarios/{stored.name}"
    return _out(stored)


@router.put(
    "/{name}",
    response_model=ScenarioOut,
    responses={**_WRITE_ERRORS, 404: {"description": "No such scenario"}},
    summary="Replace a saved scenario",
)
def update_scenario(
    name: ScenarioPath, body: ScenarioUpdate, ctx: Ctx, request: Request, credentials: Credentials
) -> dict[str, Any]:
    """Validate and replace a saved scenario's YAML; its revision goes up by one."""
    deps.require_write(request, credentials)
    _read_only(name)
    _check(ctx, body.yaml, name)
    return _out(ctx.store.update_scenario(name, body.yaml, body.description))


@router.delete(
    "/{name}",
    status_code=204,
    responses={**_WRITE_ERRORS, 404: {"description": "No such scenario"}},
    summary="Delete a saved scenario",
)
def delete_scenario(
    name: ScenarioPath, ctx: Ctx, request: Request, credentials: Credentials
) -> Response:
    """Delete a saved scenario (bundled ones cannot be deleted)."""
    deps.require_write(request, credentials)
    _read_only(name)
    ctx.store.delete_scenario(name)
    return Response(status_code=204)
