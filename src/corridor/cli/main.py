"""Entry point of the ``corridor`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from corridor import services
from corridor.datasets import DEFAULT_DATASET, bundled_datasets
from corridor.errors import CorridorError, ValidationError
from corridor.model.problems import ValidationReport
from corridor.summary import NetworkSummary

app = typer.Typer(
    help="corridor: routes, risks and bottlenecks of the Kazakhstan–Türkiye corridor.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(help="Inspect, check and convert network datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")

console = Console()
err_console = Console(stderr=True)

NetworkArg = Annotated[
    str,
    typer.Argument(help="A bundled dataset name (e.g. eurasia) or a network folder."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


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
    for col in ("family", "figures", "published", "computed", "estimate", "sourced"):
        provenance.add_column(col, justify="left" if col == "family" else "right")
    for p in [*summary.provenance, summary.core]:
        name = "distance+time+capacity+tariff" if p.family == "core" else p.family
        provenance.add_row(
            name,
            str(p.figures),
            str(p.published),
            str(p.computed),
            str(p.estimate),
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
