"""The freight a trade target implies, loaded on the network: which routes carry it, where it jams.

Today's bilateral trade is a demand set in tonnes by commodity group and region pair (bundled:
``kz-tr-2023``). Its value is ``sum(tonnes x value per tonne)`` of each group. A target (e.g. the
15 bn USD a year the two presidents named) implies more tonnes; how many depends on the mix of
goods, which nobody publishes, so the mix is an assumption with alternatives (:data:`MIXES`):

- ``today``: every flow grows by the same factor, ``target / today``;
- ``balanced``: each direction reaches half the target (Turkish exports catch up), groups keep
  their shares within a direction;
- ``non_oil``: crude oil stays at today's tonnes and every other flow grows by one factor.

Between today's value and the target the demand is loaded at evenly spaced trade levels; the
first level at which a capacity binds (or demand goes unserved) is mapped to the first year an
outlook path reaches it (:func:`first_years`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from corridor.assign.result import Assignment
    from corridor.model.network import Network

#: The assumed mixes of goods, with what each one assumes.
MIXES: dict[str, str] = {
    "today": "every group and region pair grows by one factor: today's mix of goods and directions",
    "balanced": "each direction carries half the target; groups keep their shares in a direction",
    "non_oil": "crude oil stays at today's tonnes; every other flow grows by one factor",
}


@dataclass(frozen=True)
class ImpliedDemand:
    """A demand set scaled to a trade value.

    Attributes
    ----------
    mix
        The mix assumption (a key of :data:`MIXES`).
    value_usd
        Trade value the set carries (USD per year, both directions).
    today_usd
        Value of the set it was scaled from, by direction ``"KZ>TR"`` and ``"TR>KZ"``.
    table
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year`` and
        ``value_usd_per_year``.
    """

    mix: str
    value_usd: float
    today_usd: dict[str, float]
    table: pd.DataFrame


def flow_values(network: Network, table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each flow's value (USD per year) and direction (``"KZ>TR"``-style country codes).

    Parameters
    ----------
    network
        The network whose commodities give the value per unit and whose nodes the countries.
    table
        A demand table (``origin``, ``destination``, ``commodity``, ``flow_per_year``).
    """
    value = network.commodities.set_index("commodity_id")["value_usd_per_unit"].astype(float)
    country = network.nodes.set_index("node_id")["country"].astype(str)
    usd = table["flow_per_year"].astype(float) * table["commodity"].map(value).astype(float)
    direction = table["origin"].map(country) + ">" + table["destination"].map(country)
    return usd, direction


def implied_demand(
    network: Network, table: pd.DataFrame, value_usd: float, mix: str = "today"
) -> ImpliedDemand:
    """Scale today's bilateral demand to a trade value under a mix assumption.

    Parameters
    ----------
    network
        The network of the demand (commodity values, node countries).
    table
        Today's demand between the two countries.
    value_usd
        The trade value to reach, USD per year, both directions together.
    mix
        ``today``, ``balanced`` or ``non_oil`` (see :data:`MIXES`).

    Returns
    -------
    ImpliedDemand
        The scaled set; its value equals ``value_usd``.

    Raises
    ------
    CorridorError
        If the mix is unknown, the value not positive and finite, or the set cannot reach it
        (e.g. ``non_oil`` asked for less than today's crude).

    Examples
    --------
    Two flows worth 100 and 50 USD scaled to 300 USD keep their shares:

    >>> import pandas as pd
    >>> from corridor.datasets import load
    >>> net = load("eurasia")
    >>> t = pd.DataFrame({"origin": ["karaganda", "istanbul"], "destination": ["istanbul",
    ...     "almaty"], "commodity": ["coal", "coal"], "flow_per_year": [1.0, 0.5]})
    >>> [round(v, 6) for v in implied_demand(net, t, 3 * 55.8 * 1.5).table["flow_per_year"]]
    [3.0, 1.5]
    """
    if mix not in MIXES:
        raise CorridorError(f"unknown mix {mix!r}; known: {', '.join(MIXES)}")
    if not (np.isfinite(value_usd) and value_usd > 0):
        raise CorridorError(f"the trade value must be positive and finite, not {value_usd}")
    usd, direction = flow_values(network, table)
    if usd.isna().any() or direction.isna().any():
        raise CorridorError("the demand names a commodity or node the network does not have")
    today = {str(k): float(v) for k, v in usd.groupby(direction).sum().items()}
    total = sum(today.values())
    if total <= 0:
        raise CorridorError("today's demand has no value to scale")
    if mix == "today":
        factor = pd.Series(value_usd / total, index=table.index)
    elif mix == "balanced":
        factor = direction.map({d: value_usd / len(today) / v for d, v in today.items()})
    else:
        crude = table["commodity"] == "crude_oil"
        rest = float(usd[~crude].sum())
        if rest <= 0 or value_usd < float(usd[crude].sum()):
            raise CorridorError(
                f"mix non_oil cannot reach {value_usd:.3g} USD: crude alone is "
                f"{float(usd[crude].sum()):.3g} USD"
            )
        factor = pd.Series(np.where(crude, 1.0, (value_usd - usd[crude].sum()) / rest))
        factor.index = table.index
    out = table[["origin", "destination", "commodity"]].copy()
    out["flow_per_year"] = table["flow_per_year"].astype(float) * factor.astype(float)
    out["value_usd_per_year"] = usd * factor.astype(float)
    return ImpliedDemand(mix, float(out["value_usd_per_year"].sum()), today, out)


