"""The ``corridor validate`` command (registered by cli/main.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from corridor.cli.options import err_console
from corridor.datasets import DEFAULT_DATASET
from corridor.errors import CorridorError

console = Console()


def validate_command(
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only this kind: transit_time, price, volume, ..."),
    ] = None,
    network: Annotated[
        str, typer.Option("--network", "-n", help="Bundled dataset name or network folder.")
    ] = DEFAULT_DATASET,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print only the JSON document on stdout.")
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")
    ] = None,
) -> None:
    """Run every published observation through the model and report the share in band."""
    from corridor.validation import run_validation
    from corridor.validation.html import validation_html

    start = time.monotonic()

    def progress(message: str) -> None:
        if time.monotonic() - start > 2.0:
            err_console.print(f"[dim]{message}[/dim]")

    try:
        result = run_validation(network, kind=kind, progress=progress)
    except (CorridorError, ValueError) as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    if html is not None:
        html.write_text(validation_html(result), encoding="utf-8")
        if not as_json:
            err_console.print(f"wrote {html}")
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n")
        return
    table = Table(title=f"Validation of {result.network}", title_justify="left")
    for column in ("kind", "count", "modelled", "in band", "share in band", "median ratio"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for s in result.summaries:
        table.add_row(
            s.kind,
            str(s.count),
            str(s.modelled),
            str(s.in_band),
            f"{s.share_in_band:.0%}",
            "-" if s.median_ratio is None else f"{s.median_ratio:.2f}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``corridor validate`` to the CLI."""
    app.command("validate")(validate_command)
