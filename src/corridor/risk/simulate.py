"""Monte Carlo transit times and costs of routes: P50/P90/P95, deadlines, disruptions.

A route's deterministic time (its legs' running, border, dwell and transfer hours) is made
stochastic by two tables of the network:

- ``variability``: a leg component (running time of a mode, border time entering a country,
  dwell at a node, a transfer's time) is lognormal with the network's figure as its median and
  the row's ``p90_ratio`` as P90/median. The most specific row wins (an id over ``*``).
- ``disruptions``: a consignment passing the target (node, transfer, link, country) is hit with
  the row's probability (in its months; averaged over the year when no month is given) and then
  delayed by a lognormal (median, P90) or exponential (median) delay.

Sampling is vectorised with numpy: one (terms x samples) normal matrix per route.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corridor.model.tables import split_list

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.routing.result import Route

#: z-score of the 90th percentile of a standard normal.
Z90 = 1.2815515655446004


def lognormal_sigma(median: float, p90: float) -> float:
    """Return the sigma of a lognormal with this median and 90th percentile.

    Examples
    --------
    >>> round(lognormal_sigma(10.0, 10.0 * math.exp(Z90)), 6)
    1.0
    """
    if median <= 0 or p90 <= median:
        return 0.0
    return math.log(p90 / median) / Z90


@dataclass(frozen=True)
class Term:
    """One lognormal time component of a route: ``base_h * exp(sigma * Z)``."""

    label: str
    base_h: float
    sigma: float
    rule: str


@dataclass(frozen=True)
class Hit:
    """One disruption a route is exposed to."""

    disruption_id: str
    name: str
    probability: float
    distribution: str
    median_h: float
    sigma: float


@dataclass(frozen=True)
class Exposure:
    """What makes a route's time uncertain: lognormal terms, disruptions, the fixed rest."""

    fixed_h: float
    terms: tuple[Term, ...]
    hits: tuple[Hit, ...]


def _rules(network: Network) -> dict[tuple[str, str], tuple[float, str]]:
    table = network.tables["variability"]
    rules: dict[tuple[str, str], tuple[float, str]] = {}
    for row in table.to_dict("records"):
        rules[(str(row["applies_to"]), str(row["target"]))] = (
            float(row["p90_ratio"]),
            str(row["variability_id"]),
        )
    return rules


def exposure(network: Network, route: Route, month: int | None = None) -> Exposure:
    """List the random terms and disruptions of a route.

    Parameters
    ----------
    network
        The network the route was found on (its ``variability`` and ``disruptions`` tables).
    route
        The route.
    month
        Month of travel (1-12) for seasonal disruptions; ``None`` averages over the year.
    """
    rules = _rules(network)
    node_country = dict(zip(network.nodes["node_id"], network.nodes["country"], strict=True))

    def rule(kind: str, target: str) -> tuple[float, str] | None:
        return rules.get((kind, target)) or rules.get((kind, "*"))

    terms: list[Term] = []
    fixed = 0.0
    for leg in route.legs:
        parts: list[tuple[str, float, tuple[float, str] | None]]
        if leg.kind == "transfer":
            parts = [(f"transfer {leg.item_id}", leg.dwell_h, rule("transfer", leg.item_id))]
        else:
            entered = str(node_country[leg.to_node])
            parts = [
                (f"running {leg.item_id}", leg.running_h, rule("mode", leg.mode)),
                (f"border into {entered}", leg.border_h, rule("border", entered)),
                (f"dwell at {leg.to_node}", leg.dwell_h, rule("node", leg.to_node)),
            ]
        for label, hours, found in parts:
            if hours <= 0:
                continue
            if found is None or found[0] <= 1.0:
                fixed += hours
            else:
                terms.append(Term(label, hours, math.log(found[0]) / Z90, found[1]))

    nodes = set(route.nodes)
    items = {leg.item_id for leg in route.legs}
    countries = set(route.countries) | {str(node_country[n]) for n in nodes}
    hits: list[Hit] = []
    for row in network.tables["disruptions"].to_dict("records"):
        kind, target = str(row["applies_to"]), str(row["target"])
        exposed = (
            (kind == "node" and target in nodes)
            or (kind in ("transfer", "link") and target in items)
            or (kind == "country" and target in countries)
        )
        if not exposed:
            continue
        probability = float(row["probability"])
        months = [int(m) for m in split_list(row["months"])]
        if months:
            probability = (
                probability * len(months) / 12.0
                if month is None
                else (probability if month in months else 0.0)
            )
        distribution = str(row["distribution"]) if isinstance(row["distribution"], str) else ""
        distribution = distribution or "lognormal"
        median = float(row["delay_median_h"])
        p90 = row["delay_p90_h"]
        sigma = (
            lognormal_sigma(median, float(p90))
            if distribution == "lognormal" and p90 is not None and not _isnan(p90)
            else 0.0
        )
        hits.append(
            Hit(
                str(row["disruption_id"]),
                str(row["name"]),
                probability,
                distribution,
                median,
                sigma,
            )
        )
    return Exposure(fixed_h=fixed, terms=tuple(terms), hits=tuple(hits))


