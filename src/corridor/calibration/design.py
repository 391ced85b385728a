"""The linear design of the calibration: a modelled value as a base plus a term per group.

The terms come from the legs of the route the validator found for each observation.

With the routes held fixed, a modelled time, price or distance is a sum of leg components
(running time, border time, transfer time, money). A group multiplies the components it
selects, so the modelled value is ``base + sum_g theta_g * a_g``: re-costing every
observation for a new parameter vector is one matrix product, without rebuilding the network
or the state graph. A change of route under the new parameters is not seen by this
re-costing: apply the calibrated scenario and run ``corridor validate`` to see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.calibration.groups import Group

#: Observation kinds the calibration uses (those answered by one route).
ROUTE_KINDS: tuple[str, ...] = ("transit_time", "segment_time", "dwell", "price", "distance")


@dataclass(frozen=True)
class ObservedRow:
    """What the design needs of one validated observation.

    Attributes
    ----------
    observation_id, kind
        The observation.
    observed, low, high
        Observed value and its band (the published range, else the kind's default band).
    modelled
        The model's value under the bundled figures, in the observation's unit.
    measure, measure_ids
        Which part of the route is measured (as in ``observations.csv``).
    legs
        The route's legs as the validator reports them.
    """

    observation_id: str
    kind: str
    observed: float
    low: float
    high: float
    modelled: float
    measure: str
    measure_ids: tuple[str, ...]
    legs: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Design:
    """Modelled value of observation ``i``: ``scale[i] * (base[i] + A[i] @ theta)``.

    Attributes
    ----------
    rows
        The observations, in matrix order.
    base
        Per observation, the components no group selects (model units).
    matrix
        ``A[i, g]``: the components of observation ``i`` that group ``g`` scales.
    scale
        Per observation, the factor that makes ``base + A @ 1`` equal the validator's
        modelled value (unit conversion and rounding of the reported legs).
    """

    rows: tuple[ObservedRow, ...]
    base: NDArray[np.float64]
    matrix: NDArray[np.float64]
    scale: NDArray[np.float64]

    def modelled(self, theta: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return every observation's modelled value for the factors ``theta``."""
        return np.asarray(self.scale * (self.base + self.matrix @ theta), dtype=np.float64)

    def subset(self, index: NDArray[np.int64]) -> Design:
        """Return the design of the observations at ``index``."""
        return Design(
            tuple(self.rows[i] for i in index),
            self.base[index],
            self.matrix[index],
            self.scale[index],
        )


def _components(kind: str, leg: Mapping[str, Any]) -> dict[str, float]:
    """Return the leg's parts of the observed quantity, by component."""
    if kind == "distance":
        return {"distance": float(leg["distance_km"])}
    if kind == "price":
        return {"cost": float(leg["cost_usd_per_unit"])}
    border, dwell = float(leg["border_h"]), float(leg["dwell_h"])
    if leg["kind"] == "transfer":
        return {"dwell": float(leg["time_h"])}
    running = max(float(leg["time_h"]) - border - dwell, 0.0)
    return {"running": running, "border": border, "node_dwell": dwell}


def _measured(row: ObservedRow) -> Iterable[tuple[Mapping[str, Any], dict[str, float]]]:
    """Yield the legs (with the components that count) that make up the observed quantity."""
    ids = set(row.measure_ids)
    for leg in row.legs:
        parts = _components(row.kind, leg)
        if row.measure == "route":
            if row.kind == "dwell":
                parts = {k: v for k, v in parts.items() if k in ("border", "node_dwell", "dwell")}
            yield leg, parts
        elif row.measure == "mode":
            if leg["kind"] == "link" and leg["mode"] in ids:
                yield leg, parts
        elif row.measure == "link":
            if leg["item_id"] in ids:
                yield leg, parts
        elif row.measure == "node":
            if leg["kind"] == "transfer" and leg["from_node"] in ids:
                yield leg, parts
            elif leg["kind"] == "link" and leg["to_node"] in ids and row.kind != "price":
                yield leg, {k: v for k, v in parts.items() if k in ("border", "node_dwell")}


def build_design(
    rows: list[ObservedRow], groups: list[Group], node_country: Mapping[str, str]
) -> Design:
    """Build the design matrix of ``rows`` for ``groups``.

    A leg component is scaled by the first group (in file order) that selects it; the
    ``node_dwell`` part of a link leg (time at the node it reaches) belongs to no group.
    """
    base = np.zeros(len(rows))
    matrix = np.zeros((len(rows), len(groups)))
    scale = np.ones(len(rows))
    for i, row in enumerate(rows):
        for leg, parts in _measured(row):
            to_country = node_country.get(str(leg["to_node"]), "")
            for component, value in parts.items():
                g = next(
                    (
                        j
                        for j, group in enumerate(groups)
                        if group.component == component and group.matches(dict(leg), to_country)
                    ),
                    None,
                )
                if g is None:
                    base[i] += value
                else:
                    matrix[i, g] += value
        total = base[i] + matrix[i].sum()
        scale[i] = row.modelled / total if total > 0 else 1.0
    return Design(tuple(rows), base, matrix, scale)
