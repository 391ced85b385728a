"""Sides, key OD pairs and route comparisons of :mod:`corridor.compare`.

A comparison routes a list of key origin-destination pairs on both networks and, given a
demand set, loads it onto both with the capacitated assignment. Every figure is shown for the
base, for the other network and as a difference (other minus base, absolute and in %), so a
scenario's effect on the routes, costs, times, CO2, bottlenecks and flows can be read at once.

Examples
--------
>>> from corridor.compare import compare
>>> c = compare("eurasia", "zangezur-open", ods=["Baku:Nakhchivan:general_cargo"])
>>> c.ods[0].change
'route opens'
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from corridor.errors import CorridorError, NoRouteError

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.routing.params import CostParams
    from corridor.routing.result import Route
    from corridor.scenarios.spec import Scenario

Verdict = Literal["better", "worse", "same", "neutral"]

#: Metrics where a smaller value is better (the others are shown without a verdict).
LOWER_IS_BETTER = frozenset(
    {
        "time_h",
        "time_days",
        "cost_usd_per_unit",
        "co2_kg_per_unit",
        "risk_usd_per_unit",
        "generalized_cost_usd_per_unit",
        "generalized_cost_usd_per_year",
        "co2_kg_per_year",
        "unmet_units_per_year",
        "shadow_price_usd_per_unit",
    }
)

#: Route figures compared per OD, all per unit of cargo (TEU or tonne).
ROUTE_METRICS = (
    "distance_km",
    "time_h",
    "time_days",
    "cost_usd_per_unit",
    "co2_kg_per_unit",
    "risk_usd_per_unit",
    "generalized_cost_usd_per_unit",
)

#: Assignment totals compared.
TOTAL_METRICS = (
    "generalized_cost_usd_per_year",
    "tonne_km_per_year",
    "co2_kg_per_year",
    "unmet_units_per_year",
)

_SAME_REL = 1e-9


def verdict(metric: str, base: float | None, other: float | None) -> Verdict:
    """Say whether ``other`` is better or worse than ``base`` on a metric.

    Parameters
    ----------
    metric
        A key such as ``cost_usd_per_unit``; metrics outside :data:`LOWER_IS_BETTER` are
        ``neutral`` unless equal.
    base, other
        The two values; ``None`` (no route) gives ``neutral``.

    Examples
    --------
    >>> verdict("time_h", 10.0, 8.0), verdict("time_h", 10.0, 10.0), verdict("distance_km", 1, 2)
    ('better', 'same', 'neutral')
    """
    if base is None or other is None:
        return "neutral"
    if math.isclose(base, other, rel_tol=_SAME_REL, abs_tol=1e-9):
        return "same"
    if metric not in LOWER_IS_BETTER:
        return "neutral"
    return "better" if other < base else "worse"


def difference(base: float | None, other: float | None) -> tuple[float | None, float | None]:
    """Return ``other - base`` and the change in % of ``base`` (``None`` where undefined).

    Examples
    --------
    >>> difference(200.0, 150.0)
    (-50.0, -25.0)
    >>> difference(0.0, 5.0), difference(None, 5.0)
    ((5.0, None), (None, None))
    """
    if base is None or other is None:
        return None, None
    delta = other - base
    pct = delta / abs(base) * 100.0 if base != 0 else (0.0 if delta == 0 else None)
    return delta, pct


# --- key origin-destination pairs ---------------------------------------------------------


@dataclass(frozen=True)
class KeyOD:
    """An origin-destination pair and cargo to compare, with why it matters."""

    origin: str
    destination: str
    commodity: str = "container"
    reason: str = ""

    @property
    def label(self) -> str:
        """``origin -> destination (commodity)``."""
        return f"{self.origin} -> {self.destination} ({self.commodity})"


def key_ods() -> list[KeyOD]:
    """Return the bundled key OD pairs of the ``eurasia`` network, with their reasons.

    Examples
    --------
    >>> ("baku", "nakhchivan") in [(od.origin, od.destination) for od in key_ods()]
    True
    """
    path = resources.files("corridor").joinpath("data", "compare", "key_ods.csv")
    text = path.read_text(encoding="utf-8")
    return [
        KeyOD(row["origin"], row["destination"], row["commodity"], row["reason"])
        for row in csv.DictReader(io.StringIO(text))
    ]


def parse_od(text: str) -> KeyOD:
    """Parse ``FROM:TO[:CARGO]`` (cargo defaults to ``container``).

    Raises
    ------
    CorridorError
        If the text does not have two or three non-empty parts.

    Examples
    --------
    >>> parse_od("Xian:Istanbul")
    KeyOD(origin='Xian', destination='Istanbul', commodity='container', reason='')
    """
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (2, 3) or not all(parts):
        raise CorridorError(
            f"--od {text!r}: expected FROM:TO or FROM:TO:CARGO, e.g. Xian:Istanbul:container"
        )
    return KeyOD(*parts) if len(parts) == 3 else KeyOD(parts[0], parts[1])


# --- the two sides ------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One network of a comparison: a bundled dataset or a scenario applied to its base.

    Attributes
    ----------
    name
        As given (dataset name, scenario name or file).
    kind
        ``dataset`` or ``scenario``.
    network
        The validated network.
    year
        Network year (the scenario's, or as requested; ``None``: today).
    root
        The dataset at the root of the scenario's base chain (it holds the demand sets).
    title
        The scenario's title or the dataset's description.
    scenario
        The scenario, for a scenario side.
    """

    name: str
    kind: Literal["dataset", "scenario"]
    network: Network
    year: int | None
    root: str
    title: str = ""
    scenario: Scenario | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return name, kind, title, year, network name and content hash."""
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "network": self.network.meta.name,
            "content_hash": self.network.content_hash(),
        }


def resolve_side(name_or_path: str | os.PathLike[str], *, year: int | None = None) -> Side:
    """Return the network of a dataset name or folder, or of a scenario name or file.

    Parameters
    ----------
    name_or_path
        A bundled dataset (``eurasia``), a network folder, a bundled scenario or a YAML file.
    year
        Network year; by default the scenario's (``None`` for a dataset).

    Raises
    ------
    CorridorError
        If it is neither a dataset nor a scenario (with suggestions), or it is invalid.
    """
    from corridor.datasets import bundled_datasets, valid_network
    from corridor.io.locate import identify, known_names
    from corridor.model.tables import suggest
    from corridor.scenarios import apply_scenario, bundled_scenarios, load_scenario, resolve_chain
    from corridor.scenarios import scenario_year as year_of

    text = os.fspath(name_or_path)
    found = identify(text)
    if found is not None and found.kind == "network":
        network = valid_network(text)
        return Side(text, "dataset", network, year, text, network.meta.description)
    if found is not None:
        spec = load_scenario(text)
        root, _ = resolve_chain(spec)
        own_year = year if year is not None else year_of(spec)
        return Side(text, "scenario", apply_scenario(spec), own_year, root, spec.title, spec)
    raise CorridorError(
        f"{text!r} is neither a dataset ({', '.join(bundled_datasets())}), a network folder, "
        f"a bundled scenario ({', '.join(bundled_scenarios())}) nor a scenario file"
        f"{suggest(text, known_names())}"
    )


# --- routes per OD ------------------------------------------------------------------------


def route_metrics(route: Route | None) -> dict[str, float] | None:
    """Return a route's totals under :data:`ROUTE_METRICS` keys (``None`` without a route)."""
    if route is None:
        return None
    t = route.totals
    return {
        "distance_km": t.distance_km,
        "time_h": t.time_h,
        "time_days": t.time_days,
        "cost_usd_per_unit": t.cost_usd,
        "co2_kg_per_unit": t.co2_kg,
        "risk_usd_per_unit": t.risk_usd,
        "generalized_cost_usd_per_unit": t.generalized_cost_usd,
    }


