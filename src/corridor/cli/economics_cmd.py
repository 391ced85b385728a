"""The ``corridor appraise`` and ``corridor outlook`` commands (registered by cli/main.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from corridor.cli.options import JsonOpt, NetworkOpt, err_console
from corridor.datasets import DEFAULT_DATASET
from corridor.errors import CorridorError

console = Console()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _money(value: float | None) -> str:
    if value is None:
        return "-"
    for size, suffix in ((1e9, " bn"), (1e6, " m")):
        if abs(value) >= size:
            return f"{value / size:,.2f}{suffix}"
    return f"{value:,.0f}" if round(value) != 0 else "0"


def _rates(text: str) -> list[float] | Literal["ladder"]:
    """Parse --rates: ``ladder``, ``none`` or rates in % such as ``4,8,16.5``."""
    if text == "ladder":
        return "ladder"
    if text == "none":
        return []
    rates = []
    for item in text.split(","):
        try:
            rates.append(float(item.strip()))
        except ValueError:
            raise typer.BadParameter(
                f"{item.strip()!r} is not a rate in % (e.g. --rates 4,8,16.5,46)",
                param_hint="--rates",
            ) from None
    return rates


def appraise_command(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="A project scenario (bundled name or YAML file), appraised against --network."
        ),
    ] = None,
    capex: Annotated[float, typer.Option("--capex", help="Capital cost, USD.", min=0)] = 0.0,
    capex_ref: Annotated[
        str, typer.Option("--capex-ref", help="Source of the capital cost (recorded).")
    ] = "",
    opex: Annotated[float, typer.Option("--opex", help="Operating cost, USD per year.")] = 0.0,
    years: Annotated[int, typer.Option("--years", help="Operating years.", min=1)] = 25,
    rate: Annotated[float, typer.Option("--rate", help="Discount rate (0.08 = 8 %).")] = 0.08,
    rates: Annotated[
        str,
        typer.Option("--rates", help="Rate sweep: 'ladder' (sourced), 'none' or e.g. 4,8,46 (%)."),
    ] = "ladder",
    ramp_up_years: Annotated[
        int, typer.Option("--ramp-up-years", help="Years to reach the full benefit.", min=0)
    ] = 0,
    build_years: Annotated[
        int, typer.Option("--build-years", help="Construction years (capex spread).", min=1)
    ] = 1,
    residual: Annotated[
        float, typer.Option("--residual", help="Residual value at the end, USD.", min=0)
    ] = 0.0,
    start_year: Annotated[
        int | None, typer.Option("--start-year", help="Calendar year of year 0.")
    ] = None,
    rate_path: Annotated[
        str | None,
        typer.Option(
            "--rate-path",
            help="Discount rates by calendar year, % (2026:12,2028:8): each from its year on.",
        ),
    ] = None,
    valuation_year: Annotated[
        int | None,
        typer.Option("--valuation-year", help="Year the NPVs by start year are valued at."),
    ] = None,
    start_years: Annotated[
        str | None,
        typer.Option(
            "--start-years", help="Start years to compare (2026,2028,2030): the value of waiting."
        ),
    ] = None,
    benefit_usd: Annotated[
        float | None,
        typer.Option("--benefit-usd", help="Annual benefit, USD (appraise without the model)."),
    ] = None,
    demand_file: Annotated[
        Path | None,
        typer.Option("--demand-file", help="CSV: origin,destination,commodity,flow_per_year."),
    ] = None,
    demand: Annotated[
        str | None,
        typer.Option("--demand", "-d", help="Demand set of the network (with a SCENARIO)."),
    ] = None,
    base_year: Annotated[
        int | None, typer.Option("--base-year", help="Network year without the project.")
    ] = None,
    project_year: Annotated[
        int | None, typer.Option("--project-year", help="Network year with the project.")
    ] = None,
    co2_price: Annotated[
        float, typer.Option("--co2-price", help="Price of CO2 saved, USD/t.", min=0)
    ] = 0.0,
    network: NetworkOpt = DEFAULT_DATASET,
    json_out: JsonOpt = False,
) -> None:
    """Appraise a project: NPV, IRR, benefit-cost ratio, payback and a discount-rate sweep.

    The annual benefit is either given (--benefit-usd) or computed by the assignment model as
    the fall in total generalized cost of a demand file between the network at --base-year and
    at --project-year (planned links open from their opening year), plus CO2 at --co2-price.
    """
    from corridor import services

    if scenario is not None and demand is None:
        raise CorridorError(
            "appraising a scenario needs --demand (a demand set such as middle-2030, or a CSV)"
        )
    if scenario is None and demand is not None:
        raise CorridorError("--demand needs a SCENARIO to appraise; or give --demand-file")
    if scenario is None and (benefit_usd is None) == (demand_file is None):
        raise CorridorError(
            "give either --benefit-usd or --demand-file (with --project-year), not both or none"
        )
    if scenario is None and demand_file is not None and project_year is None:
        raise CorridorError("--demand-file needs --project-year (the network with the project)")
    ladder = _rates(rates)
    # A scenario or a demand file is appraised by two assignments: a few seconds of work.
    busy = (
        "Appraising: assigning the demand with and without the project…"
        if scenario is not None or demand_file is not None
        else "Appraising…"
    )
    flows = services.read_flows_csv(demand_file) if scenario is None and demand_file else None
    with err_console.status(busy, spinner="dots"):
        result = services.appraise_project(
            network, scenario=scenario, demand=demand, flows=flows,
            benefit_usd=None if scenario is not None else benefit_usd, capex_usd=capex,
            capex_ref=capex_ref, opex_usd_per_year=opex, years=years, rate=rate, rates=ladder,
            ramp_up_years=ramp_up_years, build_years=build_years, residual_value_usd=residual,
            start_year=start_year, base_year=base_year, project_year=project_year,
            co2_price_usd_per_t=co2_price, rate_path=rate_path, valuation_year=valuation_year,
            start_years=_years(start_years),
        )  # fmt: skip
    _print_appraisal(result, json_out)


def _years(text: str | None) -> list[int]:
    """Parse ``2026,2028`` into years, naming a bad item."""
    if not text:
        return []
    years = []
    for item in (part.strip() for part in text.split(",") if part.strip()):
        if not item.isdigit() or not 1900 <= int(item) <= 2200:
            raise typer.BadParameter(
                f"{item!r} is not a year between 1900 and 2200", param_hint="--start-years"
            )
        years.append(int(item))
    return years


def _ratio(value: float | None) -> str:
    return "n/a (no costs)" if value is None else f"{value:.2f}"


def _print_appraisal(result: Any, json_out: bool) -> None:
    if json_out:
        _print_json(result.to_dict())
        return
    data = result.to_dict()
    if "benefit" in result.inputs:
        b = result.inputs["benefit"]
        console.print(
            f"benefit from the model: {_money(b['cost_saving_usd_per_year'])} USD/yr lower "
            f"generalized cost + {_money(b['co2_saving_usd_per_year'])} USD/yr of CO2 saved"
        )
    irr_text = "none" if result.irr_pct is None else f"{result.irr_pct:.2f} %"
    console.print(
        f"NPV at {result.rate_pct:g} %: {_money(result.npv_usd)} USD   IRR: {irr_text}   "
        f"B/C: {_ratio(data['benefit_cost_ratio'])}   payback: "
        f"{result.payback_years if result.payback_years is not None else '-'} yr "
        f"(discounted {result.discounted_payback_years if result.discounted_payback_years is not None else '-'})",  # noqa: E501
        highlight=False,
    )
    if result.irr_pct is None:
        console.print(result.irr_note, highlight=False)
    if result.sweep is not None and len(result.sweep):
        table = Table(title="NPV by discount rate")
        for name, justify in (("rate %", "right"), ("rate", "left"), ("NPV USD", "right"),
                              ("B/C", "right"), ("pays", "left")):  # fmt: skip
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for row in result.sweep.to_dict("records"):
            label = f"{row['label']} ({row['currency']})" if row["label"] else ""
            table.add_row(
                f"{row['rate_pct']:g}", label, _money(row["npv_usd"]),
                f"{row['benefit_cost_ratio']:.2f}", "yes" if row["pays"] else "no",
            )  # fmt: skip
        console.print(table)
        if result.irr_pct is not None and result.irr_pct < 0:
            console.print(
                f"The IRR is negative ({result.irr_pct:.2f} %): the project does not earn back "
                "its costs even undiscounted, so it pays at no discount rate of zero or more.",
                highlight=False,
            )
        elif result.irr_pct is not None:
            console.print(
                f"The project pays at discount rates below {result.irr_pct:.2f} % (its IRR); "
                "an investor who can earn more elsewhere, e.g. on a lira deposit, waits.",
                highlight=False,
            )
    if result.timing is not None:
        _print_timing(result.timing)


def _print_timing(timing: dict[str, Any]) -> None:
    path = ", ".join(f"{s['rate_pct']:g} % from {s['from_year']}" for s in timing["rate_path"])
    console.print(
        f"NPV by start year, valued in {timing['valuation_year']}; discount rates: {path}.",
        highlight=False,
    )
    table = Table()
    table.add_column("start year", justify="right")
    table.add_column("NPV USD", justify="right")
    for row in timing["npv_by_start_year"]:
        table.add_row(str(row["start_year"]), _money(row["npv_usd"]))
    console.print(table)
    if timing["best_start_year"] == timing["build_now_year"]:
        console.print(
            f"Building in {timing['build_now_year']} is best: waiting is worth nothing here.",
            highlight=False,
        )
    else:
        console.print(
            f"Starting in {timing['best_start_year']} instead of {timing['build_now_year']} "
            f"adds {_money(timing['value_of_waiting_usd'])} USD of NPV: the value of waiting.",
            highlight=False,
        )


def outlook_command(
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="historical, recent, slow, target_2030 (repeat)."),
    ] = None,
    target: Annotated[float, typer.Option("--target", help="Trade target, USD/yr.")] = 15e9,
    horizon: Annotated[int, typer.Option("--horizon", help="Last projected year.")] = 2060,
    reporter: Annotated[str, typer.Option("--reporter", help="Whose statistics: KZ or TR.")] = "KZ",
    origin: Annotated[
        str | None, typer.Option("--from", help="Corridor origin for the cost change.")
    ] = None,
    destination: Annotated[
        str | None, typer.Option("--to", help="Corridor destination for the cost change.")
    ] = None,
    cargo: Annotated[str, typer.Option("--cargo", "-c", help="Commodity.")] = "container",
    base_year: Annotated[
        int | None, typer.Option("--base-year", help="Network year of the base route.")
    ] = None,
    project_year: Annotated[
        int | None,
        typer.Option("--project-year", help="Network year of the changed route (applies from)."),
    ] = None,
    corridor: Annotated[
        str | None,
        typer.Option(
            "--corridor",
            help="Corridor improvement: a network scenario (e.g. world-bank-2030) whose change "
            "in the --from/--to route (default Almaty->Istanbul containers) moves trade.",
        ),
    ] = None,
    elasticity: Annotated[
        str, typer.Option("--elasticity", help="Trade-cost elasticity range LOW,HIGH.")
    ] = "3,5",
    affected_share: Annotated[
        float, typer.Option("--affected-share", help="Share of trade using the corridor.")
    ] = 1.0,
    n: Annotated[int, typer.Option("--n", help="Monte Carlo samples.", min=1)] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a PNG fan chart.")] = None,
    assign: Annotated[
        bool,
        typer.Option(
            "--assign",
            help="Load the freight the target implies (demand set kz-tr-2023 scaled) on today's "
            "network and the scenarios: routes, binding capacities and from which year.",
        ),
    ] = False,
    mix: Annotated[
        str, typer.Option("--mix", help="With --assign: today, balanced or non_oil.")
    ] = "today",
    steps: Annotated[
        int, typer.Option("--steps", help="With --assign: trade levels up to the target.", min=1)
    ] = 4,
    network: NetworkOpt = DEFAULT_DATASET,
    json_out: JsonOpt = False,
) -> None:
    """Project Kazakhstan–Türkiye trade and find the year it reaches the target.

    With --from/--to and --project-year, the change in the best route's generalized cost
    between --base-year and --project-year moves trade through the trade-cost elasticity; with
    --corridor SCENARIO, the change between the network and the scenario's network does.
    With --assign, the freight the target implies is loaded on the networks.
    """
    from corridor import services
    from corridor.economics.outlook import fan_chart

    try:
        lo, hi = (float(x) for x in elasticity.split(","))
    except ValueError:
        raise typer.BadParameter(
            f"{elasticity!r} is not two numbers LOW,HIGH", param_hint="--elasticity"
        ) from None
    partial = not (origin and destination and project_year is not None)
    if corridor is None and (origin or destination or project_year is not None) and partial:
        raise CorridorError("a corridor change needs --from, --to and --project-year")
    result, change = services.trade_outlook(
        network, scenarios=scenario or (), target_usd=target, horizon_year=horizon,
        reporter=reporter, origin=origin, destination=destination, commodity=cargo,
        base_year=base_year, project_year=project_year, corridor_scenario=corridor,
        elasticity_range=(lo, hi), affected_share=affected_share, n=n, seed=seed,
    )  # fmt: skip
    if plot is not None:
        fan_chart(result, plot)
    loaded = _target_load(services, network, target, mix, steps, reporter) if assign else None
    if json_out:
        out = result.to_dict()
        if loaded is not None:
            out["target_assignment"] = loaded
        _print_json(out)
        return
    data = result.to_dict()
    console.print(
        f"history ({reporter} statistics): "
        + ", ".join(f"{h['year']} {_money(h['value_usd'])}" for h in data["history"]),
        highlight=False,
    )
    if change is not None:
        console.print(
            f"corridor change from {change.start_year}: {change.ad_valorem_change_pct:+.2f} % of "
            "cargo "
            f"value ({_money(change.base_cost_usd)} -> {_money(change.scenario_cost_usd)} USD per "
            f"unit), elasticity {lo:g}-{hi:g}",
            highlight=False,
        )
    table = Table(title=f"Year trade reaches {_money(target)} USD ({n:,} samples, seed {seed})")
    for name in ("scenario", "growth %/yr", "central", "P10", "P50", "P90", "reach"):
        table.add_column(name)
    for s in data["scenarios"]:
        reached = s["target_reached"]
        table.add_row(
            s["label"], f"{s['growth_pct']:.2f}", reached["central"], reached["p10"],
            reached["p50"], reached["p90"], f"{s['share_reaching']:.0%}",
        )  # fmt: skip
    console.print(table)
    if plot is not None:
        console.print(f"fan chart written to {plot}")
    if loaded is not None:
        _print_target(loaded)


def _target_load(
    services: Any, network: str, target: float, mix: str, steps: int, reporter: str
) -> dict[str, Any]:
    """Run the target assignment with a progress bar on stderr; return its JSON-ready data."""
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), console=err_console, transient=True
    ) as bar:
        task = bar.add_task("Loading the target demand", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        loaded = services.target_assignment(
            network, target_usd=target, mix=mix, steps=steps, reporter=reporter,
            progress=progress,
        )  # fmt: skip
    data: dict[str, Any] = loaded.to_dict()
    return data


def _print_target(data: dict[str, Any]) -> None:
    """Print the target assignment: the implied freight, then per network routes and jams."""
    console.print(
        f"\nFreight for {_money(data['target_usd'])} USD of trade ({data['demand_set']} scaled; "
        f"mix {data['mix']}: {data['mix_assumption']}); background traffic: "
        f"{', '.join(data['background_demand_sets']) or 'none'}",
        highlight=False,
    )
    groups = Table(title="Implied bilateral freight at the target")
    for name in ("commodity", "t/yr", "USD/yr"):
        groups.add_column(name)
    for g in data["implied_by_commodity"]:
        groups.add_row(
            g["commodity"], _money(g["flow_t_per_year"]), _money(g["value_usd_per_year"])
        )
    console.print(groups)
    years = ", ".join(
        f"{_money(lv['trade_usd'])} in {lv['first_year'] or '-'}" for lv in data["levels"]
    )
    console.print(f"trade levels ({data['growth_scenario']} path): {years}", highlight=False)
    nets = Table(title="The target's freight on each network (bilateral flows)")
    for name in ("network", "served", "freight USD/yr", "CO2e t/yr", "main corridors (t/yr)"):
        nets.add_column(name)
    for n in data["networks"]:
        top = list(n["corridors_t_per_year"].items())[:3]
        nets.add_row(
            n["network"], f"{n['served_share']:.0%}", _money(n["freight_bill_usd_per_year"]),
            _money(n["co2_t_per_year_bilateral"]),
            ", ".join(f"{c} {_money(t)}" for c, t in top),
        )  # fmt: skip
    console.print(nets)
    jams = Table(title="Capacities binding at the target, and from when")
    for name in ("network", "capacity", "per year", "USD per extra unit", "binds from"):
        jams.add_column(name)
    for n in data["networks"]:
        for b in n["binding"]:
            year = b["binds_from_year"]
            jams.add_row(
                n["network"], b.get("name", f"{b['kind']} {b['item_id']}"),
                f"{_money(b['capacity_per_year'])} {b['unit']}",
                f"{b['shadow_price_usd_per_unit']:.2f}",
                f"{_money(b['binds_from_trade_usd'])} USD ({year or 'beyond the path'})",
            )  # fmt: skip
        if n["unmet_from_trade_usd"] is not None:
            jams.add_row(
                n["network"], "unmet demand", "", "",
                f"{_money(n['unmet_from_trade_usd'])} USD ({n['unmet_from_year'] or '-'})",
            )  # fmt: skip
    if jams.row_count:
        console.print(jams)
    else:
        console.print("No capacity binds on any network up to the target.")


def register(app: typer.Typer) -> None:
    """Add the economics commands to the ``corridor`` app."""
    app.command("appraise")(appraise_command)
    app.command("outlook")(outlook_command)
