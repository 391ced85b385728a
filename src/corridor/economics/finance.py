"""Project finance: cash flows, NPV, IRR, benefit-cost ratio, payback and rate sweeps.

Conventions (the same as numpy-financial's ``npv``): cash flow ``t`` (``t = 0, 1, ...``) is
discounted by ``(1 + rate) ** t``, so the first year is not discounted. Capital spending falls in
the build years ``0 .. build_years - 1``; operation (benefits and opex) follows for ``years``
years; a residual value, if any, comes in the last year. All amounts are in constant US dollars.

Nothing here knows the network: :mod:`corridor.economics.appraisal` computes a project's benefit
with the assignment model and appraises it with these functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from corridor.errors import CorridorError

if TYPE_CHECKING:
    pass

#: Bracket searched for an internal rate of return (fractions per year).
IRR_BRACKET: tuple[float, float] = (-0.9999, 100.0)


@dataclass(frozen=True)
class CashFlows:
    """A project's yearly cash flows in USD, year 0 first.

    Attributes
    ----------
    capex_usd, opex_usd, benefit_usd, residual_usd
        Capital spending, operating cost, benefit and residual value per year (all >= 0).
    start_year
        Calendar year of year 0, if known.
    """

    capex_usd: np.ndarray
    opex_usd: np.ndarray
    benefit_usd: np.ndarray
    residual_usd: np.ndarray
    start_year: int | None = None

    @property
    def net_usd(self) -> np.ndarray:
        """Net cash flow per year: benefit + residual - capex - opex."""
        net: np.ndarray = self.benefit_usd + self.residual_usd - self.capex_usd - self.opex_usd
        return net

    def frame(self) -> pd.DataFrame:
        """Return the schedule as a table, one row per year."""
        n = len(self.net_usd)
        years = np.arange(n)
        data: dict[str, Any] = {"t": years}
        if self.start_year is not None:
            data["year"] = years + self.start_year
        data.update(
            capex_usd=self.capex_usd,
            opex_usd=self.opex_usd,
            benefit_usd=self.benefit_usd,
            residual_usd=self.residual_usd,
            net_usd=self.net_usd,
        )
        return pd.DataFrame(data)


def ramp_profile(years: int, ramp_up_years: int) -> np.ndarray:
    """Return the share of the full benefit earned in each operating year.

    Linear ramp-up: operating year ``k`` (1-based) earns ``min(k / ramp_up_years, 1)``.

    Examples
    --------
    >>> ramp_profile(5, 3).round(3).tolist()
    [0.333, 0.667, 1.0, 1.0, 1.0]
    >>> ramp_profile(2, 0).tolist()
    [1.0, 1.0]
    """
    if years < 0 or ramp_up_years < 0:
        raise CorridorError("years and ramp_up_years must not be negative")
    k = np.arange(1, years + 1, dtype=float)
    if ramp_up_years == 0:
        return np.ones(years)
    return np.minimum(k / ramp_up_years, 1.0)


def cash_flows(
    capex_usd: float | Sequence[float],
    benefit_usd_per_year: float,
    *,
    years: int = 25,
    build_years: int = 1,
    opex_usd_per_year: float = 0.0,
    ramp_up_years: int = 0,
    residual_value_usd: float = 0.0,
    start_year: int | None = None,
) -> CashFlows:
    """Build a project's cash-flow schedule.

    Parameters
    ----------
    capex_usd
        Total capital cost, spread evenly over ``build_years``, or one amount per build year.
    benefit_usd_per_year
        Full annual benefit once ramped up.
    years
        Operating years after construction.
    build_years
        Years of construction (ignored when ``capex_usd`` is a sequence: its length counts).
    opex_usd_per_year
        Operating and maintenance cost per operating year.
    ramp_up_years
        Years over which the benefit rises linearly to its full value (0: full at once).
    residual_value_usd
        Value of the asset at the end, added in the last operating year.
    start_year
        Calendar year of year 0 (for reporting only).

    Returns
    -------
    CashFlows
        ``build_years + years`` yearly cash flows.

    Raises
    ------
    CorridorError
        If an amount is negative or not finite, or the horizon is empty.

    Examples
    --------
    >>> cf = cash_flows(100.0, 30.0, years=4, ramp_up_years=2)
    >>> cf.net_usd.tolist()
    [-100.0, 15.0, 30.0, 30.0, 30.0]
    """
    capex = (
        np.asarray(capex_usd, dtype=float).ravel()
        if isinstance(capex_usd, Sequence)
        else np.full(build_years, float(capex_usd) / build_years if build_years else math.nan)
    )
    problems = []
    if len(capex) == 0:
        problems.append("build_years must be at least 1 (or give capex per build year)")
    if years < 1:
        problems.append(f"years must be at least 1, got {years}")
    for name, value in (
        ("capex_usd", float(capex.sum()) if len(capex) else 0.0),
        ("benefit_usd_per_year", benefit_usd_per_year),
        ("opex_usd_per_year", opex_usd_per_year),
        ("residual_value_usd", residual_value_usd),
    ):
        if not (math.isfinite(value) and value >= 0):
            problems.append(f"{name} must be a non-negative number, got {value!r}")
    if len(capex) and not np.all(np.isfinite(capex) & (capex >= 0)):
        problems.append("every yearly capex must be a non-negative number")
    if ramp_up_years < 0:
        problems.append(f"ramp_up_years must not be negative, got {ramp_up_years}")
    if problems:
        raise CorridorError("; ".join(problems))
    n_build = len(capex)
    n = n_build + years
    zeros = np.zeros(n)
    capex_all, opex, benefit, residual = zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy()
    capex_all[:n_build] = capex
    opex[n_build:] = opex_usd_per_year
    benefit[n_build:] = benefit_usd_per_year * ramp_profile(years, ramp_up_years)
    residual[-1] = residual_value_usd
    return CashFlows(capex_all, opex, benefit, residual, start_year)


def _discount(rate: float, n: int) -> np.ndarray:
    if not rate > -1:
        raise CorridorError(f"a discount rate must be above -100 %, got {rate * 100:g} %")
    return (1.0 + rate) ** -np.arange(n, dtype=float)


def npv(rate: float, flows: Sequence[float] | np.ndarray) -> float:
    """Return the net present value of ``flows`` at ``rate`` (year 0 undiscounted).

    Examples
    --------
    >>> round(npv(0.1, [-100, 60, 60]), 4)
    4.1322
    """
    values = np.asarray(flows, dtype=float)
    return float((values * _discount(rate, len(values))).sum())


def irr_with_reason(flows: Sequence[float] | np.ndarray) -> tuple[float | None, str]:
    """Return the internal rate of return and a note on how it was found (or why not).

    The NPV is scanned on a grid of rates from -99.99 % to 10,000 % per year; the first sign
    change is refined with Brent's method. A flow whose values all have the same sign has no
    IRR; a flow with more than one sign change may have several, and the note says so.
    """
    values = np.asarray(flows, dtype=float)
    signs = np.sign(values[values != 0])
    if len(signs) == 0 or np.all(signs == signs[0]):
        return None, (
            "no IRR: the cash flows never change sign (NPV has the same sign at every rate)"
        )
    changes = int((np.diff(signs) != 0).sum())
    lo, hi = IRR_BRACKET
    # Scan log(1 + r) evenly. NPV * (1 + r) ** (n - 1) has the NPV's sign and roots but cannot
    # overflow for rates near -100 %.
    grid = np.expm1(np.linspace(math.log1p(lo), math.log1p(hi), 2000))
    powers = np.arange(len(values) - 1, -1, -1, dtype=float)

    def scaled(r: float) -> float:
        return float((values * (1.0 + r) ** powers).sum())

    values_at = np.array([scaled(r) for r in grid])
    roots = np.flatnonzero(np.sign(values_at[:-1]) * np.sign(values_at[1:]) <= 0)
    if len(roots) == 0:
        return None, (
            f"no IRR: the NPV does not change sign between {lo * 100:g} % and {hi * 100:g} %"
        )
    i = int(roots[0])
    a, b = float(grid[i]), float(grid[i + 1])
    root = a if values_at[i] == 0 else float(brentq(scaled, a, b, xtol=1e-14, rtol=1e-13))
    note = (
        "unique IRR (conventional cash flow)"
        if changes == 1
        else (
            f"the cash flow changes sign {changes} times, so it may have several IRRs; "
            "this is the lowest one above -99.99 %"
        )
    )
    return root, note


def irr(flows: Sequence[float] | np.ndarray) -> float | None:
    """Return the internal rate of return (fraction per year), or None if there is none.

    Examples
    --------
    >>> round(irr([-100, 60, 60]), 6)
    0.130662
    >>> irr([100, 50]) is None
    True
    """
    return irr_with_reason(flows)[0]


def benefit_cost_ratio(rate: float, cf: CashFlows) -> float:
    """Return PV(benefits + residual) / PV(capex + opex); inf if the costs are zero."""
    d = _discount(rate, len(cf.net_usd))
    costs = float(((cf.capex_usd + cf.opex_usd) * d).sum())
    gains = float(((cf.benefit_usd + cf.residual_usd) * d).sum())
    return gains / costs if costs > 0 else math.inf


def payback_years(flows: Sequence[float] | np.ndarray, rate: float | None = None) -> int | None:
    """Return the first year ``t`` from which the cumulative (discounted) net flow stays >= 0.

    Parameters
    ----------
    flows
        Net cash flows, year 0 first.
    rate
        Discount rate for the discounted payback; None for the simple payback.

    Returns
    -------
    int or None
        The year index, or None if the project never pays back within the horizon.

    Examples
    --------
    >>> payback_years([-100, 30, 30, 30, 30])
    4
    >>> payback_years([-100, 30, 30, 30, 30], rate=0.1) is None
    True
    """
    values = np.asarray(flows, dtype=float)
    if rate is not None:
        values = values * _discount(rate, len(values))
    cumulative = np.cumsum(values)
    negative = np.flatnonzero(cumulative < -1e-9 * max(1.0, float(np.abs(values).max())))
    if len(negative) == 0:
        return 0
    t = int(negative[-1]) + 1
    return t if t < len(values) else None


@dataclass(frozen=True)
class Rate:
    """One rung of a discount-rate ladder."""

    rate_pct: float
    label: str = ""
    currency: str = ""
    rate_id: str = ""
    source_id: str = ""


@dataclass(frozen=True)
class Appraisal:
    """Result of appraising a project's cash flows at a discount rate.

    Attributes
    ----------
    rate_pct
        The discount rate, % per year.
    npv_usd, pv_benefits_usd, pv_costs_usd
        Net present value and its parts.
    irr_pct
        Internal rate of return (the break-even discount rate), or None; ``irr_note`` says how.
    benefit_cost_ratio
        PV of benefits over PV of costs.
    payback_years, discounted_payback_years
        Years from year 0 until the cumulative net flow stays non-negative, or None.
    cash_flows
        The schedule.
    sweep
        NPV, ratio and payback at every rate of a ladder, if one was given.
    inputs
        The inputs (and, from the model, the benefit's breakdown) for provenance.
    timing
        NPV by start year under a discount-rate path and the value of waiting, if asked
        (see :mod:`corridor.economics.timing`).
    provenance
        Network, version, hash and the kinds of sources behind the benefit, when the
        appraisal ran on a network (see :mod:`corridor.model.provenance`).
    """

    rate_pct: float
    npv_usd: float
    pv_benefits_usd: float
    pv_costs_usd: float
    irr_pct: float | None
    irr_note: str
    benefit_cost_ratio: float
    payback_years: int | None
    discounted_payback_years: int | None
    cash_flows: CashFlows
    sweep: pd.DataFrame | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, Any] | None = None
    provenance: dict[str, Any] | None = None

    @property
    def pays(self) -> bool:
        """Whether the NPV is non-negative at the appraisal rate."""
        return self.npv_usd >= 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict with stable keys carrying units."""
        start = self.cash_flows.start_year

        def year(t: int | None) -> int | None:
            return None if t is None or start is None else start + t

        data: dict[str, Any] = {
            "rate_pct": self.rate_pct,
            "npv_usd": self.npv_usd,
            "pv_benefits_usd": self.pv_benefits_usd,
            "pv_costs_usd": self.pv_costs_usd,
            "irr_pct": self.irr_pct,
            "irr_note": self.irr_note,
            "breakeven_rate_pct": self.irr_pct,
            "benefit_cost_ratio": _finite(self.benefit_cost_ratio),
            "payback_years": self.payback_years,
            "discounted_payback_years": self.discounted_payback_years,
            "payback_year": year(self.payback_years),
            "discounted_payback_year": year(self.discounted_payback_years),
            "pays": self.pays,
            "cash_flows": self.cash_flows.frame().to_dict("records"),
            "inputs": self.inputs,
        }
        if self.timing is not None:
            data["timing"] = self.timing
        if self.provenance is not None:
            data["provenance"] = self.provenance
        if self.sweep is not None:
            data["sweep"] = [
                {k: (_finite(v) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.sweep.to_dict("records")
            ]
        return data


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def rate_sweep(cf: CashFlows, rates: Sequence[Rate | float]) -> pd.DataFrame:
    """Return NPV, benefit-cost ratio and discounted payback at each rate.

    Parameters
    ----------
    cf
        The cash flows.
    rates
        Rates as :class:`Rate` rungs or plain percentages per year.

    Returns
    -------
    DataFrame
        Columns ``rate_pct``, ``label``, ``currency``, ``npv_usd``, ``benefit_cost_ratio``,
        ``discounted_payback_years``, ``pays``, ``source_id``; sorted by rate.
    """
    rows = []
    for item in rates:
        rung = item if isinstance(item, Rate) else Rate(float(item))
        r = rung.rate_pct / 100
        value = npv(r, cf.net_usd)
        rows.append(
            {
                "rate_pct": rung.rate_pct,
                "label": rung.label,
                "currency": rung.currency,
                "npv_usd": value,
                "benefit_cost_ratio": benefit_cost_ratio(r, cf),
                "discounted_payback_years": payback_years(cf.net_usd, r),
                "pays": value >= 0,
                "source_id": rung.source_id,
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values("rate_pct", kind="stable").reset_index(drop=True) if rows else frame


def breakeven_rate(cf: CashFlows) -> float | None:
    """Return the discount rate (fraction) at which the NPV is zero: the IRR."""
    return irr(cf.net_usd)


def appraise(
    cf: CashFlows,
    rate: float,
    *,
    rates: Sequence[Rate | float] | None = None,
    inputs: dict[str, Any] | None = None,
) -> Appraisal:
    """Appraise cash flows at a discount rate, optionally sweeping a rate ladder.

    Parameters
    ----------
    cf
        The cash flows (see :func:`cash_flows`).
    rate
        Discount rate as a fraction per year (0.08 = 8 %).
    rates
        A ladder of rates for the sensitivity table (see :func:`rate_ladder`).
    inputs
        Inputs to record in the result.

    Returns
    -------
    Appraisal
        NPV, IRR, benefit-cost ratio, paybacks and the sweep.

    Examples
    --------
    >>> a = appraise(cash_flows(100.0, 60.0, years=2), 0.10)
    >>> round(a.npv_usd, 4), round(a.irr_pct, 4), a.payback_years
    (4.1322, 13.0662, 2)
    """
    d = _discount(rate, len(cf.net_usd))
    root, note = irr_with_reason(cf.net_usd)
    return Appraisal(
        rate_pct=rate * 100,
        npv_usd=float((cf.net_usd * d).sum()),
        pv_benefits_usd=float(((cf.benefit_usd + cf.residual_usd) * d).sum()),
        pv_costs_usd=float(((cf.capex_usd + cf.opex_usd) * d).sum()),
        irr_pct=None if root is None else root * 100,
        irr_note=note,
        benefit_cost_ratio=benefit_cost_ratio(rate, cf),
        payback_years=payback_years(cf.net_usd),
        discounted_payback_years=payback_years(cf.net_usd, rate),
        cash_flows=cf,
        sweep=None if rates is None else rate_sweep(cf, rates),
        inputs=dict(inputs or {}),
    )
