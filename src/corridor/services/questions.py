"""The service layer: one function per user question, shared by the CLI, API and web app.

Adapters (CLI, REST API, web page) call these functions and only present their results.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from corridor.datasets import DEFAULT_DATASET, read_network
from corridor.datasets import valid_network as valid_network  # re-exported: a service too
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.problems import ValidationReport
from corridor.summary import NetworkSummary, summarize

ExportFormat = Literal["csv", "parquet", "geojson"]

if TYPE_CHECKING:
    import pandas as pd

    from corridor.assign.model import Assignment
    from corridor.compare import Comparison
    from corridor.demand import Demand
    from corridor.risk.simulate import Reliability
    from corridor.routing.engine import ParetoResult
    from corridor.routing.params import CostParams, Objective
    from corridor.routing.result import Route


def _network(name_or_path: str | os.PathLike[str] | Network) -> Network:
    """Return the network itself, or the validated network of a name or folder."""
    if isinstance(name_or_path, Network):
        return name_or_path
    return valid_network(name_or_path)


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
    network = _network(name_or_path)
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
    network = _network(name_or_path)
    return network, pareto_on(
        network, origin, destination, commodity, avoid=avoid, via=via, year=year, params=params
    )


def check_network(name_or_path: str | os.PathLike[str] = DEFAULT_DATASET) -> ValidationReport:
    """Validate a network and return the report of every problem found.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.
    """
    _, report = read_network(name_or_path)
    return report


def _valid_network(name_or_path: str | os.PathLike[str]) -> tuple[Network, ValidationReport]:
    network, report = read_network(name_or_path)
    if not report.ok:
        raise ValidationError(report)
    return network, report


def summarize_network(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
) -> tuple[NetworkSummary, ValidationReport]:
    """Load a network and summarise it.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.

    Returns
    -------
    tuple of NetworkSummary and ValidationReport
        The summary and the validation report (warnings only: errors raise).

    Raises
    ------
    ValidationError
        If the network has errors.
    """
    network, report = _valid_network(name_or_path)
    return summarize(network), report


def export_network(
    name_or_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    fmt: ExportFormat = "csv",
) -> list[Path]:
    """Write a network in another format.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.
    out
        Output folder.
    fmt
        ``csv`` or ``parquet`` (a full network folder) or ``geojson`` (nodes and links).

    Returns
    -------
    list of Path
        The files written.
    """
    from corridor.io.folder import write_folder
    from corridor.io.geojson import write_geojson

    network, _ = _valid_network(name_or_path)
    if fmt == "geojson":
        return write_geojson(network, out)
    return write_folder(network, out, fmt)


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
        _network(name_or_path),
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
) -> tuple[Network, Demand, Assignment]:
    """Load a demand set onto a network and find its bottlenecks.

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
    result = assign(used, table.table, year=year, params=params, progress=progress)
    return used, table, result


# --- scenarios -----------------------------------------------------------------------------


def list_scenarios() -> list[str]:
    """Return the names of the bundled scenarios."""
    from corridor.scenarios import bundled_scenarios

    return bundled_scenarios()


def scenario_network(name_or_path: str | os.PathLike[str]) -> Network:
    """Return the network a scenario describes, applied to its base and validated.

    Parameters
    ----------
    name_or_path
        A bundled scenario name or the path of a scenario YAML file.

    Raises
    ------
    corridor.scenarios.ScenarioError
        If the scenario or its result is invalid; every problem is listed.
    """
    from corridor.scenarios import apply_scenario, load_scenario

    return apply_scenario(load_scenario(name_or_path))


def scenario_network_and_year(name_or_path: str | os.PathLike[str]) -> tuple[Network, int | None]:
    """Return a scenario's network and the year it is set in (``None``: today).

    Parameters
    ----------
    name_or_path
        A bundled scenario name or the path of a scenario YAML file.
    """
    from corridor.scenarios import apply_scenario, load_scenario, scenario_year

    scenario = load_scenario(name_or_path)
    return apply_scenario(scenario), scenario_year(scenario)


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


def assign_on(
    network: Network,
    demand: pd.DataFrame,
    *,
    year: int | None = None,
    params: CostParams | None = None,
) -> Assignment:
    """Load annual demand onto a network at least generalized cost.

    Parameters
    ----------
    network
        A valid network.
    demand
        Columns ``origin``, ``destination``, ``commodity``, ``flow_per_year``.
    year, params
        See :func:`corridor.assign.model.assign`.
    """
    from corridor.assign.model import assign

    return assign(network, demand, year=year, params=params)


def network_geojson(network: Network) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the nodes and the links of a network as GeoJSON FeatureCollections."""
    from corridor.io.geojson import links_geojson, nodes_geojson

    return nodes_geojson(network), links_geojson(network)


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
