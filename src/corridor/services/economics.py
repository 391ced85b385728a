"""What a project changes and whether it pays; when trade reaches a target."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from corridor.datasets import DEFAULT_DATASET, valid_network
from corridor.errors import CorridorError, InvalidRequestError

if TYPE_CHECKING:
    import pandas as pd

    from corridor.economics.appraisal import Appraisal, Rate
    from corridor.economics.outlook import CorridorChange, Outlook
    from corridor.economics.target import TargetLoad
    from corridor.model.network import Network


def read_flows_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a CSV of annual flows (``origin, destination, commodity, flow_per_year``).

    Parameters
    ----------
    path
        The CSV file.

    Raises
    ------
    CorridorError
        If the file is missing, unreadable or lacks a column.
    """
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise CorridorError(f"{file}: demand file not found")
    try:
        frame = pd.read_csv(file)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise CorridorError(f"{file.name}: not a readable CSV file ({exc})") from None
    missing = {"origin", "destination", "commodity", "flow_per_year"} - set(frame.columns)
    if missing:
        raise CorridorError(
            f"{file.name}: missing column(s) {', '.join(sorted(missing))} "
            "(needs origin, destination, commodity, flow_per_year)"
        )
    return frame


def discount_rates(network: Network, rates: Sequence[float] | Literal["ladder"]) -> list[Rate]:
    """Return the discount rates of a sweep: the network's sourced ladder or rates in %.

    Parameters
    ----------
    network
        The network whose ``finance_rates`` table gives the ladder.
    rates
        ``"ladder"`` or rates in % (an empty list: no sweep).
    """
    from corridor.economics.appraisal import Rate, rate_ladder

    if isinstance(rates, str):
        return list(rate_ladder(network))
    return [Rate(float(r)) for r in rates]


def appraise_project(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    *,
    scenario: str | os.PathLike[str] | None = None,
    demand: str | os.PathLike[str] | None = None,
    flows: pd.DataFrame | None = None,
    benefit_usd: float | None = None,
    capex_usd: float = 0.0,
    capex_ref: str = "",
    opex_usd_per_year: float = 0.0,
    years: int = 25,
    rate: float = 0.08,
    rates: Sequence[float] | Literal["ladder"] = "ladder",
    ramp_up_years: int = 0,
    build_years: int = 1,
    residual_value_usd: float = 0.0,
    start_year: int | None = None,
    base_year: int | None = None,
    project_year: int | None = None,
    co2_price_usd_per_t: float = 0.0,
    rate_path: str | None = None,
    valuation_year: int | None = None,
    start_years: Sequence[int] = (),
) -> Appraisal:
    """Appraise a project: NPV, IRR, benefit-cost ratio, payback and a discount-rate sweep.

    The annual benefit comes from one of three sources:

    - ``scenario`` and ``demand``: the project is a scenario applied to the network; the
      demand set is assigned with and without it, both in the scenario's year (today's
      network when it sets none), so the project is the only difference;
    - ``flows`` and ``project_year``: the network at ``base_year`` against the same network at
      ``project_year`` (planned links open from their opening year);
    - ``benefit_usd``: given.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder (the network without the project).
    scenario
        A bundled scenario name or scenario file: the project.
    demand
        A demand set of the network or a demand CSV file (with ``scenario``).
    flows
        Annual flows (``origin, destination, commodity, flow_per_year``), see
        :func:`read_flows_csv`.
    benefit_usd
        Annual benefit, USD (appraise without the model).
    capex_usd, capex_ref, opex_usd_per_year, years, rate, ramp_up_years, build_years
        Capital cost (and its source), operating cost, operating years, discount rate,
        years to the full benefit and construction years.
    rates
        ``"ladder"`` (the network's sourced rates) or rates in % for the sweep.
    residual_value_usd, start_year
        Residual value at the end; calendar year of year 0.
    base_year, project_year
        Network years without and with the project (with ``flows``).
    co2_price_usd_per_t
        Price of the CO2 saved, USD per tonne.
    rate_path, valuation_year, start_years
        When to build: discount rates by calendar year (``"2026:12,2028:8"``, % per year;
        default ``rate`` in every year), the year NPVs are valued at (default: the path's first
        year, else ``start_year``, else the earliest of ``start_years``) and the start years to
        compare (default ``start_year``). With any of them the result carries ``timing``: NPV
        by start year and the value of waiting.

    Raises
    ------
    InvalidRequestError
        If the inputs do not name one source of the benefit (``field`` names the input).
    """
    result = _appraise(
        name_or_path, scenario=scenario, demand=demand, flows=flows, benefit_usd=benefit_usd,
        capex_usd=capex_usd, capex_ref=capex_ref, opex_usd_per_year=opex_usd_per_year,
        years=years, rate=rate, rates=rates, ramp_up_years=ramp_up_years,
        build_years=build_years, residual_value_usd=residual_value_usd, start_year=start_year,
        base_year=base_year, project_year=project_year, co2_price_usd_per_t=co2_price_usd_per_t,
    )  # fmt: skip
    from corridor.model.provenance import provenance

    params = {
        "rate": rate, "years": years, "build_years": build_years,
        "ramp_up_years": ramp_up_years, "start_year": start_year, "base_year": base_year,
        "project_year": project_year, "co2_price_usd_per_t": co2_price_usd_per_t,
        "benefit": "given" if benefit_usd is not None else "model",
    }  # fmt: skip
    result = dataclasses.replace(
        result,
        provenance=provenance(
            valid_network(name_or_path),
            scenario=os.fspath(scenario) if scenario is not None else None,
            params=params,
            sources=[] if benefit_usd is not None else None,
        ),
    )
    if rate_path is None and valuation_year is None and not start_years:
        return result
    return dataclasses.replace(
        result,
        timing=_timing(result, rate, rate_path, valuation_year, start_year, start_years),
    )