def levels(today_usd: float, target_usd: float, steps: int) -> list[float]:
    """Return ``steps + 1`` evenly spaced trade values from today's to the target.

    >>> levels(6e9, 15e9, 3)
    [6000000000.0, 9000000000.0, 12000000000.0, 15000000000.0]
    """
    if steps < 1:
        raise CorridorError("at least one step is needed")
    return [float(v) for v in np.linspace(today_usd, target_usd, steps + 1)]


def first_years(
    path_years: np.ndarray, path_usd: np.ndarray, values: list[float]
) -> list[int | None]:
    """Return, per value, the first year a trade path reaches it (None: not on the path).

    >>> first_years(np.array([2025, 2026, 2027]), np.array([5e9, 8e9, 11e9]), [4e9, 8e9, 12e9])
    [2025, 2026, None]
    """
    out: list[int | None] = []
    for value in values:
        hit = np.nonzero(path_usd >= value * (1 - 1e-12))[0]
        out.append(int(path_years[hit[0]]) if len(hit) else None)
    return out


Key = tuple[str, str, str]


def _mine(frame: pd.DataFrame, keys: set[Key] | None) -> pd.DataFrame:
    if keys is None or frame.empty:
        return frame
    own = [
        (str(o), str(d), str(c)) in keys
        for o, d, c in zip(frame["origin"], frame["destination"], frame["commodity"], strict=True)
    ]
    return frame[own]


def corridor_tonnes(result: Assignment, keys: set[Key] | None = None) -> dict[str, float]:
    """Return the flow per year each corridor family combination carries, largest first.

    ``keys`` (origin, destination, commodity) keeps only those flows (None: all).
    """
    shares = _mine(result.route_shares, keys)
    if shares.empty:
        return {}
    sums = shares.groupby("corridor")["flow_per_year"].sum().sort_values(ascending=False)
    return {str(k): float(v) for k, v in sums.items()}


def money_cost_usd(result: Assignment, keys: set[Key] | None = None) -> float:
    """Return the freight bill (tariffs and charges, USD per year) of an assignment's routes.

    ``keys`` (origin, destination, commodity) keeps only those flows (None: all).
    """
    shares = _mine(result.route_shares, keys)
    if shares.empty:
        return 0.0
    return float((shares["flow_per_year"] * shares["cost_usd_per_unit"]).sum())