@dataclass(frozen=True)
class ODComparison:
    """The best route of one OD pair on both networks.

    Attributes
    ----------
    od
        The pair and cargo.
    base, other
        The best route by generalized cost, or ``None`` if there is none.
    base_reason, other_reason
        Why there is no route (empty when there is one).
    """

    od: KeyOD
    base: Route | None
    other: Route | None
    base_reason: str = ""
    other_reason: str = ""

    @property
    def unit(self) -> str:
        """Unit every per-unit figure refers to (``teu`` or ``t``)."""
        found = self.base or self.other
        return found.unit if found is not None else ""

    @property
    def change(self) -> str:
        """``same route``, ``other route``, ``route opens``, ``route lost`` or ``no route``."""
        if self.base is None and self.other is None:
            return "no route"
        if self.base is None:
            return "route opens"
        if self.other is None:
            return "route lost"
        same = [(leg.kind, leg.item_id) for leg in self.base.legs] == [
            (leg.kind, leg.item_id) for leg in self.other.legs
        ]
        return "same route" if same else "other route"

    def differences(self) -> dict[str, dict[str, float | None]]:
        """Return ``{metric: {difference, difference_pct}}`` (other minus base)."""
        a, b = route_metrics(self.base), route_metrics(self.other)
        out: dict[str, dict[str, float | None]] = {}
        for key in ROUTE_METRICS:
            delta, pct = difference(_get(a, key), _get(b, key))
            out[key] = {"difference": delta, "difference_pct": pct}
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the pair, both routes' figures and the differences with unit-named keys."""

        def side(route: Route | None, reason: str) -> dict[str, Any]:
            if route is None:
                return {"route": False, "no_route_reason": reason}
            return {
                "route": True,
                "corridor": route.corridor,
                "corridor_name": route.corridor_name,
                "nodes": route.nodes,
                "modes": route.modes,
                "sanctioned_countries": list(route.sanctioned_countries),
                **(route_metrics(route) or {}),
            }

        a, b = route_metrics(self.base), route_metrics(self.other)
        diffs = self.differences()
        return {
            "origin": self.od.origin,
            "destination": self.od.destination,
            "commodity": self.od.commodity,
            "unit": self.unit,
            "reason": self.od.reason,
            "change": self.change,
            "base": side(self.base, self.base_reason),
            "other": side(self.other, self.other_reason),
            "difference": {k: v["difference"] for k, v in diffs.items()},
            "difference_pct": {k: v["difference_pct"] for k, v in diffs.items()},
            "verdict": {k: verdict(k, _get(a, k), _get(b, k)) for k in ROUTE_METRICS},
        }


