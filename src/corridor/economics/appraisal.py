"""Investment appraisal: a project's benefit from the model, appraised with its cash flows.

The benefit of a transport project is the fall in the total generalized cost of moving the same
demand (money, value of time, expected war-risk cost), from the assignment model, plus the CO2
saved at a price: see :func:`appraise_scenario`. The finance (cash flows, NPV, IRR,
benefit-cost ratio, payback, rate sweeps and their conventions) is in
:mod:`corridor.economics.finance`; its names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from corridor.economics.finance import IRR_BRACKET as IRR_BRACKET
from corridor.economics.finance import Appraisal as Appraisal
from corridor.economics.finance import CashFlows as CashFlows
from corridor.economics.finance import Rate as Rate
from corridor.economics.finance import appraise as appraise
from corridor.economics.finance import benefit_cost_ratio as benefit_cost_ratio
from corridor.economics.finance import breakeven_rate as breakeven_rate
from corridor.economics.finance import cash_flows as cash_flows
from corridor.economics.finance import irr as irr
from corridor.economics.finance import irr_with_reason as irr_with_reason
from corridor.economics.finance import npv as npv
from corridor.economics.finance import payback_years as payback_years
from corridor.economics.finance import ramp_profile as ramp_profile
from corridor.economics.finance import rate_sweep as rate_sweep
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.routing.params import CostParams


def rate_ladder(network: Network) -> list[Rate]:
    """Return the discount-rate ladder of a network's ``finance_rates`` table, lowest first.

    The bundled ``eurasia`` ladder runs from US rates (federal funds, 10-year Treasury) through
    development-bank discount rates and hurdles to the Kazakh base rate and Turkish-lira policy
    and deposit rates; every rung cites a row of ``sources.csv``.
    """
    table = network.tables["finance_rates"].sort_values("rate_pct", kind="stable")
    return [
        Rate(
            rate_pct=float(row["rate_pct"]),
            label=str(row["label"]),
            currency=str(row["currency"]),
            rate_id=str(row["rate_id"]),
            source_id="" if pd.isna(row["rate_pct_ref"]) else str(row["rate_pct_ref"]),
        )
        for row in table.to_dict("records")
    ]


@dataclass(frozen=True)
class Benefit:
    """Annual benefit of a project from two assignments of the same demand.

    Attributes
    ----------
    generalized_cost_base_usd_per_year, generalized_cost_project_usd_per_year
        Total generalized cost of the served demand without and with the project.
    co2_base_t_per_year, co2_project_t_per_year
        CO2 emitted without and with the project.
    co2_price_usd_per_t
        Price the CO2 saving is valued at.
    unmet_base_units_per_year, unmet_project_units_per_year
        Demand neither assignment could carry. Demand the project serves and the base does not
        adds its carrying cost to the project's total and no value of its own, so the benefit
        is then understated.
    """

    generalized_cost_base_usd_per_year: float
    generalized_cost_project_usd_per_year: float
    co2_base_t_per_year: float
    co2_project_t_per_year: float
    co2_price_usd_per_t: float
    unmet_base_units_per_year: float
    unmet_project_units_per_year: float

    @property
    def cost_saving_usd_per_year(self) -> float:
        """Fall in total generalized cost."""
        return self.generalized_cost_base_usd_per_year - self.generalized_cost_project_usd_per_year

    @property
    def co2_saving_usd_per_year(self) -> float:
        """CO2 saved, valued at the price."""
        return (self.co2_base_t_per_year - self.co2_project_t_per_year) * self.co2_price_usd_per_t

    @property
    def total_usd_per_year(self) -> float:
        """Cost saving plus valued CO2 saving."""
        return self.cost_saving_usd_per_year + self.co2_saving_usd_per_year

    def to_dict(self) -> dict[str, float]:
        """Return the breakdown with unit-carrying keys."""
        return {
            "generalized_cost_base_usd_per_year": self.generalized_cost_base_usd_per_year,
            "generalized_cost_project_usd_per_year": self.generalized_cost_project_usd_per_year,
            "cost_saving_usd_per_year": self.cost_saving_usd_per_year,
            "co2_base_t_per_year": self.co2_base_t_per_year,
            "co2_project_t_per_year": self.co2_project_t_per_year,
            "co2_price_usd_per_t": self.co2_price_usd_per_t,
            "co2_saving_usd_per_year": self.co2_saving_usd_per_year,
            "unmet_base_units_per_year": self.unmet_base_units_per_year,
            "unmet_project_units_per_year": self.unmet_project_units_per_year,
            "benefit_usd_per_year": self.total_usd_per_year,
        }


def model_benefit(
    base_network: Network,
    project_network: Network,
    demand: pd.DataFrame,
    *,
    co2_price_usd_per_t: float = 0.0,
    base_year: int | None = None,
    project_year: int | None = None,
    params: CostParams | None = None,
) -> Benefit:
    """Assign the same demand to both networks and return the annual benefit of the project.

    Parameters
    ----------
    base_network, project_network
        The network without and with the project (they may be the same network at two years).
    demand
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year``.
    co2_price_usd_per_t
        Price of the CO2 saved. Leave it 0 when ``params`` already prices CO2 (the generalized
        cost then includes it); giving both would count it twice and is refused.
    base_year, project_year
        Network years of the two assignments.
    params
        Generalized-cost weights for both assignments.

    Raises
    ------
    CorridorError
        If CO2 would be counted twice or the price is negative.
    """
    from corridor.assign.model import assign

    if not co2_price_usd_per_t >= 0:
        raise CorridorError(f"co2_price_usd_per_t must be >= 0, got {co2_price_usd_per_t!r}")
    if params is not None and params.co2_price_usd_per_t > 0 and co2_price_usd_per_t > 0:
        raise CorridorError(
            "CO2 would be counted twice: the cost parameters already price CO2 at "
            f"{params.co2_price_usd_per_t:g} USD/t inside the generalized cost; set "
            "co2_price_usd_per_t to 0"
        )
    base = assign(base_network, demand, year=base_year, params=params, method="min_cost")
    project = assign(project_network, demand, year=project_year, params=params, method="min_cost")
    return Benefit(
        generalized_cost_base_usd_per_year=base.totals["generalized_cost_usd_per_year"],
        generalized_cost_project_usd_per_year=project.totals["generalized_cost_usd_per_year"],
        co2_base_t_per_year=base.totals["co2_kg_per_year"] / 1000,
        co2_project_t_per_year=project.totals["co2_kg_per_year"] / 1000,
        co2_price_usd_per_t=co2_price_usd_per_t,
        unmet_base_units_per_year=base.totals["unmet_units_per_year"],
        unmet_project_units_per_year=project.totals["unmet_units_per_year"],
    )


def appraise_scenario(
    base_network: Network,
    project_network: Network,
    demand: pd.DataFrame,
    *,
    capex_usd: float | Sequence[float],
    rate: float = 0.08,
    years: int = 25,
    build_years: int = 1,
    opex_usd_per_year: float = 0.0,
    ramp_up_years: int = 0,
    residual_value_usd: float = 0.0,
    co2_price_usd_per_t: float = 0.0,
    base_year: int | None = None,
    project_year: int | None = None,
    params: CostParams | None = None,
    rates: Sequence[Rate | float] | None = None,
    start_year: int | None = None,
) -> Appraisal:
    """Appraise a project whose annual benefit comes from the assignment model.

    The annual benefit is :func:`model_benefit` (fall in total generalized cost of the same
    demand, plus CO2 saved at a price), ramped up over ``ramp_up_years`` after construction.
    Neither network is changed.

    Parameters
    ----------
    base_network, project_network
        Networks without and with the project.
    demand
        Annual OD demand (``origin``, ``destination``, ``commodity``, ``flow_per_year``).
    capex_usd, rate, years, build_years, opex_usd_per_year, ramp_up_years, residual_value_usd
        See :func:`cash_flows` and :func:`appraise`.
    co2_price_usd_per_t, base_year, project_year, params
        See :func:`model_benefit`.
    rates
        Optional rate ladder for the sweep.
    start_year
        Calendar year of year 0.

    Returns
    -------
    Appraisal
        With the benefit breakdown under ``inputs["benefit"]``.
    """
    benefit = model_benefit(
        base_network,
        project_network,
        demand,
        co2_price_usd_per_t=co2_price_usd_per_t,
        base_year=base_year,
        project_year=project_year,
        params=params,
    )
    if benefit.total_usd_per_year < 0:
        raise CorridorError(
            "the project raises the total generalized cost of the demand by "
            f"{-benefit.total_usd_per_year:,.0f} USD/yr: it has no benefit to appraise"
        )
    cf = cash_flows(
        capex_usd,
        benefit.total_usd_per_year,
        years=years,
        build_years=build_years,
        opex_usd_per_year=opex_usd_per_year,
        ramp_up_years=ramp_up_years,
        residual_value_usd=residual_value_usd,
        start_year=start_year,
    )
    inputs = {
        "benefit": benefit.to_dict(),
        "base_network": base_network.meta.name,
        "base_content_hash": base_network.content_hash(),
        "project_network": project_network.meta.name,
        "project_content_hash": project_network.content_hash(),
        "base_year": base_year,
        "project_year": project_year,
        "demand_rows": len(demand),
    }
    return appraise(cf, rate, rates=rates, inputs=inputs)
