"""Running every observation through the service layer and scoring it against its band."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.datasets import DEFAULT_DATASET
from corridor.errors import CorridorError, ValidationError
from corridor.model.network import Network
from corridor.model.observations import observation_problems
from corridor.model.tables import split_list
from corridor.validation.criteria import KINDS, Criteria, geh, load_criteria

if TYPE_CHECKING:
    from corridor.assign.model import Assignment
    from corridor.demand import Demand
    from corridor.routing.result import Leg, Route

ROUTE_KINDS = frozenset({"transit_time", "segment_time", "dwell", "price", "distance"})
FLOW_KINDS = frozenset({"volume", "share"})
_TIME_UNITS = {"h": 1.0, "days": 24.0}
_FLOW_UNITS = {"t/year": 1.0, "Mt/year": 1e6}


class NotModelledError(Exception):
    """The model cannot answer an observation; the message says why."""


@dataclass(frozen=True)
class ObservationResult:
    """One observation against the model.

    ``modelled``, ``observed``, ``low`` and ``high`` are in ``unit``. ``ratio`` is modelled /
    observed; ``abs_log_error`` is ``|ln(ratio)|`` (None when the model gives 0 or nothing).
    A ``not_modelled`` row has no modelled value and is outside its band.
    """

    observation_id: str
    kind: str
    description: str
    status: str  # modelled | not_modelled
    reason: str
    modelled: float | None
    observed: float
    unit: str
    low: float
    high: float
    band_from: str  # published | default
    in_band: bool
    ratio: float | None
    abs_log_error: float | None
    geh: float | None
    year: int
    nature: str
    query: dict[str, Any]
    source: dict[str, Any]
    corridor: str = ""
    legs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data (keys name their units where they have one)."""
        return {
            "observation_id": self.observation_id,
            "kind": self.kind,
            "description": self.description,
            "status": self.status,
            "reason": self.reason,
            "unit": self.unit,
            "modelled_value": self.modelled,
            "observed_value": self.observed,
            "low_value": self.low,
            "high_value": self.high,
            "band_from": self.band_from,
            "in_band": self.in_band,
            "ratio": self.ratio,
            "abs_log_error": self.abs_log_error,
            "geh": self.geh,
            "year": self.year,
            "nature": self.nature,
            "query": self.query,
            "source": self.source,
            "corridor": self.corridor,
            "legs": self.legs,
        }


@dataclass(frozen=True)
class KindSummary:
    """Summary of the observations of one kind.

    Attributes
    ----------
    count
        Observations of the kind.
    modelled
        Those the model could answer.
    in_band
        Those inside their band (not-modelled rows never are).
    median_ratio, median_abs_log_error
        Over the modelled rows with a positive modelled value (None if there are none).
    zero_modelled
        Modelled rows whose modelled value is 0 (left out of the two medians).
    geh_below_threshold
        Volumes only: modelled rows with GEH below the criteria's threshold.
    """

    kind: str
    count: int
    modelled: int
    in_band: int
    median_ratio: float | None
    median_abs_log_error: float | None
    zero_modelled: int
    geh_below_threshold: int | None

    @property
    def share_in_band(self) -> float:
        """In-band rows over all rows of the kind (0 if there are none)."""
        return self.in_band / self.count if self.count else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "count": self.count,
            "modelled": self.modelled,
            "not_modelled": self.count - self.modelled,
            "in_band": self.in_band,
            "share_in_band": self.share_in_band,
            "median_ratio": self.median_ratio,
            "median_abs_log_error": self.median_abs_log_error,
            "zero_modelled": self.zero_modelled,
        }
        if self.geh_below_threshold is not None:
            data["geh_below_threshold"] = self.geh_below_threshold
            data["share_geh_below_threshold"] = (
                self.geh_below_threshold / self.count if self.count else 0.0
            )
        return data


