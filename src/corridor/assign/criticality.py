"""Criticality of assets: close each capacity-bearing link, transfer or node, reassign, rank.

An asset is critical when losing it raises the cost of moving the demand, or leaves demand
unserved. For each candidate (every link, transfer or node with a capacity, or the ``top`` most
used of them) the network is copied with the asset's status set to ``closed``, the demand is
reassigned with the same method, and the rise in generalized cost and in unmet demand against
the intact network is recorded. Assets are ranked by the rise in unmet demand (in tonnes), then
by the rise in generalized cost.

An *outage* is the loss of an asset for part of the year (``outage_share`` = the fraction of the
year it is out): annual flows then pay that fraction of the full-loss rise, the intact network
carrying the rest of the year. This is exact for annual flows spread evenly over the year when
the two states are assigned independently (no storage across the outage).

The cost is the total generalized cost for ``min_cost`` and, for ``logit``, the expected
perceived cost (the logsum), the measure that never falls when a route is lost: the logit
total of chosen costs can fall when a dear alternative disappears. The reduced network's
choice sets are searched anew, so a loss that leaves the choice sets barely changed can show
a small negative rise where the new search finds a route the intact one did not keep.

The reassignments are independent, so ``mapper`` may run them in parallel (the service layer
passes a Dask client's map when many assets are tested).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.assign.result import Assignment
    from corridor.model.network import Network

#: ``mapper(function, assets)``: runs a function over the assets, in any order of execution.
Mapper = Callable[
    [Callable[[tuple[str, str]], dict[str, Any]], list[tuple[str, str]]],
    Iterable[dict[str, Any]],
]

_TABLES = {"link": ("links", "link_id"), "transfer": ("transfers", "transfer_id"),
           "node": ("nodes", "node_id")}  # fmt: skip

COLUMNS = [
    "rank",
    "kind",
    "item_id",
    "utilisation",
    "cost_rise_usd_per_year",
    "unmet_rise_t_per_year",
    "unmet_rise_units_per_year",
    "outage_share",
]


@dataclass(frozen=True)
class Criticality:
    """The ranking and the intact network's assignment.

    Attributes
    ----------
    base
        Assignment on the intact network.
    ranking
        One row per asset tested, most critical first (columns :data:`COLUMNS`).
    """

    base: Assignment
    ranking: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return the ranking and the base totals as JSON-ready data."""
        from corridor.model.records import records

        return {
            "method": self.base.method,
            "base_totals": dict(self.base.totals),
            "criticality": records(self.ranking),
        }


def candidates(base: Assignment, top: int | None = None) -> list[tuple[str, str]]:
    """Return the capacity-bearing assets, most used first (the ``top`` of them if given).

    Parameters
    ----------
    base
        The intact network's assignment (its resources carry use and utilisation).
    top
        How many to keep; all when None.
    """
    res = base.resources.copy()
    if res.empty:
        return []
    res["utilisation"] = res["utilisation"].fillna(0.0)
    best = res.sort_values(["utilisation", "used_per_year"], ascending=False)
    seen: list[tuple[str, str]] = []
    for kind, item in zip(best["kind"].tolist(), best["item_id"].tolist(), strict=True):
        if (kind, item) not in seen:
            seen.append((str(kind), str(item)))
    return seen if top is None else seen[:top]


def without(network: Network, kind: str, item: str) -> Network:
    """Return a copy of the network with one link, transfer or node closed."""
    from corridor.model.network import Network

    if kind not in _TABLES:
        raise CorridorError(f"cannot close a {kind!r}; only links, transfers and nodes")
    name, key = _TABLES[kind]
    table = network.tables[name].copy()
    hit = table[key] == item
    if not hit.any():
        raise CorridorError(f"no {kind} {item!r} in the network")
    table.loc[hit, "status"] = "closed"
    tables = dict(network.tables)
    tables[name] = table
    return Network(meta=network.meta, tables=tables, origins=network.origins)


def _cost(result: Assignment) -> float:
    """Return the cost a loss raises: the logsum for logit (its welfare measure), else the total."""
    totals = result.totals
    return float(totals.get("expected_cost_usd_per_year", totals["generalized_cost_usd_per_year"]))


