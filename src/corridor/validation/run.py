"""Running every observation through the service layer and scoring it against its band."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.datasets import DEFAULT_DATASET
from corridor.errors import CorridorError, ValidationError
from corridor.model.network import Network
from corridor.model.observations import observation_problems
from corridor.model.tables import split_list
from corridor.validation.criteria import KINDS, Criteria, geh, load_criteria
from corridor.validation.result import (
    KindSummary,
    NotModelledError,
    ObservationResult,
    ValidationResult,
    score,
    summarize,
)

if TYPE_CHECKING:
    from corridor.assign.model import Assignment
    from corridor.demand import Demand
    from corridor.routing.result import Leg, Route

ROUTE_KINDS = frozenset({"transit_time", "segment_time", "dwell", "price", "distance"})
FLOW_KINDS = frozenset({"volume", "share"})
_TIME_UNITS = {"h": 1.0, "days": 24.0}
_FLOW_UNITS = {"t/year": 1.0, "Mt/year": 1e6}

__all__ = [
    "FLOW_KINDS",
    "ROUTE_KINDS",
    "KindSummary",
    "NotModelledError",
    "ObservationResult",
    "ValidationResult",
    "run_validation",
    "score",
    "summarize",
]


# --- computing the modelled value --------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _opt_float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _leg_value(kind: str, leg: Leg) -> float:
    if kind == "price":
        return leg.cost_usd
    if kind == "distance":
        return leg.distance_km
    return leg.time_h


def _route_quantity(kind: str, route: Route, measure: str, ids: list[str]) -> float:
    """Return the modelled quantity in the model's own unit (h, USD per TEU or t, km)."""
    legs = list(route.legs)
    if measure == "route":
        if kind == "dwell":
            return sum(leg.border_h + leg.dwell_h for leg in legs)
        return sum(_leg_value(kind, leg) for leg in legs)
    if measure == "mode":
        chosen = [leg for leg in legs if leg.kind == "link" and leg.mode in ids]
        if not chosen:
            raise NotModelledError(f"the route uses none of the modes {', '.join(ids)}")
        return sum(_leg_value(kind, leg) for leg in chosen)
    if measure == "link":
        chosen = [leg for leg in legs if leg.item_id in ids]
        if not chosen:
            raise NotModelledError(f"the route uses none of the links {', '.join(ids)}")
        return sum(_leg_value(kind, leg) for leg in chosen)
    if measure == "node":
        if not set(ids) & set(route.nodes):
            raise NotModelledError(f"the route does not pass {', '.join(ids)}")
        total = 0.0
        for leg in legs:
            if leg.kind == "transfer" and leg.from_node in ids:
                total += _leg_value(kind, leg)
            elif leg.kind == "link" and leg.to_node in ids and kind in ("dwell", "segment_time"):
                total += leg.border_h + leg.dwell_h
        return total
    raise NotModelledError(f"measure {measure!r} does not apply to a route")


def _convert_route(kind: str, value: float, route: Route, unit: str) -> float:
    if kind in ("transit_time", "segment_time", "dwell"):
        if unit not in _TIME_UNITS:
            raise NotModelledError(f"a time cannot be in {unit}")
        return value / _TIME_UNITS[unit]
    if kind == "distance":
        if unit != "km":
            raise NotModelledError(f"a distance cannot be in {unit}")
        return value
    per = {"teu": {"USD/TEU": 1.0, "USD/FEU": 2.0}, "t": {"USD/t": 1.0}}
    factor = per.get(route.unit, {}).get(unit)
    if factor is None:
        raise NotModelledError(f"the model prices this cargo per {route.unit}, not in {unit}")
    return value * factor


def _leg_rows(route: Route) -> list[dict[str, Any]]:
    return [
        {
            "item_id": leg.item_id,
            "kind": leg.kind,
            "mode": leg.mode,
            "from_node": leg.from_node,
            "to_node": leg.to_node,
            "distance_km": round(leg.distance_km, 1),
            "time_h": round(leg.time_h, 2),
            "border_h": round(leg.border_h, 2),
            "dwell_h": round(leg.dwell_h, 2),
            "cost_usd_per_unit": round(leg.cost_usd, 2),
        }
        for leg in route.legs
    ]


@dataclass
class _Context:
    network: Network
    network_name: str | os.PathLike[str]
    criteria: Criteria
    assignments: dict[str, tuple[Demand, Assignment]] = field(default_factory=dict)
    progress: Callable[[str], None] | None = None

    def assignment(self, name: str) -> tuple[Demand, Assignment]:
        if name not in self.assignments:
            from corridor import services
            from corridor.demand import bundled_demand_sets

            if name not in bundled_demand_sets(self.network_name):
                raise NotModelledError(f"no bundled demand set named {name!r}")
            if self.progress is not None:
                self.progress(f"assigning demand set {name}")
            _, demand, result = services.run_assignment(
                self.network_name, name, network=self.network
            )
            self.assignments[name] = (demand, result)
        return self.assignments[name]


