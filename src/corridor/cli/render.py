"""Rich tables for route results (the CLI's presentation; no computation here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

if TYPE_CHECKING:
    from pathlib import Path

    from corridor.assign.criticality import Criticality
    from corridor.assign.model import Assignment
    from corridor.demand import Demand
    from corridor.risk.simulate import Reliability
    from corridor.routing.engine import ParetoResult
    from corridor.routing.result import Route


def short(name: str) -> str:
    """Drop a parenthetical from a display name: ``Port of Baku (Alat)`` -> ``Port of Baku``."""
    return name.split(" (")[0].strip() or name


def _days(hours: float) -> str:
    return f"{hours / 24:.1f}"


def legs_table(route: Route) -> Table:
    """Return the leg table of one route, with a totals row."""
    unit = route.unit.upper() if route.unit == "teu" else route.unit
    t = route.totals
    first = route.legs[0].from_name if route.legs else route.origin
    last = route.legs[-1].to_name if route.legs else route.destination
    table = Table(
        title=f"{route.corridor_name}: {short(first)} -> {short(last)}, {_days(t.time_h)} days, "
        f"{t.cost_usd:,.0f} USD/{unit}, {t.co2_kg:,.0f} kg CO2e/{unit}",
        title_justify="left",
        caption=f"Figures per {unit}. Sanctioned countries on route: "
        f"{', '.join(route.sanctioned_countries) or 'none'}. "
        f"{len(route.sources)} sources (--json lists them).",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for column in ("to", "mode", "km", "hours", "USD", "kg CO2e", "risk USD"):
        table.add_column(
            column,
            justify="left" if column in ("to", "mode") else "right",
            no_wrap=True,
            min_width=16 if column == "to" else None,
            max_width=18 if column == "mode" else None,
            overflow="ellipsis",
        )
    for leg in route.legs:
        table.add_row(
            short(leg.to_name) if leg.kind == "link" else f"({short(leg.to_name)})",
            leg.mode.replace(">", "->") if leg.kind == "transfer" else leg.mode,
            f"{leg.distance_km:,.0f}" if leg.kind == "link" else "",
            f"{leg.time_h:,.1f}",
            f"{leg.cost_usd:,.0f}",
            f"{leg.co2_kg:,.0f}",
            f"{leg.risk_usd:,.0f}" if leg.risk_usd else "",
        )
    table.add_section()
    table.add_row(
        "total",
        "",
        f"{t.distance_km:,.0f}",
        f"{t.time_h:,.1f}",
        f"{t.cost_usd:,.0f}",
        f"{t.co2_kg:,.0f}",
        f"{t.risk_usd:,.0f}",
        style="bold",
    )
    return table


def compare_table(routes: list[Route], title: str) -> Table:
    """Return a table with one row per route: corridor, days, money, CO2, risk."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("#", "corridor", "days", "USD", "kg CO2e", "risk USD", "gen. USD", "sanct."):
        table.add_column(
            column,
            justify="left" if column in ("corridor", "sanct.") else "right",
            no_wrap=column != "corridor",
            min_width=30 if column == "corridor" else None,
        )
    for i, route in enumerate(routes, start=1):
        t = route.totals
        table.add_row(
            str(i),
            route.corridor_name,
            _days(t.time_h),
            f"{t.cost_usd:,.0f}",
            f"{t.co2_kg:,.0f}",
            f"{t.risk_usd + t.sanctions_penalty_usd:,.0f}",
            f"{t.generalized_cost_usd:,.0f}",
            ",".join(route.sanctioned_countries),
        )
    return table


def via_lines(routes: list[Route]) -> list[str]:
    """Return one line per route listing the nodes it passes."""
    lines = []
    for i, route in enumerate(routes, start=1):
        inner = route.nodes[1:-1]
        shown = inner if len(inner) <= 10 else [*inner[:3], "...", *inner[-6:]]
        lines.append(f"{i}: via {' '.join(shown)}")
    return lines


def pareto_lines(result: ParetoResult) -> list[str]:
    """Return sentences explaining which front route dominates each corridor off the front."""
    lines = []
    for loser, winner in result.dominated:
        lt, wt = loser.totals, winner.totals
        lines.append(
            f"{loser.corridor_name} ({_days(lt.time_h)} d, {lt.cost_usd:,.0f} USD) is dominated by "
            f"the {winner.corridor_name} route ({_days(wt.time_h)} d, {wt.cost_usd:,.0f} USD): "
            "no worse on cost, time, CO2 and risk, better on at least one."
        )
    return lines


