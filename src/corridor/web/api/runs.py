"""Run endpoints: every route, Pareto, simulate, compare and assign call is recorded."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.models import RunList, RunOut, RunPending

router = APIRouter(prefix="/api/runs", tags=["runs"])
Ctx = Annotated[AppContext, Depends(deps.context)]
RunId = Annotated[str, Path(max_length=64)]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such run"}}
_PENDING: dict[int | str, dict[str, Any]] = {
    **_NOT_FOUND,
    202: {
        "model": RunPending,
        "description": 'The call was answered with "stored": false and its run is still '
        "queued for the database; ask again later",
    },
}


def _pending(run_id: str) -> JSONResponse:
    return JSONResponse(RunPending(run_id=run_id).model_dump(), status_code=202)


def _written(ctx: AppContext, run_id: str) -> bool:
    """Wait a little for queued runs; return whether ``run_id`` is not queued any more."""
    ctx.runs.flush(timeout=min(ctx.settings.store_wait_s, 5.0))
    return not ctx.runs.is_pending(run_id)


@router.get("", response_model=RunList, summary="Recorded runs, newest first")
async def list_runs(
    ctx: Ctx,
    kind: Annotated[
        Literal["route", "pareto", "simulate", "quote", "compare", "assign"] | None, Query()
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


@router.get("/{run_id}", response_model=RunOut, responses=_PENDING, summary="One run")
async def get_run(run_id: RunId, ctx: Ctx) -> Any:
    """Return a run's request, status, timings and error (not its result).

    Answers 202 while the run is still queued for the database.
    """

    def one() -> dict[str, Any] | None:
        if not _written(ctx, run_id):
            return None
        return ctx.store.get_run(run_id, with_result=False).summary()

    found = await deps.read(ctx, one)
    return _pending(run_id) if found is None else found


@router.get(
    "/{run_id}/results",
    response_model=dict[str, Any] | None,
    responses=_PENDING,
    summary="A run's result",
)
async def get_results(run_id: RunId, ctx: Ctx) -> Any:
    """Return what the call answered (``null`` while a job is still running or if it failed).

    Answers 202 while the run is still queued for the database.
    """

    def result() -> tuple[bool, dict[str, Any] | None]:
        if not _written(ctx, run_id):
            return False, None
        return True, ctx.store.get_run(run_id).result

    written, found = await deps.read(ctx, result)
    return found if written else _pending(run_id)


@router.delete(
    "/{run_id}",
    status_code=204,
    responses={
        **_NOT_FOUND,
        401: {"description": "A bearer token is needed"},
        403: {"description": "Open writes (no token set) come only from this machine"},
    },
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