def _route_value(
    ctx: _Context, row: pd.Series, kind: str, unit: str
) -> tuple[float, str, list[dict[str, Any]]]:
    from corridor import services

    origin, destination = _text(row["origin"]), _text(row["destination"])
    if not origin or not destination:
        raise NotModelledError("the observation names no origin and destination")
    try:
        _, routes = services.find_routes(
            ctx.network,
            origin,
            destination,
            _text(row["commodity"]) or "container",
            objective=_text(row["by"]) or "generalized",  # type: ignore[arg-type]
            avoid=split_list(row["avoid"]),
            via=split_list(row["via"]),
            year=int(row["year"]),
        )
    except CorridorError as exc:
        raise NotModelledError(f"no route: {exc}") from exc
    if not routes:
        raise NotModelledError("no route")
    route = routes[0]
    measure = _text(row["measure"]) or "route"
    raw = _route_quantity(kind, route, measure, split_list(row["measure_ids"]))
    return _convert_route(kind, raw, route, unit), route.corridor, _leg_rows(route)


def _flows(ctx: _Context, row: pd.Series, unit: str, measure: str, ids: list[str]) -> float:
    """Annual flow measured over the row's demand sets, in ``unit`` (TEU/year, t or Mt/year)."""
    sets = split_list(row["demand_sets"])
    if not sets:
        raise NotModelledError("no bundled demand set describes this year")
    year = int(row["year"])
    commodity = _text(row["commodity"])
    origin, destination = _text(row["origin"]), _text(row["destination"])
    t_per_unit = dict(
        zip(
            ctx.network.commodities["commodity_id"],
            ctx.network.commodities["t_per_unit"],
            strict=True,
        )
    )
    total = 0.0
    for name in sets:
        demand, result = ctx.assignment(name)
        if demand.year is not None and abs(demand.year - year) > ctx.criteria.demand_year_tolerance:
            raise NotModelledError(
                f"demand set {name!r} describes {demand.year}, the observation {year} (more "
                f"than {ctx.criteria.demand_year_tolerance} year apart)"
            )
        shares = result.route_shares
        if measure == "link":
            if origin or destination:
                raise NotModelledError("flows per link carry no origin or destination")
            flows = result.link_flows
            flows = flows[flows["link_id"].isin(ids)]
            if commodity:
                flows = flows[flows["commodity"] == commodity]
            if unit == "TEU/year":
                boxes = flows[flows["commodity"] == "container"]
                total += float(boxes["flow_units_per_year"].sum())
            else:
                total += float(flows["flow_t_per_year"].sum()) / _FLOW_UNITS[unit]
            continue
        if shares.empty:
            continue
        keep = pd.Series(True, index=shares.index)
        if commodity:
            keep &= shares["commodity"] == commodity
        if origin:
            keep &= shares["origin"] == origin
        if destination:
            keep &= shares["destination"] == destination
        if measure == "family":
            keep &= shares["corridor"].map(lambda c: bool(set(str(c).split("+")) & set(ids)))
        elif measure == "node":
            keep &= shares["nodes"].map(lambda n: bool(set(str(n).split(" > ")) & set(ids)))
        elif measure != "route":
            raise NotModelledError(f"measure {measure!r} does not apply to flows")
        chosen = shares[keep]
        if unit == "TEU/year":
            total += float(chosen.loc[chosen["commodity"] == "container", "flow_per_year"].sum())
        else:
            tonnes = chosen["flow_per_year"] * chosen["commodity"].map(t_per_unit).astype(float)
            total += float(tonnes.sum()) / _FLOW_UNITS[unit]
    return total


def _flow_value(ctx: _Context, row: pd.Series, kind: str, unit: str) -> float:
    measure = _text(row["measure"]) or "route"
    ids = split_list(row["measure_ids"])
    if kind == "volume":
        if unit not in ("TEU/year", *_FLOW_UNITS):
            raise NotModelledError(f"a volume cannot be in {unit}")
        return _flows(ctx, row, unit, measure, ids)
    if unit != "%":
        raise NotModelledError("a share must be in %")
    flow_unit = "t/year"
    whole = _flows(ctx, row, flow_unit, "route", [])
    if whole <= 0:
        raise NotModelledError("the demand sets carry no flow of this commodity")
    return 100.0 * _flows(ctx, row, flow_unit, measure, ids) / whole


