"""Run endpoints: every route, Pareto, simulate, compare and assign call is recorded."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.models import RunList, RunOut

router = APIRouter(prefix="/api/runs", tags=["runs"])
Ctx = Annotated[AppContext, Depends(deps.context)]
RunId = Annotated[str, Path(max_length=64)]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such run"}}


@router.get("", response_model=RunList, summary="Recorded runs, newest first")
async def list_runs(
    ctx: Ctx,
    kind: Annotated[
        Literal["route", "pareto", "simulate", "compare", "assign"] | None, Query()
    ] = None,
    status: Annotated[Literal["queued", "running", "done", "failed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Return one page of runs (without results) and how many match."""

    def page() -> dict[str, Any]:
        ctx.runs.flush()
        total, records = ctx.store.list_runs(kind=kind, status=status, limit=limit, offset=offset)
        return {"total": total, "runs": [r.summary() for r in records]}

    return await deps.read(ctx, page)


@router.get("/{run_id}", response_model=RunOut, responses=_NOT_FOUND, summary="One run")
async def get_run(run_id: RunId, ctx: Ctx) -> dict[str, Any]:
    """Return a run's request, status, timings and error (not its result)."""

    def one() -> dict[str, Any]:
        ctx.runs.flush()
        return ctx.store.get_run(run_id, with_result=False).summary()

    return await deps.read(ctx, one)


@router.get(
    "/{run_id}/results",
    response_model=dict[str, Any] | None,
    responses=_NOT_FOUND,
    summary="A run's result",
)
async def get_results(run_id: RunId, ctx: Ctx) -> dict[str, Any] | None:
    """Return what the call answered (``null`` while a job is still running or if it failed)."""

    def result() -> dict[str, Any] | None:
        ctx.runs.flush()
        return ctx.store.get_run(run_id).result

    return await deps.read(ctx, result)


@router.delete(
    "/{run_id}",
    status_code=204,
    responses={**_NOT_FOUND, 401: {"description": "A bearer token is needed"}},
    summary="Delete a run",
)
def delete_run(
    run_id: RunId,
    ctx: Ctx,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(deps.bearer)],
) -> Response:
    """Delete a recorded run."""
    deps.require_write(request, credentials)
    ctx.runs.flush()
    ctx.store.delete_run(run_id)
    return Response(status_code=204)