def reliability_table(results: list[Reliability], by: str) -> Table:
    """Return a table of simulated transit times, one row per route, best first."""
    first = results[0] if results else None
    deadline = first.deadline_h if first else None
    title = f"{len(results)} routes ranked by {by}"
    if first:
        title += f" ({first.n:,} samples each, seed {first.seed})"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    columns = ["#", "corridor", "plan d", "P50 d", "P90 d", "P95 d", "mean gen. USD"]
    if deadline is not None:
        columns.append(f"P(<= {deadline / 24:g} d)")
    columns.append("disruptions")
    for column in columns:
        table.add_column(
            column,
            justify="left" if column in ("corridor", "disruptions") else "right",
            min_width=30 if column == "corridor" else None,
        )
    for i, r in enumerate(results, start=1):
        data = r.to_dict()
        row = [
            str(i),
            r.route.corridor_name,
            _days(r.route.totals.time_h),
            f"{data['p50_time_days']:.1f}",
            f"{data['p90_time_days']:.1f}",
            f"{data['p95_time_h'] / 24:.1f}",
            f"{data['mean_generalized_cost_usd']:,.0f}",
        ]
        if deadline is not None:
            row.append(f"{data['p_on_time']:.0%}")
        row.append(", ".join(f"{h['name']} {h['hit_share']:.0%}" for h in data["disruptions"]))
        table.add_row(*row)
    return table


_BARS = " .:-=+*#%@"


def ascii_histograms(results: list[Reliability], bins: int = 40) -> list[str]:
    """Return one text histogram line per route over common bins (days)."""
    import numpy as np

    if not results:
        return []
    low = min(float(np.quantile(r.time_h, 0.001)) for r in results)
    high = max(float(np.quantile(r.time_h, 0.999)) for r in results)
    if high <= low:
        high = low + 1.0
    edges = np.linspace(low, high, bins + 1)
    lines = [f"transit time histogram, {low / 24:.1f} to {high / 24:.1f} days:"]
    for i, r in enumerate(results, start=1):
        counts, _ = np.histogram(np.clip(r.time_h, low, high), edges)
        peak = counts.max() or 1
        bar = "".join(_BARS[round(c / peak * (len(_BARS) - 1))] for c in counts)
        lines.append(f"{i:>2} |{bar}|")
    return lines


