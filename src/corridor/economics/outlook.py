"""Kazakhstan–Türkiye trade outlook: history, growth scenarios, a gravity link and a fan chart.

History comes from the network's ``trade`` table (one reporter's turnover series; partners'
statistics differ and are kept as separate rows). Each growth scenario is a rule applied to that
history (a compound annual growth rate between two years, or the rate that reaches a target by
a year). A change in the corridor's generalized cost (money + value of time, from the routing or
assignment model) moves trade through a gravity-style link::

    multiplier = ((1 + c_scenario / v) / (1 + c_base / v)) ** (-theta)

where ``c / v`` is the ad-valorem trade cost (generalized cost per unit over cargo value per
unit) and ``theta`` is the trade-cost elasticity: about 3 (Limão & Venables 2001), about 4
(Simonovska & Waugh 2014) and about 5 (Head & Mayer 2014). The value of time inside the
generalized cost prices each day at 0.6 %/day of cargo value (the low end of Hummels & Schaur's
0.6-2.1 %), so cutting days cuts ``c``.

A seeded Monte Carlo draws the mean growth, yearly shocks (both from the history's own
volatility) and the elasticity, and gives P10/P50/P90 paths and the year the target is reached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.routing.result import Route

#: The bilateral trade target stated on 12 Nov 2024 (USD per year; see docs/economics.md).
TARGET_USD = 15e9
#: Trade-cost elasticity range drawn in the Monte Carlo (Limão & Venables ~3, Head & Mayer ~5).
ELASTICITY_RANGE: tuple[float, float] = (3.0, 5.0)


def trade_history(
    network: Network, reporter: str = "KZ", partners: tuple[str, str] = ("KZ", "TR")
) -> pd.DataFrame:
    """Return one reporter's bilateral turnover series from the network's ``trade`` table.

    Parameters
    ----------
    network
        A network with a ``trade`` table (the bundled ``eurasia`` has 2010-2024).
    reporter
        Country whose statistics to use; partners' figures differ (mirror statistics).
    partners
        The two countries.

    Returns
    -------
    DataFrame
        Columns ``year``, ``value_usd``, ``trade_id``, ``source_id``, sorted by year.

    Raises
    ------
    CorridorError
        If the table has fewer than two years for this reporter and pair, or two rows for
        one year.
    """
    table = network.tables["trade"]
    pair = set(partners)
    rows = table[
        (table["flow"] == "turnover")
        & (table["reporter"] == reporter)
        & table["exporter"].isin(pair)
        & table["importer"].isin(pair)
        & (table["exporter"] != table["importer"])
    ]
    frame = pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "value_usd": rows["value_usd_per_year"].astype(float).to_numpy(),
            "trade_id": rows["trade_id"].astype(str).to_numpy(),
            "source_id": rows["value_usd_per_year_ref"].astype(str).to_numpy(),
        }
    ).sort_values("year", kind="stable")
    duplicated = sorted(set(frame.loc[frame["year"].duplicated(), "year"].tolist()))
    if duplicated:
        raise CorridorError(
            f"trade table: reporter {reporter} has more than one {'-'.join(partners)} turnover "
            f"row for year(s) {', '.join(map(str, duplicated))}"
        )
    if len(frame) < 2:
        raise CorridorError(
            f"trade table: reporter {reporter} has {len(frame)} year(s) of "
            f"{'-'.join(partners)} turnover; an outlook needs at least two"
        )
    return frame.reset_index(drop=True)


def cagr(first_usd: float, last_usd: float, years: float) -> float:
    """Return the compound annual growth rate (fraction) from ``first`` to ``last``.

    Examples
    --------
    >>> round(cagr(100.0, 121.0, 2), 10)
    0.1
    """
    if not (first_usd > 0 and last_usd > 0 and years > 0):
        raise CorridorError("a growth rate needs two positive values and a positive span")
    return float((last_usd / first_usd) ** (1.0 / years) - 1.0)


def _value(history: pd.DataFrame, year: int) -> float:
    hit = history.loc[history["year"] == year, "value_usd"]
    if hit.empty:
        raise CorridorError(
            f"no trade figure for {year}; the history has "
            f"{', '.join(map(str, history['year'].tolist()))}"
        )
    return float(hit.iloc[0])


def volatility(history: pd.DataFrame) -> float:
    """Return the yearly standard deviation of log growth, allowing for gaps between years.

    A step of ``k`` years has variance ``k * sigma**2`` around ``k * mu``; sigma is estimated
    from the steps' deviations with ``mu`` the overall log growth per year.
    """
    years = history["year"].to_numpy(dtype=float)
    logs = np.log(history["value_usd"].to_numpy(dtype=float))
    gaps = np.diff(years)
    steps = np.diff(logs)
    mu = (logs[-1] - logs[0]) / (years[-1] - years[0])
    if len(steps) < 2:
        return 0.0
    return float(math.sqrt(((steps - gaps * mu) ** 2 / gaps).sum() / (len(steps) - 1)))


@dataclass(frozen=True)
class GrowthScenario:
    """A rule for the growth of trade after the last observed year.

    Attributes
    ----------
    scenario_id, label
        Short id and description.
    method
        ``cagr``: the compound annual growth between ``from_year`` and ``to_year`` of the
        history (``to_year`` None: the last year); ``target``: the rate that reaches the
        target in ``target_year``; ``fixed``: ``growth_pct`` per year (a user assumption).
    """

    scenario_id: str
    label: str
    method: Literal["cagr", "target", "fixed"]
    from_year: int | None = None
    to_year: int | None = None
    target_year: int | None = None
    growth_pct: float | None = None

    def growth(self, history: pd.DataFrame, target_usd: float) -> float:
        """Return the scenario's growth rate (fraction per year) on this history."""
        last_year = int(history["year"].iloc[-1])
        last = float(history["value_usd"].iloc[-1])
        if self.method == "cagr":
            start = int(self.from_year if self.from_year is not None else history["year"].iloc[0])
            end = int(self.to_year if self.to_year is not None else last_year)
            return cagr(_value(history, start), _value(history, end), end - start)
        if self.method == "target":
            if self.target_year is None or self.target_year <= last_year:
                raise CorridorError(
                    f"scenario {self.scenario_id}: target_year must be after {last_year}"
                )
            return cagr(last, target_usd, self.target_year - last_year)
        if self.growth_pct is None:
            raise CorridorError(f"scenario {self.scenario_id}: a fixed scenario needs growth_pct")
        return self.growth_pct / 100