def _timing(
    result: Appraisal,
    rate: float,
    rate_path: str | None,
    valuation_year: int | None,
    start_year: int | None,
    start_years: Sequence[int],
) -> dict[str, Any]:
    from corridor.economics.timing import RatePath, compare_starts

    path = RatePath.parse(rate_path) if rate_path is not None else None
    starts = list(start_years) or ([start_year] if start_year is not None else [])
    if valuation_year is None:
        valuation_year = (
            path.steps[0][0] if path is not None else start_year if start_year else None
        )
        if valuation_year is None and starts:
            valuation_year = min(starts)
    if valuation_year is None:
        raise InvalidRequestError(
            "valuation_year", "timing needs a valuation year, a rate path or start years"
        )
    if not starts:
        starts = [valuation_year]
    if path is None:
        path = RatePath.constant(rate, valuation_year)
    return compare_starts(result.cash_flows, starts, path, valuation_year).to_dict()


def _appraise(
    name_or_path: str | os.PathLike[str],
    *,
    scenario: str | os.PathLike[str] | None,
    demand: str | os.PathLike[str] | None,
    flows: pd.DataFrame | None,
    benefit_usd: float | None,
    capex_usd: float,
    capex_ref: str,
    opex_usd_per_year: float,
    years: int,
    rate: float,
    rates: Sequence[float] | Literal["ladder"],
    ramp_up_years: int,
    build_years: int,
    residual_value_usd: float,
    start_year: int | None,
    base_year: int | None,
    project_year: int | None,
    co2_price_usd_per_t: float,
) -> Appraisal:
    from corridor.economics.appraisal import appraise, appraise_scenario, cash_flows

    network = os.fspath(name_or_path)
    base = valid_network(name_or_path)
    finance: dict[str, Any] = {
        "capex_usd": capex_usd, "rate": rate, "years": years, "build_years": build_years,
        "opex_usd_per_year": opex_usd_per_year, "ramp_up_years": ramp_up_years,
        "residual_value_usd": residual_value_usd, "start_year": start_year,
    }  # fmt: skip
    inputs: dict[str, Any] = {"capex_usd": capex_usd, "capex_ref": capex_ref, "network": network}
    if scenario is not None:
        if demand is None:
            raise InvalidRequestError("demand", "appraising a scenario needs a demand set")
        from corridor.demand import read_demand
        from corridor.scenarios import apply_scenario, load_scenario, scenario_year

        spec = load_scenario(scenario)
        project = apply_scenario(spec, base)
        table = read_demand(demand, base, network_name=name_or_path)
        year = scenario_year(spec)
        result = appraise_scenario(
            base, project, table.table, **finance, co2_price_usd_per_t=co2_price_usd_per_t,
            base_year=year, project_year=year, rates=discount_rates(base, rates),
        )  # fmt: skip
        result.inputs.update({**inputs, "scenario": scenario, "demand": table.name, "year": year})
        return result
    if benefit_usd is not None:
        cf = cash_flows(
            capex_usd, benefit_usd, years=years, build_years=build_years,
            opex_usd_per_year=opex_usd_per_year, ramp_up_years=ramp_up_years,
            residual_value_usd=residual_value_usd, start_year=start_year,
        )  # fmt: skip
        ladder = discount_rates(base, rates)
        return appraise(cf, rate, rates=ladder, inputs={**inputs, "benefit_usd": benefit_usd})
    if flows is None:
        raise InvalidRequestError("benefit_usd", "give a benefit, flows or a scenario")
    if project_year is None:
        raise InvalidRequestError("project_year", "flows need the year of the project")
    result = appraise_scenario(
        base, base, flows, **finance, co2_price_usd_per_t=co2_price_usd_per_t,
        base_year=base_year, project_year=project_year, rates=discount_rates(base, rates),
    )  # fmt: skip
    result.inputs.update(inputs)
    return result


