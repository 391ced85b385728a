"""Route, Pareto, simulate and compare endpoints. Each call is recorded as a run."""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Annotated, Any

import numpy as np
import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor import services
from corridor.io.geojson import network_lines
from corridor.model.network import Network
from corridor.routing.params import CostParams
from corridor.routing.result import Leg, Route, leg_coordinates
from corridor.web.api import deps
from corridor.web.api.deps import AppContext
from corridor.web.api.errors import ApiError, error_body, located
from corridor.web.api.models import (
    CompareOut,
    CompareRequest,
    ParetoOut,
    ParetoRequest,
    QueryBase,
    RouteRequest,
    RoutesOut,
    SimulateOut,
    SimulateRequest,
)
from corridor.web.db.store import NewRun
from corridor.web.db.writer import WriterFullError, new_run_id

router = APIRouter(prefix="/api", tags=["routing"])
Ctx = Annotated[AppContext, Depends(deps.context)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "Invalid request: unknown name (with suggestions), no route, or a limit"},
    503: {
        "description": "The run database has not taken writes for a while and the queue of "
        "runs to record is full; retry after the seconds in the Retry-After header"
    },
}
_HEAVY: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    429: {
        "description": "Too many computations of this kind, or from this client, are running; "
        "retry after the seconds in the Retry-After header"
    },
}