#: Growth scenarios computed from the bundled history (no growth rate is assumed).
DEFAULT_SCENARIOS: tuple[GrowthScenario, ...] = (
    GrowthScenario("historical", "CAGR over the whole history (2010-2024)", "cagr"),
    GrowthScenario("recent", "CAGR since 2020", "cagr", from_year=2020),
    GrowthScenario("slow", "CAGR since the 2012 peak", "cagr", from_year=2012),
    GrowthScenario(
        "target_2030",
        "Path to the target by 2030 (year from a 2025 commentary; no official year found)",
        "target",
        target_year=2030,
    ),
)


def scenario_by_id(scenario_id: str, scenarios: Sequence[GrowthScenario]) -> GrowthScenario:
    """Return the scenario with this id, or raise a CorridorError listing the ids."""
    for scenario in scenarios:
        if scenario.scenario_id == scenario_id:
            return scenario
    known = ", ".join(s.scenario_id for s in scenarios)
    raise CorridorError(f"unknown outlook scenario {scenario_id!r}; known: {known}")


@dataclass(frozen=True)
class CorridorChange:
    """A change in the corridor's generalized cost per unit of cargo, and when it applies.

    Attributes
    ----------
    base_cost_usd, scenario_cost_usd
        Generalized cost per unit (money + value of time + expected risk) before and after.
    cargo_value_usd
        Value of one unit of cargo.
    start_year
        First year the change applies (e.g. a link's opening year).
    affected_share
        Share of the bilateral trade that uses the corridor (1: all of it).
    """

    base_cost_usd: float
    scenario_cost_usd: float
    cargo_value_usd: float
    start_year: int
    affected_share: float = 1.0

    def __post_init__(self) -> None:
        problems = []
        if not (self.base_cost_usd >= 0 and self.scenario_cost_usd >= 0):
            problems.append("costs must be non-negative")
        if not self.cargo_value_usd > 0:
            problems.append("cargo_value_usd must be positive")
        if not 0 <= self.affected_share <= 1:
            problems.append("affected_share must be between 0 and 1")
        if problems:
            raise CorridorError("corridor change: " + "; ".join(problems))

    @property
    def ad_valorem_change_pct(self) -> float:
        """Change of the trade cost in % of cargo value (negative: cheaper)."""
        return (self.scenario_cost_usd - self.base_cost_usd) / self.cargo_value_usd * 100

    @classmethod
    def from_routes(
        cls,
        base: Route,
        scenario: Route,
        cargo_value_usd: float,
        start_year: int,
        affected_share: float = 1.0,
    ) -> CorridorChange:
        """Build the change from two routes of the same cargo (their generalized costs)."""
        return cls(
            base.totals.generalized_cost_usd,
            scenario.totals.generalized_cost_usd,
            cargo_value_usd,
            start_year,
            affected_share,
        )


