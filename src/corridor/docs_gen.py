"""Generate the column reference of the tables (``docs/schema.md``) from the schema CSVs.

Run ``python -m corridor.docs_gen > docs/schema.md``; a test checks the file is up to date.
"""

from __future__ import annotations

from corridor.model.schema import TABLES, table_schema


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


if __name__ == "__main__":
    print(schema_markdown())
