"""Route assembly: a path of the search turned into a :class:`~corridor.routing.result.Route`.

Legs with their components and sources, totals, the corridor label and the provenance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.io.viewcache import derived
from corridor.model.provenance import emission_factors_version
from corridor.routing.graph import (
    ACCESS,
    EGRESS,
    LINK,
    PASS,
)
from corridor.routing.names import names
from corridor.routing.result import Leg, Route, Totals
from corridor.routing.search import (
    _BORDER,
    _CO2,
    _CO2_WTT,
    _DWELL,
    _KM,
    _RISK,
    _RUN,
    _USD,
    SearchProblem,
    sanctioned_countries,
)

if TYPE_CHECKING:
    from corridor.model.network import Network


def make_route(
    network: Network, problem: SearchProblem, path: Sequence[int], objective: str
) -> Route:
    """Turn a problem-edge path into a :class:`Route` with legs, totals and provenance.

    Parameters
    ----------
    network
        The network the problem was built on.
    problem
        The problem.
    path
        SearchProblem-edge indices from source to target.
    objective
        Name of the objective, recorded in the route.
    """
    graph = problem.graph
    labels = names(network).nodes.labels
    legs: list[dict[str, Any]] = []
    pending_risk = 0.0
    pending_sources: tuple[str, ...] = ()
    for e in path:
        b = int(problem.base_edge[e])
        if b < 0:
            continue
        kind = int(graph.kind[b])
        comp = problem.comp[e]
        if kind == ACCESS:
            pending_risk += float(comp[_RISK])
            pending_sources += graph.sources[b]
            continue
        if kind == EGRESS:
            continue
        if kind == PASS:
            if legs and comp[_DWELL] > 0:
                legs[-1]["dwell_h"] += float(comp[_DWELL])
                legs[-1]["sources"] += graph.sources[b]
            continue
        item, u, v, corridors = graph.edge_item[b]
        mode = graph.mode_of_edge[b]
        legs.append(
            {
                "kind": "link" if kind == LINK else "transfer",
                "item_id": item,
                "from_node": u,
                "to_node": v,
                "from_name": labels[u],
                "to_name": labels[v],
                "mode": mode,
                "distance_km": float(comp[_KM]),
                "running_h": float(comp[_RUN]),
                "border_h": float(comp[_BORDER]),
                "dwell_h": float(comp[_DWELL]),
                "cost_usd": float(comp[_USD]),
                "co2_kg": float(comp[_CO2]),
                "co2_wtt_kg": None if math.isnan(comp[_CO2_WTT]) else float(comp[_CO2_WTT]),
                "risk_usd": float(comp[_RISK]) + pending_risk,
                "countries": tuple(sorted(graph.edge_countries[b])),
                "corridors": corridors,
                "sources": pending_sources + graph.sources[b],
            }
        )
        pending_risk, pending_sources = 0.0, ()
    leg_objects = tuple(
        Leg(**{**leg, "sources": tuple(dict.fromkeys(leg["sources"]))}) for leg in legs
    )
    edges = np.asarray(list(path), dtype=np.int64)
    criteria = problem.criteria()[edges].sum(axis=0) if len(edges) else np.zeros(4)
    penalty = float(problem._penalty()[edges].sum()) if len(edges) else 0.0
    value = graph.value_usd_per_unit
    params = problem.request.params
    time_h = float(criteria[1])
    co2 = float(criteria[2])
    risk = float(criteria[3]) - penalty
    totals = Totals(
        distance_km=float(sum(leg.distance_km for leg in leg_objects)),
        time_h=time_h,
        cost_usd=float(criteria[0]),
        co2_kg=co2,
        risk_usd=risk,
        time_value_usd=problem.value_of_time() / 100.0 * value * time_h / 24.0,
        carbon_cost_usd=params.co2_price_usd_per_t * co2 / 1000.0,
        sanctions_penalty_usd=penalty,
        generalized_cost_usd=float(problem.generalized()[edges].sum()) if len(edges) else 0.0,
        co2_wtt_kg=_split_total([leg.co2_wtt_kg for leg in leg_objects]),
    )
    corridor_km: dict[str, float] = {}
    for leg in leg_objects:
        for family in leg.corridors:
            corridor_km[family] = corridor_km.get(family, 0.0) + leg.distance_km
    corridor = corridor_label(leg_objects)
    sanctioned = sanctioned_countries(graph)
    touched = {c for leg in leg_objects for c in leg.countries}
    return Route(
        origin=problem.request.origin,
        destination=problem.request.destination,
        commodity=graph.commodity,
        unit=graph.unit,
        objective=objective,
        legs=leg_objects,
        totals=totals,
        corridor=corridor,
        corridor_km=dict(sorted(corridor_km.items(), key=lambda kv: -kv[1])),
        sanctioned_countries=tuple(sorted(touched & sanctioned)),
        provenance=_provenance(network, problem, leg_objects),
        node_lonlat=_lonlat(network, leg_objects),
    )


def _split_total(parts: Sequence[float | None]) -> float | None:
    """Sum of the legs' WTT CO2e; None if any leg's split is unknown."""
    known = [p for p in parts if p is not None]
    return float(sum(known)) if len(known) == len(parts) else None


def _lonlat(network: Network, legs: Sequence[Leg]) -> dict[str, tuple[float, float]]:
    """Coordinates of the nodes the legs touch, for maps of the route (in the table's order)."""
    touched = {n for leg in legs for n in (leg.from_node, leg.to_node)}
    everywhere = derived(network, "node_lonlat", (), lambda: _all_lonlat(network))
    return {n: xy for n, xy in everywhere.items() if n in touched}


def _all_lonlat(network: Network) -> dict[str, tuple[float, float]]:
    nodes = network.nodes
    return {
        str(n): (float(x), float(y))
        for n, x, y in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True)
    }


