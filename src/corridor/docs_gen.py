"""Generate documentation pages from the code and the data, so nothing is written twice.

- ``docs/schema.md``: the column reference of the tables, from the schema CSVs. Run
  ``python -m corridor.docs_gen > docs/schema.md``; a test checks the file is up to date.
- The pages the documentation build generates (see :func:`generated_pages`): the
  bibliography of every source with the figures it supports, the bundled datasets, the CLI
  reference from the command tree and the API reference stubs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from corridor.model.schema import TABLES, table_schema
from corridor.model.tables import split_list

if TYPE_CHECKING:
    from corridor.model.network import Network


def schema_markdown() -> str:
    """Return the Markdown reference of every table's columns."""
    lines = [
        "# Network tables",
        "",
        "Generated from `src/corridor/schema/*.csv` by `python -m corridor.docs_gen`; "
        "do not edit by hand.",
        "",
    ]
    for name in TABLES:
        schema = table_schema(name)
        lines += [
            f"## `{name}.csv`",
            "",
            "| column | type | unit | required | default | allowed / range | refers to | "
            "description |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for c in schema.columns:
            bounds = ""
            if c.allowed:
                bounds = ", ".join(f"`{v}`" for v in c.allowed)
            elif c.minimum is not None or c.maximum is not None:
                lo = "" if c.minimum is None else f"{c.minimum:g}"
                hi = "" if c.maximum is None else f"{c.maximum:g}"
                bounds = f"{lo} … {hi}"
            figure = f" (figure: {c.figure}, source in `{c.ref}`)" if c.figure else ""
            lines.append(
                f"| `{c.name}` | {c.dtype} | {c.unit} | {'yes' if c.required else ''} | "
                f"{c.default} | {bounds} | {c.references} | {c.description}{figure} |"
            )
        lines.append("")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    """Markdown-safe text of a table cell (pipes escaped, newlines folded)."""
    if value is None or value is _NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        text = f"{value:,.0f}" if value.is_integer() else f"{value:,.6g}"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ").strip()


class _Missing:
    pass


_NA: Any = _Missing()


def citations(network: Network) -> dict[str, list[tuple[str, str, str, Any]]]:
    """Return, per source id, the figures that cite it.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        Source id -> list of ``(table, row id, column, value)``, in table order. Figures whose
        value is empty are left out.

    Examples
    --------
    >>> import corridor
    >>> cited = citations(corridor.load())
    >>> ("nodes", "aktau_port", "lat") in {c[:3] for c in cited["est-coords"]}
    True
    """
    found: dict[str, list[tuple[str, str, str, Any]]] = {}
    for name in TABLES:
        schema = table_schema(name)
        table = network.tables[name]
        figures = [c for c in schema.columns if c.figure and c.ref]
        if table.empty or not figures:
            continue
        for row in table.to_dict("records"):
            for column in figures:
                value = row.get(column.name)
                if value is None or (isinstance(value, float) and value != value):
                    continue
                if str(value) in ("<NA>", "nan"):
                    continue
                for source in split_list(row.get(column.ref)):
                    found.setdefault(source, []).append(
                        (name, str(row[schema.key]), column.name, value)
                    )
    return found


def bibliography_markdown(network: Network) -> str:
    """Return the bibliography: every source row with the figures it supports.

    Parameters
    ----------
    network
        The network whose ``sources`` table to list.
    """
    cited = citations(network)
    sources = network.tables["sources"].sort_values("source_id")
    kinds = sources["kind"].value_counts().to_dict()
    lines = [
        f"# Bibliography of the `{network.meta.name}` dataset",
        "",
        "Generated from `sources.csv` and the `*_ref` columns of every table at each "
        "documentation build; do not edit by hand. Each source lists the figures that cite it "
        "(table, row, column and the value used).",
        "",
        f"{len(sources)} sources: "
        + ", ".join(f"{kinds.get(k, 0)} {k}" for k in ("published", "computed", "estimate"))
        + f"; {sum(len(v) for v in cited.values())} figures cite them.",
        "",
    ]
    uncited = []
    for row in sources.to_dict("records"):
        source_id = str(row["source_id"])
        uses = cited.get(source_id, [])
        if not uses:
            uncited.append(source_id)
        head = f"**{_cell(row['title'])}**"
        for key in ("publisher", "published"):
            if _cell(row.get(key)):
                head += f", {_cell(row.get(key))}"
        lines += [f"### `{source_id}`", "", f"{head} ({_cell(row['kind'])})", ""]
        if _cell(row.get("url")):
            lines += [f"<{_cell(row['url'])}>", ""]
        for key, label in (
            ("figure_as_published", "As published"),
            ("method", "Method"),
            ("notes", "Notes"),
        ):
            if _cell(row.get(key)):
                lines += [f"{label}: {_cell(row.get(key))}", ""]
        if uses:
            by_row: dict[tuple[str, str], list[str]] = {}
            for table, item, column, value in uses:
                by_row.setdefault((table, item), []).append(f"`{column}` {_cell(value)}")
            lines += [
                f"Supports {len(uses)} figure(s):",
                "",
                "| table | row | figures |",
                "|---|---|---|",
            ]
            lines += [f"| {t} | `{i}` | {'; '.join(f)} |" for (t, i), f in by_row.items()]
            lines.append("")
    if uncited:
        texts = {
            str(r["source_id"]): f"{_cell(r.get('method'))} {_cell(r.get('notes'))}"
            for r in sources.to_dict("records")
        }
        lines += [
            "## Sources no figure cites directly",
            "",
            "| source | mentioned in the method or notes of |",
            "|---|---|",
        ]
        for source_id in uncited:
            users = [other for other, text in texts.items() if source_id in text.split()]
            users += [
                other
                for other, text in texts.items()
                if other not in users and other != source_id and source_id in text
            ]
            lines.append(
                f"| `{source_id}` | {', '.join(f'`{u}`' for u in users if u != source_id)} |"
            )
        lines.append("")
    return "\n".join(lines)


def datasets_markdown() -> str:
    """Return the list of bundled datasets (and scenarios and demand sets where they exist)."""
    from corridor.datasets import bundled_datasets, load
    from corridor.summary import summarize

    lines = [
        "# Bundled data",
        "",
        "Generated from the package at each documentation build; do not edit by hand.",
        "",
        "## Networks",
        "",
        "| name | version | nodes | links | transfers | sources | sourced core figures |",
        "|---|---|---|---|---|---|---|",
    ]
    details = []
    for name in bundled_datasets():
        network = load(name)
        summary = summarize(network)
        rows = summary.table_rows
        lines.append(
            f"| `{name}` | {network.meta.version} | {rows.get('nodes', 0)} | "
            f"{rows.get('links', 0)} | {rows.get('transfers', 0)} | {rows.get('sources', 0)} | "
            f"{summary.core.sourced_share:.0%} |"
        )
        details += [
            f"### `{name}`",
            "",
            network.meta.description,
            "",
            f"Licence: {network.meta.license}",
            "",
            "| mode | links | length (km) |",
            "|---|---|---|",
        ]
        details += [
            f"| `{mode}` | {row['links']:.0f} | {row['length_km']:,.0f} |"
            for mode, row in summary.links_by_mode.items()
        ]
        details.append("")
    return "\n".join([*lines, "", *details, *_scenario_lines(), *_demand_lines()])


def _scenario_lines() -> list[str]:
    """Return the Markdown lines listing the bundled scenarios: name, title, base and year."""
    from corridor.scenarios import bundled_scenarios, load_scenario

    lines = [
        "## Scenarios",
        "",
        "Apply one with `corridor.scenarios.apply_scenario(load_scenario(NAME))` or "
        "`--scenario NAME` on the command line; `corridor scenario show NAME` prints its "
        "patches and sources. The format is described in [Scenario file format](../scenarios.md).",
        "",
        "| name | title | base | year | patches | new sources |",
        "|---|---|---|---|---|---|",
    ]
    for name in bundled_scenarios():
        scenario = load_scenario(name)
        year = "" if scenario.year is None else str(scenario.year)
        lines.append(
            f"| `{name}` | {_cell(scenario.title)} | `{scenario.base}` | {year} | "
            f"{len(scenario.patches) + len(scenario.demand)} | {len(scenario.sources)} |"
        )
    return [*lines, ""]


def _demand_lines() -> list[str]:
    """Return the Markdown lines listing the bundled demand sets with their totals."""
    from corridor.demand import describe_demand_sets, read_demand

    lines = [
        "## Demand sets",
        "",
        "Annual origin–destination flows of the `eurasia` network, read with "
        "`corridor.read_demand(NAME)` or `corridor assign --demand NAME`. Flows are in units "
        "of the commodity: TEU for containers, tonnes otherwise; every row cites a source of "
        "the [bibliography](bibliography.md).",
        "",
        "| name | title | year | rows | total per year | description |",
        "|---|---|---|---|---|---|",
    ]
    for info in describe_demand_sets():
        demand = read_demand(str(info["name"]))
        totals = "; ".join(
            f"{commodity} {flow:,.0f}"
            for commodity, flow in zip(
                demand.totals()["commodity"], demand.totals()["flow_per_year"], strict=True
            )
        )
        lines.append(
            f"| `{info['name']}` | {_cell(info['title'])} | {_cell(info['year'])} | "
            f"{len(demand.table)} | {totals} | {_cell(info['description'])} |"
        )
    return [*lines, ""]


def _param_row(param: Any, ctx: Any) -> str:
    """One table row for a click parameter (duck-typed: Typer may vendor its own click)."""
    record = param.get_help_record(ctx)
    if record is None:  # an argument without help in plain click
        record = (str(param.name).upper(), "")
    names, help_text = record
    if param.required and "required" not in help_text:
        help_text += " [required]"
    return f"| `{_cell(names)}` | {_cell(help_text)} |"


def _commands(command: Any, path: list[str], parent: Any) -> Iterable[tuple[list[str], Any, Any]]:
    """Walk the command tree depth first: ``(path, command, context)``."""
    ctx = command.context_class(command, info_name=path[-1], parent=parent)
    yield path, command, ctx
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _commands(sub, [*path, name], ctx)


def cli_markdown() -> str:
    """Return the CLI reference, generated from the command tree of ``corridor``.

    Examples
    --------
    >>> "## `corridor route`" in cli_markdown()
    True
    """
    import typer

    from corridor.cli.main import app

    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the `corridor` command itself at each documentation build; "
        "`corridor COMMAND --help` prints the same.",
        "",
    ]
    for path, command, ctx in _commands(root, ["corridor"], None):
        name = " ".join(path)
        usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [
            f"## `{name}`",
            "",
            (command.help or "").strip(),
            "",
            "```console",
            f"$ {name} {usage}".rstrip(),
            "```",
            "",
        ]
        params = [
            p
            for p in command.get_params(ctx)
            if not getattr(p, "hidden", False) and p.name != "help"
        ]
        if params:
            lines += ["| option | description |", "|---|---|"]
            lines += [_param_row(p, ctx) for p in params]
            lines.append("")
    return "\n".join(lines)