@dataclass(frozen=True)
class NetworkLoad:
    """The implied demand on one network: what carries it and what binds, from which level.

    Attributes
    ----------
    network, year
        ``today`` or a scenario name, and the network year assigned in (None: as is).
    served_share
        Share of the bilateral demand's tonnes carried at the target (the rest is unmet).
    freight_bill_usd
        Tariffs and charges of the bilateral flows at the target, USD per year.
    generalized_cost_usd, co2_t, tonne_km
        Per year at the target, all traffic assigned (bilateral and background).
    co2_bilateral_t
        CO2e per year of the bilateral trade at the target: all traffic less the background
        assigned alone (None without a background run).
    corridors_t
        Bilateral tonnes per year by corridor family combination at the target.
    binding
        Capacities binding at the target, each with the first trade level (USD) and outlook
        year from which it binds.
    unmet_from_usd, unmet_from_year
        First level (and year) at which some demand finds no capacity (None: never).
    """

    network: str
    year: int | None
    served_share: float
    freight_bill_usd: float
    generalized_cost_usd: float
    co2_t: float
    tonne_km: float
    corridors_t: dict[str, float]
    binding: list[dict[str, object]]
    unmet_from_usd: float | None
    unmet_from_year: int | None
    co2_bilateral_t: float | None = None


def network_load(
    name: str,
    year: int | None,
    results: list[Assignment],
    level_usd: list[float],
    level_years: list[int | None],
    keys: set[Key] | None = None,
    background: Assignment | None = None,
    names: Mapping[tuple[str, str], str] | None = None,
) -> NetworkLoad:
    """Summarise the assignments of one network at rising trade levels (the last: the target).

    Parameters
    ----------
    name, year
        The network's label and the year assigned in.
    results
        One assignment per level, in the order of ``level_usd``.
    level_usd, level_years
        The trade levels and the first outlook year reaching each.
    keys
        (origin, destination, commodity) of the bilateral flows (None: every flow is).
    background
        The background traffic assigned alone on the same network, for the bilateral CO2.
    names
        A reader's name for each ``(kind, item_id)`` of a capacity (the id when missing).
    """
    if not results or len(results) != len(level_usd) or len(level_usd) != len(level_years):
        raise CorridorError("one assignment per trade level is needed")
    first: dict[tuple[str, str], int] = {}
    unmet_at: int | None = None
    for i, res in enumerate(results):
        for kind, item in zip(
            res.resources.loc[res.resources["binding"], "kind"],
            res.resources.loc[res.resources["binding"], "item_id"],
            strict=True,
        ):
            first.setdefault((str(kind), str(item)), i)
        if unmet_at is None and float(_mine(res.unmet, keys)["unmet_per_year"].sum()) > 1e-6:
            unmet_at = i
    final = results[-1]
    unmet = (
        float(_mine(final.unmet, keys)["unmet_per_year"].sum()) if not final.unmet.empty else 0.0
    )
    binding: list[dict[str, object]] = []
    for row in final.bottlenecks(top=50).to_dict("records"):
        i = first.get((str(row["kind"]), str(row["item_id"])), len(results) - 1)
        binding.append(
            {
                "kind": str(row["kind"]),
                "item_id": str(row["item_id"]),
                "name": (names or {}).get(
                    (str(row["kind"]), str(row["item_id"])), str(row["item_id"])
                ),
                "unit": str(row["unit"]),
                "capacity_per_year": float(row["capacity_per_year"]),
                "shadow_price_usd_per_unit": float(row["shadow_price_usd_per_unit"]),
                "binds_from_trade_usd": level_usd[i],
                "binds_from_year": level_years[i],
            }
        )
    served = sum(corridor_tonnes(final, keys).values())
    return NetworkLoad(
        network=name,
        year=year,
        served_share=served / (served + unmet) if served + unmet > 0 else 1.0,
        freight_bill_usd=money_cost_usd(final, keys),
        generalized_cost_usd=float(final.totals["generalized_cost_usd_per_year"]),
        co2_t=float(final.totals["co2_kg_per_year"]) / 1000,
        tonne_km=float(final.totals["tonne_km_per_year"]),
        corridors_t=corridor_tonnes(final, keys),
        binding=binding,
        unmet_from_usd=None if unmet_at is None else level_usd[unmet_at],
        unmet_from_year=None if unmet_at is None else level_years[unmet_at],
        co2_bilateral_t=None
        if background is None
        else (float(final.totals["co2_kg_per_year"]) - float(background.totals["co2_kg_per_year"]))
        / 1000,
    )


