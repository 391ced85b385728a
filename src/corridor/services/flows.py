"""Flow questions beyond one assignment: which assets are critical (``assign --criticality``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from corridor.assign.criticality import Criticality
    from corridor.demand import Demand
    from corridor.model.network import Network
    from corridor.routing.params import CostParams

#: Above this many assets the reassignments run on a local Dask cluster.
DASK_FROM = 20


def rank_criticality(
    name_or_path: str | os.PathLike[str],
    demand: str | os.PathLike[str],
    *,
    year: int | None = None,
    top: int | None = None,
    method: Literal["logit", "min_cost"] = "logit",
    params: CostParams | None = None,
    scenario: str | os.PathLike[str] | None = None,
    outage_share: float = 1.0,
    workers: int = 2,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Network, Demand, Criticality]:
    """Close each capacity-bearing asset in turn, reassign and rank by the damage.

    Parameters
    ----------
    name_or_path, demand, year, params, scenario
        As for :func:`corridor.services.run_assignment`.
    top
        Test the ``top`` most used assets (all capacity-bearing ones when None).
    method
        Assignment method of every run.
    outage_share
        Fraction of the year each asset is out (1: the whole year).
    workers
        Local Dask worker processes, used when more than :data:`DASK_FROM` assets are tested
        (1: always one after another).
    progress
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    tuple of Network, Demand and Criticality
        The network used, the demand and the ranking.
    """
    from corridor.assign.criticality import criticality
    from corridor.datasets import valid_network
    from corridor.demand import read_demand

    used = valid_network(name_or_path)
    scenario_year: int | None = None
    if scenario is not None:
        from corridor.scenarios import apply_demand, apply_scenario, load_scenario
        from corridor.scenarios import scenario_year as year_of

        spec = load_scenario(scenario)
        used = apply_scenario(spec, used)
        scenario_year = year_of(spec)
    table = read_demand(demand, used, network_name=name_or_path)
    frame = table.table if scenario is None else apply_demand(spec, table.table)
    if year is None:
        year = scenario_year if scenario_year is not None else table.year
    options: dict[str, Any] = {"year": year, "method": method, "params": params}

    def mapper(
        task: Callable[[tuple[str, str]], dict[str, Any]], assets: list[tuple[str, str]]
    ) -> Iterable[dict[str, Any]]:
        if workers <= 1 or len(assets) <= DASK_FROM:
            return map(task, assets)
        return _on_dask(task, assets, workers)

    result = criticality(
        used, frame, top=top, outage_share=outage_share, mapper=mapper, progress=progress,
        **options,
    )  # fmt: skip
    return used, table, result


def _on_dask(
    task: Callable[[tuple[str, str]], dict[str, Any]], assets: list[tuple[str, str]], workers: int
) -> Iterable[dict[str, Any]]:
    from distributed import as_completed

    from corridor.sweeps.run import connect

    with connect(workers) as client:
        futures = client.map(task, assets, pure=False)
        done = []
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            done.append(future.result())
        order = {asset: i for i, asset in enumerate(assets)}
        done.sort(key=lambda r: order[(r["kind"], r["item_id"])])
    yield from done