def _isnan(value: Any) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def sample_times(
    exposure_: Exposure, n: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Draw ``n`` transit times (hours) of one route, and which disruptions hit each sample.

    Parameters
    ----------
    exposure_
        The route's random terms and disruptions.
    n
        Number of samples.
    rng
        Random generator.

    Returns
    -------
    tuple of arrays
        Times, shape (n,), and hits, shape (number of disruptions, n).
    """
    times = np.full(n, exposure_.fixed_h, dtype=np.float64)
    if exposure_.terms:
        base = np.array([t.base_h for t in exposure_.terms])[:, None]
        sigma = np.array([t.sigma for t in exposure_.terms])[:, None]
        z = rng.standard_normal((len(exposure_.terms), n))
        times += (base * np.exp(sigma * z)).sum(axis=0)
    hits = np.zeros((len(exposure_.hits), n), dtype=bool)
    for i, hit in enumerate(exposure_.hits):
        hits[i] = rng.random(n) < hit.probability
        count = int(hits[i].sum())
        if count == 0:
            continue
        if hit.distribution == "exponential":
            delay = rng.exponential(hit.median_h / math.log(2.0), count)
        else:
            delay = hit.median_h * np.exp(hit.sigma * rng.standard_normal(count))
        times[hits[i]] += delay
    return times, hits


@dataclass(frozen=True)
class Reliability:
    """Simulated transit time and cost of one route.

    Attributes
    ----------
    route
        The route.
    n, seed, month
        Samples drawn, seed, month of travel (``None`` = year average).
    time_h
        The samples (hours), kept for plots; not in :meth:`to_dict`.
    deadline_h
        The deadline, if one was given.
    exposure
        The random terms and disruptions behind the spread.
    hit_share
        Share of samples hit by each disruption.
    """

    route: Route
    n: int
    seed: int
    month: int | None
    time_h: NDArray[np.float64] = field(repr=False)
    generalized_cost_usd: NDArray[np.float64] = field(repr=False)
    deadline_h: float | None
    exposure: Exposure
    hit_share: dict[str, float]

    def _repr_html_(self) -> str:
        from corridor.report.notebook import reliability_html

        return reliability_html(self)

    def quantile_h(self, q: float) -> float:
        """Return a quantile of the transit time in hours."""
        return float(np.quantile(self.time_h, q))

    @property
    def p_on_time(self) -> float | None:
        """Probability of arriving within the deadline (None without a deadline)."""
        if self.deadline_h is None:
            return None
        return float(np.mean(self.time_h <= self.deadline_h))

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as a JSON-ready dict with units in the keys."""
        p50, p90, p95 = np.quantile(self.time_h, [0.5, 0.9, 0.95])
        c50, c90 = np.quantile(self.generalized_cost_usd, [0.5, 0.9])
        return {
            "corridor": self.route.corridor,
            "corridor_name": self.route.corridor_name,
            "nodes": self.route.nodes,
            "unit": self.route.unit,
            "n": self.n,
            "seed": self.seed,
            "month": self.month,
            "deterministic_time_h": self.route.totals.time_h,
            "mean_time_h": float(self.time_h.mean()),
            "p50_time_h": float(p50),
            "p90_time_h": float(p90),
            "p95_time_h": float(p95),
            "p50_time_days": float(p50) / 24,
            "p90_time_days": float(p90) / 24,
            "deadline_h": self.deadline_h,
            "p_on_time": self.p_on_time,
            "mean_generalized_cost_usd": float(self.generalized_cost_usd.mean()),
            "p50_generalized_cost_usd": float(c50),
            "p90_generalized_cost_usd": float(c90),
            "expected_insurance_usd": self.route.totals.risk_usd,
            "disruptions": [
                {
                    "disruption_id": h.disruption_id,
                    "name": h.name,
                    "probability": h.probability,
                    "hit_share": self.hit_share[h.disruption_id],
                }
                for h in self.exposure.hits
            ],
            "variable_terms": [
                {"label": t.label, "base_h": t.base_h, "rule": t.rule} for t in self.exposure.terms
            ],
        }


def simulate(
    network: Network,
    routes: Route | Sequence[Route],
    *,
    n: int = 100_000,
    seed: int = 0,
    deadline_h: float | None = None,
    month: int | None = None,
    vot_pct_per_day: float | None = None,
) -> list[Reliability]:
    """Simulate transit times and generalized costs of one or more routes.

    Parameters
    ----------
    network
        The network the routes were found on.
    routes
        A route or a list of routes (e.g. from :func:`corridor.alternatives`).
    n
        Samples per route.
    seed
        Seed; the same seed gives the same numbers. Each route gets its own stream, so adding a
        route does not change the others' samples.
    deadline_h
        Deadline in hours, for the probability of arriving on time.
    month
        Month of travel (1-12) for seasonal disruptions; ``None`` averages over the year.
    vot_pct_per_day
        Value of time for the cost samples; default: the value the route was priced with.

    Returns
    -------
    list of Reliability
        One per route, in the order given.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.load()
    >>> found = corridor.route(net, "Xian", "Istanbul", avoid=["RU", "IR"])
    >>> [rel] = simulate(net, found, n=10_000, seed=0, deadline_h=20 * 24)
    >>> rel.quantile_h(0.5) < rel.quantile_h(0.9)
    True
    >>> 0.4 < rel.p_on_time < 0.8
    True
    """
    from corridor.errors import CorridorError

    if n < 1:
        raise CorridorError(f"n must be at least 1, got {n}.")
    if month is not None and not 1 <= month <= 12:
        raise CorridorError(f"month must be 1-12, got {month}.")
    chosen = [routes] if not isinstance(routes, Sequence) else list(routes)
    streams = np.random.SeedSequence(seed).spawn(len(chosen))
    results = []
    for found, stream in zip(chosen, streams, strict=True):
        exp = exposure(network, found, month)
        rng = np.random.default_rng(stream)
        times, hits = sample_times(exp, n, rng)
        vot = vot_pct_per_day
        if vot is None:
            vot = float(found.provenance.get("value_of_time_pct_per_day", 0.0))
        value = float(found.provenance.get("value_usd_per_unit", 0.0))
        fixed_cost = found.totals.generalized_cost_usd - found.totals.time_value_usd
        cost = fixed_cost + vot / 100.0 * value * times / 24.0
        results.append(
            Reliability(
                route=found,
                n=n,
                seed=seed,
                month=month,
                time_h=times,
                generalized_cost_usd=cost,
                deadline_h=deadline_h,
                exposure=exp,
                hit_share={h.disruption_id: float(hits[i].mean()) for i, h in enumerate(exp.hits)},
            )
        )
    return results


RANKINGS = ("p90", "expected", "on_time")


def reliable_routes(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    k: int = 5,
    by: str = "p90",
    n: int = 20_000,
    seed: int = 0,
    deadline_h: float | None = None,
    month: int | None = None,
    **query: Any,
) -> list[Reliability]:
    """Rank candidate routes by a risk-aware criterion.

    Candidates are the ``k`` best routes and the ``k`` diverse corridors (see
    :func:`corridor.alternatives`); each is simulated and the list is sorted by ``by``:
    ``p90`` (P90 transit time), ``expected`` (mean generalized cost, which prices the expected
    delay at the value of time) or ``on_time`` (probability of meeting ``deadline_h``).

    Parameters
    ----------
    network, origin, destination, commodity
        As in :func:`corridor.route`.
    k
        Candidates of each kind.
    by
        Ranking criterion.
    n, seed, deadline_h, month
        As in :func:`simulate`.
    **query
        ``avoid``, ``via``, ``year``, ``params`` for the route search.

    Returns
    -------
    list of Reliability
        Best first.
    """
    from corridor.errors import CorridorError
    from corridor.routing.engine import alternatives

    if by not in RANKINGS:
        raise CorridorError(f"Unknown ranking {by!r}; choose one of {', '.join(RANKINGS)}.")
    if by == "on_time" and deadline_h is None:
        raise CorridorError("Ranking by on_time needs a deadline.")
    candidates = alternatives(
        network, origin, destination, commodity, k=k, diverse=True, **query
    ) + alternatives(network, origin, destination, commodity, k=k, **query)
    unique: dict[tuple[str, ...], Route] = {}
    for found in candidates:
        unique.setdefault(tuple(leg.item_id for leg in found.legs), found)
    results = simulate(
        network, list(unique.values()), n=n, seed=seed, deadline_h=deadline_h, month=month
    )

    def key(r: Reliability) -> float:
        if by == "p90":
            return r.quantile_h(0.9)
        if by == "expected":
            return float(r.generalized_cost_usd.mean())
        return -(r.p_on_time or 0.0)

    return sorted(results, key=key)