#: Modules of the API reference: page title -> modules documented on the page.
API_MODULES: dict[str, tuple[str, ...]] = {
    "corridor": ("corridor",),
    "Loading and datasets": ("corridor.datasets", "corridor.model.network", "corridor.summary"),
    "Routing": (
        "corridor.routing.engine",
        "corridor.routing.search",
        "corridor.routing.assemble",
        "corridor.routing.diagnose",
        "corridor.routing.result",
        "corridor.routing.params",
    ),
    "Risk": ("corridor.risk.simulate", "corridor.risk.insurance"),
    "Demand": ("corridor.demand",),
    "Assignment": (
        "corridor.assign.model",
        "corridor.assign.result",
        "corridor.assign.decompose",
        "corridor.assign.lp",
    ),
    "Scenarios": (
        "corridor.scenarios.spec",
        "corridor.scenarios.parse",
        "corridor.scenarios.apply",
        "corridor.scenarios.bundled",
        "corridor.scenarios.select",
    ),
    "Economics": (
        "corridor.economics.appraisal",
        "corridor.economics.finance",
        "corridor.economics.outlook",
        "corridor.economics.target",
    ),
    "Comparison": ("corridor.compare", "corridor.report.compare"),
    "Sweeps": (
        "corridor.sweeps.spec",
        "corridor.sweeps.design",
        "corridor.sweeps.points",
        "corridor.sweeps.run",
        "corridor.sweeps.results",
    ),
    "Services": ("corridor.services",),
    "Web app": ("corridor.web.app", "corridor.web.settings"),
    "Input and output": (
        "corridor.io.folder",
        "corridor.io.geojson",
        "corridor.io.locate",
        "corridor.model.records",
    ),
    "Notebook display": ("corridor.report.notebook", "corridor.report.svg"),
    "Errors": ("corridor.errors",),
}


