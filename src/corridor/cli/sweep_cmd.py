"""The ``corridor sweep`` command: run a grid or Monte Carlo sweep of scenarios on Dask."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from corridor.cli.options import err_console

console = Console()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1e5:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:,.1f}"
    return f"{value:.4g}"


def _print_problems(name: str, exc: Any, json_out: bool) -> None:
    if json_out:
        _print_json({"ok": False, "problems": [p.to_dict() for p in exc.problems]})
        return
    for problem in exc.problems:
        err_console.print(problem.format(), style="red", markup=False, highlight=False,
                          soft_wrap=True)  # fmt: skip
    err_console.print(f"[red]FAILED[/red] {name}: {len(exc.problems)} problem(s)")


def sweep(
    spec: Annotated[str, typer.Argument(help="A sweep YAML file or a bundled sweep name.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (parts, points.parquet, summary)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Processes of the local Dask cluster.", min=1)
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT)."),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Discard results already in --out; do not resume.")
    ] = False,
    chunk: Annotated[
        int | None, typer.Option("--chunk", help="Points per task (default: up to 10).", min=1)
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only check the spec and count its points.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Run a sweep: every point of a grid or Monte Carlo sample of scenarios, on Dask.

    Finished points in --out are not run again; failed points are listed and rerun next time.
    Exit code 1 if a point failed or the spec is invalid.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from corridor.sweeps import SweepError, design_points, load_sweep, prepare, run_sweep

    try:
        parsed = load_sweep(spec)
        if check:
            plan = prepare(parsed)
            n = len(design_points(parsed))
            if json_out:
                _print_json({"ok": True, "problems": [], "points_total": n,
                             "spec_hash": plan.spec_hash})  # fmt: skip
            else:
                console.print(
                    f"[green]OK[/green] {parsed.name}: {n:,} points, job {parsed.job.kind}"
                )
            return
        if out is None:
            raise typer.BadParameter("name the output folder", param_hint="--out")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"Checking {parsed.name}", total=None)
            plan = prepare(parsed)
            bar.update(task, description="Starting Dask")

            def progress(done: int, total: int) -> None:
                bar.update(task, description=f"Sweep {parsed.name}", completed=done, total=total)

            result = run_sweep(
                plan,
                out,
                workers=workers,
                scheduler=scheduler,
                fresh=fresh,
                chunk_size=chunk,
                progress=progress,
            )
    except SweepError as exc:
        _print_problems(spec, exc, json_out)
        raise typer.Exit(1) from None
    summary = result.summary
    if json_out:
        _print_json(summary.to_dict())
    else:
        _print_summary(summary)
    if summary.points_failed:
        raise typer.Exit(1)


def _print_summary(summary: Any) -> None:
    console.print(
        f"[bold]{summary.name}[/bold] ({summary.job}): {summary.points_ok:,} of "
        f"{summary.points_total:,} points finished, {summary.points_failed:,} failed; "
        f"{summary.points_computed:,} run now, {summary.points_skipped:,} already done",
        highlight=False,
    )
    if summary.points_computed:
        console.print(
            f"{summary.workers} worker(s): {summary.points_per_s:.2f} points/s over "
            f"{summary.compute_s:.1f} s (cluster start {summary.startup_s:.1f} s)",
            highlight=False,
        )
    table = Table(title="Metrics over the finished points")
    for column in ("metric", "mean", "min", "p10", "p50", "p90", "max"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for row in summary.metrics.to_dict("records"):
        table.add_row(row["metric"], *(_number(row[c]) for c in ("mean", "min", "p10", "p50",
                                                                 "p90", "max")))  # fmt: skip
    console.print(table)
    if len(summary.categories):
        counts = Table(title="Values of text metrics")
        for column in ("metric", "value", "points"):
            counts.add_column(column, justify="right" if column == "points" else "left")
        for row in summary.categories.to_dict("records"):
            counts.add_row(row["metric"], row["value"], f"{row['points']:,}")
        console.print(counts)
    if len(summary.failures):
        failed = Table(title="Failed points (rerun to retry them)")
        for column in ("point", "error_type", "error"):
            failed.add_column(column)
        for row in summary.failures.head(20).to_dict("records"):
            failed.add_row(str(row["point"]), row["error_type"], str(row["error"])[:200])
        console.print(failed)
    out = Path(summary.out_dir)
    console.print(f"results: {out / 'points.parquet'}, {out / 'failures.parquet'}",
                  highlight=False)  # fmt: skip