def trade_multiplier(change: CorridorChange, elasticity: float | np.ndarray) -> Any:
    """Return the factor on trade from a corridor change (gravity link).

    ``share * ((1 + c1/v) / (1 + c0/v)) ** (-elasticity) + (1 - share)``.

    Examples
    --------
    >>> c = CorridorChange(1000.0, 500.0, 10_000.0, 2030)
    >>> round(trade_multiplier(c, 4.0), 4)  # (1.05 / 1.10) ** -4
    1.2045
    """
    v = change.cargo_value_usd
    ratio = (1 + change.scenario_cost_usd / v) / (1 + change.base_cost_usd / v)
    factor = np.power(ratio, -np.asarray(elasticity, dtype=float))
    result = change.affected_share * factor + (1 - change.affected_share)
    return float(result) if np.ndim(result) == 0 else result


def first_year_reaching(
    years: Sequence[int] | np.ndarray, path: np.ndarray, target: float
) -> int | None:
    """Return the first year whose value is at least ``target``, or None.

    Examples
    --------
    >>> first_year_reaching([2025, 2026, 2027], np.array([9.0, 15.0, 14.0]), 15.0)
    2026
    >>> first_year_reaching([2025, 2026], np.array([1.0, 2.0]), 15.0) is None
    True
    """
    hits = np.flatnonzero(np.asarray(path) >= target)
    return int(np.asarray(years)[hits[0]]) if len(hits) else None


@dataclass(frozen=True)
class ScenarioOutlook:
    """Projection of one growth scenario.

    Attributes
    ----------
    scenario
        The rule.
    growth_pct
        Its growth rate on the history, % per year.
    central_usd
        Path without noise (central elasticity), one value per projection year.
    p10_usd, p50_usd, p90_usd
        Monte Carlo percentiles per projection year.
    central_year, year_p10, year_p50, year_p90
        Year the target is reached on the central path and the percentiles of that year over
        the samples (P10 = early); None = not within the horizon.
    share_reaching
        Share of samples that reach the target within the horizon.
    """

    scenario: GrowthScenario
    growth_pct: float
    central_usd: np.ndarray
    p10_usd: np.ndarray
    p50_usd: np.ndarray
    p90_usd: np.ndarray
    central_year: int | None
    year_p10: int | None
    year_p50: int | None
    year_p90: int | None
    share_reaching: float


