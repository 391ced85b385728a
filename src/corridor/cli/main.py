"""Entry point of the ``corridor`` command."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from corridor import services
from corridor.cli import (
    assign_cmd,
    calibrate_cmd,
    compare_cmd,
    economics_cmd,
    quote_cmd,
    sweep_cmd,
    validate_cmd,
)
from corridor.cli.options import (
    AvoidOpt,
    JsonOpt,
    MaxWarRisk,
    Sanctions,
    YearOpt,
    cost_params,
    err_console,
    split_list,
)
from corridor.datasets import DEFAULT_DATASET, bundled_datasets
from corridor.errors import CorridorError, ValidationError
from corridor.limits import (
    MAX_CO2_PRICE_USD_PER_T,
    MAX_DEADLINE_H,
    MAX_K,
    MAX_PCT,
    MAX_SAMPLES,
    SEED_MAX,
)
from corridor.model.problems import ValidationReport
from corridor.web.serve import serve

if TYPE_CHECKING:
    from corridor.summary import NetworkSummary

app = typer.Typer(
    help="corridor: routes, risks and bottlenecks of the Kazakhstan–Türkiye corridor.",
    epilog="Terms (generalized cost, value of time, P90, shadow price, war-risk bases): "
    "docs/glossary.md.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(help="Inspect, check and convert network datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")
economics_cmd.register(app)  # corridor appraise, corridor outlook
app.command("serve")(serve)
compare_cmd.register(app)  # corridor compare
app.command("sweep")(sweep_cmd.sweep)  # corridor sweep SPEC --out DIR (parameter sweeps on Dask)
validate_cmd.register(app)  # corridor validate
quote_cmd.register(app)  # corridor quote
calibrate_cmd.register(app)  # corridor calibrate


def _add_scenario_app() -> None:
    from corridor.cli.scenario_cmd import scenario_app

    app.add_typer(scenario_app, name="scenario")


_add_scenario_app()

console = Console()

NetworkArg = Annotated[
    str,
    typer.Argument(help="A bundled dataset name (e.g. eurasia) or a network folder."),
]


CO2_PRICE = typer.Option(help="CO2 price, USD per tonne.", min=0.0, max=MAX_CO2_PRICE_USD_PER_T)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _print_report(report: ValidationReport) -> None:
    for problem in report.errors + report.warnings:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(problem.format(), style=style, markup=False, highlight=False, soft_wrap=True)
    verdict = "[green]OK[/green]" if report.ok else "[red]FAILED[/red]"
    console.print(
        f"{verdict} {report.source}: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )


@data_app.command("list")
def data_list(json_out: JsonOpt = False) -> None:
    """List the bundled datasets."""
    names = bundled_datasets()
    if json_out:
        _print_json({"datasets": names})
    else:
        for name in names:
            console.print(name)


@data_app.command("check")
def data_check(network: NetworkArg = DEFAULT_DATASET, json_out: JsonOpt = False) -> None:
    """Validate a network and report every problem (exit code 1 on errors)."""
    report = services.check_network(network)
    if json_out:
        _print_json(report.to_dict())
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _summary_tables(summary: NetworkSummary) -> list[Table]:
    overview = Table(title=f"Network {summary.name} {summary.version}".strip())
    overview.add_column("table")
    overview.add_column("rows", justify="right")
    for name, rows in summary.table_rows.items():
        overview.add_row(name, str(rows))

    modes = Table(title="Links by mode")
    modes.add_column("mode")
    modes.add_column("links", justify="right")
    modes.add_column("length (km)", justify="right")
    for mode, row in summary.links_by_mode.items():
        modes.add_row(mode, f"{row['links']:.0f}", f"{row['length_km']:,.0f}")

    status = Table(title="Links by status")
    status.add_column("status")
    status.add_column("links", justify="right")
    for name, count in summary.links_by_status.items():
        status.add_row(name, str(count))

    countries = Table(title="Nodes by country")
    countries.add_column("country")
    countries.add_column("nodes", justify="right")
    for name, count in summary.nodes_by_country.items():
        countries.add_row(name, str(count))

    provenance = Table(title="Figures by source kind")
    for col in ("family", "figures", "published", "computed", "estimate", "calibrated", "sourced"):
        provenance.add_column(col, justify="left" if col == "family" else "right")
    for p in [*summary.provenance, summary.core]:
        name = "distance+time+capacity+tariff" if p.family == "core" else p.family
        provenance.add_row(
            name,
            str(p.figures),
            str(p.published),
            str(p.computed),
            str(p.estimate),
            str(p.calibrated),
            f"{p.sourced_share:.0%}",
        )
    return [overview, modes, status, countries, provenance]


@data_app.command("summary")
def data_summary(network: NetworkArg = DEFAULT_DATASET, json_out: JsonOpt = False) -> None:
    """Print counts by mode, status and country, and how well figures are sourced."""
    summary, report = services.summarize_network(network)
    if json_out:
        _print_json({**summary.to_dict(), "warning_count": len(report.warnings)})
        return
    for table in _summary_tables(summary):
        console.print(table)
    console.print(
        f"content hash {summary.content_hash[:12]}; {len(report.warnings)} validation "
        "warning(s) (see `corridor data check`)"
    )


@data_app.command("export")
def data_export(
    out: Annotated[Path, typer.Argument(help="Output folder.")],
    network: Annotated[
        str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
    ] = DEFAULT_DATASET,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, parquet or geojson.")] = "csv",
    json_out: JsonOpt = False,
) -> None:
    """Write a network as CSV or Parquet tables, or as GeoJSON nodes and links."""
    if fmt not in ("csv", "parquet", "geojson"):
        raise typer.BadParameter(
            f"{fmt!r} is not one of csv, parquet, geojson", param_hint="--format"
        )
    files = services.export_network(network, out, fmt)  # type: ignore[arg-type]
    if json_out:
        _print_json({"files": [str(f) for f in files]})
    else:
        for f in files:
            console.print(str(f))


@app.command("route")
def route_command(
    origin: Annotated[str, typer.Option("--from", help="Origin node (name, id or alias).")],
    destination: Annotated[str, typer.Option("--to", help="Destination node.")],
    cargo: Annotated[
        str, typer.Option("--cargo", "-c", help="Commodity: container, grain, crude_oil, ...")
    ] = "container",
    by: Annotated[
        str,
        typer.Option("--by", help="Objective: generalized, cost (money), time, co2 or risk."),
    ] = "generalized",
    avoid: AvoidOpt = None,
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Nodes to pass, in order (Aktau).")
    ] = None,
    year: YearOpt = None,
    k: Annotated[
        int, typer.Option("--k", help="Number of alternative routes.", min=1, max=MAX_K)
    ] = 1,
    diverse: Annotated[
        bool, typer.Option("--diverse", help="Alternatives through different corridors only.")
    ] = False,
    pareto: Annotated[
        bool, typer.Option("--pareto", help="Pareto front over cost, time, CO2 and risk.")
    ] = False,
    sanctions: Sanctions = "flag",
    max_war_risk_pct: MaxWarRisk = None,
    sanctions_penalty_pct: Annotated[
        float,
        typer.Option(
            help="Penalty, % of cargo value, per sanctioned country entered.",
            min=0.0,
            max=MAX_PCT,
        ),
    ] = 0.0,
    vot: Annotated[
        float | None,
        typer.Option(
            "--vot",
            help="Value of time, % of cargo value per day (default: cargo's).",
            min=0.0,
            max=MAX_PCT,
        ),
    ] = None,
    co2_price: Annotated[float, CO2_PRICE] = 0.0,
    network: Annotated[
        str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
    ] = DEFAULT_DATASET,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", "-s", help="Scenario name or file (replaces --network)."),
    ] = None,
    json_out: JsonOpt = False,
    geojson: Annotated[
        bool, typer.Option("--geojson", help="Print the routes as GeoJSON.")
    ] = False,
) -> None:
    """Find the best route (or k alternatives, or the Pareto front) for a cargo."""
    from corridor.cli import render
    from corridor.routing.params import OBJECTIVES

    if by not in OBJECTIVES:
        raise typer.BadParameter(f"{by!r} is not one of {', '.join(OBJECTIVES)}", param_hint="--by")
    params = cost_params(
        value_of_time_pct_per_day=vot,
        co2_price_usd_per_t=co2_price,
        sanctions=sanctions,
        sanctions_penalty_pct=sanctions_penalty_pct,
        max_war_risk_pct=max_war_risk_pct,
    )
    source, year = _scenario_source(network, scenario, year)
    query: dict[str, Any] = {
        "avoid": split_list(avoid),
        "via": split_list(via),
        "year": year,
        "params": params,
    }
    if pareto:
        with err_console.status("Searching the Pareto front…", spinner="dots"):
            net, result = services.find_pareto(source, origin, destination, cargo, **query)
        routes = list(result.front)
        if json_out:
            _print_json(result.to_dict())
        elif not geojson:
            console.print(render.compare_table(routes, "Pareto front (cost, time, CO2, risk)"))
            for line in render.via_lines(routes):
                console.print(line, highlight=False)
            for line in render.pareto_lines(result):
                console.print(line, highlight=False)
    else:
        net, routes = services.find_routes(
            source,
            origin,
            destination,
            cargo,
            objective=by,
            k=k,
            diverse=diverse,
            **query,
        )
        if json_out:
            _print_json({"routes": [r.to_dict() for r in routes]})
        elif not geojson:
            if len(routes) > 1:
                console.print(render.compare_table(routes, f"{len(routes)} routes by {by}"))
                for line in render.via_lines(routes):
                    console.print(line, highlight=False)
                console.print()
            console.print(render.legs_table(routes[0]))
    if geojson:
        features = []
        for rank, found in enumerate(routes, start=1):
            for feature in found.to_geojson(net)["features"]:
                feature["properties"].update(route_rank=rank, corridor=found.corridor)
                features.append(feature)
        _print_json({"type": "FeatureCollection", "features": features})


def _scenario_source(
    network: str, scenario: str | None, year: int | None
) -> tuple[Any, int | None]:
    """Return what to route on (a scenario's network or the --network) and the year.

    A scenario's year applies unless ``--year`` is given.
    """
    if scenario is None:
        return network, year
    net, scenario_year = services.scenario_network_and_year(scenario)
    return net, year if year is not None else scenario_year


def _hours(text: str | None) -> float | None:
    """Parse a duration with its unit, ``20d`` or ``36h``; a bare number is refused."""
    if text is None:
        return None
    value = text.strip().lower()
    if value.endswith("h"):
        value, factor = value[:-1], 1.0
    elif value.endswith("d"):
        value, factor = value[:-1], 24.0
    else:
        raise typer.BadParameter(
            f"{text!r} has no unit: write days as {text.strip()}d or hours as {text.strip()}h",
            param_hint="--deadline",
        )
    try:
        hours = float(value) * factor
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a duration like 20d or 36h", param_hint="--deadline"
        ) from None
    if not math.isfinite(hours) or hours <= 0 or hours > MAX_DEADLINE_H:
        raise typer.BadParameter(
            f"the deadline must be more than 0 and at most {MAX_DEADLINE_H // 24} days",
            param_hint="--deadline",
        )
    return hours


@app.command("simulate")
def simulate_command(
    origin: Annotated[str, typer.Option("--from", help="Origin node (name, id or alias).")],
    destination: Annotated[str, typer.Option("--to", help="Destination node.")],
    cargo: Annotated[str, typer.Option("--cargo", "-c", help="Commodity.")] = "container",
    n: Annotated[
        int, typer.Option("--n", help="Samples per route.", min=1, max=MAX_SAMPLES)
    ] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed.", min=0, max=SEED_MAX)] = 0,
    k: Annotated[
        int, typer.Option("--k", help="Candidate routes of each kind.", min=1, max=MAX_K)
    ] = 5,
    by: Annotated[
        str, typer.Option("--by", help="Rank by p90 (time), expected (cost) or on_time.")
    ] = "p90",
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Deadline with its unit: 20d or 480h.")
    ] = None,
    month: Annotated[
        int | None,
        typer.Option("--month", help="Month of travel 1-12 (seasonal storms).", min=1, max=12),
    ] = None,
    avoid: AvoidOpt = None,
    year: YearOpt = None,
    sanctions: Sanctions = "flag",
    max_war_risk_pct: MaxWarRisk = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a PNG histogram of transit times.")
    ] = None,
    network: Annotated[
        str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
    ] = DEFAULT_DATASET,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", "-s", help="Scenario name or file (replaces --network)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Simulate transit times of the candidate routes: P50/P90/P95, deadline, disruptions."""
    from corridor.cli import render

    deadline_h = _hours(deadline)
    params = cost_params(sanctions=sanctions, max_war_risk_pct=max_war_risk_pct)
    source, year = _scenario_source(network, scenario, year)
    with err_console.status(f"Simulating {n:,} samples per route…", spinner="dots"):
        results = services.simulate_routes(
            source,
            origin,
            destination,
            cargo,
            k=k,
            by=by,
            n=n,
            seed=seed,
            deadline_h=deadline_h,
            month=month,
            avoid=split_list(avoid),
            year=year,
            params=params,
        )
    if plot is not None:
        render.histogram_png(results, plot)
    if json_out:
        _print_json({"routes": [r.to_dict() for r in results], "ranked_by": by})
        return
    console.print(render.reliability_table(results, by))
    for line in render.ascii_histograms(results):
        console.print(line, highlight=False, markup=False)
    if plot is not None:
        console.print(f"histogram written to {plot}")


assign_cmd.register(app)  # corridor assign (after route and simulate in the help)


def main() -> None:
    """Run the CLI, turning corridor's own errors into messages instead of tracebacks."""
    try:
        app()
    except ValidationError as exc:
        _print_report(exc.report)
        sys.exit(1)
    except OSError as exc:  # e.g. an output folder that cannot be written
        err_console.print(
            f"error: {exc.strerror or exc}: {exc.filename or ''}",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except CorridorError as exc:
        err_console.print(
            f"error: {exc}", style="red", markup=False, highlight=False, soft_wrap=True
        )
        sys.exit(2)