#: orjson encodes only the built-in types itself (str, int, float, bool, None, dict, list,
#: tuple); anything else (numpy scalars, subclasses, dataclasses, dates) takes the slow path.
_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def encode(data: dict[str, Any]) -> str:
    """Return ``data`` as compact JSON text, as the API sends it (UTF-8 as is).

    NaN and infinities become ``null`` and numpy scalars plain numbers (see
    :func:`~corridor.web.api.deps.json_safe`). Answers of built-in types only are encoded by
    orjson (which writes NaN and infinities as ``null`` too); others go through ``json_safe``
    and the standard library. Both give the same JSON values; only the spelling of some
    numbers differs (orjson writes ``1e-7`` where :mod:`json` writes ``1e-07``).
    """
    try:
        return orjson.dumps(data, option=_ORJSON_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: a type it does not take, or a huge int
        pass
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (ValueError, TypeError):
        safe = deps.json_safe(data)
        return json.dumps(safe, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class ResultCache:
    """Answers of pure computations as JSON text, keyed by network object and canonical request.

    Networks are immutable and cached per dataset (a changed file gives a new object), so an
    answer for the same network object and request never goes stale. Keeping the text means a
    repeated request costs neither the computation nor the JSON encoding.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], tuple[Network, str]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(network: Network, request: dict[str, Any]) -> tuple[int, str]:
        return id(network), json.dumps(request, sort_keys=True)

    def get(self, network: Network, request: dict[str, Any]) -> str | None:
        """Return the cached answer's JSON text, or ``None``."""
        key = self._key(network, request)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is network:
                self._items.move_to_end(key)
                return hit[1]
        return None

    def get_or_compute(
        self, network: Network, request: dict[str, Any], compute: Callable[[], dict[str, Any]]
    ) -> str:
        """Return the cached answer's JSON text, or compute, encode and keep it."""
        found = self.get(network, request)
        if found is not None:
            return found
        text = encode(compute())
        with self._lock:
            self._items[self._key(network, request)] = (network, text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return text

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._items.clear()


CACHE = ResultCache()


def record(
    ctx: AppContext,
    kind: str,
    body: dict[str, Any],
    started: datetime,
    *,
    network: str | None,
    scenario: str | None,
    result_json: str | None = None,
    error: dict[str, Any] | None = None,
    owner: bool = False,
) -> tuple[str, Future[None]]:
    """Queue a finished run (``failed`` when ``error`` is given).

    Returns
    -------
    tuple
        The run's id and a future done once the run is committed.
    """
    run_id = new_run_id()
    try:
        written = ctx.runs.add(
            NewRun(
                run_id=run_id,
                kind=kind,
                status="failed" if error is not None else "done",
                network=network or ctx.settings.network,
                scenario=scenario,
                request=body,
                result_json=result_json,
                error=error,
                started_at=started,
                finished_at=datetime.now(UTC),
                owner=owner,
            ),
        )
    except WriterFullError as exc:
        raise ApiError(
            503,
            ["body"],
            str(exc),
            "database_unavailable",
            headers={"Retry-After": str(exc.retry_after_s)},
            retry_after_s=exc.retry_after_s,
        ) from None
    return run_id, written


def recorded_text(
    ctx: AppContext,
    kind: str,
    body: dict[str, Any],
    compute: Callable[[], str],
    *,
    network: str | None,
    scenario: str | None,
    started: datetime | None = None,
    owner: bool = False,
) -> Response:
    """Run ``compute`` (JSON text of an object), record the run and send the text with its id.

    Errors are located in ``body`` and recorded as a failed run.
    """
    started = started or datetime.now(UTC)
    try:
        with located(body):
            text = compute()
    except ApiError as exc:
        record(ctx, kind, body, started, network=network, scenario=scenario,
               error=error_body(exc), owner=owner)  # fmt: skip
        raise
    run_id, written = record(
        ctx, kind, body, started, network=network, scenario=scenario, result_json=text,
        owner=owner,
    )  # fmt: skip
    return with_run_id(text, run_id, deps.wait_stored(ctx, written))


def with_run_id(text: str, run_id: str, stored: bool) -> Response:
    """Send a JSON object's text with ``run_id`` and ``stored`` added as its last keys."""
    tail = f'"run_id":"{run_id}","stored":{"true" if stored else "false"}}}'
    content = text[:-1] + ("," if len(text) > 2 else "") + tail
    return Response(content.encode(), media_type="application/json")


def recorded(
    ctx: AppContext,
    kind: str,
    body: dict[str, Any],
    compute: Callable[[], dict[str, Any]],
    *,
    network: str | None,
    scenario: str | None,
    owner: bool = False,
) -> dict[str, Any]:
    """Run ``compute`` with errors located in ``body`` and record the run, done or failed."""
    started = datetime.now(UTC)
    try:
        with located(body):
            result = deps.json_safe(compute())
    except ApiError as exc:
        record(ctx, kind, body, started, network=network, scenario=scenario,
               error=error_body(exc), owner=owner)  # fmt: skip
        raise
    run_id, written = record(
        ctx, kind, body, started, network=network, scenario=scenario,
        result_json=encode(result), owner=owner,
    )  # fmt: skip
    return {**result, "run_id": run_id, "stored": deps.wait_stored(ctx, written)}


def cost_params(body: QueryBase) -> CostParams:
    """Generalized-cost weights of a request."""
    return CostParams(
        value_of_time_pct_per_day=body.value_of_time_pct_per_day,
        co2_price_usd_per_t=body.co2_price_usd_per_t,
        sanctions=body.sanctions,
        sanctions_penalty_pct=body.sanctions_penalty_pct,
        max_war_risk_pct=body.max_war_risk_pct,
    )


def route_geojson(
    route: Route, network: Network, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the route's GeoJSON, each feature with the id of its link.

    The same as :meth:`Route.to_geojson` with an ``id`` on each feature, built faster: each
    link's coordinate list is made once per network (and shared by the answers: they are
    encoded, never changed), and ``data`` (the route's :meth:`Route.to_dict`, when the caller
    has it) gives the legs' properties and the collection's.
    """
    data = route.to_dict() if data is None else data
    coordinates = _coordinates(network)
    features: list[dict[str, Any]] = []
    for i, (leg, properties) in enumerate(zip(route.legs, data["legs"], strict=True)):
        if leg.kind != "link":
            continue
        key = (leg.item_id, leg.from_node, leg.to_node)
        coords = coordinates.get(key)
        if coords is None:
            coords = coordinates[key] = _leg_coordinates(network, leg)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {**properties, "seq": i},
                "id": leg.item_id,
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {key: value for key, value in data.items() if key != "legs"},
    }


#: Per network: each link leg's coordinates, keyed by (link id, from node, to node).
_COORDINATES: weakref.WeakKeyDictionary[Network, dict[tuple[str, str, str], list[list[float]]]] = (
    weakref.WeakKeyDictionary()
)
_COORDINATES_LOCK = threading.Lock()


def _coordinates(network: Network) -> dict[tuple[str, str, str], list[list[float]]]:
    with _COORDINATES_LOCK:
        found = _COORDINATES.get(network)
        if found is None:
            found = _COORDINATES[network] = {}
        return found


def _leg_coordinates(network: Network, leg: Leg) -> list[list[float]]:
    """Return a link leg's points from its start, as :meth:`Route.to_geojson` draws them."""
    return leg_coordinates(network_lines(network), leg)


def route_out(route: Route, network: Network) -> dict[str, Any]:
    """Return ``Route.to_dict()`` with the route's GeoJSON under ``geojson``."""
    data = route.to_dict()
    data["geojson"] = route_geojson(route, network, data)
    return data


def _query(body: QueryBase) -> dict[str, Any]:
    return {
        "avoid": body.avoid,
        "via": body.via,
        "year": body.year,
        "params": cost_params(body),
    }


@router.post("/route", response_model=RoutesOut, responses=_ERRORS, summary="Best route(s)")
async def route(body: RouteRequest, ctx: Ctx, http: Request) -> Response:
    """Return the best route by ``objective``, or ``k`` alternatives.

    With ``diverse``, the alternatives run through different corridors.

    Every figure is per unit of cargo (TEU for containers, tonne otherwise).
    """
    request = body.model_dump(mode="json")
    started = datetime.now(UTC)
    owner = deps.is_owner(ctx, http)
    if body.scenario is None:
        # A repeated request on a loaded network needs no I/O: answer it on the event loop.
        network = deps.loaded_network(body.network or ctx.settings.network)
        text = CACHE.get(network, request) if network is not None else None
        if text is not None:
            run_id, written = record(ctx, "route", request, started, network=body.network,
                                     scenario=None, result_json=text, owner=owner)  # fmt: skip
            return with_run_id(text, run_id, await deps.stored(ctx, written))
    return await run_in_threadpool(_route, body, ctx, request, started, owner)


def _route(
    body: RouteRequest, ctx: AppContext, request: dict[str, Any], started: datetime, owner: bool
) -> Response:
    def compute() -> str:
        name, network = deps.network_for(ctx, body.network, body.scenario, ["body", "scenario"])

        def routes() -> dict[str, Any]:
            found = services.routes_on(
                network,
                body.origin,
                body.destination,
                body.commodity,
                objective=body.objective,
                k=body.k,
                diverse=body.diverse,
                **_query(body),
            )
            return {
                "routes": [route_out(r, network) for r in found],
                "network": name,
                "scenario": body.scenario,
            }

        return CACHE.get_or_compute(network, request, routes)

    return recorded_text(
        ctx, "route", request, compute, network=body.network, scenario=body.scenario,
        started=started, owner=owner,
    )  # fmt: skip


@router.post("/pareto", response_model=ParetoOut, responses=_HEAVY, summary="Pareto front")
async def pareto(body: ParetoRequest, ctx: Ctx, http: Request) -> Response:
    """Return the routes no other route beats on cost, time, CO2 and risk at once.

    ``dominated`` lists, for each corridor off the front, its best route and the front route
    that is at least as good on every criterion.
    """
    request = body.model_dump(mode="json")

    def compute() -> str:
        name, network = deps.network_for(ctx, body.network, body.scenario, ["body", "scenario"])
        return CACHE.get_or_compute(network, request, lambda: _pareto(body, name, network))

    with deps.heavy(ctx, http, "pareto"):
        return await run_in_threadpool(
            recorded_text, ctx, "pareto", request, compute, network=body.network,
            scenario=body.scenario, owner=deps.is_owner(ctx, http),
        )  # fmt: skip


def _pareto(body: ParetoRequest, name: str, network: Network) -> dict[str, Any]:
    result = services.pareto_on(
        network, body.origin, body.destination, body.commodity, **_query(body)
    )
    return {
        "front": [route_out(r, network) for r in result.front],
        "dominated": [
            {
                "corridor": loser.corridor,
                "corridor_name": loser.corridor_name,
                "route": route_out(loser, network),
                "dominated_by": {
                    "corridor": winner.corridor,
                    "corridor_name": winner.corridor_name,
                    "nodes": winner.nodes,
                    "totals": winner.totals.to_dict(),
                },
            }
            for loser, winner in result.dominated
        ],
        "network": name,
        "scenario": body.scenario,
    }


@router.post("/simulate", response_model=SimulateOut, responses=_HEAVY, summary="Transit-time risk")
async def simulate(body: SimulateRequest, ctx: Ctx, http: Request) -> dict[str, Any]:
    """Simulate the candidate routes' transit times and rank them (P50/P90, deadline, cost).

    Every route's histogram uses the same bin edges (hours), so they can share a chart.
    """
    request = body.model_dump(mode="json")
    if body.by == "on_time" and body.deadline_h is None:
        raise ApiError(
            422, ["body", "deadline_h"], "Ranking by on_time needs a deadline_h.", "missing"
        )

    def compute() -> dict[str, Any]:
        name, network = deps.network_for(ctx, body.network, body.scenario, ["body", "scenario"])
        results = services.simulate_routes(
            network,
            body.origin,
            body.destination,
            body.commodity,
            k=body.k,
            by=body.by,
            n=body.n,
            seed=body.seed,
            deadline_h=body.deadline_h,
            month=body.month,
            **_query(body),
        )
        low = min(float(r.time_h.min()) for r in results)
        high = max(float(r.time_h.max()) for r in results)
        edges = np.linspace(low, max(high, low + 1.0), body.bins + 1)
        routes = []
        for r in results:
            counts, _ = np.histogram(r.time_h, bins=edges)
            routes.append(
                {
                    **r.to_dict(),
                    "histogram": {
                        "edges_h": [round(float(e), 3) for e in edges],
                        "counts": [int(c) for c in counts],
                    },
                    "geojson": route_geojson(r.route, network),
                }
            )
        return {"routes": routes, "ranked_by": body.by, "network": name, "scenario": body.scenario}

    with deps.heavy(ctx, http, "simulate"):
        return await run_in_threadpool(
            recorded, ctx, "simulate", request, compute, network=body.network,
            scenario=body.scenario, owner=deps.is_owner(ctx, http),
        )  # fmt: skip


def _delta(base: float | None, other: float | None) -> float | None:
    """Return ``other - base``; None where either is unknown."""
    return None if base is None or other is None else other - base


def differences(base: Route, other: Route) -> dict[str, Any]:
    """Differences between two routes: totals (other minus base), nodes and corridors."""
    a, b = base.totals.to_dict(), other.totals.to_dict()
    base_nodes, other_nodes = set(base.nodes), set(other.nodes)
    return {
        "same_route": [leg.item_id for leg in base.legs] == [leg.item_id for leg in other.legs],
        "corridor": {"base": base.corridor, "other": other.corridor},
        "corridor_name": {"base": base.corridor_name, "other": other.corridor_name},
        "totals_delta": {key: _delta(a[key], b[key]) for key in a},
        "nodes_only_in_base": [n for n in base.nodes if n not in other_nodes],
        "nodes_only_in_other": [n for n in other.nodes if n not in base_nodes],
    }


@router.post(
    "/compare", response_model=CompareOut, responses=_HEAVY, summary="One route, two scenarios"
)
async def compare(body: CompareRequest, ctx: Ctx, http: Request) -> dict[str, Any]:
    """Return the best route under two scenarios and how the routes differ.

    ``base`` and ``other`` are scenario names; ``null`` is the network as bundled.
    ``totals_delta`` is other minus base.
    """
    request = body.model_dump(mode="json")

    def compute() -> dict[str, Any]:
        found = []
        for field in ("base", "other"):
            scenario = getattr(body, field)
            _, network = deps.network_for(ctx, body.network, scenario, ["body", field])
            best = services.routes_on(
                network,
                body.origin,
                body.destination,
                body.commodity,
                objective=body.objective,
                avoid=body.avoid,
                year=body.year,
            )[0]
            found.append((best, network))
        (base, base_net), (other, other_net) = found
        return {
            "base": {**route_out(base, base_net), "scenario": body.base},
            "other": {**route_out(other, other_net), "scenario": body.other},
            "differences": differences(base, other),
        }

    with deps.heavy(ctx, http, "compare"):
        return await run_in_threadpool(
            recorded, ctx, "compare", request, compute, network=body.network,
            scenario=body.other, owner=deps.is_owner(ctx, http),
        )  # fmt: skip
