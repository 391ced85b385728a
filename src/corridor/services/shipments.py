"""Quotes for a shipment: the candidate routes priced for the whole consignment, with P50/P90.

A route is costed per unit of its commodity. A trader asks for 40 FEU worth 2.5 million USD:
this module converts the quantity, applies the cargo value (which drives the value of time and
value-based insurance, so it can change which route is best), simulates the candidates and
multiplies the per-unit figures out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.model.network import Network
from corridor.routing.shipment import Shipment, shipment_of
from corridor.services.networks import network_of

if TYPE_CHECKING:
    from corridor.risk.simulate import Reliability
    from corridor.routing.params import CostParams

#: Source row cited by a cargo value the user gave.
USER_VALUE_SOURCE = "user-cargo-value"

#: What the shipment totals assume, printed with every quote.
SHIPMENT_ASSUMPTIONS = (
    "The shipment moves together (one train or sailing): its transit time is the route's; "
    "money, insurance, CO2 and time value are the per-unit figures times the units. "
    "Tariffs are per TEU or tonne: FEU count as 2 TEU, although published FEU rates are "
    "often below twice the TEU rate. Waiting for more departures when a shipment exceeds one "
    "train or sailing is not modelled."
)


@dataclass(frozen=True)
class QuotedRoute:
    """One candidate route priced for a shipment.

    Attributes
    ----------
    reliability
        The simulated route (per-unit figures).
    shipment
        The shipment it is priced for.
    """

    reliability: Reliability
    shipment: Shipment

    def totals(self) -> dict[str, float]:
        """Return the shipment's totals: money, insurance, CO2, time value and P50/P90."""
        route = self.reliability.route
        per_unit = route.totals
        units = self.shipment.units
        stats = self.reliability.to_dict()
        return {
            "cost_usd": per_unit.cost_usd * units,
            "expected_insurance_usd": per_unit.risk_usd * units,
            "cost_with_insurance_usd": (per_unit.cost_usd + per_unit.risk_usd) * units,
            "co2_t": per_unit.co2_kg * units / 1000.0,
            "time_value_usd": per_unit.time_value_usd * units,
            "generalized_cost_usd": per_unit.generalized_cost_usd * units,
            "p50_generalized_cost_usd": stats["p50_generalized_cost_usd"] * units,
            "p90_generalized_cost_usd": stats["p90_generalized_cost_usd"] * units,
            "p50_time_days": stats["p50_time_days"],
            "p90_time_days": stats["p90_time_days"],
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the route, its per-unit statistics and the shipment totals as JSON data."""
        route = self.reliability.route
        return {
            "corridor": route.corridor,
            "corridor_name": route.corridor_name,
            "countries": list(route.countries),
            "nodes": route.nodes,
            "per_unit": {
                "unit": route.unit,
                **route.totals.to_dict(),
                **{
                    key: value
                    for key, value in self.reliability.to_dict().items()
                    if key.startswith(("p50_", "p90_", "p95_", "mean_")) or key == "p_on_time"
                },
            },
            "shipment_totals": self.totals(),
            "sources": list(route.sources),
            "provenance": route.provenance,
        }


@dataclass(frozen=True)
class Quote:
    """A shipment and its candidate routes, best first.

    Attributes
    ----------
    shipment
        What is shipped.
    routes
        The candidates, ranked by ``ranked_by``.
    ranked_by
        ``p90`` (P90 transit time) or ``expected`` (mean generalized cost).
    """

    shipment: Shipment
    routes: tuple[QuotedRoute, ...]
    ranked_by: str

    def to_dict(self) -> dict[str, Any]:
        """Return the quote as JSON-ready data."""
        return {
            "shipment": self.shipment.to_dict(),
            "ranked_by": self.ranked_by,
            "assumptions": SHIPMENT_ASSUMPTIONS,
            "routes": [r.to_dict() for r in self.routes],
        }


def with_cargo_value(network: Network, commodity: str, value_usd_per_unit: float) -> Network:
    """Return a copy of ``network`` in which ``commodity`` is worth ``value_usd_per_unit``.

    The new value cites a source row of kind ``user``, so provenance shows that the figure came
    from the query and not from the dataset. The input network is not changed.

    Parameters
    ----------
    network
        The network.
    commodity
        Commodity id.
    value_usd_per_unit
        Cargo value per unit of the commodity (TEU or tonne), USD.
    """
    tables = dict(network.tables)
    commodities = tables["commodities"].copy()
    match = commodities["commodity_id"] == commodity
    commodities.loc[match, "value_usd_per_unit"] = value_usd_per_unit
    commodities.loc[match, "value_usd_per_unit_ref"] = USER_VALUE_SOURCE
    tables["commodities"] = commodities
    sources = tables["sources"]
    if USER_VALUE_SOURCE not in set(sources["source_id"]):
        new: dict[str, Any] = dict.fromkeys(sources.columns, pd.NA)
        new.update(
            source_id=USER_VALUE_SOURCE,
            kind="user",
            title="Cargo value given in the query",
            method="the shipment's value divided by its units",
        )
        extra = pd.DataFrame([new], columns=sources.columns).astype(sources.dtypes.to_dict())
        tables["sources"] = pd.concat([sources, extra], ignore_index=True)
    return Network(meta=network.meta, tables=tables, origins=network.origins)


def quote_shipment(
    name_or_path: str | os.PathLike[str] | Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    quantity: float,
    unit: str | None = None,
    cargo_value_usd: float | None = None,
    k: int = 3,
    by: str = "expected",
    n: int = 20_000,
    seed: int = 0,
    deadline_h: float | None = None,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> Quote:
    """Price a shipment on the candidate routes, with P50/P90 transit times.

    Parameters
    ----------
    name_or_path
        A bundled dataset name, a network folder or a network (e.g. a scenario's).
    origin, destination, commodity
        As in :func:`corridor.route`.
    quantity, unit
        How much moves together: e.g. ``40, "feu"``, ``800, "teu"`` or ``5000, "t"``; ``unit``
        defaults to the commodity's own.
    cargo_value_usd
        Value of the whole shipment; the commodity's default value per unit if omitted.
    k, by, n, seed, deadline_h
        Candidates of each kind, ranking (``expected`` or ``p90``), samples, seed and deadline
        as in :func:`corridor.risk.simulate.reliable_routes`.
    avoid, via, year, params
        Route-search constraints and weights.

    Returns
    -------
    Quote

    Raises
    ------
    InvalidRequestError
        For a quantity, unit or value that cannot be used.
    NameNotFoundError
        For an unknown commodity.
    """
    from corridor.risk.simulate import reliable_routes
    from corridor.routing.names import names

    network = network_of(name_or_path)
    commodity = names(network).commodities.resolve(commodity)
    row = network.commodities.set_index("commodity_id").loc[commodity].to_dict()
    shipment = shipment_of(
        quantity,
        unit,
        commodity=commodity,
        commodity_unit=str(row["unit"]),
        t_per_unit=float(row["t_per_unit"]),
        value_usd_per_unit=float(row["value_usd_per_unit"]),
        cargo_value_usd=cargo_value_usd,
    )
    used = (
        with_cargo_value(network, commodity, shipment.value_usd_per_unit)
        if shipment.value_given
        else network
    )
    found: list[Reliability] = reliable_routes(
        used,
        origin,
        destination,
        commodity,
        k=k,
        by=by,
        n=n,
        seed=seed,
        deadline_h=deadline_h,
        avoid=avoid,
        via=via,
        year=year,
        params=params,
    )
    return Quote(
        shipment=shipment,
        routes=tuple(QuotedRoute(r, shipment) for r in found),
        ranked_by=by,
    )


#: The shipment quote under its short name, ``corridor.quote``.
quote = quote_shipment