def trade_outlook(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    *,
    scenarios: Sequence[str] = (),
    target_usd: float = 15e9,
    horizon_year: int = 2060,
    reporter: str = "KZ",
    origin: str | None = None,
    destination: str | None = None,
    commodity: str = "container",
    base_year: int | None = None,
    project_year: int | None = None,
    corridor_scenario: str | os.PathLike[str] | None = None,
    elasticity_range: tuple[float, float] = (3.0, 5.0),
    affected_share: float = 1.0,
    n: int = 10_000,
    seed: int = 0,
) -> tuple[Outlook, CorridorChange | None]:
    """Project Kazakhstan–Türkiye trade and find the year it reaches the target.

    With ``origin``, ``destination`` and ``project_year``, the change in the best route's
    generalized cost between ``base_year`` and ``project_year`` moves trade through the
    trade-cost elasticity; with ``corridor_scenario``, the change between the network and
    the scenario's network does (default route Almaty to Istanbul).

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder (its ``trade`` table is the history).
    scenarios
        Growth scenario ids (``historical``, ``recent``, ``slow``, ``target_2030``); all the
        default ones if empty.
    target_usd, horizon_year
        The trade target (USD per year) and the last projected year.
    reporter
        Whose statistics: ``KZ`` or ``TR``.
    origin, destination, commodity
        The corridor route whose cost change moves trade.
    base_year, project_year
        Network year of the base route, and of the changed route (the change applies from).
    corridor_scenario
        A network scenario whose change in the route moves trade.
    elasticity_range
        Trade-cost elasticity range (low, high).
    affected_share
        Share of the trade using the corridor.
    n, seed
        Monte Carlo samples and random seed.

    Returns
    -------
    tuple of Outlook and CorridorChange or None
        The projection and the corridor change used (``None`` without one).

    Raises
    ------
    InvalidRequestError
        If a corridor change lacks its origin, destination or project year.
    """
    from corridor.economics.outlook import (
        DEFAULT_SCENARIOS,
        CorridorChange,
        project,
        scenario_by_id,
        trade_history,
    )
    from corridor.routing.engine import route

    chosen = (
        [scenario_by_id(s, DEFAULT_SCENARIOS) for s in scenarios]
        if scenarios
        else list(DEFAULT_SCENARIOS)
    )
    net = valid_network(name_or_path)
    history = trade_history(net, reporter=reporter)
    change = None
    improved: Network | None = None
    when: int | None = project_year
    if corridor_scenario is not None:
        from corridor.scenarios import apply_scenario, load_scenario, scenario_year

        spec = load_scenario(corridor_scenario)
        improved = apply_scenario(spec, net)
        origin, destination = origin or "almaty", destination or "istanbul"
        when = project_year or scenario_year(spec) or base_year
    elif (origin or destination or project_year is not None) and not (
        origin and destination and project_year is not None
    ):
        field = "origin" if not origin else "destination" if not destination else "project_year"
        raise InvalidRequestError(
            field, "a corridor change needs an origin, a destination and a project year"
        )
    if origin and destination:
        base_route = route(net, origin, destination, commodity, year=base_year)
        new_route = route(improved or net, origin, destination, commodity, year=when)
        commodities = net.commodities.set_index("commodity_id")
        value = float(str(commodities.loc[base_route.commodity, "value_usd_per_unit"]))
        start = when if when is not None else int(history["year"].max()) + 1
        change = CorridorChange.from_routes(base_route, new_route, value, start, affected_share)
    result = project(
        history, chosen, target_usd=target_usd, horizon_year=horizon_year, change=change,
        elasticity_range=elasticity_range, n=n, seed=seed,
    )  # fmt: skip
    from corridor.model.provenance import provenance

    result = dataclasses.replace(
        result,
        provenance=provenance(
            net,
            scenario=os.fspath(corridor_scenario) if corridor_scenario is not None else None,
            params={"target_usd": target_usd, "horizon_year": horizon_year,
                    "reporter": reporter, "n": n, "seed": seed},
            sources=[str(s) for s in history["source_id"]]
            + ([] if change is None else [s for r in (base_route, new_route) for s in r.sources]),
        ),
    )  # fmt: skip
    return result, change


