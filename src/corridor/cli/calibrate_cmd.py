"""The ``corridor calibrate`` command (registered by cli/main.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor.cli.options import err_console
from corridor.datasets import DEFAULT_DATASET
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.calibration.run import CalibrationResult

console = Console()


def _scores_table(result: CalibrationResult) -> Table:
    table = Table(title="Share in band (routes held fixed)", title_justify="left")
    for column in ("kind", "count", "before", "in sample", f"{result.cv.folds}-fold out"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for before, after, cv in zip(result.before, result.after, result.cv.scores, strict=True):
        table.add_row(
            before.kind,
            str(before.count),
            f"{before.in_band}/{before.count}",
            f"{after.in_band}/{after.count}",
            f"{cv.in_band}/{cv.count}",
        )
    return table


def _groups_table(result: CalibrationResult) -> Table:
    table = Table(title="Groups (factors on the bundled figures)", title_justify="left")
    for column in ("group", "obs", "prior", "range", "fitted", "95 % interval", "status"):
        table.add_column(column, justify="left" if column in ("group", "status") else "right")
    for g in result.fitted.groups:
        if not g.identifiable:
            status = "not identifiable (stays at prior)"
        elif g.collinear_with:
            status = "collinear with " + ", ".join(g.collinear_with)
        elif g.at_bound:
            status = "at a bound: not adopted"
        elif g.weak:
            status = "weakly identified: not adopted"
        else:
            status = "adopted"
        table.add_row(
            g.group.group_id,
            str(g.observations),
            f"{g.group.prior:g}",
            f"{g.group.low:g}-{g.group.high:g}",
            f"{g.value:.3f}",
            f"{g.low_95:.3f}-{g.high_95:.3f}",
            status,
        )
    return table


def _residuals_table(result: CalibrationResult) -> Table:
    table = Table(title="ln(modelled/observed) per observation", title_justify="left")
    for column in ("observation", "kind", "before", "after", "out of sample"):
        table.add_column(column, justify="left" if column in ("observation", "kind") else "right")
    for row in result.to_dict()["residuals"]:
        table.add_row(
            row["observation_id"],
            row["kind"],
            f"{row['ln_ratio_before']:+.2f}",
            f"{row['ln_ratio_after']:+.2f}",
            f"{row['ln_ratio_out_of_sample']:+.2f}",
        )
    return table


def calibrate_command(
    groups: Annotated[
        str | None,
        typer.Option("--groups", help="Only these groups, comma-separated (default: all)."),
    ] = None,
    groups_file: Annotated[
        Path | None, typer.Option("--groups-file", help="A groups YAML file of your own.")
    ] = None,
    folds: Annotated[
        int, typer.Option("--folds", min=2, max=50, help="Folds of the cross-validation.")
    ] = 5,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the calibrated scenario (YAML) here."),
    ] = None,
    network: Annotated[
        str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
    ] = DEFAULT_DATASET,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print only the JSON document on stdout.")
    ] = False,
) -> None:
    """Fit parameter groups to the observations, with intervals and cross-validation."""
    from corridor.calibration import calibrate, load_groups
    from corridor.calibration.scenario import calibrated_scenario, scenario_yaml
    from corridor.services import valid_network

    names = [g.strip() for g in groups.split(",") if g.strip()] if groups else None
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    try:
        chosen = load_groups(groups_file, names)
        net = valid_network(network)
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("calibrating", total=1.0)

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done / max(total, 1))

            result = calibrate(
                chosen, name_or_path=network, network=net, folds=folds, progress=progress
            )
    except (CorridorError, ValueError) as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    document = result.to_dict()
    if out is not None:
        scenario = calibrated_scenario(result, net, network)
        out.write_text(scenario_yaml(scenario), encoding="utf-8")
        document["scenario_file"] = str(out)
        document["scenario_patches"] = len(scenario["patches"])
        if not as_json:
            err_console.print(f"wrote {out} ({len(scenario['patches'])} patches)")
    if as_json:
        sys.stdout.write(json.dumps(document, indent=2, allow_nan=False) + "\n")
        return
    console.print(_groups_table(result))
    console.print(_scores_table(result))
    console.print(_residuals_table(result))
    console.print(
        f"{len(result.design.rows)} observations used ({len(result.skipped)} not: flows and "
        f"rows the model cannot answer); {result.seconds:.1f} s; "
        f"{result.evaluations_per_second:,.0f} observations re-costed per second."
    )


def register(app: typer.Typer) -> None:
    """Add ``corridor calibrate`` to the CLI."""
    app.command("calibrate")(calibrate_command)
