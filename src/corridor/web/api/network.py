"""Read-only endpoints: health, the network as GeoJSON, places, commodities, countries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from corridor import services
from corridor._version import __version__
from corridor.model.network import Network
from corridor.services import COMMODITY_COLUMNS, COUNTRY_COLUMNS, NODE_COLUMNS, SOURCE_COLUMNS
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.models import (
    FeatureCollection,
    Health,
    SourceOut,
    commodity_model,
    country_model,
    node_properties,
)

router = APIRouter(prefix="/api", tags=["network"])
Ctx = Annotated[AppContext, Depends(deps.context)]


@router.get("/health", response_model=Health, summary="Server status and configuration")
async def health(ctx: Ctx) -> dict[str, Any]:
    """Return ``ok`` with the network served, the version, the auth mode and the database.

    Answered on the event loop without any blocking work, so it answers even when every
    worker thread is busy.
    """
    return {
        "status": "ok",
        "network": ctx.settings.network,
        "version": __version__,
        "write_auth": ctx.settings.write_auth,
        "database": ctx.store.dialect,
        "networks": ctx.networks,
    }


def _split(values: list[str] | None) -> set[str]:
    return {v.strip() for value in values or [] for v in value.split(",") if v.strip()}


@router.get(
    "/network",
    response_model=FeatureCollection,
    summary="The network as GeoJSON: links (LineStrings) and nodes (Points)",
)
def network_geojson(
    ctx: Ctx,
    mode: Annotated[
        list[str] | None,
        Query(max_length=20, description="Modes or families (rail, sea), comma-separated."),
    ] = None,
    country: Annotated[
        list[str] | None,
        Query(max_length=20, description="Country codes or names, comma-separated."),
    ] = None,
    status: Annotated[
        list[str] | None, Query(max_length=5, description="open, planned or closed.")
    ] = None,
    scenario: Annotated[
        str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$", description="Scenario.")
    ] = None,
    network: Annotated[
        str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$", description="Dataset.")
    ] = None,
) -> dict[str, Any]:
    """Return links and nodes, optionally only those of some modes, countries or statuses.

    A link matches a country when it touches or crosses it; nodes are those of the matching
    links (and, with a country filter, the country's nodes).
    """
    _, net = deps.network_for(ctx, network, scenario, ["query", "scenario"])
    return services.network_view(
        net,
        modes=sorted(_split(mode)),
        countries=sorted(_split(country)),
        statuses=sorted(_split(status)),
    )


def _served(ctx: AppContext) -> Network:
    return deps.bundled_network(ctx.settings.network)


@router.get("/places", response_model=list[node_properties()], summary="Nodes to pick from")  # type: ignore[misc]
def places(ctx: Ctx) -> list[dict[str, Any]]:
    """Return every node's id, display name, country and kind."""
    return services.table_rows(_served(ctx), "nodes", NODE_COLUMNS)


@router.get("/commodities", response_model=list[commodity_model()], summary="Commodities")  # type: ignore[misc]
def commodities(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the commodities with their unit, tonnes per unit, value and value of time."""
    return services.table_rows(
        deps.bundled_network(ctx.settings.network), "commodities", COMMODITY_COLUMNS
    )


@router.get("/countries", response_model=list[country_model()], summary="Countries")  # type: ignore[misc]
def countries(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the countries with their sanctions status, war-risk premium and border time."""
    return services.table_rows(
        deps.bundled_network(ctx.settings.network), "countries", COUNTRY_COLUMNS
    )


@router.get("/sources", response_model=list[SourceOut], summary="Sources of the figures")
def sources(ctx: Ctx) -> list[dict[str, Any]]:
    """Return every source the network cites: title, publisher, date, quoted figure and link.

    Estimates (kind ``estimate``) say how they were made under ``method``.
    """
    return services.table_rows(
        deps.bundled_network(ctx.settings.network), "sources", SOURCE_COLUMNS
    )