def _slug(title: str) -> str:
    return "-".join(title.lower().replace(" and ", " ").split())


def api_pages() -> dict[str, str]:
    """Return the API reference stubs (``reference/api/*.md``) rendered by mkdocstrings.

    Only modules that can be imported are listed, so a module added on another branch
    appears as soon as it is merged.
    """
    pages: dict[str, str] = {}
    index = ["# API reference", "", "Generated from the docstrings.", ""]
    for title, modules in API_MODULES.items():
        present = [m for m in modules if _importable(m)]
        if not present:
            continue
        slug = _slug(title)
        body = [f"# {title}", ""]
        for module in present:
            body += [f"::: {module}", ""]
        pages[f"reference/api/{slug}.md"] = "\n".join(body)
        index.append(f"- [{title}]({slug}.md): " + ", ".join(f"`{m}`" for m in present))
    pages["reference/api/index.md"] = "\n".join([*index, ""])
    return pages


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def generated_pages() -> dict[str, str]:
    """Return every file the documentation build generates: path under ``docs/`` -> text.

    The pages are Markdown; ``reference/openapi.json`` is the REST API's OpenAPI document.
    """
    import json

    from corridor.datasets import load
    from corridor.docs_rest import openapi_document, openapi_markdown

    openapi = openapi_document()
    pages = {
        "reference/bibliography.md": bibliography_markdown(load()),
        "reference/datasets.md": datasets_markdown(),
        "reference/cli.md": cli_markdown(),
        "reference/rest-api.md": openapi_markdown(openapi),
        "reference/openapi.json": json.dumps(openapi, indent=1, ensure_ascii=False) + "\n",
    }
    pages.update(api_pages())
    return pages


if __name__ == "__main__":
    print(schema_markdown())
