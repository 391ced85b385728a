"""Reading a scenario: YAML text parsed into the models, checked against the schema.

Every problem found is reported together, each with the file, the YAML path
(``patches[2].set.capacity_t_per_year``), the line and what is wrong. Checks that need only the
schema (columns, types, bounds, sources of figures) happen here; checks that need a network
(ids, selectors) happen when it is applied (:mod:`corridor.scenarios.apply`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from pydantic import ValidationError as PydanticValidationError

from corridor.model.problems import ValidationReport
from corridor.model.schema import table_schema
from corridor.model.tables import RowOrigin, parse_table, suggest
from corridor.scenarios.spec import (
    ADD_TABLES,
    DEMAND_KEYS,
    OPERATIONS,
    PATCH_TABLES,
    STANDALONE,
    Cell,
    DemandPatch,
    Located,
    Patch,
    Scenario,
    ScenarioError,
    _path,
    read_located_yaml,
)


def parse_scenario(text: str, source: str = "<text>") -> Scenario:
    r"""Parse a scenario from YAML text, checking everything that needs only the schema.

    Parameters
    ----------
    text
        The YAML document.
    source
        Where it came from, used in messages and to resolve a relative ``base`` path.

    Returns
    -------
    Scenario
        The parsed scenario.

    Raises
    ------
    ScenarioError
        With every problem found, each located by file, YAML path and line.

    Examples
    --------
    >>> s = parse_scenario("name: t\npatches:\n  - links: {corridor: zangezur}\n    open: true")
    >>> s.patches[0].operation, s.patches[0].table
    ('open', 'links')
    """
    data, lines, problem = read_located_yaml(text, source)
    if problem is not None:
        raise ScenarioError([problem])
    located = Located(source, lines)
    if not isinstance(data, dict):
        located.add("", "a scenario must be a mapping with at least a name")
        raise ScenarioError(located.problems)
    try:
        scenario = Scenario.model_validate({**data, "file": source, "lines": lines})
    except PydanticValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not _is_union_tag(p)]
            located.add(_path(loc), _pydantic_message(err))
        raise ScenarioError(located.problems) from None
    for i, patch in enumerate(scenario.patches):
        _check_patch(patch, f"patches[{i}]", located)
    for i, dpatch in enumerate(scenario.demand):
        _check_demand_patch(dpatch, f"demand[{i}]", located)
    _check_sources(scenario, located)
    if located.problems:
        raise ScenarioError(located.problems)
    return scenario


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (
        part in ("str", "int", "float", "bool", "list[str]", "none", "function-after")
        or part.startswith("list[")
    )


def _pydantic_message(err: Any) -> str:
    message = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required key is missing"
    return f"{message} (got {err.get('input')!r})"


# --------------------------------------------------------------------------------------------
# schema checks


def _check_patch(patch: Patch, path: str, out: Located) -> None:
    tables = [t for t in PATCH_TABLES if getattr(patch, t) is not None]
    ops = [o for o in (*OPERATIONS, *STANDALONE) if getattr(patch, o) is not None]
    if len(ops) != 1:
        names = ", ".join((*OPERATIONS, *STANDALONE))
        out.add(path, f"give exactly one operation ({names}); found {len(ops)}")
        return
    op = ops[0]
    if op in STANDALONE:
        if tables:
            out.add(f"{path}.{tables[0]}", f"'{op}' takes no selector")
        _check_standalone(patch, op, path, out)
        return
    if len(tables) != 1:
        out.add(path, f"'{op}' needs exactly one selector: {', '.join(PATCH_TABLES)}")
        return
    table = tables[0]
    selector = patch.selector
    assert selector is not None
    criteria = selector.criteria()
    if not criteria:
        out.add(f"{path}.{table}", "the selector is empty; use ids: '*' to select every row")
    for key in criteria:
        if key in ("mode", "corridor", "status") and not _has_criterion(table, key):
            out.add(f"{path}.{table}.{key}", f"{table} cannot be selected by {key}")
    if op == "set":
        assert patch.set is not None
        _check_set(table, patch.set, patch.ref, f"{path}.set", out)
    elif op == "scale":
        assert patch.scale is not None
        _check_scale(table, patch.scale, patch.ref, f"{path}.scale", out)
    elif op == "open":
        if table == "countries":
            out.add(f"{path}.open", "countries cannot be opened; open their links or nodes")
        elif patch.open is False:
            out.add(f"{path}.open", "use true or an opening year; to close, use close: true")
        elif not isinstance(patch.open, bool):
            year = int(patch.open) if patch.open is not None else 0
            if not 1850 <= year <= 2100:
                out.add(f"{path}.open", f"opening year {year} is outside 1850-2100")
            if patch.ref is None:
                out.add(f"{path}.ref", "an opening year is a figure: name its source with ref")
    elif op == "close" and patch.close is not True:
        out.add(f"{path}.close", "use close: true")


def _has_criterion(table: str, key: str) -> bool:
    allowed = {
        "nodes": {"status"},
        "links": {"mode", "corridor", "status"},
        "transfers": {"mode", "status"},
        "countries": set(),
    }
    return key in allowed[table]


def _check_value(table: str, column: str, value: Cell, path: str, out: Located) -> bool:
    """Check one value against the column's schema; return True if it is a figure."""
    schema = table_schema(table)
    if column not in schema.column_names:
        out.add(path, f"{table} has no column {column!r}{suggest(column, schema.column_names)}")
        return False
    spec = schema.column(column)
    if column == schema.key:
        out.add(path, f"{column} is the id of the row and cannot be changed")
        return False
    if column.endswith("_ref"):
        out.add(path, "source columns are set with the patch's ref")
        return False
    if value is None:
        if spec.required:
            out.add(path, f"{column} is required and cannot be cleared")
        return False
    if spec.dtype in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.add(path, f"{value!r} is not a number ({column} is in {spec.unit or 'units'})")
            return False
        if spec.dtype == "int" and not float(value).is_integer():
            out.add(path, f"{value!r} is not an integer")
        _check_bounds(spec.minimum, spec.maximum, float(value), spec.unit, path, out)
    elif spec.dtype == "bool":
        if not isinstance(value, bool):
            out.add(path, f"{value!r} is not true or false")
    elif spec.dtype == "list":
        if not isinstance(value, str | list):
            out.add(path, f"{value!r} is not a list of ids")
    elif not isinstance(value, str):
        out.add(path, f"{value!r} is not text")
    elif spec.allowed and value not in spec.allowed:
        out.add(
            path, f"{value!r} is not one of {', '.join(spec.allowed)}{suggest(value, spec.allowed)}"
        )
    return bool(spec.figure)


