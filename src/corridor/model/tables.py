"""Parsing raw tables into typed DataFrames, driven by the schema.

Every raw table arrives as text (CSV cells) or as typed columns (Parquet); both go through the
same parser so the rules are written once. The parser collects every problem it meets instead of
stopping at the first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridor.model.origins import RowOrigin as RowOrigin
from corridor.model.problems import Problem, ValidationReport
from corridor.model.schema import LIST_SEPARATOR, ColumnSpec, TableSchema
from corridor.model.text import is_missing as is_missing
from corridor.model.text import split_list as split_list
from corridor.model.text import suggest as suggest

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}

#: pandas dtype used for each schema dtype.
PANDAS_DTYPES: dict[str, str] = {
    "str": "string",
    "list": "string",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
}


def _as_text(series: pd.Series) -> pd.Series:
    """Return the series as stripped text with empty strings for missing values."""
    if pd.api.types.is_float_dtype(series.dtype):
        values = [
            "" if (v is None or pd.isna(v)) else repr(float(v)) for v in series.to_numpy(object)
        ]
        return pd.Series(values, index=series.index, dtype=object)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.map(lambda v: "" if pd.isna(v) else ("true" if v else "false")).astype(object)
    return series.map(lambda v: "" if (v is None or v is pd.NA or v != v) else str(v).strip())


def parse_table(
    schema: TableSchema,
    raw: pd.DataFrame,
    file: str,
    origins: Sequence[RowOrigin],
    report: ValidationReport,
) -> pd.DataFrame:
    """Parse one raw table into typed columns, recording every problem in ``report``.

    Parameters
    ----------
    schema
        The table's schema.
    raw
        The table as read, one row per record; cells may be text or typed.
    file
        Name of the file the table came from, used in messages.
    origins
        Origin of each row of ``raw`` (same length), used in messages.
    report
        Collects the problems found.

    Returns
    -------
    pandas.DataFrame
        The table with exactly the schema's columns, in order, with the schema's dtypes.
        Cells that could not be parsed are missing (and an error was recorded).
    """
    known = set(schema.column_names)
    for extra in [c for c in raw.columns if c not in known]:
        report.add(
            Problem(
                "warning",
                file,
                None,
                str(extra),
                f"unknown column ignored{suggest(str(extra), schema.column_names)}",
            )
        )
    key_values = [
        f"{schema.key}={k}" if k else ""
        for k in (
            _as_text(raw[schema.key]).tolist() if schema.key in raw.columns else [""] * len(raw)
        )
    ]
    out: dict[str, pd.Series] = {}
    for spec in schema.columns:
        if spec.name not in raw.columns:
            if spec.required:
                report.add(
                    Problem("error", file, 1, spec.name, "required column is missing from header")
                )
            text = pd.Series([""] * len(raw), index=raw.index, dtype=object)
        else:
            text = _as_text(raw[spec.name])
        if spec.default:
            text = text.where(text != "", spec.default)
        out[spec.name] = _parse_column(spec, text, file, origins, key_values, report)
    table = pd.DataFrame(out, index=pd.RangeIndex(len(raw)))
    return table


def _problem(
    file: str,
    origin: RowOrigin,
    key: str,
    column: str,
    message: str,
    severity: str = "error",
) -> Problem:
    return Problem(
        severity,  # type: ignore[arg-type]
        origin.file or file,
        origin.line,
        column,
        message,
        key or None,
    )


def _number_problem(spec: ColumnSpec, cell: str) -> str:
    """Return what is wrong with a numeric cell, or an empty string if it is fine."""
    try:
        number = float(cell.replace("_", ""))
    except ValueError:
        return f"{cell!r} is not a number"
    unit = f" {spec.unit}" if spec.unit else ""
    if not math.isfinite(number):
        return f"{cell!r} is not finite"
    if spec.dtype == "int" and not number.is_integer():
        return f"{cell!r} is not an integer"
    if spec.minimum is not None and number < spec.minimum:
        return f"{cell} is below the minimum {spec.minimum:g}{unit}"
    if spec.maximum is not None and number > spec.maximum:
        return f"{cell} is above the maximum {spec.maximum:g}{unit}"
    return ""


def _parse_column(
    spec: ColumnSpec,
    text: pd.Series,
    file: str,
    origins: Sequence[RowOrigin],
    keys: Sequence[str],
    report: ValidationReport,
) -> pd.Series:
    empty = (text == "").to_numpy()
    if spec.required:
        for i in map(int, np.flatnonzero(empty)):
            report.add(_problem(file, origins[i], keys[i], spec.name, "required value is missing"))
    values = text.to_numpy(object)
    n = len(values)
    if spec.dtype in ("float", "int"):
        parsed = np.full(n, np.nan)
        for i, cell in enumerate(values):
            if empty[i]:
                continue
            message = _number_problem(spec, str(cell))
            if message:
                report.add(_problem(file, origins[i], keys[i], spec.name, message))
                continue
            parsed[i] = float(str(cell).replace("_", ""))
        if spec.dtype == "int":
            return pd.Series(
                pd.array([None if math.isnan(v) else int(v) for v in parsed], dtype="Int64")
            )
        return pd.Series(parsed, dtype="float64")
    if spec.dtype == "bool":
        flags: list[bool | None] = []
        for i, cell in enumerate(values):
            low = str(cell).lower()
            if empty[i]:
                flags.append(None)
            elif low in _TRUE:
                flags.append(True)
            elif low in _FALSE:
                flags.append(False)
            else:
                flags.append(None)
                report.add(
                    _problem(file, origins[i], keys[i], spec.name, f"{cell!r} is not true or false")
                )
        return pd.Series(pd.array(flags, dtype="boolean"))
    if spec.dtype == "list":
        items = [LIST_SEPARATOR.join(split_list(cell)) for cell in values]
        return pd.Series(pd.array([v or None for v in items], dtype="string"))
    # str
    if spec.allowed:
        for i, cell in enumerate(values):
            if not empty[i] and cell not in spec.allowed:
                report.add(
                    _problem(
                        file,
                        origins[i],
                        keys[i],
                        spec.name,
                        f"{cell!r} is not one of {', '.join(spec.allowed)}"
                        + suggest(str(cell), spec.allowed),
                    )
                )
    return pd.Series(
        pd.array(
            [None if e else str(v) for v, e in zip(values, empty, strict=True)], dtype="string"
        )
    )


def empty_table(schema: TableSchema) -> pd.DataFrame:
    """Return an empty table with the schema's columns and dtypes."""
    return pd.DataFrame(
        {c.name: pd.Series([], dtype=PANDAS_DTYPES[c.dtype]) for c in schema.columns}
    )
