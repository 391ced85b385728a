"""The ``corridor scenario`` commands: list, show, check and apply scenarios."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from corridor import scenarios, services
from corridor.cli.options import JsonOpt

if TYPE_CHECKING:
    from corridor.scenarios.spec import Patch, Scenario

scenario_app = typer.Typer(
    help="List, show, check and apply scenarios (YAML patches to a network).",
    no_args_is_help=True,
)
console = Console()

NameArg = Annotated[str, typer.Argument(help="A bundled scenario name or a scenario file.")]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _describe(patch: Patch) -> str:
    """Return one line saying what a patch does."""
    op = patch.operation or "?"
    if patch.table is not None and patch.selector is not None:
        criteria = ", ".join(f"{k}={'|'.join(v)}" for k, v in patch.selector.criteria().items())
        target = f"{patch.table}[{criteria}]"
        if op == "set":
            detail = ", ".join(f"{k}={v}" for k, v in (patch.set or {}).items())
        elif op == "scale":
            detail = ", ".join(f"{k}*{v:g}" for k, v in (patch.scale or {}).items())
        elif op == "open" and patch.open is not True:
            detail = f"from {patch.open}"
        else:
            detail = ""
        text = f"{op} {target} {detail}".strip()
    elif op == "add":
        text = "add " + ", ".join(f"{len(rows)} {t}" for t, rows in (patch.add or {}).items())
    elif op == "war_risk":
        text = "war risk " + ", ".join(f"{c} {p:g} %" for c, p in (patch.war_risk or {}).items())
    else:
        text = "sanctions " + ", ".join(f"{c} {s}" for c, s in (patch.sanctions or {}).items())
    return text + (f" (source {patch.ref})" if patch.ref else "")


def _summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "title": scenario.title,
        "base": scenario.base,
        "year": scenarios.scenario_year(scenario),
    }


@scenario_app.command("list")
def scenario_list(json_out: JsonOpt = False) -> None:
    """List the bundled scenarios."""
    rows = [_summary(scenarios.load_scenario(name)) for name in services.list_scenarios()]
    if json_out:
        _print_json({"scenarios": rows})
        return
    table = Table(title="Bundled scenarios")
    for column in ("name", "year", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["name"], "" if row["year"] is None else str(row["year"]), row["title"])
    console.print(table)


@scenario_app.command("show")
def scenario_show(name: NameArg, json_out: JsonOpt = False) -> None:
    """Show a scenario: what it assumes, its patches and the sources it adds."""
    scenario = scenarios.load_scenario(name)
    if json_out:
        _print_json(
            {
                **_summary(scenario),
                "description": scenario.description,
                "patches": [p.model_dump(exclude_none=True) for p in scenario.patches],
                "demand": [p.model_dump(exclude_none=True) for p in scenario.demand],
                "sources": [dict(s) for s in scenario.sources],
            }
        )
        return
    console.print(f"[bold]{scenario.name}[/bold]: {scenario.title}", highlight=False)
    year = scenarios.scenario_year(scenario)
    console.print(f"base {scenario.base}; year {year if year is not None else 'today'}")
    if scenario.description:
        console.print(scenario.description, highlight=False)
    for i, patch in enumerate(scenario.patches):
        console.print(f"  patches[{i}]: {_describe(patch)}", highlight=False, markup=False)
    for i, dpatch in enumerate(scenario.demand):
        op = dpatch.operation or "?"
        console.print(f"  demand[{i}]: {op}", highlight=False, markup=False)
    for source in scenario.sources:
        console.print(f"  source {source.get('source_id')}: {source.get('title')}", markup=False)


@scenario_app.command("check")
def scenario_check(name: NameArg, json_out: JsonOpt = False) -> None:
    """Check a scenario file against its base network; list every problem (exit 1 if any)."""
    try:
        network = services.scenario_network(name)
    except scenarios.ScenarioError as exc:
        if json_out:
            _print_json({"ok": False, "problems": [p.to_dict() for p in exc.problems]})
        else:
            for problem in exc.problems:
                console.print(
                    problem.format(), style="red", markup=False, highlight=False, soft_wrap=True
                )
            console.print(f"[red]FAILED[/red] {name}: {len(exc.problems)} problem(s)")
        raise typer.Exit(1) from None
    if json_out:
        _print_json({"ok": True, "problems": [], "content_hash": network.content_hash()})
    else:
        console.print(f"[green]OK[/green] {name}: applies cleanly to its base")


@scenario_app.command("apply")
def scenario_apply(
    name: NameArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the network to.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or parquet.")] = "csv",
    json_out: JsonOpt = False,
) -> None:
    """Apply a scenario and write the resulting network as a folder of tables."""
    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter(f"{fmt!r} is not one of csv, parquet", param_hint="--format")
    network = services.scenario_network(name)
    files = services.export_network(network, out, fmt)  # type: ignore[arg-type]
    if json_out:
        _print_json(
            {
                "scenario": network.meta.name,
                "content_hash": network.content_hash(),
                "files": [str(f) for f in files],
            }
        )
    else:
        for f in files:
            console.print(str(f), highlight=False)
