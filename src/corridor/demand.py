"""Demand: annual origin–destination flows per commodity, read and validated like the network.

A demand set is one CSV file with the columns of ``corridor/schema/demand.csv`` (the schema is
data, like the network's). Bundled sets live in a network folder's ``demand/`` folder next to a
``sets.yaml`` that gives each set a title, a reference year and a description; their flows cite
rows of that network's ``sources.csv``.

Examples
--------
>>> from corridor.demand import bundled_demand_sets
>>> "middle-2030" in bundled_demand_sets()
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.datasets import DEFAULT_DATASET, resolve_network_path, valid_network
from corridor.errors import DatasetNotFoundError, ValidationError
from corridor.model.network import Network
from corridor.model.problems import Problem, ValidationReport
from corridor.model.records import records
from corridor.model.schema import TableSchema, _read_table_schema
from corridor.model.tables import RowOrigin, parse_table, split_list, suggest

#: Folder of a network folder that holds its demand sets.
DEMAND_FOLDER = "demand"
#: File in the demand folder describing each set.
SETS_FILE = "sets.yaml"


@cache
def demand_schema() -> TableSchema:
    """Return the schema of demand tables (``corridor/schema/demand.csv``).

    Examples
    --------
    >>> demand_schema().column("flow_per_year").ref
    'flow_per_year_ref'
    """
    return _read_table_schema("demand")


@dataclass(frozen=True)
class Demand:
    """A validated demand set.

    Attributes
    ----------
    name
        Set name (file stem).
    table
        Typed table with the schema's columns.
    title, year, description
        From ``sets.yaml`` (empty for a file outside a network's demand folder).
    origins
        Where each row came from (file and line).
    """

    name: str
    table: pd.DataFrame
    title: str = ""
    year: int | None = None
    description: str = ""
    origins: tuple[RowOrigin, ...] = field(default=(), repr=False)

    def totals(self) -> pd.DataFrame:
        """Return the total flow per commodity."""
        sums = self.table.groupby("commodity")["flow_per_year"].sum().sort_index()
        return pd.DataFrame({"commodity": sums.index, "flow_per_year": sums.to_numpy()})

    def to_dict(self) -> dict[str, Any]:
        """Return the set's description and rows as JSON-ready data."""
        rows = records(self.table)
        return {
            "name": self.name,
            "title": self.title,
            "year": self.year,
            "description": self.description,
            "rows": rows,
        }


def _demand_dir(network: str | os.PathLike[str]) -> Path:
    return resolve_network_path(network) / DEMAND_FOLDER


def _sets_meta(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / SETS_FILE
    if not path.exists():
        return {}
    from corridor.io.yamlsafe import load_yaml

    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {str(k): dict(v or {}) for k, v in data.items()}


def bundled_demand_sets(network: str | os.PathLike[str] = DEFAULT_DATASET) -> list[str]:
    """Return the names of the demand sets that come with a network.

    Parameters
    ----------
    network
        A bundled dataset name or a network folder.
    """
    folder = _demand_dir(network)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.csv"))


def describe_demand_sets(network: str | os.PathLike[str] = DEFAULT_DATASET) -> list[dict[str, Any]]:
    """Return name, title, year and description of each demand set of a network."""
    meta = _sets_meta(_demand_dir(network))
    return [
        {
            "name": name,
            "title": str(meta.get(name, {}).get("title", "")),
            "year": meta.get(name, {}).get("year"),
            "description": str(meta.get(name, {}).get("description", "")).strip(),
        }
        for name in bundled_demand_sets(network)
    ]


def _resolve_file(name_or_path: str | os.PathLike[str], network: str | os.PathLike[str]) -> Path:
    if not isinstance(name_or_path, str | os.PathLike):
        raise DatasetNotFoundError(
            "a demand set must be given by its name or a CSV path, not "
            f"{name_or_path!r} ({type(name_or_path).__name__})"
        )
    text = os.fspath(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".csv" and candidate.is_file():
        return candidate
    folder = _demand_dir(network)
    path = folder / f"{text}.csv"
    if path.is_file():
        return path
    known = bundled_demand_sets(network)
    raise DatasetNotFoundError(
        f"{text!r} is neither a demand set of {os.fspath(network)!r} "
        f"({', '.join(known) or 'none'}){suggest(text, known)} nor an existing .csv file"
    )


def read_demand(
    name_or_path: str | os.PathLike[str],
    network: Network | None = None,
    *,
    network_name: str | os.PathLike[str] = DEFAULT_DATASET,
) -> Demand:
    """Read and validate a demand set against a network.

    Parameters
    ----------
    name_or_path
        A demand set name of the network (see :func:`bundled_demand_sets`) or a CSV file.
    network
        Network the ids and source ids are checked against; the bundled/named one if omitted.
    network_name
        Name or folder of the network that holds the named demand sets.

    Returns
    -------
    Demand
        The validated set.

    Raises
    ------
    DatasetNotFoundError
        If the set does not exist.
    ValidationError
        Listing every problem (file, line, column, what is wrong).

    Examples
    --------
    >>> demand = read_demand("middle-2030")
    >>> sorted(demand.table["commodity"].unique())
    ['container', 'crude_oil', 'general_cargo']
    """
    from corridor.io.folder import _read_csv_rows

    path = _resolve_file(name_or_path, network_name)
    if network is None:
        network = valid_network(network_name)
    label = f"{path.parent.name}/{path.name}"
    report = ValidationReport(source=str(path))
    raw, origins = _read_csv_rows(path, label, report)
    schema = demand_schema()
    table = parse_table(schema, raw, label, origins, report) if len(raw.columns) else None
    if table is not None:
        for problem in _check(table, network, label, origins):
            report.add(problem)
    if not report.ok or table is None:
        raise ValidationError(report)
    meta = _sets_meta(path.parent).get(path.stem, {})
    year = meta.get("year")
    return Demand(
        name=path.stem,
        table=table,
        title=str(meta.get("title", "")),
        year=int(year) if year is not None else None,
        description=str(meta.get("description", "")).strip(),
        origins=tuple(origins),
    )


def _check(
    table: pd.DataFrame, network: Network, label: str, origins: list[RowOrigin]
) -> list[Problem]:
    problems: list[Problem] = []
    ids = {
        "nodes.node_id": set(network.nodes["node_id"]),
        "commodities.commodity_id": set(network.commodities["commodity_id"]),
        "countries.country": set(network.countries["country"]),
        "sources.source_id": set(network.sources["source_id"]),
    }
    schema = demand_schema()

    def at(row: int, column: str | None, message: str, severity: str = "error") -> Problem:
        key = table["demand_id"].iloc[row]
        line = origins[row].line if row < len(origins) else row + 2
        row_id = None if pd.isna(key) else f"demand_id={key}"
        return Problem(severity, label, line, column, message, row_id)  # type: ignore[arg-type]

    seen: dict[str, int] = {}
    for row in range(len(table)):
        key = table["demand_id"].iloc[row]
        if not pd.isna(key):
            if key in seen:
                problems.append(at(row, "demand_id", f"duplicate id (first on row {seen[key]})"))
            else:
                seen[str(key)] = origins[row].line if row < len(origins) else row + 2
        for spec in schema.columns:
            if not spec.references:
                continue
            cell = table[spec.name].iloc[row]
            values = split_list(cell) if spec.dtype == "list" else ([] if pd.isna(cell) else [cell])
            known = ids[spec.references]
            for value in values:
                if value not in known:
                    target = spec.references.split(".")[0]
                    problems.append(
                        at(
                            row,
                            spec.name,
                            f"unknown {target} id {value!r}{suggest(str(value), sorted(known))}",
                        )
                    )
        flow = table["flow_per_year"].iloc[row]
        if not pd.isna(flow) and pd.isna(table["flow_per_year_ref"].iloc[row]):
            problems.append(
                at(
                    row,
                    "flow_per_year_ref",
                    f"figure flow_per_year={flow} has no source: name a row of sources.csv",
                )
            )
        o, d = table["origin"].iloc[row], table["destination"].iloc[row]
        if not pd.isna(o) and o == d:
            problems.append(at(row, "destination", "origin and destination are the same node"))
    return problems