@dataclass(frozen=True)
class Outlook:
    """Trade history, projections per scenario and the year a target is reached."""

    history: pd.DataFrame
    years: np.ndarray
    target_usd: float
    scenarios: list[ScenarioOutlook]
    volatility_log: float
    change: CorridorChange | None
    elasticity_range: tuple[float, float]
    n: int
    seed: int
    inputs: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict with stable, unit-carrying keys."""
        horizon = int(self.years[-1])
        extra = {} if self.provenance is None else {"provenance": self.provenance}

        def verdict(year: int | None) -> str:
            return str(year) if year is not None else f"not by {horizon}"

        return {
            "target_usd": self.target_usd,
            "horizon_year": horizon,
            "history": [
                {
                    "year": int(r["year"]),
                    "value_usd": float(r["value_usd"]),
                    "trade_id": r["trade_id"],
                    "source_id": r["source_id"],
                }
                for r in self.history.to_dict("records")
            ],
            "volatility_log_per_year": self.volatility_log,
            "corridor_change": None
            if self.change is None
            else {
                "base_cost_usd": self.change.base_cost_usd,
                "scenario_cost_usd": self.change.scenario_cost_usd,
                "cargo_value_usd": self.change.cargo_value_usd,
                "ad_valorem_change_pct": self.change.ad_valorem_change_pct,
                "start_year": self.change.start_year,
                "affected_share": self.change.affected_share,
                "elasticity_range": list(self.elasticity_range),
            },
            **extra,
            "samples": self.n,
            "seed": self.seed,
            "scenarios": [
                {
                    "scenario_id": s.scenario.scenario_id,
                    "label": s.scenario.label,
                    "growth_pct": s.growth_pct,
                    "target_year_central": s.central_year,
                    "target_year_p10": s.year_p10,
                    "target_year_p50": s.year_p50,
                    "target_year_p90": s.year_p90,
                    "target_reached": {
                        "central": verdict(s.central_year),
                        "p10": verdict(s.year_p10),
                        "p50": verdict(s.year_p50),
                        "p90": verdict(s.year_p90),
                    },
                    "share_reaching": s.share_reaching,
                    "path": [
                        {
                            "year": int(y),
                            "central_usd": float(c),
                            "p10_usd": float(a),
                            "p50_usd": float(b),
                            "p90_usd": float(d),
                        }
                        for y, c, a, b, d in zip(
                            self.years,
                            s.central_usd,
                            s.p10_usd,
                            s.p50_usd,
                            s.p90_usd,
                            strict=True,
                        )
                    ],
                }
                for s in self.scenarios
            ],
            "inputs": self.inputs,
        }


def _quantile_year(years: np.ndarray, reach: np.ndarray, q: float) -> int | None:
    value = float(np.quantile(reach, q, method="inverted_cdf"))
    return None if not math.isfinite(value) else int(value)


def project(
    history: pd.DataFrame,
    scenarios: Sequence[GrowthScenario] = DEFAULT_SCENARIOS,
    *,
    target_usd: float = TARGET_USD,
    horizon_year: int = 2060,
    change: CorridorChange | None = None,
    elasticity_range: tuple[float, float] = ELASTICITY_RANGE,
    n: int = 10_000,
    seed: int = 0,
) -> Outlook:
    """Project trade under each scenario with a Monte Carlo band and the target year.

    The log of trade in year ``t`` after the last observation is
    ``log V0 + sum(mu + e_s) + log m(t)``: ``mu`` ~ Normal(log(1 + g), sigma / sqrt(span))
    (uncertainty of a mean growth estimated over the history's span), yearly shocks
    ``e_s`` ~ Normal(0, sigma) with sigma the history's :func:`volatility`, and ``m(t)`` the
    gravity multiplier of ``change`` from its start year, the elasticity drawn uniformly from
    ``elasticity_range``.

    Parameters
    ----------
    history
        From :func:`trade_history`.
    scenarios
        Growth rules.
    target_usd
        Trade value to reach.
    horizon_year
        Last projected year.
    change
        Corridor cost change from the model, or None.
    elasticity_range
        Low and high trade-cost elasticity (positive numbers).
    n, seed
        Samples and seed of numpy's generator.

    Returns
    -------
    Outlook
        Paths, percentiles and target years per scenario.
    """
    last_year = int(history["year"].iloc[-1])
    last = float(history["value_usd"].iloc[-1])
    if horizon_year <= last_year:
        raise CorridorError(f"horizon_year must be after the last observed year {last_year}")
    lo, hi = elasticity_range
    if not 0 <= lo <= hi:
        raise CorridorError("elasticity_range must be two non-negative numbers, low first")
    if n < 1:
        raise CorridorError("n must be at least 1")
    years = np.arange(last_year + 1, horizon_year + 1)
    steps = np.arange(1, len(years) + 1, dtype=float)
    sigma = volatility(history)
    span = float(history["year"].iloc[-1] - history["year"].iloc[0])
    rng = np.random.default_rng(seed)
    active = np.zeros(len(years), dtype=bool) if change is None else years >= change.start_year
    results = []
    for scenario in scenarios:
        g = scenario.growth(history, target_usd)
        if not g > -1:
            raise CorridorError(f"scenario {scenario.scenario_id}: growth must exceed -100 %")
        mu = math.log1p(g)
        central_m = 1.0 if change is None else trade_multiplier(change, (lo + hi) / 2)
        central = last * np.exp(mu * steps) * np.where(active, central_m, 1.0)
        mus = rng.normal(mu, sigma / math.sqrt(span), size=(n, 1))
        shocks = rng.normal(0.0, sigma, size=(n, len(years)))
        logs = math.log(last) + np.cumsum(mus + shocks, axis=1)
        if change is not None:
            m = trade_multiplier(change, rng.uniform(lo, hi, size=n))
            logs = logs + np.where(active, np.log(m)[:, None], 0.0)
        paths = np.exp(logs)
        reached = paths >= target_usd
        reach = np.where(reached.any(axis=1), years[reached.argmax(axis=1)], np.inf)
        p10, p50, p90 = np.quantile(paths, [0.1, 0.5, 0.9], axis=0)
        results.append(
            ScenarioOutlook(
                scenario=scenario,
                growth_pct=g * 100,
                central_usd=central,
                p10_usd=p10,
                p50_usd=p50,
                p90_usd=p90,
                central_year=first_year_reaching(years, central, target_usd),
                year_p10=_quantile_year(years, reach, 0.1),
                year_p50=_quantile_year(years, reach, 0.5),
                year_p90=_quantile_year(years, reach, 0.9),
                share_reaching=float(np.isfinite(reach).mean()),
            )
        )
    return Outlook(
        history=history,
        years=years,
        target_usd=target_usd,
        scenarios=results,
        volatility_log=sigma,
        change=change,
        elasticity_range=(lo, hi),
        n=n,
        seed=seed,
    )


def fan_chart(outlook: Outlook, path: str | Path) -> Path:
    """Write a PNG fan chart: history, P10-P90 bands and central paths, and the target line.

    Needs matplotlib (the ``plot`` extra).

    Raises
    ------
    CorridorError
        If matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise CorridorError("the fan chart needs matplotlib: pip install 'corridor[plot]'") from exc
    out = Path(path)
    fig, ax = plt.subplots(figsize=(9, 5))
    hist = outlook.history
    ax.plot(hist["year"], hist["value_usd"] / 1e9, "ko-", label="history (reported)")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, s in enumerate(outlook.scenarios):
        color = colors[i % len(colors)]
        ax.fill_between(outlook.years, s.p10_usd / 1e9, s.p90_usd / 1e9, color=color, alpha=0.15)
        ax.plot(outlook.years, s.p50_usd / 1e9, color=color, label=f"{s.scenario.label} (P50)")
        ax.plot(outlook.years, s.central_usd / 1e9, color=color, linestyle=":", linewidth=1)
    ax.axhline(outlook.target_usd / 1e9, color="grey", linestyle="--", label="target")
    ax.set_ylabel("Kazakhstan–Türkiye trade, billion USD per year")
    ax.set_ylim(0, max(outlook.target_usd / 1e9 * 2, float(hist["value_usd"].max()) / 1e9 * 1.5))
    ax.set_title("Trade outlook: P10-P90 bands, P50 (solid) and central (dotted) paths")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
