"""Parameters of a routing query: generalized-cost weights and constraints.

Both are immutable values; a query never changes them and results carry a copy.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Objective = Literal["generalized", "cost", "time", "co2", "risk"]
"""What a route minimises: generalized cost (default), money (``cost``), time, CO2 or risk."""

OBJECTIVES: tuple[Objective, ...] = ("generalized", "cost", "time", "co2", "risk")

SanctionsPolicy = Literal["flag", "penalize", "forbid"]
"""How routes through sanctioned countries are treated.

``flag`` reports the exposure only, ``penalize`` adds ``sanctions_penalty_pct`` of the cargo
value per sanctioned country entered, ``forbid`` removes those countries from the network.
"""


class CostParams(BaseModel):
    """Weights of the generalized cost.

    The generalized cost of a route, per unit of cargo (TEU or tonne), in USD is::

        money + vot/100 * value * hours/24 + co2_price * kg_co2/1000
              + risk_weight * risk_usd + sanctions penalty

    Attributes
    ----------
    value_of_time_pct_per_day
        Value of one day in transit as a % of cargo value. ``None`` (default) takes each
        commodity's own figure from the commodities table (0.6 %/day for containers, the low
        end of Hummels & Schaur's 0.6-2.1 %/day; the in-transit carrying cost for bulk).
    co2_price_usd_per_t
        Price of a tonne of CO2e. Default 0: none of the corridor's countries prices freight
        emissions on these routes; set it to test a carbon price.
    risk_weight
        Multiplier on the expected war-risk insurance cost (1 = counted as money).
    sanctions
        Treatment of sanctioned countries: ``flag`` (default), ``penalize`` or ``forbid``.
    sanctions_penalty_pct
        Compliance cost, % of cargo value, per sanctioned country entered under ``penalize``.
        A user assumption: no published figure exists; default 0.
    max_war_risk_pct
        Insurability limit: port calls whose war-risk premium exceeds this share of the cargo
        value are treated as uninsurable and removed. ``None`` (default): no limit.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value_of_time_pct_per_day: float | None = Field(default=None, ge=0)
    co2_price_usd_per_t: float = Field(default=0.0, ge=0)
    risk_weight: float = Field(default=1.0, ge=0)
    sanctions: SanctionsPolicy = "flag"
    sanctions_penalty_pct: float = Field(default=0.0, ge=0)
    max_war_risk_pct: float | None = Field(default=None, ge=0)


class Constraints(BaseModel):
    """What a route must avoid or pass through.

    Attributes
    ----------
    avoid_countries
        Country codes whose nodes and links may not be used.
    avoid_nodes
        Node ids that may not be used.
    avoid_links
        Link ids that may not be used.
    avoid_modes
        Modes that may not be used.
    via
        Node ids the route must pass, in this order.
    year
        Network year: planned links, nodes and transfers count from their opening year;
        ``None`` means today's network (open items only). Closed items never count.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    avoid_countries: frozenset[str] = frozenset()
    avoid_nodes: frozenset[str] = frozenset()
    avoid_links: frozenset[str] = frozenset()
    avoid_modes: frozenset[str] = frozenset()
    via: tuple[str, ...] = ()
    year: int | None = None

    def without(self, field: str) -> Constraints:
        """Return a copy with one constraint field reset to its default.

        Parameters
        ----------
        field
            Name of the field to relax.
        """
        return self.model_copy(update={field: type(self).model_fields[field].default})