def _get(metrics: dict[str, float] | None, key: str) -> float | None:
    return None if metrics is None else metrics[key]


def _best(
    network: Network, od: KeyOD, year: int | None, params: CostParams | None
) -> tuple[Route | None, str]:
    from corridor.routing.engine import route

    try:
        return route(network, od.origin, od.destination, od.commodity, year=year, params=params), ""
    except NoRouteError as exc:
        return None, str(exc)


def compare_od(
    base: Side, other: Side, od: KeyOD, *, params: CostParams | None = None
) -> ODComparison:
    """Route one OD pair on both sides (each in its own year).

    A name missing from one network (e.g. a node a scenario adds) counts as no route there.

    Raises
    ------
    CorridorError
        If a name matches nothing in either network.
    """
    found: list[tuple[Route | None, str]] = []
    errors: list[CorridorError] = []
    resolved = od
    for side in (base, other):
        try:
            ids = _ids(side.network, od)
            found.append(_best(side.network, od, side.year, params))
            resolved = ids
        except CorridorError as exc:  # unknown name on this side
            errors.append(exc)
            found.append((None, f"not in {side.name}: {exc}"))
    if len(errors) == 2:
        raise CorridorError(f"OD {od.label}: {errors[0]}")
    (a, why_a), (b, why_b) = found
    return ODComparison(resolved, a, b, why_a, why_b)


def _ids(network: Network, od: KeyOD) -> KeyOD:
    """Return the pair with node and commodity ids instead of the names given."""
    from corridor.routing.names import names

    index = names(network)
    return KeyOD(
        index.node(od.origin),
        index.node(od.destination),
        index.commodities.resolve(od.commodity),
        od.reason,
    )
