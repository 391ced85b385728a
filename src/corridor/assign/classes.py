"""Shipper classes: who ships a commodity, with which value of time, sanctions policy and risk.

A commodity's demand is split over its classes by their ``share`` (a row of the network's
``shipper_classes`` table each); every class routes with its own generalized-cost weights.
A commodity without classes is one class, ``all``, with the query's weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridor.errors import CorridorError
from corridor.routing.params import CostParams


@dataclass(frozen=True)
class ShipperClass:
    """One class of shippers of a commodity.

    Attributes
    ----------
    class_id
        Identifier.
    share
        Share of the commodity's demand (the shares of a commodity add up to 1).
    updates
        Cost weights the class sets (value of time, sanctions policy, risk weight).
    """

    class_id: str
    share: float
    updates: dict[str, Any]

    def params(self, base: CostParams) -> CostParams:
        """Return the query's weights with the class's own applied."""
        return base.model_copy(update=self.updates) if self.updates else base


def classes_from_table(table: pd.DataFrame | None) -> dict[str, list[ShipperClass]]:
    """Read the shipper classes per commodity and check that each commodity's shares add up.

    Parameters
    ----------
    table
        The network's ``shipper_classes`` table (validated against its schema), or None.

    Raises
    ------
    CorridorError
        Naming every commodity whose shares do not add up to 1.
    """
    out: dict[str, list[ShipperClass]] = {}
    if table is None or table.empty:
        return out
    for row in table.to_dict("records"):
        updates: dict[str, Any] = {}
        vot = row.get("value_of_time_pct_per_day")
        if vot is not None and not pd.isna(vot):
            updates["value_of_time_pct_per_day"] = float(vot)
        policy = row.get("sanctions")
        if isinstance(policy, str) and policy:
            updates["sanctions"] = policy
        pct = row.get("sanctions_penalty_pct")
        if pct is not None and not pd.isna(pct):
            updates["sanctions_penalty_pct"] = float(pct)
        weight = row.get("risk_weight_ratio")
        if weight is not None and not pd.isna(weight):
            updates["risk_weight"] = float(weight)
        out.setdefault(str(row["commodity"]), []).append(
            ShipperClass(str(row["class_id"]), float(row["share_ratio"]), updates)
        )
    bad = [
        f"{commodity} ({sum(c.share for c in found):g})"
        for commodity, found in out.items()
        if not math.isclose(sum(c.share for c in found), 1.0, abs_tol=1e-6)
    ]
    if bad:
        raise CorridorError(
            "shipper_classes: the shares of each commodity must add up to 1; they do not for "
            + ", ".join(bad)
        )
    return out


def classes_for(table: dict[str, list[ShipperClass]], commodity: str) -> list[ShipperClass]:
    """Return a commodity's classes, or the single class ``all``."""
    return table.get(commodity) or [ShipperClass("all", 1.0, {})]