def _geh(kind: str, modelled: float | None, observed: float, unit: str) -> float | None:
    """GEH of a volume on annual flows in tonnes or TEU per year (Mt/year converted to t)."""
    if kind != "volume" or modelled is None:
        return None
    factor = _FLOW_UNITS.get(unit, 1.0)
    return geh(modelled * factor, observed * factor)


def _source(network: Network, ref: str) -> dict[str, Any]:
    sources = network.sources
    match = sources[sources["source_id"] == ref]
    if match.empty:
        return {"source_id": ref}
    src = match.iloc[0]
    return {
        "source_id": ref,
        "title": _text(src["title"]),
        "publisher": _text(src["publisher"]),
        "url": _text(src["url"]),
        "published": _text(src["published"]),
        "figure_as_published": _text(src["figure_as_published"]),
    }


def _query(row: pd.Series) -> dict[str, Any]:
    keys = ("origin", "destination", "commodity", "by", "measure")
    query: dict[str, Any] = {k: _text(row[k]) for k in keys if _text(row[k])}
    for key in ("avoid", "via", "demand_sets", "measure_ids"):
        values = split_list(row[key])
        if values:
            query[key] = values
    return query


def evaluate(ctx: _Context, row: pd.Series) -> ObservationResult:
    """Run one observation row through the model and score it."""
    kind = str(row["kind"])
    unit = str(row["unit"])
    observed = float(row["observed_value"])
    modelled: float | None = None
    reason = ""
    corridor = ""
    legs: list[dict[str, Any]] = []
    try:
        if kind in ROUTE_KINDS:
            modelled, corridor, legs = _route_value(ctx, row, kind, unit)
        elif kind in FLOW_KINDS:
            modelled = _flow_value(ctx, row, kind, unit)
        else:
            raise NotModelledError(f"unknown kind {kind!r}")
    except NotModelledError as exc:
        reason = str(exc)
        modelled = None
    low, high = _opt_float(row["low_value"]), _opt_float(row["high_value"])
    lo, hi, band_from, in_band, ratio, log_error = score(
        kind, observed, modelled, low, high, ctx.criteria
    )
    return ObservationResult(
        observation_id=str(row["observation_id"]),
        kind=kind,
        description=_text(row["description"]),
        status="modelled" if modelled is not None else "not_modelled",
        reason=reason,
        modelled=modelled,
        observed=observed,
        unit=unit,
        low=lo,
        high=hi,
        band_from=band_from,
        in_band=in_band,
        ratio=ratio,
        abs_log_error=log_error,
        geh=_geh(kind, modelled, observed, unit),
        year=int(row["year"]),
        nature=str(row["nature"]),
        query=_query(row),
        source=_source(ctx.network, str(row["source_ref"])),
        corridor=corridor,
        legs=legs,
    )


def run_validation(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    *,
    kind: str | None = None,
    network: Network | None = None,
    criteria: Criteria | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationResult:
    """Run every observation of a network through the model and score it against its band.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder (its observations, demand sets).
    kind
        Only observations of this kind.
    network
        Use this network instead of reading ``name_or_path`` (its demand sets are still read
        from ``name_or_path``).
    criteria
        Bands; those of ``criteria.yaml`` if omitted.
    progress
        Called with a short message before each slow step.

    Raises
    ------
    ValidationError
        If an observation cites a source that a model figure or demand flow rests on, or a
        source that is not published; the report names each such row.
    ValueError
        If ``kind`` is not a known kind.
    """
    from corridor import services

    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    used = network if network is not None else services.valid_network(name_or_path)
    report = observation_problems(used, bundled_demand_tables(name_or_path))
    if not report.ok:
        raise ValidationError(report)
    ctx = _Context(used, name_or_path, criteria or load_criteria(), progress=progress)
    observations = used.tables["observations"]
    if kind is not None:
        observations = observations[observations["kind"] == kind]
    rows: list[ObservationResult] = []
    for i, (_, row) in enumerate(observations.iterrows()):
        if progress is not None and i % 10 == 0:
            progress(f"observation {i + 1} of {len(observations)}")
        rows.append(evaluate(ctx, row))
    from corridor.model.provenance import provenance

    return ValidationResult(
        network=str(used.meta.name),
        criteria=ctx.criteria,
        rows=rows,
        provenance=provenance(used, params={"kind": kind}),
    )


def bundled_demand_tables(network_path: str | os.PathLike[str]) -> list[pd.DataFrame]:
    """Return the raw tables of the demand sets shipped with a network folder (may be none)."""
    from corridor.datasets import resolve_network_path

    folder = resolve_network_path(network_path) / "demand"
    if not folder.is_dir():
        return []
    return [pd.read_csv(f, dtype=str) for f in sorted(folder.glob("*.csv"))]
