"""Assignment endpoints: queue a job that loads demand onto the network, then poll it."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request, Response

from corridor import services
from corridor.model.network import Network
from corridor.web.api import deps
from corridor.web.api.deps import AppContext, json_safe
from corridor.web.api.errors import ApiError, error_body, located
from corridor.web.api.models import (
    AssignRequest,
    DemandSet,
    JobAccepted,
    JobOut,
    TargetRequest,
)
from corridor.web.db.store import NotFoundError
from corridor.web.jobs import Progress, TooManyJobsError
from corridor.web.settings import MAX_COMMODITIES, MAX_DEMAND_ROWS

router = APIRouter(prefix="/api", tags=["assignment"])
Ctx = Annotated[AppContext, Depends(deps.context)]


def demand_frame(body: AssignRequest, network: Network, dataset: str) -> pd.DataFrame:
    """Return the demand table of a request: its explicit flows or a bundled demand set."""
    if body.flows:
        return pd.DataFrame([row.model_dump() for row in body.flows])
    if body.demand is None:
        raise ApiError(
            422, ["body", "flows"], "Give flows, or the name of a bundled demand set.", "missing"
        )
    frame = services.bundled_demand(network, dataset, body.demand)
    if len(frame) > MAX_DEMAND_ROWS:
        raise ApiError(
            422,
            ["body", "demand"],
            f"Demand set {body.demand!r} has {len(frame)} rows; at most {MAX_DEMAND_ROWS}.",
            "limit",
        )
    return frame


def assignment_result(network: Network, assignment: Any, top: int) -> dict[str, Any]:
    """Return the named assignment of :func:`corridor.services.assignment_view`, JSON-safe."""
    result: dict[str, Any] = json_safe(services.assignment_view(network, assignment, top))
    return result


@router.post(
    "/assign",
    status_code=202,
    response_model=JobAccepted,
    responses={
        422: {"description": "Unknown names (with suggestions) or limits exceeded"},
        429: {"description": "Too many jobs queued"},
    },
    summary="Queue an assignment of annual demand",
)
def assign(body: AssignRequest, ctx: Ctx, response: Response, http: Request) -> dict[str, Any]:
    """Queue a capacity-constrained assignment; poll ``/api/jobs/{job_id}`` for its result.

    The demand is checked before queueing: unknown places or commodities answer 422 at once.
    """
    request = body.model_dump(mode="json")
    with located(request):
        name, network = deps.network_for(ctx, body.network, body.scenario, ["body", "scenario"])
        demand = demand_frame(body, network, name)
        commodities = set(demand["commodity"].astype(str))
        if len(commodities) > MAX_COMMODITIES:
            raise ApiError(
                422,
                ["body", "flows"],
                f"{len(commodities)} commodities in one assignment; at most {MAX_COMMODITIES}.",
                "limit",
            )
        services.check_flow_names(network, demand)

    # As on the command line: a bundled demand set is assigned in its own year unless the
    # request names one.
    year = body.year
    if year is None and body.demand is not None:
        year = services.demand_set_year(name, body.demand)

    def work(progress: Progress) -> dict[str, Any]:
        progress(0.05)
        with located(request):
            assignment = services.assign_on(network, demand, year=year, method=body.method)
        progress(0.9)
        return {**assignment_result(network, assignment, body.top), "year": year}

    try:
        record = ctx.jobs.submit(
            "assign", request, work, network=name, scenario=body.scenario, error_body=error_body,
            owner=deps.is_owner(ctx, http),
        )  # fmt: skip
    except TooManyJobsError as exc:
        raise ApiError(429, ["body"], str(exc), "busy") from None
    response.headers["Location"] = f"/api/jobs/{record.run_id}"
    return {"job_id": record.run_id, "status": record.status}


@router.get("/demand", response_model=list[DemandSet], summary="Bundled demand sets")
def demand_sets(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the demand sets that come with the served network (name, title, year)."""
    from corridor.demand import describe_demand_sets

    return describe_demand_sets(ctx.settings.network)


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses={404: {"description": "No such job"}},
    summary="State, progress and result of a job",
)
async def job(job_id: str, ctx: Ctx) -> dict[str, Any]:
    """Return a job's status (queued, running, done, failed), progress and result or error."""
    try:
        record = await deps.read(ctx, lambda: ctx.store.get_run(job_id[:64]))
    except NotFoundError:
        raise NotFoundError("job", job_id[:64]) from None
    return {
        "job_id": record.run_id,
        "kind": record.kind,
        "status": record.status,
        "progress": record.progress,
        "result": record.result,
        "error": record.error,
    }


@router.post(
    "/target-assignment",
    status_code=202,
    response_model=JobAccepted,
    responses={
        422: {"description": "A value out of range, or a target below today's trade"},
        429: {"description": "Too many jobs queued"},
    },
    summary="Queue the freight a Kazakhstan–Türkiye trade target implies",
)
def target_assignment(
    body: TargetRequest, ctx: Ctx, response: Response, http: Request
) -> dict[str, Any]:
    """Queue the $15 bn question: which routes carry the target's freight and where it jams.

    Today's bilateral demand set is scaled to the target under the chosen mix, loaded with the
    other traffic on today's network and on the bundled scenarios (Zangezur open, Aktau hub,
    Alat phase 2, World Bank 2030); poll ``/api/jobs/{job_id}`` for the result (the keys of
    ``corridor outlook --assign --json`` under ``target_assignment``).
    """
    request = body.model_dump(mode="json")
    with located(request):
        name, _ = deps.network_for(ctx, None, None, ["body"])

    def work(progress: Progress) -> dict[str, Any]:
        def step(stage: str, done: int, total: int) -> None:
            progress(0.05 + 0.9 * done / max(total, 1))

        progress(0.05)
        with located(request):
            loaded = services.target_assignment(
                name, target_usd=body.target_usd, mix=body.mix,
                steps=body.steps, progress=step,
            )  # fmt: skip
        result: dict[str, Any] = json_safe(loaded.to_dict())
        return result

    try:
        record = ctx.jobs.submit(
            "target-assignment", request, work, network=name, scenario=None,
            error_body=error_body, owner=deps.is_owner(ctx, http),
        )  # fmt: skip
    except TooManyJobsError as exc:
        raise ApiError(429, ["body"], str(exc), "busy") from None
    response.headers["Location"] = f"/api/jobs/{record.run_id}"
    return {"job_id": record.run_id, "status": record.status}