def _check_bounds(
    low: float | None, high: float | None, value: float, unit: str, path: str, out: Located
) -> None:
    unit_text = f" {unit}" if unit else ""
    if low is not None and value < low:
        out.add(path, f"{value:g} is below the minimum {low:g}{unit_text}")
    if high is not None and value > high:
        out.add(path, f"{value:g} is above the maximum {high:g}{unit_text}")


def _check_set(
    table: str, values: dict[str, Cell], ref: str | None, path: str, out: Located
) -> None:
    if not values:
        out.add(path, "set names no column")
    for column, value in values.items():
        if _check_value(table, column, value, f"{path}.{column}", out) and ref is None:
            out.add(
                f"{path}.{column}", "a figure needs a source: add ref (a source id) to the patch"
            )


def _check_scale(
    table: str, factors: dict[str, float], ref: str | None, path: str, out: Located
) -> None:
    schema = table_schema(table)
    if not factors:
        out.add(path, "scale names no column")
    for column, factor in factors.items():
        where = f"{path}.{column}"
        if column not in schema.column_names:
            out.add(
                where, f"{table} has no column {column!r}{suggest(column, schema.column_names)}"
            )
            continue
        spec = schema.column(column)
        if spec.dtype != "float":
            out.add(where, f"{column} is not a measured figure and cannot be scaled")
        elif factor < 0:
            out.add(where, f"factor {factor:g} is negative")
        elif ref is None:
            out.add(where, "a scaled figure needs a source: add ref (a source id) to the patch")


def _check_standalone(patch: Patch, op: str, path: str, out: Located) -> None:
    if op == "add":
        assert patch.add is not None
        for table, rows in patch.add.items():
            if table not in ADD_TABLES:
                message = f"rows can be added to {', '.join(ADD_TABLES)}"
                out.add(f"{path}.add.{table}", message + suggest(table, ADD_TABLES))
                continue
            _check_rows(table, rows, patch.ref, f"{path}.add.{table}", out)
    elif op == "war_risk":
        assert patch.war_risk is not None
        spec = table_schema("countries").column("war_risk_pct_hull_per_call")
        for country, pct in patch.war_risk.items():
            _check_bounds(
                spec.minimum, spec.maximum, pct, spec.unit, f"{path}.war_risk.{country}", out
            )
        if patch.ref is None:
            out.add(f"{path}.ref", "war-risk premiums are figures: name their source with ref")
    elif op == "sanctions":
        assert patch.sanctions is not None
        allowed = table_schema("countries").column("sanctions").allowed
        for country, level in patch.sanctions.items():
            if level not in allowed:
                out.add(
                    f"{path}.sanctions.{country}",
                    f"{level!r} is not one of {', '.join(allowed)}{suggest(level, allowed)}",
                )


