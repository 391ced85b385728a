"""The ``corridor compare`` command (registered by cli/main.py).

Differences are other minus base; better values print green with their sign, worse red, so the
sign carries the meaning without colour too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from corridor import services
from corridor.cli.options import JsonOpt, MaxWarRisk, Sanctions, cost_params, err_console
from corridor.compare.core import verdict
from corridor.limits import YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from corridor.compare import AssignmentComparison, Comparison

console = Console()

_STYLE = {"better": "green", "worse": "red", "same": "dim"}


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _diff(metric: str, base: float | None, other: float | None, digits: int = 0) -> str:
    """Signed difference and % change as rich markup, coloured by better/worse."""
    if base is None or other is None:
        return "-"
    delta = other - base
    pct = f" ({delta / abs(base) * 100:+.0f}%)" if base else ""
    text = f"{delta:+,.{digits}f}{pct}" if round(delta, digits) else f"±{0:.{digits}f}"
    style = _STYLE.get(verdict(metric, base, other))
    return f"[{style}]{text}[/{style}]" if style else text


_OD_COLUMNS = (
    ("time_days", "days", 1),
    ("cost_usd_per_unit", "USD", 0),
    ("co2_kg_per_unit", "kg CO2e", 0),
    ("generalized_cost_usd_per_unit", "gen. USD", 0),
)


def od_table(comparison: Comparison) -> Table:
    """Return the key-route table: per OD a base row, an other row and a difference row."""
    table = Table(
        title=f"Key routes: {comparison.base.name} vs {comparison.other.name}",
        title_justify="left",
        caption="Per unit (TEU or t), best route by generalized cost. Difference = other - base;"
        " green better, red worse.",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("OD / cargo", min_width=16, max_width=24)
    table.add_column("", no_wrap=True)
    table.add_column("corridor", max_width=44, overflow="ellipsis", no_wrap=True)
    for _, title, _ in _OD_COLUMNS:
        table.add_column(title, justify="right", no_wrap=True)
    for i, od in enumerate(comparison.ods):
        d = od.to_dict()
        a, b = d["base"], d["other"]
        if i:
            table.add_section()
        table.add_row(
            f"{od.od.origin} -> {od.od.destination}",
            "base",
            a.get("corridor_name", "no route"),
            *(_num(a.get(key), digits) for key, _, digits in _OD_COLUMNS),
        )
        table.add_row(
            od.od.commodity,
            "other",
            b.get("corridor_name", "no route"),
            *(_num(b.get(key), digits) for key, _, digits in _OD_COLUMNS),
        )
        table.add_row(
            "",
            "diff",
            f"[bold]{od.change}[/bold]",
            *(_diff(key, a.get(key), b.get(key), digits) for key, _, digits in _OD_COLUMNS),
        )
    return table


def totals_table(flows: AssignmentComparison) -> Table:
    """Return the assignment totals on both sides with differences."""
    table = Table(title=f"Assignment of {flows.demand}", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("total", "base", "other", "difference"):
        table.add_column(column, justify="left" if column == "total" else "right")
    scale = {
        "generalized_cost_usd_per_year": ("generalized cost (M USD/yr)", 1e6, 1),
        "tonne_km_per_year": ("tonne-km (bn/yr)", 1e9, 2),
        "co2_kg_per_year": ("CO2e (kt/yr)", 1e6, 1),
        "unmet_t_per_year": ("unmet (t/yr)", 1.0, 0),
    }
    for row in flows.totals():
        title, factor, digits = scale[row["metric"]]
        a, b = row["base"] / factor, row["other"] / factor
        table.add_row(title, _num(a, digits), _num(b, digits), _diff(row["metric"], a, b, digits))
    return table


def bottlenecks_table(flows: AssignmentComparison, top: int) -> Table:
    """Return the capacities binding on either side with both shadow prices."""
    table = Table(
        title="Bottlenecks: shadow price, USD per extra unit of capacity a year",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("capacity (unit)", max_width=30)
    table.add_column("status")
    table.add_column("utilisation", justify="right", no_wrap=True)
    for column in ("price base", "other", "diff"):
        table.add_column(column, justify="right", no_wrap=True)
    key = "shadow_price_usd_per_unit"
    for r in flows.bottlenecks().head(top).to_dict("records"):
        a, b = float(r[f"{key}_base"]), float(r[f"{key}_other"])
        table.add_row(
            f"{r['kind']} {r['item_id']} ({r['unit']})",
            str(r["status"]),
            f"{_share(r['utilisation_base'])} -> {_share(r['utilisation_other'])}",
            _num(a, 2),
            _num(b, 2),
            _diff(key, a, b, 2),
        )
    return table


def _share(value: Any) -> str:
    return "-" if value is None or value != value else f"{float(value):.0%}"


def links_table(flows: AssignmentComparison, top: int) -> Table:
    """Return the links whose flow changed most."""
    frame = flows.link_flows()
    table = Table(
        title=f"Link-flow changes ({len(frame)} links; largest {min(top, len(frame))})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in ("link", "base Mt/yr", "other Mt/yr", "diff Mt/yr"):
        table.add_column(column, justify="left" if column == "link" else "right")
    for r in frame.head(top).to_dict("records"):
        table.add_row(
            str(r["link_id"]),
            f"{r['flow_t_per_year_base'] / 1e6:,.3f}",
            f"{r['flow_t_per_year_other'] / 1e6:,.3f}",
            f"{r['flow_difference_t_per_year'] / 1e6:+,.3f}",
        )
    return table


def compare_command(
    base: Annotated[
        str, typer.Argument(help="Base: a dataset (eurasia), a scenario name or a scenario file.")
    ],
    other: Annotated[str, typer.Argument(help="Other: a dataset, a scenario name or file.")],
    demand: Annotated[
        str | None,
        typer.Option("--demand", "-d", help="Demand set (e.g. middle-2030) to assign on both."),
    ] = None,
    od: Annotated[
        list[str] | None,
        typer.Option("--od", help="FROM:TO[:CARGO] pair to compare (repeatable).", metavar="OD"),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Network year on both sides (default: each side's own).",
            min=YEAR_MIN,
            max=YEAR_MAX,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows of bottlenecks and links.", min=1)] = 10,
    sanctions: Sanctions = "flag",
    max_war_risk_pct: MaxWarRisk = None,
    json_out: JsonOpt = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")
    ] = None,
) -> None:
    """Compare two networks or scenarios: key routes and, with --demand, flows and bottlenecks."""
    params = cost_params(sanctions=sanctions, max_war_risk_pct=max_war_risk_pct)
    with err_console.status("Comparing...") as status:

        def progress(stage: str, done: int, total: int) -> None:
            status.update(f"{'Routing' if stage == 'routes' else 'Assigning'} {done}/{total}")

        comparison = services.compare_networks(
            base, other, demand=demand, ods=od or None, year=year, params=params,
            progress=progress,
        )  # fmt: skip
    if html is not None:
        from corridor.report.compare import write_report

        write_report(comparison, html)
        err_console.print(f"report written to {html}", highlight=False)
    if json_out:
        sys.stdout.write(json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    console.print(od_table(comparison))
    for item in comparison.ods:
        for who, why in (("base", item.base_reason), ("other", item.other_reason)):
            if why:
                console.print(f"{item.od.label} ({who}): {why}", markup=False, highlight=False)
    flows = comparison.assignment
    if flows is not None:
        console.print(totals_table(flows))
        console.print(bottlenecks_table(flows, top))
        console.print(links_table(flows, top))


def register(app: typer.Typer) -> None:
    """Add ``corridor compare`` to the CLI."""
    app.command("compare")(compare_command)