#: Other traffic loaded with the bilateral demand, held at today's level.
TARGET_BACKGROUND = ("containers-2024", "crude-2024", "grain-2024")
#: Scenarios the target demand is loaded on besides today's network.
TARGET_SCENARIOS = ("zangezur-open", "aktau-hub-expansion", "alat-phase2", "world-bank-2030")


def target_assignment(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    *,
    target_usd: float = 15e9,
    demand: str = "kz-tr-2023",
    mix: str = "today",
    scenarios: Sequence[str] = TARGET_SCENARIOS,
    steps: int = 4,
    growth: str = "target_2030",
    reporter: str = "KZ",
    background: Sequence[str] = TARGET_BACKGROUND,
    progress: Callable[[str, int, int], None] | None = None,
) -> TargetLoad:
    """Load the freight a bilateral trade target implies on today's network and on scenarios.

    Today's bilateral demand set is scaled to ``steps + 1`` trade levels from its own value to
    the target (the mix of goods an assumption, see :data:`corridor.economics.target.MIXES`),
    each level is assigned on every network, and each binding capacity is dated by the first
    level at which it binds and the first year the ``growth`` outlook path reaches that level.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder with the demand set and a trade table.
    target_usd
        The trade target, USD per year, both directions together.
    demand
        Today's bilateral demand set (a name of the network's demand sets).
    mix
        ``today``, ``balanced`` or ``non_oil``.
    scenarios
        Network scenarios to load the demand on besides today's network.
    steps
        Number of steps between today's value and the target.
    growth
        Outlook growth scenario whose central path dates the levels.
    reporter
        Whose trade statistics the outlook path starts from.
    background
        Demand sets of the other traffic sharing the capacities (transit containers, crude,
        grain), held at their own level; the bilateral flows they already contain are taken
        out of them (:func:`corridor.economics.target.background_without`).
    progress
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    TargetLoad
        Per network: routes, binding capacities and from which year, cost and CO2.

    Raises
    ------
    CorridorError
        If the target does not exceed today's trade, or a name is unknown.
    """
    import pandas as pd

    from corridor.assign.model import assign
    from corridor.demand import read_demand
    from corridor.economics.target import (
        TargetLoad,
        background_without,
        first_years,
        implied_demand,
        levels,
        network_load,
    )
    from corridor.scenarios import apply_scenario, load_scenario, scenario_year
    from corridor.services.flow_view import capacity_names

    net = valid_network(name_or_path)
    today = read_demand(demand, net, network_name=name_or_path)
    base = implied_demand(net, today.table, target_usd, mix)
    today_usd = sum(base.today_usd.values())
    if not target_usd > today_usd:
        raise CorridorError(
            f"the target ({target_usd:.4g} USD) must exceed today's trade in {demand} "
            f"({today_usd:.4g} USD)"
        )
    values = levels(today_usd, target_usd, steps)
    keys = set(
        zip(
            base.table["origin"].astype(str),
            base.table["destination"].astype(str),
            base.table["commodity"].astype(str),
            strict=True,
        )
    )
    outlook, _ = trade_outlook(
        name_or_path, scenarios=[growth], target_usd=target_usd, reporter=reporter, n=1
    )
    path = outlook.scenarios[0]
    years = first_years(outlook.years, path.central_usd, values)
    others = [read_demand(name, net, network_name=name_or_path).table for name in background]
    rest = background_without(pd.concat(others, ignore_index=True), today.table) if others else None
    tables = []
    for value in values:
        table = implied_demand(net, today.table, value, mix).table
        tables.append(table if rest is None else pd.concat([rest, table], ignore_index=True))
    networks: list[tuple[str, Network, int | None]] = [("today", net, None)]
    for name in scenarios:
        spec = load_scenario(name)
        networks.append((name, apply_scenario(spec, net), scenario_year(spec)))
    runs = len(tables) + (rest is not None)
    total, done, loads = len(networks) * runs, 0, []
    for label, network, year in networks:
        alone = None
        if rest is not None:
            alone = assign(network, rest, year=year)
            done += 1
        results = []
        for table in tables:
            results.append(assign(network, table, year=year))
            done += 1
            if progress is not None:
                progress(f"assigning on {label}", done, total)
        names = capacity_names(network)
        loads.append(network_load(label, year, results, values, years, keys, alone, names))
    return TargetLoad(
        target_usd, demand, today.year, base, path.scenario.scenario_id, values, years, loads,
        tuple(background),
    )  # fmt: skip
