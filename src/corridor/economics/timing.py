"""When to build: NPV by start year under a path of discount rates, and the value of waiting.

An investor who expects rates to fall (Turkish investment "waits for lower rates, perhaps
after 2027") compares building now with building later. Both are valued at one valuation
year, discounting each calendar year at the rate the path gives for it, so a later start both
loses the benefits of the years waited and gains the lower rates of the years built in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.economics.finance import CashFlows
from corridor.errors import CorridorError


@dataclass(frozen=True)
class RatePath:
    """Discount rates by calendar year: each rate applies from its year until the next one.

    Before the first year the first rate applies, after the last the last one.

    Attributes
    ----------
    steps
        ``(year, rate)`` pairs, rate as a fraction per year, sorted by year.
    """

    steps: tuple[tuple[int, float], ...]

    @classmethod
    def constant(cls, rate: float, year: int) -> RatePath:
        """Return a path with one rate for every year."""
        return cls(((year, rate),))

    @classmethod
    def parse(cls, text: str) -> RatePath:
        """Parse ``"2026:12,2028:8"`` (years and rates in % per year).

        Raises
        ------
        CorridorError
            Naming every malformed item, a repeated year or a rate not above -100 %.

        Examples
        --------
        >>> RatePath.parse("2028:8, 2026:12").steps
        ((2026, 0.12), (2028, 0.08))
        """
        steps: dict[int, float] = {}
        problems: list[str] = []
        for item in (part.strip() for part in text.split(",")):
            year_text, _, rate_text = item.partition(":")
            try:
                year, rate = int(year_text), float(rate_text)
            except ValueError:
                problems.append(f"{item!r} is not YEAR:RATE_PCT (e.g. 2028:8)")
                continue
            if not math.isfinite(rate) or rate <= -100 or rate > 1000:
                problems.append(f"{item!r}: the rate must be a finite % above -100 and up to 1000")
            elif not 1900 <= year <= 2200:
                problems.append(f"{item!r}: the year must be between 1900 and 2200")
            elif year in steps:
                problems.append(f"{item!r}: year {year} is given twice")
            else:
                steps[year] = rate / 100
        if problems or not steps:
            raise CorridorError(
                "rate path: " + ("; ".join(problems) if problems else "no YEAR:RATE_PCT given")
            )
        return cls(tuple(sorted(steps.items())))

    def rate_in(self, year: int) -> float:
        """Return the rate (fraction) that applies in ``year``."""
        rate = self.steps[0][1]
        for start, value in self.steps:
            if start <= year:
                rate = value
        return rate

    def factors(self, valuation_year: int, years: Sequence[int]) -> NDArray[np.float64]:
        """Discount factors of cash flows in calendar ``years``, valued at ``valuation_year``.

        A flow in the valuation year is not discounted; one a year later is divided by
        ``1 + r(valuation_year)``, and so on year by year. A flow before the valuation year is
        compounded forward at the rates of the years between.
        """
        out = np.empty(len(years))
        for i, year in enumerate(years):
            if year >= valuation_year:
                between = range(valuation_year, year)
                out[i] = 1.0 / math.prod(1.0 + self.rate_in(u) for u in between)
            else:
                out[i] = math.prod(1.0 + self.rate_in(u) for u in range(year, valuation_year))
        return out

    def to_list(self) -> list[dict[str, float]]:
        """Return the steps as ``[{"from_year": ..., "rate_pct": ...}]``."""
        return [{"from_year": y, "rate_pct": r * 100} for y, r in self.steps]


def npv_started(cf: CashFlows, start_year: int, path: RatePath, valuation_year: int) -> float:
    """Return the NPV, at ``valuation_year``, of the cash flows with year 0 in ``start_year``.

    Examples
    --------
    >>> from corridor.economics.finance import cash_flows
    >>> cf = cash_flows(100.0, 60.0, years=2)
    >>> round(npv_started(cf, 2026, RatePath.constant(0.10, 2026), 2026), 4)
    4.1322
    >>> round(npv_started(cf, 2027, RatePath.constant(0.10, 2026), 2026), 4)  # one year later
    3.7566
    """
    years = [start_year + t for t in range(len(cf.net_usd))]
    return float((cf.net_usd * path.factors(valuation_year, years)).sum())


@dataclass(frozen=True)
class Timing:
    """NPV by start year at one valuation year, and what waiting is worth.

    Attributes
    ----------
    valuation_year
        The year all NPVs are valued at.
    path
        The discount-rate path.
    npv_by_start
        ``start_year -> NPV`` (USD at the valuation year).
    """

    valuation_year: int
    path: RatePath
    npv_by_start: dict[int, float]

    @property
    def earliest(self) -> int:
        """The earliest start year considered ("build now")."""
        return min(self.npv_by_start)

    @property
    def best_start_year(self) -> int:
        """The start year with the highest NPV (the earliest of equals)."""
        return max(sorted(self.npv_by_start), key=lambda y: self.npv_by_start[y])

    @property
    def value_of_waiting_usd(self) -> float:
        """NPV of the best start minus that of the earliest: what waiting is worth (>= 0)."""
        return self.npv_by_start[self.best_start_year] - self.npv_by_start[self.earliest]

    def to_dict(self) -> dict[str, Any]:
        """Return the timing as JSON-ready data (units in the key names)."""
        return {
            "valuation_year": self.valuation_year,
            "rate_path": self.path.to_list(),
            "npv_by_start_year": [
                {"start_year": y, "npv_usd": v} for y, v in sorted(self.npv_by_start.items())
            ],
            "build_now_year": self.earliest,
            "best_start_year": self.best_start_year,
            "value_of_waiting_usd": self.value_of_waiting_usd,
        }


def compare_starts(
    cf: CashFlows, starts: Sequence[int], path: RatePath, valuation_year: int
) -> Timing:
    """Value the same project started in each of ``starts``.

    The schedule (construction, ramp-up, operation) moves with the start year; the annual
    benefit does not grow with the calendar (the model's benefit is for one network year).

    Parameters
    ----------
    cf
        The cash flows, year 0 first.
    starts
        Calendar years of year 0 to compare.
    path
        Discount rates by calendar year.
    valuation_year
        The year the NPVs are valued at.
    """
    if not starts:
        raise CorridorError("compare at least one start year")
    return Timing(
        valuation_year=valuation_year,
        path=path,
        npv_by_start={int(s): npv_started(cf, int(s), path, valuation_year) for s in starts},
    )
