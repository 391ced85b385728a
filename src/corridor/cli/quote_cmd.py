"""The ``corridor quote`` command: a shipment priced on its candidate routes."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from corridor.cli.options import (
    AvoidOpt,
    JsonOpt,
    MaxWarRisk,
    NetworkOpt,
    Sanctions,
    YearOpt,
    cost_params,
    err_console,
    split_list,
)
from corridor.datasets import DEFAULT_DATASET
from corridor.limits import MAX_K, MAX_SAMPLES, SEED_MAX

console = Console()


def quote_command(
    origin: Annotated[str, typer.Option("--from", help="Origin node (name, id or alias).")],
    destination: Annotated[str, typer.Option("--to", help="Destination node.")],
    quantity: Annotated[
        float,
        typer.Option("--quantity", "-q", help="How much moves together, in --unit.", min=0.0),
    ],
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="teu, feu or t (default: the cargo's own unit)."),
    ] = None,
    cargo_value: Annotated[
        float | None,
        typer.Option(
            "--cargo-value",
            help="Value of the whole shipment, USD (default: the cargo's typical value).",
            min=0.0,
        ),
    ] = None,
    cargo: Annotated[str, typer.Option("--cargo", "-c", help="Commodity.")] = "container",
    k: Annotated[
        int, typer.Option("--k", help="Candidate routes of each kind.", min=1, max=MAX_K)
    ] = 3,
    by: Annotated[
        str, typer.Option("--by", help="Rank by expected (generalized cost) or p90 (time).")
    ] = "expected",
    n: Annotated[
        int, typer.Option("--n", help="Samples per route.", min=1, max=MAX_SAMPLES)
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed.", min=0, max=SEED_MAX)] = 0,
    avoid: AvoidOpt = None,
    year: YearOpt = None,
    sanctions: Sanctions = "flag",
    max_war_risk: MaxWarRisk = None,
    network: NetworkOpt = DEFAULT_DATASET,
    json_out: JsonOpt = False,
) -> None:
    """Quote a shipment (e.g. 40 FEU worth 2.5 million USD): totals, P50/P90 days, sources."""
    from corridor import services

    if by not in ("expected", "p90"):
        raise typer.BadParameter(f"{by!r} is not one of expected, p90", param_hint="--by")
    params = cost_params(sanctions=sanctions, max_war_risk_pct=max_war_risk)
    with err_console.status(f"Simulating {n:,} samples per route…", spinner="dots"):
        quote = services.quote_shipment(
            network,
            origin,
            destination,
            cargo,
            quantity=quantity,
            unit=unit,
            cargo_value_usd=cargo_value,
            k=k,
            by=by,
            n=n,
            seed=seed,
            avoid=split_list(avoid),
            year=year,
            params=params,
        )
    if json_out:
        sys.stdout.write(json.dumps(quote.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    s = quote.shipment
    value = "given" if s.value_given else "the cargo's typical value"
    table = Table(
        title=f"{s.quantity:,.6g} {s.unit.upper() if s.unit != 't' else 't'} of {cargo} "
        f"({s.units:,.6g} {s.commodity_unit}, "
        f"{s.tonnes:,.0f} t), cargo value {s.cargo_value_usd:,.0f} USD ({value})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for column in ("#", "corridor", "P50 d", "P90 d", "money USD", "insurance USD", "t CO2e"):
        table.add_column(
            column,
            justify="left" if column == "corridor" else "right",
            min_width=30 if column == "corridor" else None,
        )
    table.add_column("sources", justify="right")
    for i, quoted in enumerate(quote.routes, start=1):
        totals = quoted.totals()
        route = quoted.reliability.route
        kinds = route.provenance.get("source_kinds", {})
        table.add_row(
            str(i),
            route.corridor_name,
            f"{totals['p50_time_days']:.1f}",
            f"{totals['p90_time_days']:.1f}",
            f"{totals['cost_usd']:,.0f}",
            f"{totals['expected_insurance_usd']:,.0f}",
            f"{totals['co2_t']:,.1f}",
            f"{sum(kinds.values())}",
        )
    console.print(table)
    if quote.routes:
        kinds = quote.routes[0].reliability.route.provenance.get("source_kinds", {})
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        console.print(
            "Totals for the whole shipment; days are its transit time (P50/P90 of "
            f"{quote.routes[0].reliability.n:,} samples). money = tariffs, handling and "
            "transfers; insurance = expected war-risk premium. Sources of route 1: "
            f"{listed}. --json lists every source and the assumptions.",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Add ``corridor quote`` to the CLI."""
    app.command("quote")(quote_command)
