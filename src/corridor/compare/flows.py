"""Two assignments of one demand set side by side: totals, route shares, bottlenecks, flows.

Resources (capacities) are matched by kind, item id and unit; links by id; route shares by
OD pair, commodity and corridor. Differences are other minus base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor.compare.core import TOTAL_METRICS, difference, verdict
from corridor.model.records import records

if TYPE_CHECKING:
    import pandas as pd

    from corridor.assign.model import Assignment

#: Link-flow changes smaller than this (tonnes per year) are LP noise and not listed.
FLOW_EPS_T = 0.5

_RESOURCE_KEY = ["kind", "item_id", "unit"]
_SHARE_KEY = ["origin", "destination", "commodity", "corridor"]


@dataclass(frozen=True)
class AssignmentComparison:
    """One demand set assigned on both networks.

    Attributes
    ----------
    demand
        Demand set name.
    base, other
        The two assignments (each in its side's year, with the scenario's demand patches).
    base_year, other_year
        The years they were solved in.
    """

    demand: str
    base: Assignment
    other: Assignment
    base_year: int | None
    other_year: int | None

    def totals(self) -> list[dict[str, Any]]:
        """Return one row per total: ``metric``, ``base``, ``other``, differences, verdict."""
        rows = []
        for key in TOTAL_METRICS:
            a, b = self.base.totals.get(key), self.other.totals.get(key)
            delta, pct = difference(a, b)
            rows.append(
                {
                    "metric": key,
                    "base": a,
                    "other": b,
                    "difference": delta,
                    "difference_pct": pct,
                    "verdict": verdict(key, a, b),
                }
            )
        return rows

    def bottlenecks(self) -> pd.DataFrame:
        """Return the capacities binding on either side, with both shadow prices.

        Columns: ``kind, item_id, unit``, ``capacity_per_year_base/_other``,
        ``utilisation_base/_other``, ``shadow_price_usd_per_unit_base/_other``,
        ``shadow_price_difference_usd_per_unit``, ``binding_base/_other`` and ``status``
        (``binding in both``, ``relieved`` or ``new bottleneck``); most valuable first.
        """
        keep = [*_RESOURCE_KEY, "capacity_per_year", "utilisation"]
        keep += ["shadow_price_usd_per_unit", "binding"]
        merged = self.base.resources[keep].merge(
            self.other.resources[keep], on=_RESOURCE_KEY, how="outer", suffixes=("_base", "_other")
        )
        for col in ("binding_base", "binding_other"):
            merged[col] = merged[col].astype("boolean").fillna(False).astype(bool)
        for col in ("shadow_price_usd_per_unit_base", "shadow_price_usd_per_unit_other"):
            merged[col] = merged[col].fillna(0.0)
        either = merged[merged["binding_base"] | merged["binding_other"]].copy()
        either["shadow_price_difference_usd_per_unit"] = (
            either["shadow_price_usd_per_unit_other"] - either["shadow_price_usd_per_unit_base"]
        )
        either["status"] = [
            "binding in both" if a and b else ("relieved" if a else "new bottleneck")
            for a, b in zip(either["binding_base"], either["binding_other"], strict=True)
        ]
        top = either[["shadow_price_usd_per_unit_base", "shadow_price_usd_per_unit_other"]].max(
            axis=1
        )
        return either.assign(_top=top).sort_values("_top", ascending=False).drop(columns="_top")

    def route_shares(self) -> pd.DataFrame:
        """Return per OD, commodity and corridor the flow and share on both sides.

        Columns: ``origin, destination, commodity, corridor``, ``flow_per_year_base/_other``,
        ``share_base/_other``, ``flow_difference_per_year``.
        """
        import pandas as pd

        def grouped(frame: pd.DataFrame) -> pd.DataFrame:
            if frame.empty:
                return pd.DataFrame(columns=[*_SHARE_KEY, "flow_per_year", "share"])
            return frame.groupby(_SHARE_KEY, as_index=False)[["flow_per_year", "share"]].sum()

        merged = grouped(self.base.route_shares).merge(
            grouped(self.other.route_shares),
            on=_SHARE_KEY,
            how="outer",
            suffixes=("_base", "_other"),
        )
        for col in ("flow_per_year_base", "flow_per_year_other", "share_base", "share_other"):
            merged[col] = merged[col].astype(float).fillna(0.0)
        merged["flow_difference_per_year"] = (
            merged["flow_per_year_other"] - merged["flow_per_year_base"]
        )
        return merged.sort_values(_SHARE_KEY).reset_index(drop=True)

    def link_flows(self) -> pd.DataFrame:
        """Return links whose total flow changed: tonnes per year on both sides and the change.

        Columns: ``link_id``, ``flow_t_per_year_base/_other``, ``flow_difference_t_per_year``;
        largest change first; changes under :data:`FLOW_EPS_T` are left out.
        """
        a = self.base.link_totals()[["link_id", "flow_t_per_year"]]
        b = self.other.link_totals()[["link_id", "flow_t_per_year"]]
        merged = a.merge(b, on="link_id", how="outer", suffixes=("_base", "_other"))
        for col in ("flow_t_per_year_base", "flow_t_per_year_other"):
            merged[col] = merged[col].astype(float).fillna(0.0)
        merged["flow_difference_t_per_year"] = (
            merged["flow_t_per_year_other"] - merged["flow_t_per_year_base"]
        )
        changed = merged[merged["flow_difference_t_per_year"].abs() >= FLOW_EPS_T]
        order = changed["flow_difference_t_per_year"].abs().sort_values(ascending=False).index
        return changed.loc[order].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return totals, bottlenecks, route shares and link-flow changes as JSON-ready data."""
        return {
            "demand": self.demand,
            "base": _side(self.base, self.base_year),
            "other": _side(self.other, self.other_year),
            "totals": self.totals(),
            "bottlenecks": records(self.bottlenecks()),
            "route_shares": records(self.route_shares()),
            "link_flows": records(self.link_flows()),
        }


def _side(result: Assignment, year: int | None) -> dict[str, Any]:
    return {
        "status": result.status,
        "year": year,
        "content_hash": result.provenance.get("content_hash"),
        "solve_s": _finite(result.provenance.get("solve_s")),
    }


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None
