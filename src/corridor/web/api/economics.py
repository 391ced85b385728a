"""Economics endpoints: the trade outlook and project appraisal.

``GET /api/outlook`` and ``POST /api/appraise`` answer what ``corridor outlook`` and
``corridor appraise`` do.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from corridor import services
from corridor.limits import MAX_SAMPLES, SEED_MAX, YEAR_MAX, YEAR_MIN
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.errors import ApiError, located
from corridor.web.api.models import Name, ScenarioName
from corridor.web.api.routing import _HEAVY

router = APIRouter(prefix="/api", tags=["economics"])
Ctx = Annotated[AppContext, Depends(deps.context)]


class OutlookOut(BaseModel):
    """Projected Kazakhstan–Türkiye trade by growth scenario, and when it reaches the target."""

    model_config = ConfigDict(extra="allow")

    target_usd: float
    horizon_year: int
    scenarios: list[dict[str, Any]]
    series: list[dict[str, Any]] = Field(
        description="One fan per growth scenario: label, unit and rows of year, p10/p50/p90."
    )
    corridor_change: dict[str, Any] | None


class AppraiseRequest(BaseModel):
    """A project's cash flows: a given benefit, or a bundled scenario against a demand set."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    scenario: ScenarioName | None = Field(
        default=None, description="A bundled scenario: the project (with ``demand``)."
    )
    demand: ScenarioName | None = Field(default=None, description="A bundled demand set.")
    benefit_usd: float | None = Field(
        default=None, ge=0, le=1e13, description="Annual benefit, USD (without the model)."
    )
    capex_usd: float = Field(default=0.0, ge=0, le=1e13, description="Capital cost, USD.")
    capex_ref: str = Field(default="", max_length=500, description="Source of the capex.")
    opex_usd_per_year: float = Field(default=0.0, ge=0, le=1e12)
    years: int = Field(default=25, ge=1, le=100, description="Operating years.")
    rate: float = Field(default=0.08, gt=-0.99, le=10, description="Discount rate (0.08 = 8 %).")
    rates: Literal["ladder"] | list[float] = Field(
        default="ladder", description="Rate sweep in %: 'ladder' (sourced) or a list."
    )
    ramp_up_years: int = Field(default=0, ge=0, le=50)
    build_years: int = Field(default=1, ge=1, le=30)
    residual_value_usd: float = Field(default=0.0, ge=0, le=1e13)
    start_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    co2_price_usd_per_t: float = Field(default=0.0, ge=0, le=10_000)
    rate_path: str | None = Field(
        default=None,
        max_length=500,
        description="Discount rates by calendar year in %, e.g. '2026:12,2028:8'.",
    )
    valuation_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    start_years: list[int] = Field(
        default_factory=list, max_length=30, description="Start years to compare."
    )


class AppraiseOut(BaseModel):
    """NPV, IRR, benefit-cost ratio, paybacks, the rate sweep and, if asked, timing."""

    model_config = ConfigDict(extra="allow")

    npv_usd: float
    irr_pct: float | None
    irr_note: str
    pays: bool
    cash_flows: list[dict[str, Any]]
    inputs: dict[str, Any]


def _series(outlook: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": s["label"],
            "scenario_id": s["scenario_id"],
            "unit": "USD",
            "rows": [
                {"year": r["year"], "p10": r["p10_usd"], "p50": r["p50_usd"], "p90": r["p90_usd"]}
                for r in s["path"]
            ],
        }
        for s in outlook["scenarios"]
    ]


@router.get("/outlook", response_model=OutlookOut, responses=_HEAVY, summary="Trade outlook")
async def outlook(
    ctx: Ctx,
    http: Request,
    target_usd: Annotated[float, Query(gt=0, le=1e13)] = 15e9,
    horizon_year: Annotated[int, Query(ge=2025, le=YEAR_MAX)] = 2060,
    reporter: Literal["KZ", "TR"] = "KZ",
    scenario: Annotated[ScenarioName | None, Query()] = None,
    origin: Annotated[Name | None, Query(alias="from")] = None,
    destination: Annotated[Name | None, Query(alias="to")] = None,
    n: Annotated[int, Query(ge=100, le=MAX_SAMPLES)] = 10_000,
    seed: Annotated[int, Query(ge=0, le=SEED_MAX)] = 0,
) -> dict[str, Any]:
    """Project bilateral trade by growth scenario and find the year it reaches the target.

    With ``scenario`` (a bundled network scenario), the change it makes to the best route
    from ``from`` to ``to`` (default Almaty to Istanbul) moves trade through the trade-cost
    elasticity, as ``corridor outlook --corridor-scenario`` does.
    """
    if scenario is not None and scenario not in services.list_scenarios():
        raise ApiError(
            422,
            ["query", "scenario"],
            f"{scenario!r} is not a bundled scenario; the outlook uses bundled ones only.",
            "not_found",
            input=scenario,
        )
    request = {"scenario": scenario, "from": origin, "to": destination}

    def compute() -> dict[str, Any]:
        with located(request):
            result, _ = services.trade_outlook(
                ctx.settings.network, target_usd=target_usd, horizon_year=horizon_year,
                reporter=reporter, corridor_scenario=scenario, origin=origin,
                destination=destination, n=n, seed=seed,
            )  # fmt: skip
        data = result.to_dict()
        return {**data, "series": _series(data)}

    with deps.heavy(ctx, http, "outlook"):
        return await run_in_threadpool(compute)


@router.post("/appraise", response_model=AppraiseOut, responses=_HEAVY, summary="Appraise")
async def appraise(body: AppraiseRequest, ctx: Ctx, http: Request) -> dict[str, Any]:
    """Appraise a project: NPV, IRR, benefit-cost ratio, payback, rate sweep, value of waiting.

    Either ``benefit_usd`` is given, or ``scenario`` and ``demand`` name a bundled scenario and
    demand set whose assignment with and without the project gives the annual benefit.
    """
    request = body.model_dump(mode="json")
    if (body.benefit_usd is None) == (body.scenario is None):
        raise ApiError(
            422, ["body", "benefit_usd"], "Give benefit_usd, or a scenario and a demand set.",
            "missing",
        )  # fmt: skip
    if body.scenario is not None:
        if body.demand is None:
            raise ApiError(
                422, ["body", "demand"], "Appraising a scenario needs a demand set.", "missing"
            )
        if body.scenario not in services.list_scenarios():
            raise ApiError(
                422, ["body", "scenario"], f"{body.scenario!r} is not a bundled scenario.",
                "not_found", input=body.scenario,
            )  # fmt: skip

    def compute() -> dict[str, Any]:
        with located(request):
            result = services.appraise_project(
                ctx.settings.network, scenario=body.scenario, demand=body.demand,
                benefit_usd=body.benefit_usd, capex_usd=body.capex_usd,
                capex_ref=body.capex_ref, opex_usd_per_year=body.opex_usd_per_year,
                years=body.years, rate=body.rate, rates=body.rates,
                ramp_up_years=body.ramp_up_years, build_years=body.build_years,
                residual_value_usd=body.residual_value_usd, start_year=body.start_year,
                co2_price_usd_per_t=body.co2_price_usd_per_t, rate_path=body.rate_path,
                valuation_year=body.valuation_year, start_years=body.start_years,
            )  # fmt: skip
        return result.to_dict()

    with deps.heavy(ctx, http, "appraise"):
        return await run_in_threadpool(compute)
