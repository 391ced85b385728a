"""The ``corridor assign`` command (registered by cli/main.py): flows, shares, criticality."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from corridor import services
from corridor.cli.options import (
    JsonOpt,
    MaxWarRisk,
    NetworkOpt,
    Sanctions,
    cost_params,
    err_console,
)
from corridor.datasets import DEFAULT_DATASET
from corridor.limits import MAX_CO2_PRICE_USD_PER_T, MAX_TOP, YEAR_MAX, YEAR_MIN

console = Console()

_STAGES = {
    "build": "Building the choice sets and constraints",
    "solve": "Solving the equilibrium",
    "criticality": "Reassigning without each asset",
}


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def assign_command(
    demand: Annotated[
        str,
        typer.Option("--demand", "-d", help="Demand set name (see --list) or a demand CSV file."),
    ] = "",
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="Network year (default: the demand set's).", min=YEAR_MIN, max=YEAR_MAX
        ),
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="logit: how shippers split over diverse routes, with capacities and contracts "
            "(default); min_cost: least total generalized cost (the system optimum, an LP).",
        ),
    ] = "logit",
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            help="Bottlenecks to list (default 10); with --criticality, the most used assets "
            "to test (default: every capacity-bearing one).",
            min=1,
            max=MAX_TOP,
        ),
    ] = None,
    criticality: Annotated[
        bool,
        typer.Option(
            "--criticality",
            help="Close each capacity-bearing asset in turn, reassign, and rank the assets by "
            "the rise in unmet demand and generalized cost.",
        ),
    ] = False,
    outage_share: Annotated[
        float,
        typer.Option(
            "--outage-share",
            help="With --criticality: fraction of the year each asset is out (1 = all year).",
            min=0.001,
            max=1.0,
        ),
    ] = 1.0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="With --criticality: Dask worker processes for many assets.",
            min=1,
            max=64,
        ),
    ] = 2,
    co2_price: Annotated[
        float,
        typer.Option(help="CO2 price, USD per tonne.", min=0.0, max=MAX_CO2_PRICE_USD_PER_T),
    ] = 0.0,
    sanctions: Sanctions = "flag",
    max_war_risk_pct: MaxWarRisk = None,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", "-s", help="Bundled scenario name or scenario YAML file."),
    ] = None,
    list_sets: Annotated[
        bool, typer.Option("--list", help="List the network's demand sets and exit.")
    ] = False,
    network: NetworkOpt = DEFAULT_DATASET,
    json_out: JsonOpt = False,
    geojson: Annotated[
        bool, typer.Option("--geojson", help="Print link flows and utilisation as GeoJSON.")
    ] = False,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write the result tables as CSV to this folder.")
    ] = None,
) -> None:
    """Load annual demand onto the network: route shares, bottlenecks, shadow prices."""
    from rich.progress import BarColumn, Progress, TextColumn

    from corridor.cli import render
    from corridor.demand import describe_demand_sets

    if list_sets:
        sets = describe_demand_sets(network)
        if json_out:
            _print_json({"demand_sets": sets})
        else:
            for entry in sets:
                console.print(f"{entry['name']:<18} {entry['year']}  {entry['title']}")
        return
    if not demand:
        raise typer.BadParameter("name a demand set (see --list)", param_hint="--demand")
    if method not in ("logit", "min_cost"):
        raise typer.BadParameter("choose logit or min_cost", param_hint="--method")
    chosen: Literal["logit", "min_cost"] = "logit" if method == "logit" else "min_cost"
    params = cost_params(
        co2_price_usd_per_t=co2_price, sanctions=sanctions, max_war_risk_pct=max_war_risk_pct
    )
    with Progress(
        TextColumn("{task.description}"), BarColumn(), console=err_console, transient=True
    ) as bar:
        task = bar.add_task(_STAGES["build"], total=None)

        def progress(stage: str, done: int, total: int) -> None:
            label = _STAGES.get(stage, stage)
            if chosen == "min_cost":
                label = {"build": "Building the LP", "solve": "Solving with HiGHS"}.get(
                    stage, label
                )
            bar.update(task, description=label, completed=done, total=total)

        if criticality:
            _, table, ranked = services.rank_criticality(
                network, demand, year=year, top=top, method=chosen, params=params,
                scenario=scenario, outage_share=outage_share, workers=workers,
                progress=progress,
            )  # fmt: skip
        else:
            net, table, result = services.run_assignment(
                network, demand, year=year, params=params, scenario=scenario, progress=progress,
                method=chosen,
            )  # fmt: skip
    if criticality:
        if json_out:
            _print_json({"demand": table.name, "scenario": scenario, **ranked.to_dict()})
            return
        console.print(render.criticality_table(ranked, table))
        return
    if csv_dir is not None:
        written = result.write_csv(csv_dir)
        err_console.print(f"wrote {len(written)} tables to {csv_dir}")
    bottlenecks = top if top is not None else 10
    if json_out:
        _print_json(
            {
                "demand": table.name,
                "scenario": scenario,
                "year": result.provenance["year"],
                **result.to_dict(bottlenecks),
            }
        )
        return
    if geojson:
        _print_json(result.to_geojson(net))
        return
    console.print(render.assignment_summary(result, table))
    console.print(render.bottlenecks_table(result, bottlenecks))
    console.print(render.route_shares_table(result))
    if not result.contracts.empty:
        console.print(render.contracts_table(result))


def register(app: typer.Typer) -> None:
    """Add ``corridor assign`` to the CLI."""
    app.command("assign")(assign_command)