@dataclass(frozen=True)
class TargetLoad:
    """The demand a trade target implies, loaded on today's network and on scenarios."""

    target_usd: float
    demand_set: str
    demand_year: int | None
    implied: ImpliedDemand
    growth_scenario: str
    level_usd: list[float]
    level_years: list[int | None]
    loads: list[NetworkLoad]
    background: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return JSON-ready data with stable, unit-carrying keys."""
        groups = self.implied.table.groupby("commodity")[["flow_per_year", "value_usd_per_year"]]
        return {
            "target_usd": self.target_usd,
            "demand_set": self.demand_set,
            "demand_year": self.demand_year,
            "background_demand_sets": list(self.background),
            "mix": self.implied.mix,
            "mix_assumption": MIXES[self.implied.mix],
            "mix_alternatives": {k: v for k, v in MIXES.items() if k != self.implied.mix},
            "today_usd_by_direction": dict(self.implied.today_usd),
            "implied_by_commodity": [
                {"commodity": str(c), "flow_t_per_year": float(f), "value_usd_per_year": float(v)}
                for c, (f, v) in groups.sum().iterrows()
            ],
            "growth_scenario": self.growth_scenario,
            "levels": [
                {"trade_usd": u, "first_year": y}
                for u, y in zip(self.level_usd, self.level_years, strict=True)
            ],
            "networks": [
                {
                    "network": load.network,
                    "year": load.year,
                    "served_share": load.served_share,
                    "freight_bill_usd_per_year": load.freight_bill_usd,
                    "generalized_cost_usd_per_year_all_traffic": load.generalized_cost_usd,
                    "co2_t_per_year_all_traffic": load.co2_t,
                    "co2_t_per_year_bilateral": load.co2_bilateral_t,
                    "tonne_km_per_year_all_traffic": load.tonne_km,
                    "corridors_t_per_year": dict(load.corridors_t),
                    "binding": list(load.binding),
                    "unmet_from_trade_usd": load.unmet_from_usd,
                    "unmet_from_year": load.unmet_from_year,
                }
                for load in self.loads
            ],
        }


def background_without(background: pd.DataFrame, today: pd.DataFrame) -> pd.DataFrame:
    """Return the background flows less the bilateral flows they already contain.

    A background set (e.g. all Kazakh crude going west) may include part of today's bilateral
    trade (the crude sold to Türkiye). For each origin and commodity of ``today``, the
    background flows with that origin and commodity are reduced in proportion by today's
    tonnes, never below zero, so scaling the bilateral set does not count them twice.

    >>> bg = pd.DataFrame({"origin": ["a", "a"], "destination": ["x", "y"],
    ...     "commodity": ["oil", "oil"], "flow_per_year": [60.0, 40.0]})
    >>> td = pd.DataFrame({"origin": ["a"], "destination": ["z"], "commodity": ["oil"],
    ...     "flow_per_year": [10.0]})
    >>> background_without(bg, td)["flow_per_year"].tolist()
    [54.0, 36.0]
    """
    out = background[["origin", "destination", "commodity", "flow_per_year"]].copy()
    out["flow_per_year"] = out["flow_per_year"].astype(float)
    own = today.groupby(["origin", "commodity"])["flow_per_year"].sum()
    for key, tonnes in own.items():
        origin, commodity = str(key[0]), str(key[1])  # type: ignore[index]
        rows = (out["origin"] == origin) & (out["commodity"] == commodity)
        held = float(out.loc[rows, "flow_per_year"].sum())
        if held > 0:
            keep = max(0.0, 1.0 - float(tonnes) / held)
            out.loc[rows, "flow_per_year"] = out.loc[rows, "flow_per_year"] * keep
    return out[out["flow_per_year"] > 0].reset_index(drop=True)
