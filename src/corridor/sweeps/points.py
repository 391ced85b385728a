"""One point of a sweep: its scenario, built in memory, and the job's metrics.

:func:`prepare` resolves a sweep once (base chain, network, demand, checks against the
network) into a :class:`Plan`; :func:`run_point` is then a pure function of the plan and the
point's values, which is what the workers of a distributed sweep run.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.errors import CorridorError
from corridor.scenarios import ScenarioError, merge
from corridor.sweeps.spec import (
    Scalar,
    SweepError,
    SweepSpec,
    parse_point,
    probe_points,
    relocate,
)

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.scenarios import Scenario


@dataclass(frozen=True)
class Plan:
    """A sweep resolved once, ready to run point by point on any worker.

    Attributes
    ----------
    spec
        The sweep.
    spec_hash
        Hash of everything a point's result depends on: the spec (not its title or
        description), the base scenario, the network's content and the demand table.
    root
        The dataset (bundled name or absolute folder) at the root of the base chain.
    base
        The base scenario chain merged into one scenario, or ``None`` if the base is a dataset.
    demand
        The demand table of an ``assign`` job (its sets concatenated), else ``None``.
    demand_year
        The first demand set's year.
    """

    spec: SweepSpec
    spec_hash: str
    root: str
    base: Scenario | None
    demand: pd.DataFrame | None
    demand_year: int | None


def _resolve_base(spec: SweepSpec) -> tuple[str, Scenario | None]:
    from corridor.io.locate import identify
    from corridor.scenarios import load_scenario, resolve_chain, scenario_path

    folder = spec.folder
    found = identify(spec.base, relative_to=folder)
    if found is not None and found.kind == "network":
        return (spec.base if found.bundled else str(found.path.resolve())), None
    scenario = load_scenario(scenario_path(spec.base, folder))
    root, chain = resolve_chain(scenario)
    rooted = identify(root, paths=False)
    if rooted is None or rooted.kind != "network":
        root = str(Path(root).resolve())
    flat = chain[0]
    for item in chain[1:]:
        flat = merge(flat, item)
    return root, flat.model_copy(update={"base": root, "name": chain[-1].name})


def _network(root: str) -> Network:
    from corridor.datasets import valid_network

    return valid_network(root)


def prepare(spec: SweepSpec) -> Plan:
    """Resolve a sweep and check it against its network; every problem at once.

    Parameters
    ----------
    spec
        The sweep.

    Returns
    -------
    Plan
        What the workers need: no file is read again while the points run.

    Raises
    ------
    SweepError
        With every problem found (an unknown base, demand set or node, patches that do not
        apply to the network at the first value of each parameter), located in the sweep file.
    """
    out = spec.located()
    try:
        root, base = _resolve_base(spec)
    except ScenarioError as exc:
        for problem in exc.problems:
            out.add("base", problem.format())
        raise SweepError(out.problems) from None
    network = _network(root)
    if base is not None:
        try:
            from corridor.scenarios import apply_scenario

            network = apply_scenario(base, network)
        except ScenarioError as exc:
            for problem in exc.problems:
                out.add("base", problem.format())
            raise SweepError(out.problems) from None
    demand, demand_year = _demand(spec, root, network, out)
    _check_names(spec, network, out)
    plan = Plan(spec, "", root, base, demand, demand_year)
    values, _ = probe_points(spec)[0]
    try:
        _apply(plan, point_scenario(plan, values, "probe"))
    except ScenarioError as exc:
        relocate(spec, exc, out, " (with the first value of each parameter)")
    if out.problems:
        raise SweepError(out.problems)
    return Plan(spec, _hash(spec, root, base, demand), root, base, demand, demand_year)


def _demand(
    spec: SweepSpec, root: str, network: Network, out: Any
) -> tuple[pd.DataFrame | None, int | None]:
    from corridor.demand import read_demand

    job = spec.job.assign
    if job is None:
        return None, None
    tables, year = [], None
    for i, name in enumerate(job.demand_sets):
        where = "job.assign.demand" + ("" if isinstance(job.demand, str) else f"[{i}]")
        local = spec.folder / name
        try:
            found = read_demand(local if local.is_file() else name, network, network_name=root)
        except CorridorError as exc:
            out.add(where, str(exc).strip().replace("\n", "; "))
            continue
        tables.append(found.table)
        year = found.year if year is None else year
    if not tables:
        return None, None
    return pd.concat(tables, ignore_index=True), year


def _check_names(spec: SweepSpec, network: Network, out: Any) -> None:
    from corridor.routing.search import resolve_request

    job = spec.job.route or spec.job.simulate
    if job is None:
        return
    via = getattr(job, "via", [])
    try:
        resolve_request(
            network, job.origin, job.destination, job.commodity, avoid=job.avoid, via=via
        )
    except CorridorError as exc:
        out.add(f"job.{spec.job.kind}", str(exc))


def _hash(spec: SweepSpec, root: str, base: Scenario | None, demand: pd.DataFrame | None) -> str:
    from corridor._version import __version__

    digest = hashlib.sha256()
    data = {
        "corridor": __version__,
        "spec": spec.model_dump(mode="json", exclude={"title", "description"}),
        "base": None if base is None else base.model_dump(mode="json", exclude={"description"}),
        "network": _network(root).content_hash(),
    }
    digest.update(json.dumps(data, sort_keys=True, default=repr).encode("utf-8"))
    if demand is not None:
        digest.update(demand.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return digest.hexdigest()


def point_scenario(plan: Plan, values: dict[str, Scalar], name: str) -> Scenario:
    """Return the scenario of one point: the base, then the parameters' patches.

    Parameters
    ----------
    plan
        The prepared sweep.
    values
        The value of every parameter.
    name
        Name given to the scenario (and to the network it makes).

    Raises
    ------
    corridor.scenarios.ScenarioError
        If the patches are invalid with these values.
    """
    patches: Scenario = parse_point(plan.spec, values, name)
    if plan.base is None:
        return patches.model_copy(update={"base": plan.root})
    merged: Scenario = merge(plan.base, patches)
    return merged.model_copy(update={"name": name})


def _apply(plan: Plan, scenario: Scenario) -> Network:
    from corridor.scenarios import apply_scenario

    return apply_scenario(scenario, _network(plan.root))


def run_point(plan: Plan, values: dict[str, Scalar], name: str = "point") -> dict[str, Any]:
    """Run the sweep's job at one point and return its metrics (:data:`~corridor.sweeps.METRICS`).

    A pure function of the plan and the values: the same inputs give the same metrics,
    whichever process runs it.

    Parameters
    ----------
    plan
        The prepared sweep.
    values
        The value of every parameter.
    name
        Name of the point's scenario.

    Returns
    -------
    dict
        Metric name to value; floats are NaN and text is ``None`` where undefined.
    """
    from corridor.scenarios import scenario_year

    scenario = point_scenario(plan, values, name)
    network = _apply(plan, scenario)
    job = plan.spec.job
    year = job.spec.year if job.spec.year is not None else scenario_year(scenario)
    if job.assign is not None:
        from corridor.scenarios import apply_demand

        assert plan.demand is not None
        demand = apply_demand(scenario, plan.demand)
        return _assign_metrics(network, demand, year if year is not None else plan.demand_year, job)
    if job.route is not None:
        return _route_metrics(network, year, job)
    return _simulate_metrics(network, year, job)


def _assign_metrics(
    network: Network, demand: pd.DataFrame, year: int | None, job: Any
) -> dict[str, Any]:
    from corridor.assign.model import assign

    result = assign(network, demand, year=year, params=job.cost_params(), method="min_cost")
    totals = result.totals
    demand_units = float(demand["flow_per_year"].astype(float).sum())
    unmet = float(totals["unmet_units_per_year"])
    top = result.bottlenecks(1)
    first = top.iloc[0] if len(top) else None
    return {
        "solver_status": result.status,
        "year": year,
        "generalized_cost_usd_per_year": float(totals["generalized_cost_usd_per_year"]),
        "objective_usd_per_year": float(totals["objective_usd_per_year"]),
        "tonne_km_per_year": float(totals["tonne_km_per_year"]),
        "co2_kg_per_year": float(totals["co2_kg_per_year"]),
        "demand_units_per_year": demand_units,
        "unmet_units_per_year": unmet,
        "unmet_share": unmet / demand_units if demand_units > 0 else math.nan,
        "binding_capacities": int(result.resources["binding"].sum()),
        "top_bottleneck": None
        if first is None
        else f"{first['kind']} {first['item_id']} {first['unit']}",
        "top_bottleneck_shadow_price_usd_per_unit": math.nan
        if first is None
        else float(first["shadow_price_usd_per_unit"]),
        "top_bottleneck_utilisation": math.nan if first is None else float(first["utilisation"]),
        "network_hash": str(result.provenance["content_hash"]),
    }


def _route_metrics(network: Network, year: int | None, job: Any) -> dict[str, Any]:
    from corridor.routing.engine import route

    spec = job.route
    found = route(
        network,
        spec.origin,
        spec.destination,
        spec.commodity,
        objective=spec.objective,
        avoid=spec.avoid,
        via=spec.via,
        year=year,
        params=job.cost_params(),
    )
    t = found.totals
    return {
        "year": year,
        "corridor": found.corridor,
        "nodes": "|".join(found.nodes),
        "distance_km": t.distance_km,
        "time_h": t.time_h,
        "time_days": t.time_days,
        "cost_usd": t.cost_usd,
        "co2_kg": t.co2_kg,
        "risk_usd": t.risk_usd,
        "generalized_cost_usd": t.generalized_cost_usd,
        "network_hash": network.content_hash(),
    }


def _simulate_metrics(network: Network, year: int | None, job: Any) -> dict[str, Any]:
    from corridor.risk.simulate import reliable_routes

    spec = job.simulate
    results = reliable_routes(
        network,
        spec.origin,
        spec.destination,
        spec.commodity,
        k=spec.k,
        by=spec.by,
        n=spec.n,
        seed=spec.seed,
        deadline_h=spec.deadline_h,
        month=spec.month,
        avoid=spec.avoid,
        year=year,
        params=job.cost_params(),
    )
    best = results[0].to_dict()
    return {
        "year": year,
        "corridor": best["corridor"],
        "nodes": "|".join(best["nodes"]),
        "routes_simulated": len(results),
        "deterministic_time_h": best["deterministic_time_h"],
        "mean_time_h": best["mean_time_h"],
        "p50_time_h": best["p50_time_h"],
        "p90_time_h": best["p90_time_h"],
        "p95_time_h": best["p95_time_h"],
        "p_on_time": math.nan if best["p_on_time"] is None else best["p_on_time"],
        "mean_generalized_cost_usd": best["mean_generalized_cost_usd"],
        "p90_generalized_cost_usd": best["p90_generalized_cost_usd"],
        "network_hash": network.content_hash(),
    }


def evaluate(plan: Plan, index: int, key: str, values: dict[str, Scalar]) -> dict[str, Any]:
    """Run one point and return its record: the point, its values, and metrics or the error.

    A point that raises is recorded with ``status = "failed"``, the exception's type and
    message; it never stops the other points.

    Parameters
    ----------
    plan
        The prepared sweep.
    index, key
        The point's position in the design and its key.
    values
        The value of every parameter.
    """
    start = time.perf_counter()
    record: dict[str, Any] = {"point": index, "point_key": key, **values}
    try:
        metrics = run_point(plan, values, f"{plan.spec.name}-{index}")
    except Exception as exc:  # a failed point is reported, not raised
        message = str(exc).strip() or repr(exc)
        record.update(status="failed", error_type=type(exc).__name__, error=message)
    else:
        record.update(status="ok", **metrics)
    record["elapsed_s"] = time.perf_counter() - start
    return record
