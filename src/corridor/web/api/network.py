"""Read-only endpoints: health, the network as GeoJSON, places, commodities, countries."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query

from corridor import services
from corridor._version import __version__
from corridor.datasets import bundled_datasets
from corridor.model.network import Network
from corridor.model.tables import split_list
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.models import (
    COMMODITY_COLUMNS,
    COUNTRY_COLUMNS,
    LINK_COLUMNS,
    LINK_RENAMES,
    NODE_COLUMNS,
    FeatureCollection,
    Health,
    commodity_model,
    country_model,
    node_properties,
)

router = APIRouter(prefix="/api", tags=["network"])
Ctx = Annotated[AppContext, Depends(deps.context)]


@router.get("/health", response_model=Health, summary="Server status and configuration")
def health(ctx: Ctx) -> dict[str, Any]:
    """Return ``ok`` with the network served, the version, the auth mode and the database."""
    return {
        "status": "ok",
        "network": ctx.settings.network,
        "version": __version__,
        "write_auth": ctx.settings.write_auth,
        "database": ctx.store.dialect,
        "networks": bundled_datasets(),
    }


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(network: Network, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    from corridor.model.schema import table_schema

    schema = table_schema(table)
    frame = network.tables[table]
    rows = []
    for record in frame[list(columns)].astype(object).to_dict("records"):
        row = {}
        for column in columns:
            value = _clean(record[column])
            row[column] = split_list(value) if schema.column(column).dtype == "list" else value
        rows.append(row)
    return rows


@lru_cache(maxsize=16)
def _features(network: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and link features with the contract's properties, cached per network object."""
    nodes_fc, links_fc = services.network_geojson(network)
    node_country = {
        str(n): str(c)
        for n, c in zip(network.nodes["node_id"], network.nodes["country"], strict=True)
    }
    links = _records(network, "links", LINK_COLUMNS)
    link_features = []
    for feature, props in zip(links_fc["features"], links, strict=True):
        countries = props["countries"] or list(
            dict.fromkeys([node_country[props["from_node"]], node_country[props["to_node"]]])
        )
        props = {LINK_RENAMES.get(k, k): v for k, v in props.items()}
        props["countries"] = countries
        props["feature"] = "link"
        link_features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "geometry": feature["geometry"],
                "properties": props,
            }
        )
    node_features = []
    for feature, props in zip(
        nodes_fc["features"], _records(network, "nodes", NODE_COLUMNS), strict=True
    ):
        props["feature"] = "node"
        node_features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "geometry": feature["geometry"],
                "properties": props,
            }
        )
    return node_features, link_features


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
    from corridor.errors import NameNotFoundError
    from corridor.routing.names import names
    from corridor.web.api.errors import ApiError

    _, net = deps.network_for(ctx, network, scenario, ["query", "scenario"])
    index = names(net)
    modes: set[str] = set()
    countries: set[str] = set()
    try:
        for name in _split(mode):
            modes.update(index.modes_named(name))
        for name in _split(country):
            countries.add(index.countries.resolve(name))
    except NameNotFoundError as exc:
        field = "mode" if exc.kind == "mode" else "country"
        raise ApiError(
            422,
            ["query", field],
            str(exc),
            "not_found",
            input=exc.name,
            suggestions=exc.suggestions,
        ) from None
    statuses = _split(status)
    allowed = {"open", "planned", "closed"}
    if statuses - allowed:
        raise ApiError(
            422,
            ["query", "status"],
            f"Unknown status {sorted(statuses - allowed)}; use open, planned or closed.",
            "invalid",
        )
    node_features, link_features = _features(net)
    links = [
        f
        for f in link_features
        if (not modes or f["properties"]["mode"] in modes)
        and (not statuses or f["properties"]["status"] in statuses)
        and (not countries or countries & set(f["properties"]["countries"]))
    ]
    if modes or statuses or countries:
        used = {f["properties"][end] for f in links for end in ("from_node", "to_node")}
        nodes = [
            f
            for f in node_features
            if f["id"] in used
            or (countries and f["properties"]["country"] in countries and not modes)
        ]
    else:
        nodes = node_features
    return {"type": "FeatureCollection", "features": [*links, *nodes]}


@router.get("/places", response_model=list[node_properties()], summary="Nodes to pick from")  # type: ignore[misc]
def places(ctx: Ctx) -> list[dict[str, Any]]:
    """Return every node's id, display name, country and kind."""
    return _records(deps.bundled_network(ctx.settings.network), "nodes", NODE_COLUMNS)


@router.get("/commodities", response_model=list[commodity_model()], summary="Commodities")  # type: ignore[misc]
def commodities(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the commodities with their unit, tonnes per unit, value and value of time."""
    return _records(deps.bundled_network(ctx.settings.network), "commodities", COMMODITY_COLUMNS)


@router.get("/countries", response_model=list[country_model()], summary="Countries")  # type: ignore[misc]
def countries(ctx: Ctx) -> list[dict[str, Any]]:
    """Return the countries with their sanctions status, war-risk premium and border time."""
    return _records(deps.bundled_network(ctx.settings.network), "countries", COUNTRY_COLUMNS)
