"""The validation criteria: default bands per kind, declared as data in ``criteria.yaml``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: Kinds of observation, in report order.
KINDS: tuple[str, ...] = (
    "transit_time",
    "segment_time",
    "dwell",
    "price",
    "distance",
    "volume",
    "share",
)


@dataclass(frozen=True)
class Band:
    """A default band around an observed value.

    Attributes
    ----------
    relative
        Half-width as a fraction of the observed value (0.25 = ±25 %), or None.
    absolute
        Half-width in the observation's unit (percentage points for shares), or None.
    """

    relative: float | None = None
    absolute: float | None = None

    def around(self, observed: float) -> tuple[float, float]:
        """Return the (low, high) band around ``observed``.

        Examples
        --------
        >>> Band(relative=0.25).around(20.0)
        (15.0, 25.0)
        >>> Band(absolute=10.0).around(5.0)
        (0.0, 15.0)
        """
        if self.absolute is not None:
            return max(0.0, observed - self.absolute), observed + self.absolute
        rel = self.relative or 0.0
        return observed * (1 - rel), observed * (1 + rel)

    def describe(self) -> str:
        """Return the band in words, e.g. ``±25 %``."""
        if self.absolute is not None:
            return f"±{self.absolute:g} points"
        return f"±{(self.relative or 0.0) * 100:g} %"


@dataclass(frozen=True)
class Criteria:
    """Bands per kind, the demand-year tolerance and the GEH threshold."""

    bands: dict[str, Band] = field(default_factory=dict)
    demand_year_tolerance: int = 1
    geh_threshold: float = 5.0

    def band(self, kind: str) -> Band:
        """Return the default band of ``kind``."""
        return self.bands[kind]

    def to_dict(self) -> dict[str, Any]:
        """Return the criteria as JSON-ready data."""
        return {
            "bands": {
                kind: {"relative": b.relative, "absolute": b.absolute, "text": b.describe()}
                for kind, b in self.bands.items()
            },
            "demand_year_tolerance_years": self.demand_year_tolerance,
            "geh_threshold": self.geh_threshold,
        }


@cache
def load_criteria() -> Criteria:
    """Return the criteria declared in ``corridor/validation/criteria.yaml``."""
    text = resources.files("corridor").joinpath("validation", "criteria.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    bands = {
        kind: Band(
            relative=data["bands"][kind].get("relative"),
            absolute=data["bands"][kind].get("absolute"),
        )
        for kind in KINDS
    }
    return Criteria(
        bands=bands,
        demand_year_tolerance=int(data.get("demand_year_tolerance", 1)),
        geh_threshold=float(data.get("geh_threshold", 5.0)),
    )


def geh(modelled: float, observed: float) -> float:
    """Return the GEH statistic of a modelled against an observed flow.

    ``GEH = sqrt(2 (M - C)^2 / (M + C))``; 0 when both are 0.

    Examples
    --------
    >>> geh(100.0, 100.0)
    0.0
    >>> round(geh(150.0, 100.0), 4)
    4.4721
    """
    total = modelled + observed
    if total <= 0:
        return 0.0
    return math.sqrt(2.0 * (modelled - observed) ** 2 / total)
