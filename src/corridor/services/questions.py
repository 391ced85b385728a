"""Which route, how reliable, where flows jam, what changes between two networks."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from corridor.datasets import valid_network
from corridor.errors import InvalidRequestError
from corridor.model.network import Network
from corridor.services.networks import network_of

if TYPE_CHECKING:
    import pandas as pd

    from corridor.assign.model import Assignment
    from corridor.compare import Comparison
    from corridor.demand import Demand
    from corridor.risk.simulate import Reliability
    from corridor.routing.engine import ParetoResult
    from corridor.routing.params import CostParams, Objective
    from corridor.routing.result import Route


def find_routes(
    name_or_path: str | os.PathLike[str] | Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    objective: Objective = "generalized",
    k: int = 1,
    diverse: bool = False,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> tuple[Network, list[Route]]:
    """Best route (``k=1``) or ``k`` alternatives between two nodes.

    Parameters
    ----------
    name_or_path
        A bundled dataset name, a network folder or a network (e.g. a scenario's).
    origin, destination, commodity, objective, avoid, via, year, params
        See :func:`corridor.routing.engine.route`.
    k, diverse
        See :func:`corridor.routing.engine.alternatives`.

    Returns
    -------
    tuple of Network and list of Route
        The network used and the routes, best first.
    """
    network = network_of(name_or_path)
    return network, routes_on(
        network, origin, destination, commodity, objective=objective, k=k, diverse=diverse,
        avoid=avoid, via=via, year=year, params=params,
    )  # fmt: skip


def find_pareto(
    name_or_path: str | os.PathLike[str] | Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> tuple[Network, ParetoResult]:
    """Return the Pareto front of routes over cost, time, CO2 and risk.

    Parameters
    ----------
    name_or_path
        A bundled dataset name, a network folder or a network (e.g. a scenario's).
    origin, destination, commodity, avoid, via, year, params
        See :func:`corridor.routing.engine.pareto`.
    """
    network = network_of(name_or_path)
    return network, pareto_on(
        network, origin, destination, commodity, avoid=avoid, via=via, year=year, params=params
    )


def simulate_routes(
    name_or_path: str | os.PathLike[str] | Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    k: int = 5,
    by: str = "p90",
    n: int = 100_000,
    seed: int = 0,
    deadline_h: float | None = None,
    month: int | None = None,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> list[Reliability]:
    """Simulate candidate routes and rank them by a risk-aware criterion.

    Parameters
    ----------
    name_or_path
        A bundled dataset name, a network folder or a network (e.g. a scenario's).
    origin, destination, commodity, k, by, n, seed, deadline_h, month
        See :func:`corridor.risk.simulate.reliable_routes`.
    avoid, via, year, params
        Route-search constraints and weights, as in :func:`corridor.route`.
    """
    from corridor.risk.simulate import reliable_routes

    return reliable_routes(
        network_of(name_or_path),
        origin,
        destination,
        commodity,
        k=k,
        by=by,
        n=n,
        seed=seed,
        deadline_h=deadline_h,
        month=month,
        avoid=avoid,
        via=via,
        year=year,
        params=params,
    )


def run_assignment(
    name_or_path: str | os.PathLike[str],
    demand: str | os.PathLike[str],
    *,
    year: int | None = None,
    params: CostParams | None = None,
    network: Network | None = None,
    scenario: str | os.PathLike[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    method: Literal["logit", "min_cost"] = "logit",
    dispersion: float | None = None,
) -> tuple[Network, Demand, Assignment]:
    """Load a demand set onto a network: how it splits over routes, and its bottlenecks.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder (holding the named demand sets).
    demand
        A demand set name of that network or a demand CSV file.
    year
        Network year; the demand set's own year if omitted.
    params
        Generalized-cost weights.
    network
        Use this network instead of reading ``name_or_path``.
    scenario
        A bundled scenario name or scenario file: its network, its year (unless ``year`` is
        given) and its demand patches are used.
    progress
        Called as ``progress(stage, done, total)``.
    method
        ``logit`` (default: how shippers split, with capacities and contracts) or
        ``min_cost`` (the LP's system optimum); see :func:`corridor.assign.model.assign`.
    dispersion
        Logit dispersion (default: the calibrated value).

    Returns
    -------
    tuple of Network, Demand and Assignment
        The network used, the demand and the result.
    """
    from corridor.assign.model import assign
    from corridor.demand import read_demand

    used = network if network is not None else valid_network(name_or_path)
    scenario_year: int | None = None
    if scenario is not None:
        from corridor.scenarios import apply_demand, apply_scenario, load_scenario
        from corridor.scenarios import scenario_year as year_of

        spec = load_scenario(scenario)
        used = apply_scenario(spec, used)
        scenario_year = year_of(spec)
    table = read_demand(demand, used, network_name=name_or_path)
    if scenario is not None:
        table = dataclasses.replace(table, table=apply_demand(spec, table.table))
    if year is None:
        year = scenario_year if scenario_year is not None else table.year
    result = assign(
        used, table.table, year=year, params=params, progress=progress, method=method,
        dispersion=dispersion,
    )  # fmt: skip
    return used, table, result


# Services on a Network object (a bundled dataset or a scenario applied), used by the web API.


def routes_on(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    objective: Objective = "generalized",
    k: int = 1,
    diverse: bool = False,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> list[Route]:
    """Best route (``k=1``) or ``k`` alternatives on a network given as an object.

    Parameters
    ----------
    network
        A valid network (e.g. a scenario applied to a bundled dataset).
    origin, destination, commodity, objective, k, diverse, avoid, via, year, params
        As in :func:`find_routes`.
    """
    from corridor.routing.engine import alternatives, route

    query = {"avoid": avoid, "via": via, "year": year, "params": params, "objective": objective}
    if k == 1 and not diverse:
        return [route(network, origin, destination, commodity, **query)]  # type: ignore[arg-type]
    return alternatives(
        network,
        origin,
        destination,
        commodity,
        k=k,
        diverse=diverse,
        **query,  # type: ignore[arg-type]
    )


def pareto_on(
    network: Network,
    origin: str,
    destination: str,
    commodity: str = "container",
    *,
    avoid: Sequence[str] = (),
    via: Sequence[str] = (),
    year: int | None = None,
    params: CostParams | None = None,
) -> ParetoResult:
    """Pareto front on a network given as an object; see :func:`find_pareto`."""
    from corridor.routing.engine import pareto

    return pareto(
        network, origin, destination, commodity, avoid=avoid, via=via, year=year, params=params
    )


def demand_set_year(dataset: str, name: str) -> int | None:
    """Return the year a bundled demand set describes (``None`` if it states none).

    Parameters
    ----------
    dataset
        The bundled dataset holding the demand set.
    name
        The demand set's name.
    """
    from corridor.demand import describe_demand_sets

    for entry in describe_demand_sets(dataset):
        if entry["name"] == name and entry["year"] is not None:
            return int(entry["year"])
    return None


def bundled_demand(network: Network, dataset: str, name: str) -> pd.DataFrame:
    """Return the table of a demand set bundled with a dataset, checked against a network.

    Only names are accepted, never a file: this is what a request to a server may ask for.

    Parameters
    ----------
    network
        The network the demand is checked against (the dataset, or a scenario of it).
    dataset
        The bundled dataset holding the demand set.
    name
        The demand set's name.

    Raises
    ------
    InvalidRequestError
        If the dataset has no demand set of that name (``field`` is ``demand``).
    """
    import difflib

    from corridor.demand import bundled_demand_sets, read_demand

    available = bundled_demand_sets(dataset)
    if name not in available:
        raise InvalidRequestError(
            "demand",
            f"Unknown demand set {name!r}; bundled: {', '.join(available)}.",
            value=name,
            suggestions=difflib.get_close_matches(name, available, n=3),
            reason="not_found",
        )
    frame: pd.DataFrame = read_demand(name, network, network_name=dataset).table
    return frame


def check_flow_names(network: Network, demand: pd.DataFrame) -> None:
    """Check that every origin, destination and commodity of a demand table is known.

    Parameters
    ----------
    network
        The network the flows go on.
    demand
        Columns ``origin``, ``destination``, ``commodity``.

    Raises
    ------
    corridor.errors.NameNotFoundError
        For the first unknown name, with suggestions.
    """
    from corridor.routing.search import resolve_request

    for row in demand.to_dict("records"):
        resolve_request(network, str(row["origin"]), str(row["destination"]), str(row["commodity"]))


def assign_on(
    network: Network,
    demand: pd.DataFrame,
    *,
    year: int | None = None,
    params: CostParams | None = None,
    method: Literal["logit", "min_cost"] = "logit",
) -> Assignment:
    """Load annual demand onto a network (logit split by default, or least total cost).

    Parameters
    ----------
    network
        A valid network.
    demand
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year``.
    year, params, method
        See :func:`corridor.assign.model.assign`.
    """
    from corridor.assign.model import assign

    return assign(network, demand, year=year, params=params, method=method)


# --- comparing two networks ----------------------------------------------------------------


def compare_networks(
    base: str | os.PathLike[str],
    other: str | os.PathLike[str],
    *,
    demand: str | os.PathLike[str] | None = None,
    ods: Sequence[str] | None = None,
    year: int | None = None,
    params: CostParams | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Comparison:
    """Compare two datasets or scenarios on key routes and, with a demand set, on flows.

    Parameters
    ----------
    base, other, demand, year, params, progress
        See :func:`corridor.compare.compare`.
    ods
        ``FROM:TO[:CARGO]`` pairs; default the bundled key pairs.
    """
    from corridor.compare import compare

    return compare(base, other, demand=demand, ods=ods, year=year, params=params, progress=progress)