@dataclass(frozen=True)
class ValidationResult:
    """Every observation against the model, with a summary per kind."""

    network: str
    criteria: Criteria
    rows: list[ObservationResult]

    @property
    def summaries(self) -> list[KindSummary]:
        """One summary per kind that has observations, in :data:`KINDS` order."""
        return [summarize(self.rows, kind, self.criteria) for kind in self.kinds]

    @property
    def kinds(self) -> list[str]:
        """Kinds present, in report order."""
        present = {r.kind for r in self.rows}
        return [k for k in KINDS if k in present]

    def worst(self, kind: str, n: int = 5) -> list[ObservationResult]:
        """Return the ``n`` rows of ``kind`` furthest from their observation.

        Not-modelled rows and rows modelled as 0 come first, then the largest log errors.
        """
        rows = [r for r in self.rows if r.kind == kind]
        return sorted(
            rows,
            key=lambda r: (
                r.abs_log_error is not None,
                -(r.abs_log_error or 0.0),
                r.observation_id,
            ),
        )[:n]

    def summary_markdown(self) -> str:
        """Return the summary per kind as a Markdown table (as in docs/validation.md)."""

        def num(value: float | None) -> str:
            return "–" if value is None else f"{value:.2f}"

        lines = [
            "| kind | count | modelled | in band | share in band | median ratio "
            "| median \\|ln ratio\\| |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in self.summaries:
            lines.append(
                f"| {s.kind} | {s.count} | {s.modelled} | {s.in_band} | "
                f"{s.share_in_band:.0%} | {num(s.median_ratio)} | "
                f"{num(s.median_abs_log_error)} |"
            )
        total = len(self.rows)
        modelled = sum(r.status == "modelled" for r in self.rows)
        in_band = sum(r.in_band for r in self.rows)
        share = in_band / total if total else 0.0
        lines.append(f"| **all** | {total} | {modelled} | {in_band} | {share:.0%} | | |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as one JSON-ready document with stable keys."""
        rows = len(self.rows)
        in_band = sum(r.in_band for r in self.rows)
        return {
            "network": self.network,
            "criteria": self.criteria.to_dict(),
            "summary": [s.to_dict() for s in self.summaries],
            "total": {
                "count": rows,
                "in_band": in_band,
                "share_in_band": in_band / rows if rows else 0.0,
            },
            "observations": [r.to_dict() for r in self.rows],
        }


def summarize(rows: Sequence[ObservationResult], kind: str, criteria: Criteria) -> KindSummary:
    """Summarise the rows of one kind."""
    mine = [r for r in rows if r.kind == kind]
    modelled = [r for r in mine if r.status == "modelled"]
    ratios = [r.ratio for r in modelled if r.ratio is not None and r.ratio > 0]
    errors = [r.abs_log_error for r in modelled if r.abs_log_error is not None]
    gehs = [r.geh for r in modelled if r.geh is not None]
    return KindSummary(
        kind=kind,
        count=len(mine),
        modelled=len(modelled),
        in_band=sum(r.in_band for r in mine),
        median_ratio=statistics.median(ratios) if ratios else None,
        median_abs_log_error=statistics.median(errors) if errors else None,
        zero_modelled=sum(1 for r in modelled if r.modelled == 0),
        geh_below_threshold=(
            sum(1 for g in gehs if g < criteria.geh_threshold) if kind == "volume" else None
        ),
    )


def score(
    kind: str,
    observed: float,
    modelled: float | None,
    low: float | None,
    high: float | None,
    criteria: Criteria,
) -> tuple[float, float, str, bool, float | None, float | None]:
    """Return (low, high, band_from, in_band, ratio, abs_log_error) of one observation.

    The published range is the band when the row gives one; otherwise the kind's default band.

    Examples
    --------
    >>> score("price", 100.0, 125.0, None, None, load_criteria())[:4]
    (70.0, 130.0, 'default', True)
    >>> score("transit_time", 15.0, 20.0, 13.0, 17.0, load_criteria())[:4]
    (13.0, 17.0, 'published', False)
    """
    if low is not None and high is not None:
        lo, hi, band_from = low, high, "published"
    else:
        lo, hi = criteria.band(kind).around(observed)
        band_from = "default"
    if modelled is None:
        return lo, hi, band_from, False, None, None
    ratio = modelled / observed if observed else None
    log_error = abs(math.log(ratio)) if ratio is not None and ratio > 0 else None
    return lo, hi, band_from, lo <= modelled <= hi, ratio, log_error


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
    return ValidationResult(network=str(used.meta.name), criteria=ctx.criteria, rows=rows)


def bundled_demand_tables(network_path: str | os.PathLike[str]) -> list[pd.DataFrame]:
    """Return the raw tables of the demand sets shipped with a network folder (may be none)."""
    from corridor.datasets import resolve_network_path

    folder = resolve_network_path(network_path) / "demand"
    if not folder.is_dir():
        return []
    return [pd.read_csv(f, dtype=str) for f in sorted(folder.glob("*.csv"))]