def _tonnes(result: Assignment, network: Network) -> float:
    unmet = result.unmet
    if unmet.empty:
        return 0.0
    t_per_unit = dict(
        zip(network.commodities["commodity_id"], network.commodities["t_per_unit"], strict=True)
    )
    return float((unmet["unmet_per_year"] * unmet["commodity"].map(t_per_unit)).sum())


def evaluate(
    network: Network, demand: pd.DataFrame, asset: tuple[str, str], options: dict[str, Any]
) -> dict[str, Any]:
    """Reassign the demand with one asset closed; return its totals (a picklable task).

    Parameters
    ----------
    network
        The intact network.
    demand
        The demand table.
    asset
        ``(kind, item id)``.
    options
        Keyword arguments of :func:`corridor.assign.model.assign`.
    """
    from corridor.assign.model import assign

    closed = without(network, *asset)
    result = assign(closed, demand, **options)
    return {
        "kind": asset[0],
        "item_id": asset[1],
        "cost_usd_per_year": _cost(result),
        "unmet_units_per_year": float(result.totals["unmet_units_per_year"]),
        "unmet_t_per_year": _tonnes(result, network),
    }


def criticality(
    network: Network,
    demand: pd.DataFrame,
    *,
    top: int | None = None,
    outage_share: float = 1.0,
    mapper: Mapper | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    **options: Any,
) -> Criticality:
    """Rank capacity-bearing assets by what losing them costs (see the module docstring).

    Parameters
    ----------
    network
        A valid network.
    demand
        Demand table (as for :func:`corridor.assign.model.assign`).
    top
        Test only the ``top`` most used assets (all capacity-bearing ones when None).
    outage_share
        Fraction of the year the asset is out (1: lost all year).
    mapper
        ``mapper(function, assets)`` runs the reassignments (default: one after another).
    progress
        Called as ``progress("criticality", done, total)``.
    **options
        Passed to :func:`corridor.assign.model.assign` (``year``, ``method``, ...).

    Returns
    -------
    Criticality
        The ranking and the intact assignment.
    """
    from corridor.assign.model import assign

    if not 0.0 < outage_share <= 1.0:
        raise CorridorError(f"outage_share must be in (0, 1], got {outage_share!r}")
    if top is not None and top < 1:
        raise CorridorError(f"top must be at least 1, got {top}")
    base = assign(network, demand, **options)
    assets = candidates(base, top)
    base_cost = _cost(base)
    base_units = float(base.totals["unmet_units_per_year"])
    base_t = _tonnes(base, network)

    def task(asset: tuple[str, str]) -> dict[str, Any]:
        return evaluate(network, demand, asset, options)

    results: list[dict[str, Any]] = []
    if progress is not None:
        progress("criticality", 0, len(assets))
    for row in (mapper or map)(task, assets):
        results.append(row)
        if progress is not None:
            progress("criticality", len(results), len(assets))
    util = base.resources.groupby(["kind", "item_id"])["utilisation"].max()
    rows = [
        {
            "kind": r["kind"],
            "item_id": r["item_id"],
            "utilisation": float(util.get((r["kind"], r["item_id"]), float("nan"))),
            "cost_rise_usd_per_year": outage_share * (r["cost_usd_per_year"] - base_cost),
            "unmet_rise_t_per_year": outage_share * (r["unmet_t_per_year"] - base_t),
            "unmet_rise_units_per_year": outage_share * (r["unmet_units_per_year"] - base_units),
            "outage_share": outage_share,
        }
        for r in results
    ]
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    for column in ("unmet_rise_t_per_year", "unmet_rise_units_per_year"):
        frame[column] = frame[column].where(
            frame[column].abs() >= 1.0, 0.0
        )  # < 1 unit: solver noise
    if not frame.empty:
        frame = frame.sort_values(
            ["unmet_rise_t_per_year", "cost_rise_usd_per_year"], ascending=False, kind="stable"
        ).reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return Criticality(base=base, ranking=frame)
