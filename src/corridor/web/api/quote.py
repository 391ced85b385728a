"""The shipment quote endpoint: ``POST /api/quote``. Each call is recorded as a run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from corridor import services
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.models import QuoteOut, QuoteRequest
from corridor.web.api.routing import _HEAVY, _query, recorded, route_geojson

router = APIRouter(prefix="/api", tags=["routing"])
Ctx = Annotated[AppContext, Depends(deps.context)]


@router.post("/quote", response_model=QuoteOut, responses=_HEAVY, summary="Shipment quote")
async def quote(body: QuoteRequest, ctx: Ctx, http: Request) -> dict[str, Any]:
    """Price a shipment (e.g. 40 FEU worth 2.5 million USD) on its candidate routes.

    Each route carries its per-unit figures, the shipment's totals (money, expected war-risk
    insurance, CO2, time value, P50/P90 generalized cost and days), its sources and provenance.
    """
    request = body.model_dump(mode="json")

    def compute() -> dict[str, Any]:
        name, network = deps.network_for(ctx, body.network, body.scenario, ["body", "scenario"])
        result = services.quote_shipment(
            network,
            body.origin,
            body.destination,
            body.commodity,
            quantity=body.quantity,
            unit=body.unit,
            cargo_value_usd=body.cargo_value_usd,
            k=body.k,
            by=body.by,
            n=body.n,
            seed=body.seed,
            **_query(body),
        )
        data = result.to_dict()
        for quoted, out in zip(result.routes, data["routes"], strict=True):
            out["geojson"] = route_geojson(quoted.reliability.route, network)
        return {**data, "network": name, "scenario": body.scenario}

    with deps.heavy(ctx, http, "simulate"):
        return await run_in_threadpool(
            recorded, ctx, "quote", request, compute, network=body.network,
            scenario=body.scenario, owner=deps.is_owner(ctx, http),
        )  # fmt: skip