def histogram_png(results: list[Reliability], path: Path) -> None:
    """Write overlaid histograms of the routes' transit times (days) to a PNG file."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from corridor.errors import CorridorError

        raise CorridorError(
            "--plot needs matplotlib: pip install 'corridor[plot]' (or pip install matplotlib)"
        ) from None
    figure, axes = plt.subplots(figsize=(8, 4.5))
    for i, r in enumerate(results, start=1):
        axes.hist(r.time_h / 24, bins=80, histtype="step", label=f"{i}: {r.route.corridor_name}")
    axes.set_xlabel("transit time (days)")
    axes.set_ylabel("samples")
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _big(value: float) -> str:
    """Format a large yearly quantity: 3.5 bn, 12.4 M, 56.5 k."""
    for size, suffix in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return f"{value:,.0f}"


def assignment_summary(result: Assignment, demand: Demand) -> Table:
    """Return the cost summary of an assignment."""
    t = result.totals
    table = Table(title=f"Assignment of {demand.name}: {demand.title}", box=box.SIMPLE)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for commodity, flow in zip(
        demand.totals()["commodity"], demand.totals()["flow_per_year"], strict=True
    ):
        table.add_row(f"demand {commodity} per year", _big(float(flow)))
    table.add_row("generalized cost, USD/yr", _big(t["generalized_cost_usd_per_year"]))
    table.add_row("tonne-km per year", _big(t["tonne_km_per_year"]))
    table.add_row("CO2e, t/yr", _big(t["co2_kg_per_year"] / 1000.0))
    table.add_row("unmet demand, units/yr", _big(t["unmet_units_per_year"]))
    p = result.provenance
    if result.method == "logit":
        c = result.convergence
        table.add_row("method", f"logit (dispersion {c['dispersion']:g}, path-size, classes)")
        table.add_row("relative gap (target)", f"{c['relative_gap']:.1e} ({c['tolerance']:.0e})")
        table.add_row("iterations", str(c["iterations"]))
    else:
        table.add_row("method", "min_cost (system optimum)")
        table.add_row("solver", f"{p['solver']} {p['status']}")
    table.add_row("build / solve, s", f"{p['build_s']:.2f} / {p['solve_s']:.2f}")
    return table


def bottlenecks_table(result: Assignment, top: int) -> Table:
    """Return the binding capacities, most valuable to expand first."""
    table = Table(title="Bottlenecks (binding capacities)", box=box.SIMPLE)
    for name, justify in (
        ("capacity of", "left"),
        ("unit", "left"),
        ("capacity/yr", "right"),
        ("used/yr", "right"),
        ("use", "right"),
        ("USD per extra unit/yr", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    rows = result.bottlenecks(top)
    if rows.empty:
        table.add_row("none: every flow takes its best route", "", "", "", "", "")
    for kind, item, unit, cap, used, util, price in zip(
        rows["kind"].tolist(),
        rows["item_id"].tolist(),
        rows["unit"].tolist(),
        rows["capacity_per_year"].tolist(),
        rows["used_per_year"].tolist(),
        rows["utilisation"].tolist(),
        rows["shadow_price_usd_per_unit"].tolist(),
        strict=True,
    ):
        table.add_row(
            f"{kind} {item}", unit.upper(), _big(cap), _big(used), f"{util:.0%}", f"{price:,.2f}"
        )
    return table


def route_shares_table(result: Assignment, smallest: float = 0.01) -> Table:
    """Return the routes each OD's flow takes (routes of one corridor merged; < 1 % left out)."""
    table = Table(title="Route shares per OD", box=box.SIMPLE)
    for name, justify in (
        ("from", "left"),
        ("to", "left"),
        ("cargo", "left"),
        ("corridor", "left"),
        ("flow/yr", "right"),
        ("share", "right"),
        ("days", "right"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    shares = result.route_shares
    if shares.empty:
        return table
    keys = ["origin", "destination", "commodity", "corridor"]
    merged = shares.groupby(keys, sort=False, as_index=False).agg(
        flow_per_year=("flow_per_year", "sum"), share=("share", "sum"), time_h=("time_h", "min")
    )
    ods = list(zip(shares["origin"], shares["destination"], shares["commodity"], strict=True))
    order = {od: i for i, od in enumerate(dict.fromkeys(ods))}
    merged["_od"] = [
        order[od]
        for od in zip(merged["origin"], merged["destination"], merged["commodity"], strict=True)
    ]
    merged = merged.sort_values(["_od", "share"], ascending=[True, False], kind="stable")
    hidden = 0
    for o, d, c, corridor, flow, share, hours in zip(
        merged["origin"].tolist(),
        merged["destination"].tolist(),
        merged["commodity"].tolist(),
        merged["corridor"].tolist(),
        merged["flow_per_year"].tolist(),
        merged["share"].tolist(),
        merged["time_h"].tolist(),
        strict=True,
    ):
        if share < smallest:
            hidden += 1
            continue
        table.add_row(o, d, c, corridor, _big(flow), f"{share:.0%}", _days(hours))
    if hidden:
        table.caption = (
            f"{hidden} corridor(s) with under {smallest:.0%} of their OD's flow not shown"
        )
    return table


def criticality_table(ranked: Criticality, demand: Demand) -> Table:
    """Return the assets ranked by the damage their loss does."""
    r = ranked.ranking
    share = float(r["outage_share"].iloc[0]) if not r.empty else 1.0
    out = "" if share >= 1 else f", out {share:.0%} of the year"
    table = Table(
        title=f"Criticality for {demand.name} ({ranked.base.method}{out})", box=box.SIMPLE
    )
    for name, justify in (
        ("rank", "right"),
        ("asset", "left"),
        ("use", "right"),
        ("unmet rise, t/yr", "right"),
        ("cost rise, USD/yr", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for rank, kind, item, util, unmet, cost in zip(
        r["rank"].tolist(),
        r["kind"].tolist(),
        r["item_id"].tolist(),
        r["utilisation"].tolist(),
        r["unmet_rise_t_per_year"].tolist(),
        r["cost_rise_usd_per_year"].tolist(),
        strict=True,
    ):
        use = "-" if util != util else f"{util:.0%}"
        table.add_row(str(rank), f"{kind} {item}", use, _big(unmet), _big(cost))
    return table


def contracts_table(result: Assignment) -> Table:
    """Return the contracts in force: bounds, use and shadow price."""
    table = Table(title="Contracts and quotas", box=box.SIMPLE)
    for name, justify in (
        ("contract", "left"),
        ("cargo", "left"),
        ("min t/yr", "right"),
        ("max t/yr", "right"),
        ("used t/yr", "right"),
        ("USD per t", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    c = result.contracts
    for cid, cargo, low, high, used, price in zip(
        c["contract_id"].tolist(),
        c["commodity"].tolist(),
        c["min_t_per_year"].tolist(),
        c["max_t_per_year"].tolist(),
        c["used_t_per_year"].tolist(),
        c["shadow_price_usd_per_t"].tolist(),
        strict=True,
    ):
        bound = [_big(float(v)) if v is not None and v == v else "-" for v in (low, high)]
        table.add_row(cid, cargo, *bound, _big(used), f"{price:,.2f}")
    return table