def rows_frame(
    table: str,
    rows: Sequence[dict[str, Cell]],
    ref: str | None,
    file: str,
    lines: Sequence[int | None],
) -> tuple[pd.DataFrame, list[RowOrigin], ValidationReport]:
    """Parse added rows with the table's schema; blank figure sources default to ``ref``.

    Parameters
    ----------
    table
        Table name.
    rows
        Rows as mappings of column to value.
    ref
        Source id used for figures whose own ``*_ref`` is blank.
    file
        File the rows are in, for the row origins.
    lines
        Line of each row in the file.

    Returns
    -------
    tuple
        The typed rows, their origins and the parse report.
    """
    schema = table_schema(table)
    records: list[dict[str, object]] = []
    for row in rows:
        record: dict[str, object] = {}
        for column, value in row.items():
            record[column] = "|".join(value) if isinstance(value, list) else value
        if ref is not None:
            for spec in schema.figures:
                if record.get(spec.name) is not None and record.get(spec.ref) in (None, ""):
                    record[spec.ref] = ref
        records.append(record)
    raw = pd.DataFrame(records, dtype=object)
    origins = [RowOrigin(file, line or 0) for line in lines]
    report = ValidationReport(source=file)
    frame = parse_table(schema, raw, file, origins, report) if len(raw.columns) else raw
    return frame, origins, report


def _check_rows(
    table: str, rows: list[dict[str, Cell]], ref: str | None, path: str, out: Located
) -> None:
    if not rows:
        out.add(path, "no rows to add")
        return
    lines = [out.line(f"{path}[{i}]") for i in range(len(rows))]
    _, origins, report = rows_frame(table, rows, ref, out.file, lines)
    line_to_row = {o.line: i for i, o in enumerate(origins)}
    for problem in report.problems:
        i = line_to_row.get(problem.line or -1)
        where = f"{path}[{i}]" if i is not None else path
        column = f".{problem.column}" if problem.column else ""
        message = problem.message
        if message.startswith("unknown column ignored"):
            message = "unknown column" + message[len("unknown column ignored") :]
        out.add(where + column, message)


def _check_demand_patch(patch: DemandPatch, path: str, out: Located) -> None:
    ops = [o for o in ("scale", "set", "subtract", "add") if getattr(patch, o) is not None]
    if len(ops) != 1:
        out.add(path, f"give exactly one of scale, set, subtract, add; found {len(ops)}")
        return
    if ops[0] in ("set", "subtract") and patch.ref is None:
        out.add(f"{path}.{ops[0]}", "a flow is a figure: name its source with ref")
    if ops[0] == "add":
        assert patch.add is not None
        for i, row in enumerate(patch.add):
            missing = [c for c in (*DEMAND_KEYS, "flow_per_year") if row.get(c) in (None, "")]
            for column in missing:
                out.add(f"{path}.add[{i}].{column}", "required value is missing")
            flow = row.get("flow_per_year")
            if flow is not None and (
                isinstance(flow, bool) or not isinstance(flow, int | float) or flow < 0
            ):
                out.add(f"{path}.add[{i}].flow_per_year", f"{flow!r} is not a flow >= 0")
            if patch.ref is None and row.get("flow_per_year_ref") in (None, ""):
                out.add(f"{path}.add[{i}]", "a flow is a figure: name its source with ref")


def _check_sources(scenario: Scenario, out: Located) -> None:
    if not scenario.sources:
        return
    lines = [out.line(f"sources[{i}]") for i in range(len(scenario.sources))]
    rows: list[dict[str, Cell]] = [dict(row) for row in scenario.sources]
    _, origins, report = rows_frame("sources", rows, None, out.file, lines)
    line_to_row = {o.line: i for i, o in enumerate(origins)}
    for problem in report.problems:
        i = line_to_row.get(problem.line or -1)
        where = f"sources[{i}]" if i is not None else "sources"
        column = f".{problem.column}" if problem.column else ""
        out.add(where + column, problem.message.replace("unknown column ignored", "unknown column"))