#: Families covering less than this share of a route's tagged distance are left out of its label.
MINOR_FAMILY_SHARE = 0.05


def corridor_label(legs: Sequence[Leg]) -> str:
    """Name the corridor families a route runs on, e.g. ``middle`` or ``middle+grain_russia``.

    Greedy set cover of the route's distance by corridor families: take the family covering the
    most uncovered km, repeat while more than 5 % of the distance is uncovered. Families are
    listed in the order the route first enters them. ``domestic`` counts only when nothing
    else applies.

    Parameters
    ----------
    legs
        The route's legs.
    """
    tagged = [(leg.distance_km, set(leg.corridors) - {"domestic"}) for leg in legs]
    tagged = [(km, fams) for km, fams in tagged if fams and km > 0]
    if not tagged:
        return "domestic" if any("domestic" in leg.corridors for leg in legs) else "none"
    total = sum(km for km, _ in tagged)
    uncovered = list(range(len(tagged)))
    chosen: list[str] = []
    while uncovered and sum(tagged[i][0] for i in uncovered) > MINOR_FAMILY_SHARE * total:
        km_by: dict[str, float] = {}
        for i in uncovered:
            for family in tagged[i][1]:
                km_by[family] = km_by.get(family, 0.0) + tagged[i][0]
        best = max(sorted(km_by), key=lambda f: km_by[f])
        chosen.append(best)
        uncovered = [i for i in uncovered if best not in tagged[i][1]]
    first_seen = {f: i for i, (_, fams) in reversed(list(enumerate(tagged))) for f in fams}
    return "+".join(sorted(chosen, key=lambda f: first_seen[f]))


def _provenance(network: Network, problem: SearchProblem, legs: Sequence[Leg]) -> dict[str, Any]:
    from corridor._version import __version__

    used = list(dict.fromkeys(s for leg in legs for s in leg.sources))
    kinds = names(network).source_kind
    counts: dict[str, int] = {}
    for source in used:
        kind = kinds.get(source, "unknown")
        counts[kind] = counts.get(kind, 0) + 1
    request = problem.request
    constraints = request.constraints.model_dump(mode="json")
    return {
        "network": network.meta.name,
        "network_version": network.meta.version,
        "corridor_version": __version__,
        "commodity": request.commodity,
        "year": request.constraints.year,
        "params": request.params.model_dump(mode="json"),
        "value_of_time_pct_per_day": problem.value_of_time(),
        "value_usd_per_unit": problem.graph.value_usd_per_unit,
        "constraints": {k: sorted(v) if isinstance(v, list) else v for k, v in constraints.items()},
        "source_kinds": counts,
        "emission_factors_version": derived(
            network, "emission_factors_version", (), lambda: emission_factors_version(network)
        ),
    }
